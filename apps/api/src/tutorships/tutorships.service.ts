import { namesOf } from '../common/names-kept';
import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, In, IsNull } from 'typeorm';
import { inRequestFaculty, Tutorship, User } from '@carnet/database';
import { assertCanStartTutorship, displayName, DomainError, ErrorCode, notFound } from '@carnet/domain';
import { AuditService } from '../audit/audit.service';
import { AuthContext } from '../auth/auth-context';
import { violatedConstraint } from '../common/database-errors';
import { offsetOf, Page, pageOf } from '../common/paging';
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
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly audit: AuditService,
  ) {}

  async create(auth: AuthContext, tutorId: string, internId: string): Promise<TutorshipView> {
    try {
      return await this.dataSource.transaction(async (manager) => {
        const people = await manager.getRepository(User).findBy({ id: In([tutorId, internId]) });
        const tutor = people.find((p) => p.id === tutorId);
        const intern = people.find((p) => p.id === internId);
        if (!tutor || !intern) {
          throw new DomainError(ErrorCode.RoleMismatch, 'Tuteur ou interne introuvable.', [
            ...(tutor ? [] : [{ path: 'tutorId', message: 'utilisateur introuvable' }]),
            ...(intern ? [] : [{ path: 'internId', message: 'utilisateur introuvable' }]),
          ]);
        }
        const active = await manager.getRepository(Tutorship).find({
          where: [
            { tutorId, endedAt: IsNull() },
            { internId, endedAt: IsNull() },
          ],
        });
        const promotion = assertCanStartTutorship(tutor, intern, active);
        const tutorship = manager.create(Tutorship, { tutorId, internId, promotion, endedAt: null, endReason: null, createdBy: auth.userId });
        await manager.save(tutorship);
        await this.audit.record(auth, { action: 'tutorship.started', subjectType: 'tutorship', subjectId: tutorship.id, details: { tutorId, internId, promotion } }, manager);
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
    return this.dataSource.transaction(async (manager) => {
      const tutorship = await manager.getRepository(Tutorship).findOne({ where: { id }, lock: { mode: 'pessimistic_write' } });
      if (!tutorship) throw notFound('Tutorat');
      if (tutorship.endedAt) throw new DomainError(ErrorCode.TutorshipEnded, 'Ce tutorat est déjà terminé.');
      tutorship.endedAt = new Date();
      tutorship.endReason = reason.trim();
      await manager.save(tutorship);
      await this.audit.record(auth, { action: 'tutorship.ended', subjectType: 'tutorship', subjectId: id, details: { reason: tutorship.endReason } }, manager);
      const full = await manager.getRepository(Tutorship).findOneOrFail({ where: { id }, relations: { tutor: true, intern: true } });
      return view(full);
    });
  }

  async list(query: ListTutorshipsQuery): Promise<Page<TutorshipView>> {
    const where: Record<string, unknown> = { facultyId: inRequestFaculty() };
    if (query.tutorId) where.tutorId = query.tutorId;
    if (query.internId) where.internId = query.internId;
    if (query.promotion) where.promotion = query.promotion;
    const builder = this.dataSource
      .getRepository(Tutorship)
      .createQueryBuilder('t')
      .leftJoinAndSelect('t.tutor', 'tutor')
      .leftJoinAndSelect('t.intern', 'intern')
      .where(where)
      .orderBy('t.started_at', 'DESC')
      .addOrderBy('t.id', 'ASC')
      .skip(offsetOf(query))
      .take(query.pageSize);
    if (query.active === true) builder.andWhere('t.ended_at IS NULL');
    if (query.active === false) builder.andWhere('t.ended_at IS NOT NULL');
    const [rows, total] = await builder.getManyAndCount();
    // A tutorship moved from another faculty names its tutor there: the name kept at the move.
    const kept = await namesOf(this.dataSource.manager, rows.filter((t) => !t.tutor).map((t) => t.tutorId));
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
