import { Injectable } from '@nestjs/common';
import { exportedStatuses, MandatorySession, Phase, PhaseRules, PortfolioRelation, TeachingKind, TraceKind, TraceStatus } from '@carnet/domain';
import { exportedTraceFilter, INTERN_AND_TIES_SQL } from '../access-sql';
import { Assessment, Trace, Tutorship, User } from '../entities';
import { Database, Tx } from './database';
import { sessionExpects } from './teaching.repository';

/**
 * The statuses as a predicate on `column`, from the domain's lists (one status: an equality, as
 * the tuned texts have always said it, so a prepared statement keeps its text and its plan).
 */
export function statusesSql(column: string, statuses: readonly TraceStatus[]): string {
  return statuses.length === 1 ? `${column} = '${statuses[0]}'` : `${column} IN (${statuses.map((status) => `'${status}'`).join(', ')})`;
}

/**
 * What progress counts: the traces a validated export holds, validated ones, whoever reads the
 * portfolio (the domain's `exportedStatuses`, the same for every relation at this scope).
 */
export const PROGRESS_STATUSES: readonly TraceStatus[] = exportedStatuses('self', 'validated')!;

// ----- Progress (ProgressService) -----

/** The co-signed tutor meetings of an intern ($1), in all, held after $2 (a day) and from $3 to before $4 (the phase, counted like its traces). */
const MEETINGS_SQL = `SELECT count(*)::int AS "coSigned", count(*) FILTER (WHERE m.held_on > $2::date)::int AS "last12Months",
       count(*) FILTER (WHERE m.held_on >= $3::date AND m.held_on < $4::date)::int AS "inPhase"
  FROM tutor_meeting m JOIN tutorship t ON t.id = m.tutorship_id
 WHERE t.intern_id = $1 AND m.intern_confirmed_at IS NOT NULL AND m.tutor_confirmed_at IS NOT NULL`;

/**
 * The GEPT meetings an intern ($1) was ticked present at, in the groups they belong to, held from
 * $2 to before $3 (the phase, counted like its traces) and by $4 (today: a meeting planned ahead is
 * not attended yet). Through the intern's memberships (a few rows, by the member key), then the
 * groups' meetings and the attendance's primary key. The intern's faculty only, said here for the
 * workers' sweeps, which run outside any faculty's scope (GEPT groups stay with the faculty that
 * runs them when a portfolio moves).
 */
const GEPT_ATTENDED_SQL = `SELECT count(*)::int AS n
  FROM gept_group_member g JOIN app_user u ON u.id = g.intern_id AND u.faculty_id = g.faculty_id
  JOIN gept_meeting m ON m.group_id = g.group_id AND m.held_on >= $2::date AND m.held_on < $3::date AND m.held_on <= $4::date
  JOIN gept_attendance a ON a.meeting_id = m.id AND a.intern_id = g.intern_id AND a.present
 WHERE g.intern_id = $1`;

/**
 * The progress statement ($1 intern, $2 phase, $3 validated since): the kinds and tags of the
 * validated traces (not their content), the assessments' levels, the last final decision, and
 * the rules it was judged by (the current ones if undecided), as JSON.
 */
const progressSql = (traceScope: string) => `
  WITH decided AS (
    SELECT d.decision, d.session_id AS "sessionId", d.requirement_version AS "requirementVersion", d.created_at AS "createdAt"
      FROM jury_decision d JOIN jury_session s ON s.id = d.session_id
     WHERE d.intern_id = $1 AND s.phase = $2 AND d.decision IN ('validated', 'not_validated')
     ORDER BY d.created_at DESC LIMIT 1)
  SELECT
    (SELECT coalesce(json_agg(json_build_array(kind, competences, familles)), '[]') FROM trace
      WHERE intern_id = $1 AND ${statusesSql('status', PROGRESS_STATUSES)} AND ${traceScope}) AS traces,
    (SELECT coalesce(json_agg(levels ORDER BY updated_at), '[]') FROM assessment WHERE intern_id = $1) AS levels,
    (SELECT row_to_json(decided) FROM decided) AS decision,
    -- A decided phase is judged by the rules it was decided on, which may have changed since.
    (SELECT json_build_object('version', version, 'rules', rules) FROM phase_requirement
      WHERE phase = $2 ORDER BY (version = (SELECT "requirementVersion" FROM decided)) DESC NULLS LAST, version DESC LIMIT 1) AS requirement`;
export const PROGRESS_SQL = progressSql('validated_at >= $3');
/** The same for one stage ($3 the stage). */
const PROGRESS_OF_STAGE_SQL = progressSql('stage_id = $3');

