import { Injectable } from '@nestjs/common';
import { offsetOf, PageRequest } from '../sql/paging';
import { Database, Tx } from './database';

export type PortfolioTransferStatus = 'pending' | 'accepted' | 'refused' | 'cancelled';

/** What a transfer moved (accepted), or would move (pending): the portfolio's counts. */
export interface PortfolioTransferCounts {
  traces: number;
  validatedTraces: number;
  attachments: number;
  assessments: number;
  stages: number;
  juryDecisions: number;
  tutorMeetings: number;
}

/** A `portfolio_transfer` row. */
export interface PortfolioTransferRow {
  id: string;
  from_faculty_id: string;
  to_faculty_id: string;
  from_intern_id: string;
  to_intern_id: string | null;
  intern_email: string;
  intern_name: string;
  status: PortfolioTransferStatus;
  released_at: Date;
  decided_at: Date | null;
  reason: string | null;
  moved: PortfolioTransferCounts | null;
}

/** A transfer as either of its faculties reads it: its faculties, the intern's promotion, its counts, and B's row of the intern while pending. */
export type PortfolioTransferViewRow = PortfolioTransferRow & {
  from_faculty: { id: string; code: string; name: string };
  to_faculty: { id: string; code: string; name: string };
  promotion: number | null;
  counts: PortfolioTransferCounts;
  candidate: string | null;
};

/** The rows a transfer lists: one direction, or both, of one status or any. */
export interface PortfolioTransferFilter {
  direction: 'outgoing' | 'incoming' | null;
  status: PortfolioTransferStatus | null;
}

/** The two interns' rows and the two faculties of an accepted transfer. */
export interface PortfolioTransferMove {
  fromIntern: string;
  toIntern: string;
  fromFaculty: string;
  toFaculty: string;
}

/** The portfolio's counts, live, for the intern row `$1` (what a pending transfer would move). */
const COUNTS_SQL = (intern: string) => `json_build_object(
  'traces', (SELECT count(*) FROM trace WHERE intern_id = ${intern})::int,
  'validatedTraces', (SELECT count(*) FROM trace WHERE intern_id = ${intern} AND status = 'validated')::int,
  'attachments', (SELECT count(*) FROM attachment a JOIN trace t ON t.id = a.trace_id WHERE t.intern_id = ${intern})::int,
  'assessments', (SELECT count(*) FROM assessment WHERE intern_id = ${intern})::int,
  'stages', (SELECT count(*) FROM stage WHERE intern_id = ${intern})::int,
  'juryDecisions', (SELECT count(*) FROM jury_decision WHERE intern_id = ${intern})::int,
  'tutorMeetings', (SELECT count(*) FROM tutor_meeting m JOIN tutorship s ON s.id = m.tutorship_id WHERE s.intern_id = ${intern})::int)`;

/** The transfers faculty `$1` may see, of direction `$2` and status `$3` (each null: any). */
const LISTED_SQL = [
  `CASE $2::text WHEN 'outgoing' THEN p.from_faculty_id = $1 WHEN 'incoming' THEN p.to_faculty_id = $1 ELSE $1 IN (p.from_faculty_id, p.to_faculty_id) END`,
  `($3::text IS NULL OR p.status = $3)`,
].join(' AND ');

/**
 * A portfolio that follows its intern to another faculty of the deployment (ADR 0007). Every
 * statement here runs as the system (the service's `Tenancy.asSystem`): a transfer concerns two
 * faculties, and its scope checks are written here against the caller's faculty.
 */
/**
 * The names of what a moved record came with, as the new faculty may show them: the faculties it
 * comes from, and people of those faculties (a validator, a tutor) as the transfer kept them.
 */
export interface NamesKeptAtMove {
  faculties: Record<string, string>;
  people: Record<string, string>;
}

@Injectable()
export class PortfolioTransferRepository {
  constructor(private readonly db: Database) {}

