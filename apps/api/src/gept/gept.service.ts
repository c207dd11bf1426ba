import { Injectable } from '@nestjs/common';
import type { GeptGroupSummary, GeptGroupView, GeptLinkedTraceView, GeptMeetingView } from '@carnet/contracts';
import { GeptGroup, GeptMeeting, GeptRepository, Transactions, UserRepository } from '@carnet/database';
import { assertGeptGroup, assertGeptMeeting, assertTraceLinkable, attendanceTally, displayName, DomainError, ErrorCode, notFound, parisDay } from '@carnet/domain';
import { AuditService } from '../audit/audit.service';
import type { AuthContext } from '../auth/auth-context';
import type { GeptGroupBody, GeptMeetingBody, GeptMeetingPatchBody } from './gept.dto';

/** The requester's place in a group: its lead, one of its interns, or an admin of the faculty. */
type GroupRole = 'lead' | 'member' | 'admin';

const onlyLead = () => new DomainError(ErrorCode.Forbidden, 'Seul l’animateur du groupe tient ses séances et leurs présences.');

/**
 * GEPT groups: the admin forms them, the lead keeps the meetings, their cases and who came, and
 * reads the gept traces its interns link to a meeting. The lead comments on them through the
 * trace's own routes (the access rule's `gept_lead`); validating them stays the tutor's. Outside a
 * group, nothing of it is visible (404).
 */
@Injectable()
export class GeptService {
  constructor(
    private readonly groups: GeptRepository,
    private readonly users: UserRepository,
    private readonly transactions: Transactions,
    private readonly audit: AuditService,
  ) {}

  async create(auth: AuthContext, body: GeptGroupBody): Promise<GeptGroupView> {
    assertGeptGroup(body);
    const lead = await this.users.byId(body.leadId);
    if (!lead || !lead.roles.includes('tutor')) throw new DomainError(ErrorCode.InvalidInput, 'Le groupe GEPT est invalide.', [{ path: 'leadId', message: 'un MSU (rôle tuteur) anime le groupe' }]);
    const interns = await this.users.byIds(body.internIds);
    const unknown = body.internIds.filter((id) => !interns.some((u) => u.id === id && u.roles.includes('intern')));
    if (unknown.length) throw new DomainError(ErrorCode.InvalidInput, 'Le groupe GEPT est invalide.', unknown.map((id) => ({ path: `internIds.${body.internIds.indexOf(id)}`, message: 'aucun interne avec ce compte' })));
    const taken = await this.groups.membershipsInYear(body.internIds, body.year);
    if (taken.length) {
      throw new DomainError(ErrorCode.Conflict, `Déjà membre${taken.length > 1 ? 's' : ''} d’un groupe GEPT cette année : ${(await this.names(body.internIds.filter((id) => taken.some((t) => t.internId === id)))).join(', ')}.`);
    }
    const id = await this.transactions.run(async (tx) => {
      const id = await this.groups.createGroup({ title: body.title.trim(), year: body.year, leadId: body.leadId, createdAt: new Date() }, body.internIds, tx);
      await this.audit.record(auth, { action: 'gept_group.create', subjectType: 'gept_group', subjectId: id, details: { leadId: body.leadId, year: body.year, interns: body.internIds.length } }, tx);
      return id;
    });
    return this.get(auth, id);
  }

  /** The groups the requester leads or belongs to (all of the faculty's for an admin), newest year first. */
  async list(auth: AuthContext, page: number, pageSize: number): Promise<{ items: GeptGroupSummary[]; total: number; page: number; pageSize: number }> {
    const [groups, total] = await this.groups.listForReader({ userId: auth.userId, admin: auth.roles.includes('admin') }, page, pageSize);
    const counts = await this.groups.countsOf(groups.map((g) => g.id));
    const leads = await this.nameMap(groups.map((g) => g.leadId));
    return {
      items: groups.map((g) => {
        const count = counts.find((c) => c.group_id === g.id);
        return { id: g.id, title: g.title, year: g.year, lead: { id: g.leadId, displayName: leads.get(g.leadId) ?? '' }, members: count?.members ?? 0, meetings: count?.meetings ?? 0 };
      }),
      total,
      page,
      pageSize,
    };
  }