/**
 * The mandatory sessions of a phase ($2) an intern ($1) was expected at (their promotion and UPP,
 * or sessions expecting everyone), held within the phase's window ($3 to before $4), with their
 * attendance.
 */
const MANDATORY_SESSIONS_SQL = `SELECT s.id, s.title, s.kind, s.starts_at AS "startsAt", s.ends_at AS "endsAt", a.status AS attendance
  FROM teaching_session s JOIN app_user u ON u.id = $1
  LEFT JOIN teaching_attendance a ON a.session_id = s.id AND a.intern_id = $1
 WHERE s.phase = $2 AND s.starts_at >= $3 AND s.starts_at < $4
   -- The workers' sweeps run outside any faculty's scope: the intern's faculty is in the rule.
   AND ${sessionExpects('s', 'u')}`;

/** What the progress statement returns: JSON built by PostgreSQL, parsed once by the driver. */
export interface ProgressRow {
  traces: [TraceKind, string[], string[]][];
  levels: Record<string, string>[];
  decision: { decision: string; sessionId: string; requirementVersion: number; createdAt: string } | null;
  requirement: { version: number; rules: PhaseRules } | null;
}

/** The intern of a portfolio as its readers need them, with what ties the reader to them now. */
export type InternWithTies = Pick<User, 'id' | 'roles' | 'promotion' | 'firstName' | 'lastName'> & { tutor: boolean; jury: boolean };

/** A mandatory teaching session expecting the intern, with their attendance. */
export type MandatorySessionRow = Omit<MandatorySession, 'kind'> & { kind: TeachingKind };

// ----- The export's DES (the export worker's reader) -----

export interface GeptGroupRow {
  id: string;
  title: string;
  year: number;
  lead_id: string;
  lead: string;
}
export interface GeptMeetingRow {
  group_id: string;
  held_on: string;
  cases: string[];
  present: boolean | null;
}
export interface TutorMeetingRow {
  held_on: string;
  tutor: string;
  discussed: string;
  next_objectives: string;
  intern_confirmed_at: Date | null;
  tutor_confirmed_at: Date | null;
}
export interface ThesisRow {
  id: string;
  subject: string;
  director_name: string | null;
  director_account: string | null;
}
export interface ThesisStepRow {
  label: string;
  planned_on: string | null;
  done_on: string | null;
  note: string;
}
/**
 * The portfolio read model: what the portfolio rule asks of an intern and a reader, what progress
 * counts, and what an export holds. The API reads through it (PortfolioAccess, ProgressService)
 * and the export worker builds from it, so both read the same statements.
 */
@Injectable()
export class PortfolioRepository {
  constructor(private readonly db: Database) {}

  /** The intern (`internId`) and what ties the reader to them now (INTERN_AND_TIES_SQL); null when no such user. */
  async internAndTies(readerId: string, internId: string, tx?: Tx): Promise<InternWithTies | null> {
    const [row] = await this.db.prepared<InternWithTies>(INTERN_AND_TIES_SQL, [readerId, internId], tx);
    return row ?? null;
  }

  /** The progress statement's row: of a phase since `since`, or of one stage. */
  async progressOf(internId: string, phase: Phase, scope: { since: Date } | { stageId: string }): Promise<ProgressRow> {
    const [row] = 'stageId' in scope
      ? await this.db.prepared<ProgressRow>(PROGRESS_OF_STAGE_SQL, [internId, phase, scope.stageId])
      : await this.db.prepared<ProgressRow>(PROGRESS_SQL, [internId, phase, scope.since]);
    return row;
  }

  /** The intern's co-signed tutor meetings: in all, held after `yearBefore` (a day), and from `from` to before `to` (days). */
  async coSignedMeetings(internId: string, yearBefore: string, from: string, to: string): Promise<{ coSigned: number; last12Months: number; inPhase: number }> {
    const [row] = await this.db.prepared<{ coSigned: number; last12Months: number; inPhase: number }>(MEETINGS_SQL, [internId, yearBefore, from, to]);
    return row;
  }

  /** The GEPT meetings the intern was present at, held from `from` to before `to`, by `today` (days). */
  async geptMeetingsAttended(internId: string, from: string, to: string, today: string): Promise<number> {
    const [{ n }] = await this.db.prepared<{ n: number }>(GEPT_ATTENDED_SQL, [internId, from, to, today]);
    return n;
  }

  /** The mandatory sessions of `phase` expecting the intern, held within `window`, with their attendance. */
  mandatorySessionsInPhase(internId: string, phase: Phase, window: { from: Date; to: Date }): Promise<MandatorySessionRow[]> {
    return this.db.prepared<MandatorySessionRow>(MANDATORY_SESSIONS_SQL, [internId, phase, window.from, window.to]);
  }

