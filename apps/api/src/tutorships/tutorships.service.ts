import { Injectable } from '@nestjs/common';
import { Page, pageOf, Transactions, Tutorship, TutorshipRepository, UserRepository } from '@carnet/database';
import { assertCanStartTutorship, displayName, DomainError, ErrorCode, notFound } from '@carnet/domain';
import { AuditService } from '../audit/audit.service';
import { AuthContext } from '../auth/auth-context';
import { violatedConstraint } from '@carnet/database';
import { ListTutorshipsQuery, TutorshipView } from './dto/tutorships.dto';

function view(t: Tutorship): TutorshipView {
  return {
    id: t.id,
    tutorId: t.tutorId,
    internId: t.internId,
    promotion: t.promotion,
    active: t.endedAt === null,
    startedAt: t.startedAt.toISOString(),
    endedAt: t.endedAt?.toISOString() ?? null,
    endReason: t.endReason,
    tutor: { id: t.tutorId, displayName: t.tutor ? displayName(t.tutor) : '' },
    intern: { id: t.internId, displayName: t.intern ? displayName(t.intern) : '' },
  };
}

/** Unique indexes of the migration that hold the two rules when two requests race. */
const RULE_OF_INDEX: Record<string, () => DomainError> = {
  tutorship_one_active_per_tutor_and_promotion: () =>
    new DomainError(ErrorCode.TutorAlreadyHasPromotionTutee, 'Ce tuteur suit déjà un interne de cette promotion : un MSU tutore au plus un interne par promotion.'),
  tutorship_one_active_per_intern: () =>
    new DomainError(ErrorCode.InternAlreadyHasTutor, 'Cet interne a déjà un tuteur actif : mettez fin à ce tutorat d’abord.'),
};

@Injectable()
export class TutorshipsService {
  constructor(
    private readonly transactions: Transactions,
    private readonly tutorships: TutorshipRepository,
    private readonly people: UserRepository,
    private readonly audit: AuditService,
  ) {}

  async create(auth: AuthContext, tutorId: string, internId: string): Promise<TutorshipView> {
    try {
      return await this.transactions.run(async (tx) => {
        const people = await this.people.byIds([tutorId, internId], tx);
        const tutor = people.find((p) => p.id === tutorId);
        const intern = people.find((p) => p.id === internId);
        if (!tutor || !intern) {
          throw new DomainError(ErrorCode.RoleMismatch, 'Tuteur ou interne introuvable.', [
            ...(tutor ? [] : [{ path: 'tutorId', message: 'utilisateur introuvable' }]),
            ...(intern ? [] : [{ path: 'internId', message: 'utilisateur introuvable' }]),
          ]);
        }
        const active = await this.tutorships.activeOfEither(tutorId, internId, tx);
        const promotion = assertCanStartTutorship(tutor, intern, active);
        const tutorship = await this.tutorships.start({ tutorId, internId, promotion, createdBy: auth.userId }, tx);
        await this.audit.record(auth, { action: 'tutorship.started', subjectType: 'tutorship', subjectId: tutorship.id, details: { tutorId, internId, promotion } }, tx);
        tutorship.tutor = tutor;
        tutorship.intern = intern;
        return view(tutorship);
      });
    } catch (error) {
      const rule = RULE_OF_INDEX[violatedConstraint(error) ?? ''];
      if (rule) throw rule();
      throw error;
    }
  }

  async end(auth: AuthContext, id: string, reason: string): Promise<TutorshipView> {
    return this.transactions.run(async (tx) => {
      const tutorship = await this.tutorships.lock(id, tx);
      if (!tutorship) throw notFound('Tutorat');
      if (tutorship.endedAt) throw new DomainError(ErrorCode.TutorshipEnded, 'Ce tutorat est déjà terminé.');
      await this.tutorships.end(tutorship, reason.trim(), tx);
      await this.audit.record(auth, { action: 'tutorship.ended', subjectType: 'tutorship', subjectId: id, details: { reason: tutorship.endReason } }, tx);
      return view(await this.tutorships.withPeople(id, tx));
    });
  }

  async list(query: ListTutorshipsQuery): Promise<Page<TutorshipView>> {
    const { rows, total } = await this.tutorships.list(query);
    // A tutorship moved from another faculty names its tutor there: the name kept at the move.
    const kept = await this.people.namesOf(rows.filter((t: Tutorship) => !t.tutor).map((t) => t.tutorId));
    return pageOf(
      rows.map((t) => {
        const shown = view(t);
        if (!t.tutor) shown.tutor.displayName = kept.get(t.tutorId) ?? '';
        return shown;
      }),
      total,
      query,
    );
  }
}