  async get(auth: AuthContext, groupId: string, now = new Date()): Promise<GeptGroupView> {
    const { group, role } = await this.group(auth, groupId);
    const members = await this.groups.membersOf(groupId);
    const meetings = await this.groups.meetingsOf(groupId);
    const marks = await this.groups.attendanceAt(meetings.map((m) => m.id));
    const linked = await this.groups.linkedCounts(meetings.map((m) => m.id));
    const names = await this.nameMap([group.leadId, ...members.map((m) => m.internId)]);
    // An intern sees the group and their own attendance, not the others'.
    const visible = (internId: string) => role !== 'member' || internId === auth.userId;
    const memberIds = members.map((m) => m.internId).sort((a, b) => (names.get(a) ?? '').localeCompare(names.get(b) ?? '', 'fr'));
    const meetingViews: GeptMeetingView[] = meetings.map((m) => ({
      id: m.id,
      heldOn: m.heldOn,
      cases: m.cases,
      attendance: memberIds.filter(visible).map((internId) => ({ internId, present: marks.find((a) => a.meetingId === m.id && a.internId === internId)?.present ?? null })),
      linkedTraces: linked.find((l) => l.meeting_id === m.id)?.n ?? 0,
    }));
    return {
      id: group.id,
      title: group.title,
      year: group.year,
      lead: { id: group.leadId, displayName: names.get(group.leadId) ?? '' },
      members: memberIds.map((id) => ({ id, displayName: names.get(id) ?? '' })),
      meetings: meetingViews,
      attendance: attendanceTally(memberIds.filter(visible), meetings, marks, parisDay(now)),
      canManage: role === 'lead',
    };
  }

  async addMeeting(auth: AuthContext, groupId: string, body: GeptMeetingBody): Promise<GeptGroupView> {
    const { role } = await this.group(auth, groupId);
    if (role !== 'lead') throw onlyLead();
    assertGeptMeeting(body);
    await this.transactions.run(async (tx) => {
      const meetingId = await this.groups.addMeeting({ groupId, heldOn: body.heldOn, cases: body.cases.map((c) => c.trim()) }, tx);
      await this.audit.record(auth, { action: 'gept_meeting.create', subjectType: 'gept_group', subjectId: groupId, details: { meetingId, heldOn: body.heldOn, cases: body.cases.length } }, tx);
    });
    return this.get(auth, groupId);
  }

  async updateMeeting(auth: AuthContext, meetingId: string, body: GeptMeetingPatchBody): Promise<GeptGroupView> {
    const meeting = await this.leadsMeeting(auth, meetingId);
    assertGeptMeeting(body, true);
    await this.transactions.run(async (tx) => {
      await this.groups.updateMeeting(meetingId, { heldOn: body.heldOn ?? meeting.heldOn, cases: body.cases?.map((c) => c.trim()) ?? meeting.cases, updatedAt: new Date() }, tx);
      await this.audit.record(auth, { action: 'gept_meeting.update', subjectType: 'gept_group', subjectId: meeting.groupId, details: { meetingId, changed: Object.keys(body) } }, tx);
    });
    return this.get(auth, meeting.groupId);
  }

  /** The lead ticks an intern of the group present or absent at a meeting (again to correct it). */
  async mark(auth: AuthContext, meetingId: string, internId: string, present: boolean): Promise<GeptMeetingView> {
    const meeting = await this.leadsMeeting(auth, meetingId);
    if (!(await this.groups.isMember(meeting.groupId, internId))) throw notFound('Interne du groupe');
    await this.transactions.run(async (tx) => {
      await this.groups.markAttendance(meetingId, internId, present, auth.userId, tx);
      await this.audit.record(auth, { action: 'gept_attendance.mark', subjectType: 'gept_group', subjectId: meeting.groupId, details: { meetingId, internId, present } }, tx);
    });
    return (await this.get(auth, meeting.groupId)).meetings.find((m) => m.id === meetingId)!;
  }