  /** The names of these faculties and of these people of another faculty (`portfolio_transfer_person`), in one statement. */
  async namesKeptAtMove(faculties: string[], people: string[], tx?: Tx): Promise<NamesKeptAtMove> {
    const [names] = await this.db.query<NamesKeptAtMove>(
      `SELECT coalesce((SELECT json_object_agg(id, name) FROM faculty WHERE id = ANY($1::uuid[])), '{}') AS faculties,
              coalesce((SELECT json_object_agg(user_id, display_name) FROM portfolio_transfer_person WHERE user_id = ANY($2::uuid[])), '{}') AS people`,
      [faculties, people],
      tx,
    );
    return names;
  }

  /** The active intern `internId` of `faculty`, locked for its release; undefined when there is none. */
  async lockInternToRelease(internId: string, faculty: string, tx?: Tx): Promise<{ id: string; email: string; name: string } | undefined> {
    const [intern] = await this.db.query<{ id: string; email: string; name: string }>(
      `SELECT id, email, first_name || ' ' || last_name AS name FROM app_user WHERE id = $1 AND faculty_id = $2 AND active AND 'intern' = ANY(roles) FOR UPDATE`,
      [internId, faculty],
      tx,
    );
    return intern;
  }

  /** A pending transfer; a second pending one of the same intern violates `portfolio_transfer_one_pending`. */
  async createPending(
    transfer: { fromFaculty: string; toFaculty: string; fromIntern: string; internEmail: string; internName: string; releasedBy: string },
    tx?: Tx,
  ): Promise<string> {
    const [created] = await this.db.query<{ id: string }>(
      `INSERT INTO portfolio_transfer (from_faculty_id, to_faculty_id, from_intern_id, intern_email, intern_name, released_by) VALUES ($1, $2, $3, $4, $5, $6) RETURNING id`,
      [transfer.fromFaculty, transfer.toFaculty, transfer.fromIntern, transfer.internEmail, transfer.internName, transfer.releasedBy],
      tx,
    );
    return created.id;
  }

  /** The transfer, locked for its decision, when `faculty` is one of its two; else undefined. */
  async lockVisible(id: string, faculty: string, tx?: Tx): Promise<PortfolioTransferRow | undefined> {
    const [transfer] = await this.db.query<PortfolioTransferRow>(`SELECT * FROM portfolio_transfer WHERE id = $1 AND $2 IN (from_faculty_id, to_faculty_id) FOR UPDATE`, [id, faculty], tx);
    return transfer;
  }

  /** The releasing faculty's row of the intern, locked: its address, and whether it still is an active intern. */
  async lockReleasedIntern(userId: string, tx?: Tx): Promise<{ id: string; email: string; intern: boolean }> {
    const [from] = await this.db.query<{ id: string; email: string; intern: boolean }>(
      `SELECT id, email, active AND 'intern' = ANY(roles) AS intern FROM app_user WHERE id = $1 FOR UPDATE`,
      [userId],
      tx,
    );
    return from;
  }

  /** The user `userId` of `faculty`, locked, with what says whether it is an active intern; undefined when there is none. */
  async lockUserOfFaculty(userId: string, faculty: string, tx?: Tx): Promise<{ id: string; email: string; active: boolean; roles: string[] } | undefined> {
    const [row] = await this.db.query<{ id: string; email: string; active: boolean; roles: string[] }>(
      `SELECT id, email, active, roles FROM app_user WHERE id = $1 AND faculty_id = $2 FOR UPDATE`,
      [userId, faculty],
      tx,
    );
    return row;
  }

  /** The active intern of `faculty` with the address `email`, locked; undefined when there is none. */
  async lockInternByEmail(faculty: string, email: string, tx?: Tx): Promise<{ id: string } | undefined> {
    const [row] = await this.db.query<{ id: string }>(`SELECT id FROM app_user WHERE faculty_id = $1 AND email = $2 AND active AND 'intern' = ANY(roles) FOR UPDATE`, [faculty, email], tx);
    return row;
  }

  /** How many exports of the intern's portfolio are queued or running. */
  async runningExportsOf(internId: string, tx?: Tx): Promise<number> {
    const [{ running }] = await this.db.query<{ running: number }>(`SELECT count(*)::int AS running FROM portfolio_export WHERE intern_id = $1 AND status IN ('queued', 'running')`, [internId], tx);
    return running;
  }

