import { Injectable } from '@nestjs/common';
import { In } from 'typeorm';
import { readerTieSql, traceRuleSql } from '../access-sql';
import { GeptAttendance, GeptGroup, GeptGroupMember, GeptMeeting } from '../entities';
import { Database, Tx } from './database';

/** A group's counts for its summary. */
export interface GeptGroupCounts {
  group_id: string;
  members: number;
  meetings: number;
}

/** A gept trace linked to a meeting, with its intern's name, as its group's lead reads it. */
export interface GeptLinkedTraceRow {
  id: string;
  intern_id: string;
  title: string;
  status: string;
  content: unknown;
  submitted_at: Date | null;
  validated_at: Date | null;
  first_name: string;
  last_name: string;
}

/**
 * The traces the access rule's `gept_lead` arm gives the lead `$1` through the meeting `$2`:
 * the rule's own translation (access-sql.ts), with that tie only, on one meeting's traces (the
 * meeting index, migration 30). A trace of the lead's own is theirs as its owner, not as its lead.
 */
const GEPT_LEAD_RELATION_SQL = traceRuleSql(
  () => '$1',
  (tie) => `ARRAY(${readerTieSql(tie, 't.intern_id')})`,
  (tie) => tie === 'gept',
  false,
).relation();

const LINKED_TRACES_SQL = `SELECT t.id, t.intern_id, t.title, t.status, t.content, t.submitted_at, t.validated_at, u.first_name, u.last_name
           FROM trace t JOIN app_user u ON u.id = t.intern_id
          WHERE t.gept_meeting_id = $2 AND ${GEPT_LEAD_RELATION_SQL} = 'gept_lead'
          ORDER BY u.last_name, u.first_name`;

/** GEPT groups, their members, meetings and attendance, and the gept traces linked to the meetings. */
@Injectable()
export class GeptRepository {
  constructor(private readonly db: Database) {}


  /** These interns' memberships of a group in the year. */
  membershipsInYear(internIds: string[], year: number): Promise<GeptGroupMember[]> {
    return this.db.manager().getRepository(GeptGroupMember).find({ where: { internId: In(internIds), year } });
  }

  /** A new group and its members; its id. */
  async createGroup(group: { title: string; year: number; leadId: string; createdAt: Date }, internIds: string[], tx?: Tx): Promise<string> {
    const groups = this.db.manager(tx).getRepository(GeptGroup);
    const saved = await groups.save(groups.create(group));
    await this.db.manager(tx).getRepository(GeptGroupMember).insert(internIds.map((internId) => ({ groupId: saved.id, internId, year: group.year })));
    return saved.id;
  }

  /** A page of the groups the reader leads or belongs to (all of them for an admin), newest year first, and their total. */
  listForReader(reader: { userId: string; admin: boolean }, page: number, pageSize: number): Promise<[GeptGroup[], number]> {
    const query = this.db.manager().getRepository(GeptGroup).createQueryBuilder('g');
    if (!reader.admin) {
      query.where('(g.lead_id = :me OR EXISTS (SELECT 1 FROM gept_group_member m WHERE m.group_id = g.id AND m.intern_id = :me))', { me: reader.userId });
    }
    return query.orderBy('g.year', 'DESC').addOrderBy('g.title').skip((page - 1) * pageSize).take(pageSize).getManyAndCount();
  }

  /** The groups' counts of members and meetings. */
  async countsOf(groupIds: string[]): Promise<GeptGroupCounts[]> {
    if (!groupIds.length) return [];
    return this.db.query<GeptGroupCounts>(
      `SELECT g.id AS group_id, (SELECT count(*)::int FROM gept_group_member m WHERE m.group_id = g.id) AS members,
                  (SELECT count(*)::int FROM gept_meeting t WHERE t.group_id = g.id) AS meetings
             FROM gept_group g WHERE g.id = ANY($1)`,
      [groupIds],
    );
  }

