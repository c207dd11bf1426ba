import { Injectable } from '@nestjs/common';
import { DecisionsSeen, JuryDecision, JuryRepository, JurySession, PortfolioTransferRepository, Transactions, Tx, User, UserRepository } from '@carnet/database';
import { displayName, DomainError, ErrorCode, notFound } from '@carnet/domain';
import { AuditService } from '../audit/audit.service';
import { AuthContext, hasRole } from '../auth/auth-context';
import { isUniqueViolation } from '@carnet/database';
import { AssessmentsService } from '../portfolios/assessments.service';
import { ProgressService } from '@carnet/portfolio';
import { traceView } from '../traces/traces.service';
import { fillTraceOrigins } from '../traces/trace-origin';
import { CreateJurySessionBody, DecisionBody, UpdateJurySessionBody } from './juries.dto';

const isOpen = (session: JurySession, now = new Date()) => now >= session.opensAt && now < session.closesAt;
/** Closed is the end of the window: members lose access the moment `closesAt` passes. */
const isClosed = (session: JurySession, now = new Date()) => now >= session.closesAt;
const statusOf = (session: JurySession, now = new Date()) => (isClosed(session, now) ? 'closed' : isOpen(session, now) ? 'open' : 'upcoming');

function sessionView(session: JurySession, members: User[], interns: User[], decisions: JuryDecision[], showInterns: boolean) {
  return {
    id: session.id,
    title: session.title,
    phase: session.phase,
    opensAt: session.opensAt.toISOString(),
    closesAt: session.closesAt.toISOString(),
    open: isOpen(session),
    status: statusOf(session),
    members: members.map((m) => ({ id: m.id, displayName: displayName(m) })),
    interns: showInterns
      ? interns.map((i) => {
          const decision = decisions.find((d) => d.internId === i.id);
          return { id: i.id, displayName: displayName(i), promotion: i.promotion, decision: decision ? decisionView(decision) : null };
        })
      : undefined,
  };
}

const decisionView = (d: JuryDecision) => ({
  id: d.id,
  sessionId: d.sessionId,
  internId: d.internId,
  memberId: d.memberId,
  decision: d.decision,
  comment: d.comment,
  requirementVersion: d.requirementVersion,
  createdAt: d.createdAt.toISOString(),
});

/**
 * Jury sessions: an admin composes them; members see the interns on them, their validated
 * portfolio, progress and assessments, only while the session is open, and record one
 * decision per intern. Outside the window, or for an intern not on the session: 404.
 */
@Injectable()
export class JuriesService {
  constructor(
    private readonly transactions: Transactions,
    private readonly juries: JuryRepository,
    private readonly people: UserRepository,
    private readonly transfers: PortfolioTransferRepository,
    private readonly progress: ProgressService,
    private readonly assessments: AssessmentsService,
    private readonly audit: AuditService,
  ) {}

  async create(auth: AuthContext, body: CreateJurySessionBody) {
    const opensAt = new Date(body.opensAt);
    const closesAt = new Date(body.closesAt);
    if (closesAt <= opensAt) throw new DomainError(ErrorCode.InvalidInput, 'La session doit fermer après son ouverture.', [{ path: 'closesAt', message: 'doit suivre opensAt' }]);
    return this.transactions.run(async (tx) => {
      const users = await this.named(body.memberIds, body.internIds, tx);
      const session = await this.juries.create({ title: body.title.trim(), phase: body.phase, opensAt, closesAt, createdBy: auth.userId }, body.memberIds, body.internIds, tx);
      await this.audit.record(auth, { action: 'jury.session_created', subjectType: 'jury_session', subjectId: session.id, details: { members: body.memberIds.length, interns: body.internIds.length } }, tx);
      return sessionView(session, users.filter((u) => body.memberIds.includes(u.id)), users.filter((u) => body.internIds.includes(u.id)), [], true);
    });
  }