  /**
   * The group's gept traces linked to the meeting, submitted or further, for its lead to read: the
   * traces the access rule's `gept_lead` reaches through this meeting (the rule's own SQL, one meeting).
   */
  async linkedTraces(auth: AuthContext, meetingId: string): Promise<{ items: GeptLinkedTraceView[] }> {
    const meeting = await this.leadsMeeting(auth, meetingId);
    const rows = await this.groups.linkedTracesForLead(auth.userId, meetingId);
    await this.audit.record(auth, { action: 'gept_traces.read', subjectType: 'gept_group', subjectId: meeting.groupId, details: { meetingId, traceIds: rows.map((r) => r.id) } });
    return {
      items: rows.map((r) => ({
        id: r.id,
        intern: { id: r.intern_id, displayName: displayName({ firstName: r.first_name, lastName: r.last_name }) },
        title: r.title,
        status: r.status,
        content: r.content,
        submittedAt: r.submitted_at?.toISOString() ?? null,
        validatedAt: r.validated_at?.toISOString() ?? null,
      })),
    };
  }

  /** The intern links their own gept trace to a meeting of their group (or unlinks it with null). */
  async linkTrace(auth: AuthContext, traceId: string, meetingId: string | null): Promise<{ traceId: string; meetingId: string | null }> {
    const trace = await this.groups.traceOwnerAndKind(traceId);
    // Another's trace is not visible here: the same answer as none.
    if (!trace || trace.intern_id !== auth.userId) throw notFound('Trace');
    let member = true;
    if (meetingId) {
      const meeting = await this.groups.findMeeting(meetingId);
      member = Boolean(meeting && (await this.groups.isMember(meeting.groupId, auth.userId)));
    }
    assertTraceLinkable({ kind: trace.kind, internId: trace.intern_id }, auth.userId, member);
    await this.transactions.run(async (tx) => {
      await this.groups.linkTrace(traceId, meetingId, tx);
      await this.audit.record(auth, { action: 'trace.gept_meeting', subjectType: 'trace', subjectId: traceId, details: { meetingId } }, tx);
    });
    return { traceId, meetingId };
  }

  private async group(auth: AuthContext, groupId: string): Promise<{ group: GeptGroup; role: GroupRole }> {
    const group = await this.groups.findGroup(groupId);
    if (!group) throw notFound('Groupe GEPT');
    if (group.leadId === auth.userId) return { group, role: 'lead' };
    if (await this.groups.isMember(groupId, auth.userId)) return { group, role: 'member' };
    if (auth.roles.includes('admin')) return { group, role: 'admin' };
    throw notFound('Groupe GEPT');
  }

  /** The meeting, when the requester leads its group: 404 outside the group, 403 for its interns and the admin. */
  private async leadsMeeting(auth: AuthContext, meetingId: string): Promise<GeptMeeting> {
    const meeting = await this.groups.findMeeting(meetingId);
    if (!meeting) throw notFound('Séance GEPT');
    const { role } = await this.group(auth, meeting.groupId).catch((error: unknown) => {
      throw error instanceof DomainError && error.code === ErrorCode.NotFound ? notFound('Séance GEPT') : error;
    });
    if (role !== 'lead') throw onlyLead();
    return meeting;
  }

  /** Display names, read as every other page reads them (UserRepository.namesOf: names only). */
  private nameMap(ids: string[]): Promise<Map<string, string>> {
    return this.users.namesOf(ids);
  }

  private async names(ids: string[]): Promise<string[]> {
    const map = await this.nameMap(ids);
    return ids.map((id) => map.get(id) ?? id);
  }
}