  findGroup(groupId: string): Promise<GeptGroup | null> {
    return this.db.manager().getRepository(GeptGroup).findOneBy({ id: groupId });
  }

  /** Whether the intern is a member of the group. */
  isMember(groupId: string, internId: string): Promise<boolean> {
    return this.db.manager().getRepository(GeptGroupMember).existsBy({ groupId, internId });
  }

  membersOf(groupId: string): Promise<GeptGroupMember[]> {
    return this.db.manager().getRepository(GeptGroupMember).find({ where: { groupId } });
  }

  /** The group's meetings, oldest first. */
  meetingsOf(groupId: string): Promise<GeptMeeting[]> {
    return this.db.manager().getRepository(GeptMeeting).find({ where: { groupId }, order: { heldOn: 'ASC', createdAt: 'ASC' } });
  }

  findMeeting(meetingId: string): Promise<GeptMeeting | null> {
    return this.db.manager().getRepository(GeptMeeting).findOneBy({ id: meetingId });
  }

  /** Who came to these meetings (the marks taken). */
  async attendanceAt(meetingIds: string[]): Promise<GeptAttendance[]> {
    if (!meetingIds.length) return [];
    return this.db.manager().getRepository(GeptAttendance).find({ where: { meetingId: In(meetingIds) } });
  }

  /** The count of traces, submitted or further, linked to each of these meetings (those with any). */
  async linkedCounts(meetingIds: string[]): Promise<{ meeting_id: string; n: number }[]> {
    if (!meetingIds.length) return [];
    return this.db.query(`SELECT gept_meeting_id AS meeting_id, count(*)::int AS n FROM trace WHERE gept_meeting_id = ANY($1) AND status <> 'draft' GROUP BY 1`, [meetingIds]);
  }

  /** A new meeting of the group; its id. */
  async addMeeting(meeting: { groupId: string; heldOn: string; cases: string[] }, tx?: Tx): Promise<string> {
    const meetings = this.db.manager(tx).getRepository(GeptMeeting);
    return (await meetings.save(meetings.create(meeting))).id;
  }

  async updateMeeting(meetingId: string, changes: { heldOn: string; cases: string[]; updatedAt: Date }, tx?: Tx): Promise<void> {
    await this.db.manager(tx).getRepository(GeptMeeting).update({ id: meetingId }, changes);
  }

  /** The intern present or absent at the meeting (again to correct it). */
  async markAttendance(meetingId: string, internId: string, present: boolean, markedBy: string, tx?: Tx): Promise<void> {
    await this.db.query(
      `INSERT INTO gept_attendance (meeting_id, intern_id, present, marked_by, marked_at) VALUES ($1, $2, $3, $4, now())
         ON CONFLICT (meeting_id, intern_id) DO UPDATE SET present = EXCLUDED.present, marked_by = EXCLUDED.marked_by, marked_at = now()`,
      [meetingId, internId, present, markedBy],
      tx,
    );
  }

  /** The gept traces, submitted or further, that the lead reads through the meeting (the access rule's `gept_lead`), by intern name. */
  linkedTracesForLead(leadId: string, meetingId: string): Promise<GeptLinkedTraceRow[]> {
    return this.db.query<GeptLinkedTraceRow>(LINKED_TRACES_SQL, [leadId, meetingId]);
  }

  /** The trace's owner and kind, or undefined. */
  async traceOwnerAndKind(traceId: string): Promise<{ id: string; intern_id: string; kind: string } | undefined> {
    const [trace] = await this.db.query<{ id: string; intern_id: string; kind: string }>(`SELECT id, intern_id, kind FROM trace WHERE id = $1`, [traceId]);
    return trace;
  }

  /** The trace linked to the meeting, or unlinked (null). */
  async linkTrace(traceId: string, meetingId: string | null, tx?: Tx): Promise<void> {
    await this.db.query(`UPDATE trace SET gept_meeting_id = $2 WHERE id = $1`, [traceId, meetingId], tx);
  }
}