  /**
   * Title, window, members and interns, while the session has not closed. An intern who already
   * has a decision in the session stays on it: the decision is immutable and must keep its session.
   */
  async update(auth: AuthContext, id: string, body: UpdateJurySessionBody) {
    return this.transactions.run(async (tx) => {
      const session = await this.juries.lock(id, tx);
      if (!session) throw notFound('Session');
      if (isClosed(session)) throw new DomainError(ErrorCode.Conflict, 'Cette session est close : elle ne se modifie plus.');
      const opensAt = body.opensAt ? new Date(body.opensAt) : session.opensAt;
      const closesAt = body.closesAt ? new Date(body.closesAt) : session.closesAt;
      if (closesAt <= opensAt) throw new DomainError(ErrorCode.InvalidInput, 'La session doit fermer après son ouverture.', [{ path: 'closesAt', message: 'doit suivre opensAt' }]);
      if (body.closesAt && closesAt <= new Date()) {
        throw new DomainError(ErrorCode.InvalidInput, 'La fermeture doit être dans le futur : pour fermer la session maintenant, clôturez-la.', [{ path: 'closesAt', message: 'date passée' }]);
      }
      await this.named(body.memberIds ?? [], body.internIds ?? [], tx);
      const changed: string[] = [];
      if (body.title !== undefined && body.title.trim() !== session.title) changed.push('title');
      if (opensAt.getTime() !== session.opensAt.getTime()) changed.push('opensAt');
      if (closesAt.getTime() !== session.closesAt.getTime()) changed.push('closesAt');
      session.title = body.title?.trim() ?? session.title;
      session.opensAt = opensAt;
      session.closesAt = closesAt;
      await this.juries.save(session, tx);
      if (body.memberIds) {
        const before = (await this.juries.membersOf(id, tx)).map((m) => m.userId);
        const added = body.memberIds.filter((userId) => !before.includes(userId));
        await this.juries.replaceMembers(id, body.memberIds, added, tx);
        if (added.length || before.some((userId) => !body.memberIds!.includes(userId))) changed.push('memberIds');
      }
      if (body.internIds) {
        const before = (await this.juries.internsOf(id, tx)).map((i) => i.internId);
        const removed = before.filter((internId) => !body.internIds!.includes(internId));
        const decided = removed.length ? await this.juries.decisionsIn(id, removed, tx) : [];
        if (decided.length) {
          throw new DomainError(
            ErrorCode.Conflict,
            'Une décision est déjà enregistrée pour un interne que vous retirez : il reste sur la session.',
            decided.map((d) => ({ path: 'internIds', message: `${d.internId} a une décision enregistrée` })),
          );
        }
        if (removed.length) await this.juries.removeInterns(id, removed, tx);
        const added = body.internIds.filter((internId) => !before.includes(internId));
        if (added.length) await this.juries.addInterns(id, added, tx);
        if (added.length || removed.length) changed.push('internIds');
      }
      await this.audit.record(auth, { action: 'jury.session_updated', subjectType: 'jury_session', subjectId: id, details: { changed } }, tx);
      return this.describe(auth, session, tx);
    });
  }

  /**
   * Closes the session now: its window ends at this moment, so every access that follows the
   * window (members' reads, exports, decisions) ends with it. A session closed before it opened
   * gets an empty window ending now.
   */
  async close(auth: AuthContext, id: string) {
    return this.transactions.run(async (tx) => {
      const session = await this.juries.lock(id, tx);
      if (!session) throw notFound('Session');
      if (isClosed(session)) throw new DomainError(ErrorCode.Conflict, 'Cette session est déjà close.');
      const scheduled = { opensAt: session.opensAt.toISOString(), closesAt: session.closesAt.toISOString() };
      const closed = await this.juries.closeNow(id, tx);
      await this.audit.record(auth, { action: 'jury.session_closed', subjectType: 'jury_session', subjectId: id, details: { scheduled } }, tx);
      return this.describe(auth, closed, tx);
    });
  }

  async list(auth: AuthContext) {
    const sessions = await this.juries.list(hasRole(auth, 'admin') ? null : auth.userId);
    return Promise.all(sessions.map((s) => this.describe(auth, s)));
  }

  async get(auth: AuthContext, id: string) {
    return this.describe(auth, await this.visibleSession(auth, id, false));
  }

  async portfolio(auth: AuthContext, sessionId: string, internId: string) {
    const session = await this.visibleSession(auth, sessionId, true);
    const intern = await this.internOn(session, internId);
    const [traces, progress, assessments] = await Promise.all([
      this.juries.validatedTracesOf(internId),
      this.progress.progress(intern, session.phase),
      this.assessments.viewsOf(internId),
      this.audit.record(auth, { action: 'jury.portfolio_read', subjectType: 'portfolio', subjectId: internId, details: { sessionId } }),
    ]);
    const views = traces.map((t) => traceView(t, 'jury'));
    await fillTraceOrigins(this.transfers, views);
    return {
      intern: { id: intern.id, displayName: displayName(intern), promotion: intern.promotion },
      session: { id: session.id, phase: session.phase },
      traces: views,
      progress,
      assessments,
    };
  }

