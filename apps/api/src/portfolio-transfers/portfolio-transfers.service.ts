import { Inject, Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import type { PortfolioTransferView } from '@carnet/contracts';
import { Tenancy } from '@carnet/database';
import { DomainError, ErrorCode, notFound } from '@carnet/domain';
import { STORAGE_DRIVER, StorageDriver } from '@carnet/storage';
import { AuditRecord, AuditService } from '../audit/audit.service';
import type { AuthContext } from '../auth/auth-context';
import { isUniqueViolation } from '../common/database-errors';
import { offsetOf, Page, pageOf } from '../common/paging';
import type { AcceptPortfolioBody, ListPortfolioTransfersQuery, ReleasePortfolioBody } from './portfolio-transfers.dto';

interface TransferRow {
  id: string;
  from_faculty_id: string;
  to_faculty_id: string;
  from_intern_id: string;
  to_intern_id: string | null;
  intern_email: string;
  intern_name: string;
  status: PortfolioTransferView['status'];
  released_at: Date;
  decided_at: Date | null;
  reason: string | null;
  moved: PortfolioTransferView['counts'] | null;
}

type Counts = PortfolioTransferView['counts'];

/** The portfolio's counts, live, for the intern row `$1` (what a pending transfer would move). */
const COUNTS_SQL = (intern: string) => `json_build_object(
  'traces', (SELECT count(*) FROM trace WHERE intern_id = ${intern})::int,
  'validatedTraces', (SELECT count(*) FROM trace WHERE intern_id = ${intern} AND status = 'validated')::int,
  'attachments', (SELECT count(*) FROM attachment a JOIN trace t ON t.id = a.trace_id WHERE t.intern_id = ${intern})::int,
  'assessments', (SELECT count(*) FROM assessment WHERE intern_id = ${intern})::int,
  'stages', (SELECT count(*) FROM stage WHERE intern_id = ${intern})::int,
  'juryDecisions', (SELECT count(*) FROM jury_decision WHERE intern_id = ${intern})::int,
  'tutorMeetings', (SELECT count(*) FROM tutor_meeting m JOIN tutorship s ON s.id = m.tutorship_id WHERE s.intern_id = ${intern})::int)`;

/**
 * A portfolio that follows its intern to another faculty of the deployment (ADR 0007).
 *
 * A transfer concerns two faculties, and accepting it moves rows that no request's scope may
 * both see and write: every step runs as the system (`Tenancy.asSystem`), like the operator's
 * counts, with its scope checks written here against the caller's faculty. Nothing here returns
 * a portfolio's content: the admins see names, addresses and counts.
 */
@Injectable()
export class PortfolioTransfersService {
  private readonly logger = new Logger(PortfolioTransfersService.name);

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @Inject(STORAGE_DRIVER) private readonly storage: StorageDriver,
    private readonly audit: AuditService,
  ) {}

  /** The caller's faculty releases its intern's portfolio to the faculty `toFacultyCode`: a pending transfer. */
  async release(auth: AuthContext, body: ReleasePortfolioBody): Promise<PortfolioTransferView> {
    const from = this.facultyOf(auth);
    const id = await Tenancy.asSystem(() =>
      this.dataSource.transaction(async (manager) => {
        const [intern] = (await manager.query(
          `SELECT id, email, first_name || ' ' || last_name AS name FROM app_user WHERE id = $1 AND faculty_id = $2 AND active AND 'intern' = ANY(roles) FOR UPDATE`,
          [body.internId, from],
        )) as { id: string; email: string; name: string }[];
        if (!intern) throw notFound('Interne');
        const [to] = (await manager.query(`SELECT id, name, active FROM faculty WHERE code = $1`, [body.toFacultyCode])) as { id: string; name: string; active: boolean }[];
        const refuse = (message: string) => new DomainError(ErrorCode.InvalidInput, message, [{ path: 'toFacultyCode', message }]);
        if (!to) throw refuse(`Aucune faculté n’a le code « ${body.toFacultyCode} ».`);
        if (to.id === from) throw refuse('Le portfolio est déjà dans votre faculté.');
        if (!to.active) throw refuse(`La faculté « ${to.name} » est fermée : elle ne peut pas recevoir de portfolio.`);
        let created: { id: string };
        try {
          [created] = (await manager.query(
            `INSERT INTO portfolio_transfer (from_faculty_id, to_faculty_id, from_intern_id, intern_email, intern_name, released_by) VALUES ($1, $2, $3, $4, $5, $6) RETURNING id`,
            [from, to.id, intern.id, intern.email, intern.name, auth.userId],
          )) as { id: string }[];
        } catch (error) {
          if (isUniqueViolation(error, 'portfolio_transfer_one_pending')) throw new DomainError(ErrorCode.Conflict, 'Ce portfolio est déjà proposé à une faculté : annulez ce transfert d’abord.');
          throw error;
        }
        const record = { action: 'portfolio.transfer.released', subjectType: 'portfolio_transfer', subjectId: created.id, details: { internEmail: intern.email, fromFacultyId: from, toFacultyId: to.id } };
        await this.recordIn(manager, from, auth, record);
        await this.recordIn(manager, to.id, auth, record);
        return created.id;
      }),
    );
    return this.one(auth, id);
  }

  /** The releasing faculty withdraws a transfer still pending. */
  async cancel(auth: AuthContext, id: string): Promise<PortfolioTransferView> {
    await this.decide(auth, id, 'from', 'cancelled', null);
    return this.one(auth, id);
  }

  /** The receiving faculty declines: the portfolio stays where it is. */
  async refuse(auth: AuthContext, id: string, reason: string | null): Promise<PortfolioTransferView> {
    await this.decide(auth, id, 'to', 'refused', reason);
    return this.one(auth, id);
  }

  /**
   * The receiving faculty takes the portfolio onto its row of the same person, in one
   * transaction that first takes the transfer's row lock: of two accepts, or an accept and a
   * cancel, sent together, the second finds it decided (409) and nothing moves twice.
   */
  async accept(auth: AuthContext, id: string, body: AcceptPortfolioBody): Promise<PortfolioTransferView> {
    const mine = this.facultyOf(auth);
    const storageKeys = await Tenancy.asSystem(() =>
      this.dataSource.transaction(async (manager) => {
        const transfer = await this.lockVisible(manager, mine, id);
        if (transfer.to_faculty_id !== mine) throw new DomainError(ErrorCode.Forbidden, 'Seule la faculté qui reçoit le portfolio peut l’accepter.');
        if (transfer.status !== 'pending') throw this.alreadyDecided(transfer);
        const [from] = (await manager.query(`SELECT id, email, active AND 'intern' = ANY(roles) AS intern FROM app_user WHERE id = $1 FOR UPDATE`, [transfer.from_intern_id])) as { id: string; email: string; intern: boolean }[];
        // The person B was offered (the address shown with the offer), and only while A's row still is that intern:
        // an address changed since the release must not pour the portfolio onto whoever holds it in B.
        if (from.email !== transfer.intern_email || !from.intern) {
          throw new DomainError(ErrorCode.Conflict, 'Le compte de l’interne a changé dans la faculté d’origine depuis la proposition : elle doit annuler ce transfert et le proposer à nouveau.');
        }
        const target = await this.receivingIntern(manager, mine, transfer.intern_email, body.internId);
        const [{ running }] = (await manager.query(`SELECT count(*)::int AS running FROM portfolio_export WHERE intern_id = $1 AND status IN ('queued', 'running')`, [from.id])) as { running: number }[];
        if (running) throw new DomainError(ErrorCode.Conflict, 'Un export de ce portfolio est en cours dans la faculté d’origine : réessayez quand il sera terminé.');
        const [{ theses }] = (await manager.query(`SELECT count(*)::int AS theses FROM thesis WHERE intern_id IN ($1, $2)`, [from.id, target.id])) as { theses: number }[];
        if (theses > 1) throw new DomainError(ErrorCode.Conflict, 'L’interne a déjà une thèse déclarée dans votre faculté : les deux ne peuvent pas être fusionnées.');

        const { counts, storageKeys } = await this.move(manager, { fromIntern: from.id, toIntern: target.id, fromFaculty: transfer.from_faculty_id, toFaculty: mine });
        await manager.query(
          `UPDATE portfolio_transfer SET status = 'accepted', to_intern_id = $2, decided_by = $3, decided_at = now(), moved = $4::jsonb WHERE id = $1`,
          [id, target.id, auth.userId, JSON.stringify(counts)],
        );
        const record = { action: 'portfolio.transfer.accepted', subjectType: 'portfolio_transfer', subjectId: id, details: { internEmail: from.email, fromFacultyId: transfer.from_faculty_id, toFacultyId: mine, moved: counts } };
        await this.recordIn(manager, transfer.from_faculty_id, auth, record);
        await this.recordIn(manager, mine, auth, record);
        return storageKeys;
      }),
    );
    // The old faculty's exports of the portfolio went with the move: their files too, once committed.
    await Promise.all(storageKeys.map((key) => this.storage.delete(key).catch((error) => this.logger.warn(`Export file ${key} not deleted: ${String(error)}`))));
    return this.one(auth, id);
  }

  /** The open faculties a portfolio may go to (names and codes only, which the jury's « validé à » shows anyway). */
  async destinations(auth: AuthContext): Promise<{ code: string; name: string }[]> {
    const mine = this.facultyOf(auth);
    return Tenancy.asSystem(() => this.dataSource.query(`SELECT code, name FROM faculty WHERE active AND id <> $1 ORDER BY name, code`, [mine]));
  }

  /** The caller's faculty's transfers, both ways (or one), newest first. */
  async list(auth: AuthContext, query: ListPortfolioTransfersQuery): Promise<Page<PortfolioTransferView>> {
    const mine = this.facultyOf(auth);
    return Tenancy.asSystem(async () => {
      const where = [`CASE $2::text WHEN 'outgoing' THEN p.from_faculty_id = $1 WHEN 'incoming' THEN p.to_faculty_id = $1 ELSE $1 IN (p.from_faculty_id, p.to_faculty_id) END`, `($3::text IS NULL OR p.status = $3)`];
      const params = [mine, query.direction ?? null, query.status ?? null];
      const [{ total }] = (await this.dataSource.query(`SELECT count(*)::int AS total FROM portfolio_transfer p WHERE ${where.join(' AND ')}`, params)) as { total: number }[];
      const rows = await this.views(mine, `WHERE ${where.join(' AND ')} ORDER BY p.released_at DESC, p.id LIMIT ${Math.trunc(query.pageSize)} OFFSET ${offsetOf(query)}`, params);
      return pageOf(rows, total, query);
    });
  }

  private async one(auth: AuthContext, id: string): Promise<PortfolioTransferView> {
    const mine = this.facultyOf(auth);
    const [view] = await Tenancy.asSystem(() => this.views(mine, `WHERE p.id = $2 AND $1 IN (p.from_faculty_id, p.to_faculty_id)`, [mine, id]));
    if (!view) throw notFound('Transfert');
    return view;
  }

  /** Transfers as faculty `$1` sees them (the rows `tail` picks, with its parameters after `$1`). */
  private async views(mine: string, tail: string, params: unknown[]): Promise<PortfolioTransferView[]> {
    const rows = (await this.dataSource.query(
      `SELECT p.*, json_build_object('id', f.id, 'code', f.code, 'name', f.name) AS from_faculty, json_build_object('id', t.id, 'code', t.code, 'name', t.name) AS to_faculty,
              (SELECT u.promotion FROM app_user u WHERE u.id = p.from_intern_id) AS promotion,
              CASE WHEN p.status = 'accepted' THEN p.moved::json ELSE ${COUNTS_SQL('p.from_intern_id')} END AS counts,
              CASE WHEN p.status = 'pending' THEN (SELECT u.id FROM app_user u WHERE u.faculty_id = p.to_faculty_id AND u.email = p.intern_email AND u.active AND 'intern' = ANY(u.roles)) END AS candidate
         FROM portfolio_transfer p JOIN faculty f ON f.id = p.from_faculty_id JOIN faculty t ON t.id = p.to_faculty_id ${tail}`,
      params,
    )) as (TransferRow & { from_faculty: PortfolioTransferView['fromFaculty']; to_faculty: PortfolioTransferView['toFaculty']; promotion: number | null; counts: Counts; candidate: string | null })[];
    return rows.map((row) => {
      const outgoing = row.from_faculty_id === mine;
      const view: PortfolioTransferView = {
        id: row.id,
        direction: outgoing ? 'outgoing' : 'incoming',
        status: row.status,
        fromFaculty: row.from_faculty,
        toFaculty: row.to_faculty,
        intern: { displayName: row.intern_name, email: row.intern_email, promotion: row.promotion },
        counts: row.counts,
        releasedAt: new Date(row.released_at).toISOString(),
        decidedAt: row.decided_at ? new Date(row.decided_at).toISOString() : null,
        reason: row.reason,
      };
      // Each faculty learns its own rows' ids only.
      if (outgoing) view.fromInternId = row.from_intern_id;
      else view.toInternId = row.status === 'pending' ? row.candidate : row.to_intern_id;
      return view;
    });
  }

  private async decide(auth: AuthContext, id: string, side: 'from' | 'to', status: 'cancelled' | 'refused', reason: string | null): Promise<void> {
    const mine = this.facultyOf(auth);
    await Tenancy.asSystem(() =>
      this.dataSource.transaction(async (manager) => {
        const transfer = await this.lockVisible(manager, mine, id);
        const own = side === 'from' ? transfer.from_faculty_id : transfer.to_faculty_id;
        if (own !== mine) {
          throw new DomainError(ErrorCode.Forbidden, side === 'from' ? 'Seule la faculté d’origine peut annuler ce transfert.' : 'Seule la faculté qui reçoit le portfolio peut le refuser.');
        }
        if (transfer.status !== 'pending') throw this.alreadyDecided(transfer);
        await manager.query(`UPDATE portfolio_transfer SET status = $2, decided_by = $3, decided_at = now(), reason = $4 WHERE id = $1`, [id, status, auth.userId, reason?.trim() || null]);
        const record = { action: `portfolio.transfer.${status}`, subjectType: 'portfolio_transfer', subjectId: id, details: { internEmail: transfer.intern_email, fromFacultyId: transfer.from_faculty_id, toFacultyId: transfer.to_faculty_id } };
        await this.recordIn(manager, transfer.from_faculty_id, auth, record);
        await this.recordIn(manager, transfer.to_faculty_id, auth, record);
      }),
    );
  }

  /** The transfer, locked for its decision, when the caller's faculty is one of its two; else 404. */
  private async lockVisible(manager: EntityManager, mine: string, id: string): Promise<TransferRow> {
    const [transfer] = (await manager.query(`SELECT * FROM portfolio_transfer WHERE id = $1 AND $2 IN (from_faculty_id, to_faculty_id) FOR UPDATE`, [id, mine])) as TransferRow[];
    if (!transfer) throw notFound('Transfert');
    return transfer;
  }

  private alreadyDecided(transfer: TransferRow): DomainError {
    const how = { accepted: 'accepté', refused: 'refusé', cancelled: 'annulé', pending: 'en attente' }[transfer.status];
    return new DomainError(ErrorCode.Conflict, `Ce transfert a déjà été ${how}.`);
  }

  /**
   * The receiving faculty's row of the same person: the one named (which must have the same
   * e-mail), or the one found by e-mail. An admin cannot pour a portfolio onto someone else.
   */
  private async receivingIntern(manager: EntityManager, faculty: string, email: string, named?: string): Promise<{ id: string }> {
    if (named) {
      const [row] = (await manager.query(`SELECT id, email, active, roles FROM app_user WHERE id = $1 AND faculty_id = $2 FOR UPDATE`, [named, faculty])) as { id: string; email: string; active: boolean; roles: string[] }[];
      if (!row) throw notFound('Interne');
      const refuse = (message: string) => new DomainError(ErrorCode.InvalidInput, message, [{ path: 'internId', message }]);
      if (row.email !== email) throw refuse('Cet interne n’est pas la personne dont le portfolio est transféré (adresses e-mail différentes).');
      if (!row.active || !row.roles.includes('intern')) throw refuse('Ce compte n’est pas un interne actif de votre faculté.');
      return row;
    }
    const [row] = (await manager.query(`SELECT id FROM app_user WHERE faculty_id = $1 AND email = $2 AND active AND 'intern' = ANY(roles) FOR UPDATE`, [faculty, email])) as { id: string }[];
    if (!row) throw new DomainError(ErrorCode.Conflict, `Aucun interne actif de votre faculté n’a l’adresse ${email} : créez-le ou importez-le, puis acceptez le transfert.`);
    return row;
  }

  /**
   * Moves the portfolio of `fromIntern` (faculty `fromFaculty`) onto `toIntern` (faculty
   * `toFaculty`). Every row about the intern takes the new faculty, and the intern's old row is
   * replaced by the new one wherever it is named; the old faculty's people stay named (history),
   * their names kept in the new faculty, and what gave them access to the portfolio (reviews,
   * jury rosters, live links) is dropped or ended. The old row is then closed.
   */
  private async move(manager: EntityManager, ids: { fromIntern: string; toIntern: string; fromFaculty: string; toFaculty: string }): Promise<{ counts: Counts; storageKeys: string[] }> {
    const { fromIntern, toIntern, fromFaculty, toFaculty } = ids;
    const run = async (sql: string, params: unknown[] = []): Promise<number> => {
      const [{ n }] = (await manager.query(`WITH changed AS (${sql} RETURNING 1) SELECT count(*)::int AS n FROM changed`, params)) as { n: number }[];
      return n;
    };
    const idsOf = async (sql: string, params: unknown[]): Promise<string[]> => ((await manager.query(sql, params)) as { id: string }[]).map((row) => row.id);
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
    await manager.query(
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
    await manager.query(`DELETE FROM trace_reviewer WHERE trace_id = ANY($1)`, [traces]);
    await manager.query(`DELETE FROM trace_read WHERE trace_id = ANY($1) AND user_id <> $2`, [traces, fromIntern]);
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
    const validatedTraces = traces.length ? ((await manager.query(`SELECT count(*)::int AS n FROM trace WHERE id = ANY($1) AND status = 'validated'`, [traces])) as { n: number }[])[0].n : 0;

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
    const sessions = (await manager.query(`SELECT DISTINCT s.* FROM jury_session s JOIN jury_decision d ON d.session_id = s.id WHERE d.intern_id = $1`, [fromIntern])) as {
      id: string;
      title: string;
      phase: string;
      opens_at: Date;
      closes_at: Date;
      created_by: string;
      created_at: Date;
    }[];
    let juryDecisions = 0;
    for (const session of sessions) {
      const [copy] = (await manager.query(
        `INSERT INTO jury_session (title, phase, opens_at, closes_at, created_by, created_at, faculty_id, origin_faculty_id)
         VALUES ($1, $2, $3, least($4::timestamptz, now()), $5, $6, $7, coalesce((SELECT origin_faculty_id FROM jury_session WHERE id = $9), $8)) RETURNING id`,
        [session.title, session.phase, session.opens_at, session.closes_at, session.created_by, session.created_at, toFaculty, fromFaculty, session.id],
      )) as { id: string }[];
      await manager.query(`INSERT INTO jury_intern (session_id, intern_id, faculty_id) VALUES ($1, $2, $3)`, [copy.id, toIntern, toFaculty]);
      juryDecisions += await run(`UPDATE jury_decision SET faculty_id = $1, intern_id = $3, session_id = $4 WHERE session_id = $5 AND intern_id = $2`, [toFaculty, fromIntern, toIntern, copy.id, session.id]);
    }
    await manager.query(`DELETE FROM jury_intern WHERE intern_id = $1`, [fromIntern]);

    // The thesis, its steps, documents and comments; a live director link is revoked.
    for (const table of ['thesis_step', 'thesis_comment', 'thesis_director_link']) await run(`UPDATE ${table} SET faculty_id = $1 WHERE thesis_id = ANY($2)`, [toFaculty, theses]);
    await manager.query(`UPDATE thesis_comment SET author_id = $2 WHERE thesis_id = ANY($1) AND author_id = $3`, [theses, toIntern, fromIntern]);
    await manager.query(`UPDATE thesis_director_link SET revoked_at = now() WHERE thesis_id = ANY($1) AND used_at IS NULL AND revoked_at IS NULL`, [theses]);
    await run(`UPDATE thesis_document SET faculty_id = $1, ${swap('uploaded_by')} WHERE step_id IN (SELECT id FROM thesis_step WHERE thesis_id = ANY($2))`, p(theses));
    await run(`UPDATE thesis SET faculty_id = $1, intern_id = $4 WHERE id = ANY($2) AND intern_id = $3`, p(theses));

    // The old faculty's exports of the portfolio would outlive the move: gone, files after commit.
    const storageKeys = ((await manager.query(`DELETE FROM portfolio_export WHERE intern_id = $1 RETURNING storage_key`, [fromIntern])) as { storage_key: string | null }[])
      .map((row) => row.storage_key)
      .filter((key): key is string => key !== null);

    // The old row: no longer an intern there. Closed when that was all it was, and signed out.
    await manager.query(
      `UPDATE app_user SET active = active AND roles <> ARRAY['intern']::text[], roles = CASE WHEN roles = ARRAY['intern']::text[] THEN roles ELSE array_remove(roles, 'intern') END, updated_at = now() WHERE id = $1`,
      [fromIntern],
    );
    await manager.query(`UPDATE session SET revoked_at = now() WHERE user_id = $1 AND revoked_at IS NULL`, [fromIntern]);

    return {
      counts: { traces: movedTraces, validatedTraces, attachments, assessments: movedAssessments, stages: movedStages, juryDecisions, tutorMeetings },
      storageKeys,
    };
  }

  /** An audit entry in `faculty`'s log, inside the system's transaction (whose scope names no faculty). */
  private async recordIn(manager: EntityManager, faculty: string, auth: AuthContext, record: AuditRecord): Promise<void> {
    await manager.query(`SELECT set_config('carnet.faculty', $1, true)`, [faculty]);
    await this.audit.record(auth, record, manager);
    await manager.query(`SELECT set_config('carnet.faculty', '', true)`);
  }

  private facultyOf(auth: AuthContext): string {
    if (!auth.facultyId) throw notFound('Faculté');
    return auth.facultyId;
  }
}