  /** The intern's tutorships with their tutor, oldest first. */
  tutorshipsOf(internId: string): Promise<Tutorship[]> {
    return this.db.manager().find(Tutorship, { where: { internId }, relations: { tutor: true }, order: { startedAt: 'ASC' } });
  }

  /**
   * The intern's traces an export of `scope` holds for a requester of this relation (the access
   * rule's `exportedTraceFilter`), in order of validation then creation; null when they may not
   * have it.
   */
  async exportedTracesOf(internId: string, relation: PortfolioRelation, scope: 'validated' | 'all'): Promise<Trace[] | null> {
    const statuses = exportedTraceFilter(relation, scope);
    if (!statuses) return null;
    return this.db.manager().find(Trace, {
      where: { internId, ...statuses },
      order: { validatedAt: { direction: 'ASC', nulls: 'LAST' }, createdAt: 'ASC' },
    });
  }

  /** The intern's assessments, oldest first. */
  assessmentsOf(internId: string): Promise<Assessment[]> {
    return this.db.manager().find(Assessment, { where: { internId }, order: { createdAt: 'ASC' } });
  }

  /** The mandatory sessions expecting the intern (their promotion and UPP, or everyone), of every phase, with their attendance. */
  mandatorySessionsOf(internId: string): Promise<(MandatorySessionRow & { phase: string })[]> {
    return this.db.query(
      `SELECT s.id, s.title, s.kind, s.phase, s.starts_at AS "startsAt", s.ends_at AS "endsAt", a.status AS attendance
         FROM teaching_session s JOIN app_user u ON u.id = $1
         LEFT JOIN teaching_attendance a ON a.session_id = s.id AND a.intern_id = $1
        WHERE ${sessionExpects('s', 'u')}
        ORDER BY s.starts_at, s.id`,
      [internId],
    );
  }

  /** The GEPT groups the intern belongs to, with their lead's name. */
  geptGroupsOf(internId: string): Promise<GeptGroupRow[]> {
    return this.db.query(
      `SELECT g.id, g.title, g.year, g.lead_id, l.first_name || ' ' || l.last_name AS lead
         FROM gept_group g JOIN gept_group_member m ON m.group_id = g.id AND m.intern_id = $1 JOIN app_user l ON l.id = g.lead_id
        ORDER BY g.year, g.title`,
      [internId],
    );
  }

  /** The meetings of these groups, with the intern's attendance. */
  geptMeetingsOf(groupIds: string[], internId: string): Promise<GeptMeetingRow[]> {
    if (!groupIds.length) return Promise.resolve([]);
    return this.db.query(
      `SELECT mt.group_id, mt.held_on::text AS held_on, mt.cases, a.present
         FROM gept_meeting mt LEFT JOIN gept_attendance a ON a.meeting_id = mt.id AND a.intern_id = $2
        WHERE mt.group_id = ANY ($1::uuid[]) ORDER BY mt.held_on, mt.id`,
      [groupIds, internId],
    );
  }

  /** The meetings of all the intern's tutorships, oldest first. */
  tutorMeetingsOf(internId: string): Promise<TutorMeetingRow[]> {
    return this.db.query(
      `SELECT m.held_on::text AS held_on, u.first_name || ' ' || u.last_name AS tutor, m.discussed, m.next_objectives, m.intern_confirmed_at, m.tutor_confirmed_at
         FROM tutor_meeting m JOIN tutorship t ON t.id = m.tutorship_id JOIN app_user u ON u.id = t.tutor_id
        WHERE t.intern_id = $1 ORDER BY m.held_on, m.created_at`,
      [internId],
    );
  }

  /** The intern's thesis with its director's name; null when none. */
  async thesisOf(internId: string): Promise<ThesisRow | null> {
    const [thesis] = await this.db.query<ThesisRow>(
      `SELECT t.id, t.subject, t.director_name, d.first_name || ' ' || d.last_name AS director_account
         FROM thesis t LEFT JOIN app_user d ON d.id = t.director_id WHERE t.intern_id = $1`,
      [internId],
    );
    return thesis ?? null;
  }

  /** The thesis's steps in order. */
  thesisSteps(thesisId: string): Promise<ThesisStepRow[]> {
    return this.db.query(`SELECT label, planned_on::text AS planned_on, done_on::text AS done_on, note FROM thesis_step WHERE thesis_id = $1 ORDER BY position`, [thesisId]);
  }
}