  async decide(auth: AuthContext, sessionId: string, body: DecisionBody) {
    const session = await this.visibleSession(auth, sessionId, true);
    if (!hasRole(auth, 'jury') || !(await this.juries.isMember(auth.userId, sessionId))) throw new DomainError(ErrorCode.Forbidden, 'Seuls les membres de la session décident.');
    const intern = await this.internOn(session, body.internId);
    const progress = await this.progress.progress(intern, session.phase);
    try {
      return await this.transactions.run(async (tx) => {
        const decision = await this.juries.decide(
          {
            sessionId,
            internId: intern.id,
            memberId: auth.userId,
            decision: body.decision,
            comment: body.comment.trim(),
            requirementVersion: progress.requirementVersion,
            progress: { requirements: progress.requirements, gaps: progress.gaps, validatedTotal: progress.validatedTotal },
          },
          tx,
        );
        await this.audit.record(auth, { action: 'jury.decision', subjectType: 'portfolio', subjectId: intern.id, details: { sessionId, decision: body.decision, phase: session.phase } }, tx);
        return decisionView(decision);
      });
    } catch (error) {
      if (isUniqueViolation(error, 'jury_decision_one_per_intern')) {
        throw new DomainError(ErrorCode.Conflict, 'Une décision est déjà enregistrée pour cet interne dans cette session.');
      }
      throw error;
    }
  }

  /**
   * Decisions about an intern: the intern and their tutors see them once the session closed; a
   * jury member sees at once those of the sessions they sit on; an admin sees them all.
   */
  async decisionsOf(auth: AuthContext, internId: string, relation: string) {
    const seen: DecisionsSeen = relation === 'jury' ? { memberId: auth.userId } : relation === 'admin' ? { all: true } : { closedOnly: true };
    const rows = await this.juries.decisionsAbout(internId, seen);
    return rows.map((d) => ({ ...decisionView(d), session: { id: d.session.id, title: d.session.title, phase: d.session.phase, closesAt: d.session.closesAt.toISOString() } }));
  }

  private async describe(auth: AuthContext, session: JurySession, tx?: Tx) {
    const admin = hasRole(auth, 'admin');
    const [memberRows, internRows, decisions] = await Promise.all([this.juries.membersOf(session.id, tx), this.juries.internsOf(session.id, tx), this.juries.decisionsIn(session.id, undefined, tx)]);
    const users = await this.people.byIds([...memberRows.map((m) => m.userId), ...internRows.map((i) => i.internId)], tx);
    const members = users.filter((u) => memberRows.some((m) => m.userId === u.id));
    const interns = users.filter((u) => internRows.some((i) => i.internId === u.id)).sort((a, b) => a.lastName.localeCompare(b.lastName, 'fr'));
    return sessionView(session, members, interns, decisions, admin || isOpen(session));
  }

  /** Admins see every session; a member sees theirs (and, with `mustBeOpen`, only while open). */
  private async visibleSession(auth: AuthContext, id: string, mustBeOpen: boolean): Promise<JurySession> {
    const session = await this.juries.findInFaculty(id);
    if (!session) throw notFound('Session');
    const member = await this.juries.isMember(auth.userId, id);
    if (!member && !hasRole(auth, 'admin')) throw notFound('Session');
    if (mustBeOpen && (!member || !isOpen(session))) throw notFound('Session ouverte');
    return session;
  }

  /** The users named as members (active, jury role) and interns, or a 422 naming each one that is not. */
  private async named(memberIds: string[], internIds: string[], tx: Tx): Promise<User[]> {
    if (!memberIds.length && !internIds.length) return [];
    const users = await this.people.byIds([...memberIds, ...internIds], tx);
    const faults = [
      ...memberIds.filter((id) => !users.find((u) => u.id === id && u.roles.includes('jury') && u.active)).map((id) => ({ path: 'memberIds', message: `${id} n’est pas un membre de jury actif` })),
      ...internIds.filter((id) => !users.find((u) => u.id === id && u.roles.includes('intern'))).map((id) => ({ path: 'internIds', message: `${id} n’est pas un interne` })),
    ];
    if (faults.length) throw new DomainError(ErrorCode.RoleMismatch, 'Membres ou internes invalides.', faults);
    return users;
  }

  private async internOn(session: JurySession, internId: string): Promise<User> {
    const on = await this.juries.isInternOn(session.id, internId);
    const intern = on ? await this.people.byId(internId) : null;
    if (!intern) throw notFound('Interne');
    return intern;
  }
}