  /** How many theses the two intern rows have between them. */
  async thesesOf(firstIntern: string, secondIntern: string, tx?: Tx): Promise<number> {
    const [{ theses }] = await this.db.query<{ theses: number }>(`SELECT count(*)::int AS theses FROM thesis WHERE intern_id IN ($1, $2)`, [firstIntern, secondIntern], tx);
    return theses;
  }

  async markAccepted(id: string, toIntern: string, decidedBy: string, moved: PortfolioTransferCounts, tx?: Tx): Promise<void> {
    await this.db.query(
      `UPDATE portfolio_transfer SET status = 'accepted', to_intern_id = $2, decided_by = $3, decided_at = now(), moved = $4::jsonb WHERE id = $1`,
      [id, toIntern, decidedBy, JSON.stringify(moved)],
      tx,
    );
  }

  async markDecided(id: string, status: 'cancelled' | 'refused', decidedBy: string, reason: string | null, tx?: Tx): Promise<void> {
    await this.db.query(`UPDATE portfolio_transfer SET status = $2, decided_by = $3, decided_at = now(), reason = $4 WHERE id = $1`, [id, status, decidedBy, reason], tx);
  }

  /**
   * Names `faculty` as the transaction's (`carnet.faculty`, to the transaction's end or the next
   * call): what is written next, an audit entry, goes to its log. The system's transaction names
   * none; `null` names none again.
   */
  async actAsFaculty(faculty: string | null, tx: Tx): Promise<void> {
    if (faculty === null) await this.db.query(`SELECT set_config('carnet.faculty', '', true)`, [], tx);
    else await this.db.query(`SELECT set_config('carnet.faculty', $1, true)`, [faculty], tx);
  }

  /** The open faculties other than `faculty` (names and codes only). */
  destinationsFor(faculty: string): Promise<{ code: string; name: string }[]> {
    return this.db.query(`SELECT code, name FROM faculty WHERE active AND id <> $1 ORDER BY name, code`, [faculty]);
  }

  /** A page of `faculty`'s transfers, both ways (or one), newest first, and how many there are in all. */
  async listFor(faculty: string, filter: PortfolioTransferFilter, page: PageRequest): Promise<{ rows: PortfolioTransferViewRow[]; total: number }> {
    const params = [faculty, filter.direction, filter.status];
    const [{ total }] = await this.db.query<{ total: number }>(`SELECT count(*)::int AS total FROM portfolio_transfer p WHERE ${LISTED_SQL}`, params);
    const rows = await this.views(`WHERE ${LISTED_SQL} ORDER BY p.released_at DESC, p.id LIMIT ${Math.trunc(page.pageSize)} OFFSET ${offsetOf(page)}`, params);
    return { rows, total };
  }

  /** The transfer `id` when `faculty` is one of its two; else undefined. */
  async findFor(faculty: string, id: string): Promise<PortfolioTransferViewRow | undefined> {
    const [row] = await this.views(`WHERE p.id = $2 AND $1 IN (p.from_faculty_id, p.to_faculty_id)`, [faculty, id]);
    return row;
  }

  /** Transfers as faculty `$1` sees them (the rows `tail` picks, with its parameters after `$1`). */
  private views(tail: string, params: unknown[]): Promise<PortfolioTransferViewRow[]> {
    return this.db.query<PortfolioTransferViewRow>(
      `SELECT p.*, json_build_object('id', f.id, 'code', f.code, 'name', f.name) AS from_faculty, json_build_object('id', t.id, 'code', t.code, 'name', t.name) AS to_faculty,
              (SELECT u.promotion FROM app_user u WHERE u.id = p.from_intern_id) AS promotion,
              CASE WHEN p.status = 'accepted' THEN p.moved::json ELSE ${COUNTS_SQL('p.from_intern_id')} END AS counts,
              CASE WHEN p.status = 'pending' THEN (SELECT u.id FROM app_user u WHERE u.faculty_id = p.to_faculty_id AND u.email = p.intern_email AND u.active AND 'intern' = ANY(u.roles)) END AS candidate
         FROM portfolio_transfer p JOIN faculty f ON f.id = p.from_faculty_id JOIN faculty t ON t.id = p.to_faculty_id ${tail}`,
      params,
    );
  }

  /**
   * Moves the portfolio of `fromIntern` (faculty `fromFaculty`) onto `toIntern` (faculty
   * `toFaculty`). Every row about the intern takes the new faculty, and the intern's old row is
   * replaced by the new one wherever it is named; the old faculty's people stay named (history),
   * their names kept in the new faculty, and what gave them access to the portfolio (reviews,
   * jury rosters, live links) is dropped or ended. The old row is then closed. Returns what
   * moved, and the storage keys of the old faculty's exports of the portfolio (deleted here:
   * their files are the caller's to delete once committed).
   */
  async movePortfolio(ids: PortfolioTransferMove, tx: Tx): Promise<{ counts: PortfolioTransferCounts; storageKeys: string[] }> {
    const { fromIntern, toIntern, fromFaculty, toFaculty } = ids;
    const query = <T>(sql: string, params: unknown[] = []) => this.db.query<T>(sql, params, tx);
    const run = async (sql: string, params: unknown[] = []): Promise<number> => {
      const [{ n }] = await query<{ n: number }>(`WITH changed AS (${sql} RETURNING 1) SELECT count(*)::int AS n FROM changed`, params);
      return n;
    };
    const idsOf = async (sql: string, params: unknown[]): Promise<string[]> => (await query<{ id: string }>(sql, params)).map((row) => row.id);
    // The rows, locked: an autosave of a draft waits for the move, then finds the trace gone from its faculty.
    const traces = await idsOf(`SELECT id FROM trace WHERE intern_id = $1 ORDER BY id FOR UPDATE`, [fromIntern]);
    const stages = await idsOf(`SELECT id FROM stage WHERE intern_id = $1 FOR UPDATE`, [fromIntern]);
    const tutorships = await idsOf(`SELECT id FROM tutorship WHERE intern_id = $1 FOR UPDATE`, [fromIntern]);
    const assessments = await idsOf(`SELECT id FROM assessment WHERE intern_id = $1 FOR UPDATE`, [fromIntern]);
    const theses = await idsOf(`SELECT id FROM thesis WHERE intern_id = $1 FOR UPDATE`, [fromIntern]);
    const swap = (column: string) => `${column} = CASE WHEN ${column} = $3 THEN $4::uuid ELSE ${column} END`;
    const p = (list: string[]) => [toFaculty, list, fromIntern, toIntern];

    // The other faculties' people the portfolio names (the old one's, and those of an earlier move):
    // their names as they were, the new faculty's to read.
    await query(
      `INSERT INTO portfolio_transfer_person (faculty_id, user_id, origin_faculty_id, display_name)
       SELECT $1, u.id, u.faculty_id, u.first_name || ' ' || u.last_name FROM app_user u
        WHERE u.faculty_id <> $1 AND u.id <> $2 AND u.id IN (
          SELECT validated_by FROM trace WHERE id = ANY($3)
          UNION SELECT author_id FROM trace_comment WHERE trace_id = ANY($3)
          UNION SELECT resolved_by FROM trace_comment WHERE trace_id = ANY($3)
          UNION SELECT created_by FROM trace_revision WHERE trace_id = ANY($3)
          UNION SELECT tutor_id FROM assessment WHERE intern_id = $2
          UNION SELECT member_id FROM jury_decision WHERE intern_id = $2
          UNION SELECT tutor_id FROM tutorship WHERE intern_id = $2
          UNION SELECT created_by FROM tutor_meeting WHERE tutorship_id = ANY($4)
          UNION SELECT tutor_id FROM stage_supervisor WHERE stage_id = ANY($5)
          UNION SELECT recorded_by FROM stage_phase WHERE stage_id = ANY($5)
          UNION SELECT author_id FROM stage_evaluation WHERE stage_id = ANY($5)
          UNION SELECT director_id FROM thesis WHERE intern_id = $2
          UNION SELECT author_id FROM thesis_comment WHERE thesis_id = ANY($6))
       ON CONFLICT (faculty_id, user_id) DO NOTHING`,
      [toFaculty, fromIntern, traces, tutorships, stages, theses],
    );

    // Traces and everything under them. Reviewers' read rights and others' read marks were the old faculty's.
    await query(`DELETE FROM trace_reviewer WHERE trace_id = ANY($1)`, [traces]);
    await query(`DELETE FROM trace_read WHERE trace_id = ANY($1) AND user_id <> $2`, [traces, fromIntern]);
    await run(`UPDATE trace_read SET faculty_id = $1, user_id = $4 WHERE trace_id = ANY($2) AND user_id = $3`, p(traces));
    await run(`UPDATE trace_revision SET faculty_id = $1, ${swap('created_by')} WHERE trace_id = ANY($2)`, p(traces));
    await run(`UPDATE trace_comment SET faculty_id = $1, ${swap('author_id')}, ${swap('resolved_by')} WHERE trace_id = ANY($2)`, p(traces));
    const attachments = await run(`UPDATE attachment SET faculty_id = $1, ${swap('uploaded_by')} WHERE trace_id = ANY($2)`, p(traces));
    await run(`UPDATE attachment_scan SET faculty_id = $1 WHERE attachment_id IN (SELECT id FROM attachment WHERE trace_id = ANY($2))`, [toFaculty, traces]);
    // A trace imported from another Carnet keeps its record of where it came from (the import itself stays the old faculty's history).
    await run(`UPDATE portfolio_import_trace SET faculty_id = $1 WHERE trace_id = ANY($2)`, [toFaculty, traces]);
    // A GEPT meeting is its group's, which stays: the trace no longer names it.
    const movedTraces = await run(
      `UPDATE trace SET faculty_id = $1, intern_id = $4, origin_faculty_id = coalesce(origin_faculty_id, $5), gept_meeting_id = NULL WHERE id = ANY($2) AND intern_id = $3`,
      [...p(traces), fromFaculty],
    );
    const validatedTraces = traces.length ? (await query<{ n: number }>(`SELECT count(*)::int AS n FROM trace WHERE id = ANY($1) AND status = 'validated'`, [traces]))[0].n : 0;

    // Assessments, with their history.
    await run(`UPDATE assessment_revision SET faculty_id = $1 WHERE assessment_id = ANY($2)`, [toFaculty, assessments]);
    const movedAssessments = await run(`UPDATE assessment SET faculty_id = $1, intern_id = $4, origin_faculty_id = coalesce(origin_faculty_id, $5) WHERE id = ANY($2) AND intern_id = $3`, [
      ...p(assessments),
      fromFaculty,
    ]);

    // Tutorships end (their tutors are the old faculty's) and move as history, with their meetings.
    const tutorMeetings = await run(`UPDATE tutor_meeting SET faculty_id = $1, ${swap('created_by')} WHERE tutorship_id = ANY($2)`, p(tutorships));
    await run(
      `UPDATE tutorship SET faculty_id = $1, intern_id = $4, origin_faculty_id = coalesce(origin_faculty_id, $5),
              ended_at = coalesce(ended_at, now()), end_reason = coalesce(end_reason, 'Portfolio transféré dans une autre faculté')
        WHERE id = ANY($2) AND intern_id = $3`,
      [...p(tutorships), fromFaculty],
    );

    // Stages and what hangs on them; a live evaluation link is revoked (the new faculty reissues one if it wants).
    // The intern's anonymous answer about the place stays the old faculty's, with the place named
    // (migration 39): moved, it would leave the old faculty's per-place summary, naming its author.
    await run(`UPDATE stage_feedback f SET place = s.place FROM stage s WHERE s.id = f.stage_id AND f.stage_id = ANY($1)`, [stages]);
    for (const table of ['stage_phase', 'stage_supervisor', 'stage_evaluation']) {
      await run(`UPDATE ${table} SET faculty_id = $1 WHERE stage_id = ANY($2)`, [toFaculty, stages]);
    }
    await run(`UPDATE stage_difficulty SET faculty_id = $1, ${swap('reporter_id')} WHERE stage_id = ANY($2)`, p(stages));
    await run(`UPDATE stage_evaluation_link SET faculty_id = $1, revoked_at = CASE WHEN used_at IS NULL AND revoked_at IS NULL THEN now() ELSE revoked_at END WHERE stage_id = ANY($2)`, [toFaculty, stages]);
    const movedStages = await run(`UPDATE stage SET faculty_id = $1, intern_id = $4, origin_faculty_id = coalesce(origin_faculty_id, $5) WHERE id = ANY($2) AND intern_id = $3`, [...p(stages), fromFaculty]);

    // Jury decisions: their sessions are the old faculty's (other interns, its members), so each
    // decision takes a closed copy of its session in the new faculty, and the old rosters drop the intern.
    const sessions = await query<{
      id: string;
      title: string;
      phase: string;
      opens_at: Date;
      closes_at: Date;
      created_by: string;
      created_at: Date;
    }>(`SELECT DISTINCT s.* FROM jury_session s JOIN jury_decision d ON d.session_id = s.id WHERE d.intern_id = $1`, [fromIntern]);
    let juryDecisions = 0;
    for (const session of sessions) {
      const [copy] = await query<{ id: string }>(
        `INSERT INTO jury_session (title, phase, opens_at, closes_at, created_by, created_at, faculty_id, origin_faculty_id)
         VALUES ($1, $2, $3, least($4::timestamptz, now()), $5, $6, $7, coalesce((SELECT origin_faculty_id FROM jury_session WHERE id = $9), $8)) RETURNING id`,
        [session.title, session.phase, session.opens_at, session.closes_at, session.created_by, session.created_at, toFaculty, fromFaculty, session.id],
      );
      await query(`INSERT INTO jury_intern (session_id, intern_id, faculty_id) VALUES ($1, $2, $3)`, [copy.id, toIntern, toFaculty]);
      juryDecisions += await run(`UPDATE jury_decision SET faculty_id = $1, intern_id = $3, session_id = $4 WHERE session_id = $5 AND intern_id = $2`, [toFaculty, fromIntern, toIntern, copy.id, session.id]);
    }
    await query(`DELETE FROM jury_intern WHERE intern_id = $1`, [fromIntern]);

    // The thesis, its steps, documents and comments; a live director link is revoked.
    for (const table of ['thesis_step', 'thesis_comment', 'thesis_director_link']) await run(`UPDATE ${table} SET faculty_id = $1 WHERE thesis_id = ANY($2)`, [toFaculty, theses]);
    await query(`UPDATE thesis_comment SET author_id = $2 WHERE thesis_id = ANY($1) AND author_id = $3`, [theses, toIntern, fromIntern]);
    await query(`UPDATE thesis_director_link SET revoked_at = now() WHERE thesis_id = ANY($1) AND used_at IS NULL AND revoked_at IS NULL`, [theses]);
    await run(`UPDATE thesis_document SET faculty_id = $1, ${swap('uploaded_by')} WHERE step_id IN (SELECT id FROM thesis_step WHERE thesis_id = ANY($2))`, p(theses));
    await run(`UPDATE thesis SET faculty_id = $1, intern_id = $4 WHERE id = ANY($2) AND intern_id = $3`, p(theses));

    // The old faculty's exports of the portfolio would outlive the move: gone, files after commit.
    const storageKeys = (await query<{ storage_key: string | null }>(`DELETE FROM portfolio_export WHERE intern_id = $1 RETURNING storage_key`, [fromIntern]))
      .map((row) => row.storage_key)
      .filter((key): key is string => key !== null);

    // The old row: no longer an intern there. Closed when that was all it was, and signed out.
    await query(
      `UPDATE app_user SET active = active AND roles <> ARRAY['intern']::text[], roles = CASE WHEN roles = ARRAY['intern']::text[] THEN roles ELSE array_remove(roles, 'intern') END, updated_at = now() WHERE id = $1`,
      [fromIntern],
    );
    await query(`UPDATE session SET revoked_at = now() WHERE user_id = $1 AND revoked_at IS NULL`, [fromIntern]);

    return {
      counts: { traces: movedTraces, validatedTraces, attachments, assessments: movedAssessments, stages: movedStages, juryDecisions, tutorMeetings },
      storageKeys,
    };
  }
}
