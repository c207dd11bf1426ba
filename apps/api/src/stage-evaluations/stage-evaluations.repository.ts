import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { Tenancy } from '@carnet/database';
import type { FeedbackAnswer, FeedbackInput, EvaluationInput } from '@carnet/domain';

export interface StageRow {
  id: string;
  facultyId: string;
  internId: string;
  kind: string;
  semester: number;
  place: string;
  startsOn: string;
  endsOn: string;
}

export interface LinkRow {
  id: string;
  facultyId: string;
  stageId: string;
  evaluatorName: string;
  evaluatorEmail: string;
  createdAt: Date;
  expiresAt: Date;
  usedAt: Date | null;
  revokedAt: Date | null;
}

export interface EvaluationRow {
  id: string;
  stageId: string;
  authorId: string | null;
  linkId: string | null;
  evaluatorName: string;
  levels: Record<string, string>;
  comment: string;
  validationProposed: boolean;
  submittedAt: Date;
}

const STAGE = `s.id, s.faculty_id AS "facultyId", s.intern_id AS "internId", s.kind, s.semester, s.place, to_char(s.starts_on, 'YYYY-MM-DD') AS "startsOn", to_char(s.ends_on, 'YYYY-MM-DD') AS "endsOn"`;
const LINK = `l.id, l.faculty_id AS "facultyId", l.stage_id AS "stageId", l.evaluator_name AS "evaluatorName", l.evaluator_email AS "evaluatorEmail", l.created_at AS "createdAt", l.expires_at AS "expiresAt", l.used_at AS "usedAt", l.revoked_at AS "revokedAt"`;
const EVALUATION = `e.id, e.stage_id AS "stageId", e.author_id AS "authorId", e.link_id AS "linkId", e.evaluator_name AS "evaluatorName", e.levels, e.comment, e.validation_proposed AS "validationProposed", e.submitted_at AS "submittedAt"`;

/** The queries of the end-of-stage evaluations; the rules are the service's and the domain's. */
@Injectable()
export class StageEvaluationsRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  private db(manager?: EntityManager) {
    return manager ?? this.dataSource.manager;
  }

  async stage(id: string, manager?: EntityManager): Promise<StageRow | null> {
    const rows: StageRow[] = await this.db(manager).query(`SELECT ${STAGE} FROM stage s WHERE s.id = $1`, [id]);
    return rows[0] ?? null;
  }

  async stagesOf(internId: string): Promise<StageRow[]> {
    return this.db().query(`SELECT ${STAGE} FROM stage s WHERE s.intern_id = $1 ORDER BY s.starts_on, s.id`, [internId]);
  }

  /** Whether `tutorId` supervised the stage at any time of it. */
  async supervises(stageId: string, tutorId: string): Promise<boolean> {
    const rows = await this.db().query(`SELECT 1 FROM stage_supervisor WHERE stage_id = $1 AND tutor_id = $2 LIMIT 1`, [stageId, tutorId]);
    return rows.length > 0;
  }

  /** The stages `tutorId` supervised, newest first, with the intern's name. */
  async supervisedBy(tutorId: string): Promise<(StageRow & { internName: string })[]> {
    return this.db().query(
      `SELECT ${STAGE}, u.first_name || ' ' || u.last_name AS "internName"
         FROM stage s JOIN app_user u ON u.id = s.intern_id
        WHERE EXISTS (SELECT 1 FROM stage_supervisor ss WHERE ss.stage_id = s.id AND ss.tutor_id = $1)
        ORDER BY s.ends_on DESC, s.id`,
      [tutorId],
    );
  }

  async evaluationsOf(stageIds: string[]): Promise<EvaluationRow[]> {
    if (!stageIds.length) return [];
    return this.db().query(`SELECT ${EVALUATION} FROM stage_evaluation e WHERE e.stage_id = ANY($1::uuid[]) ORDER BY e.submitted_at, e.id`, [stageIds]);
  }

  async evaluationByLink(linkId: string): Promise<EvaluationRow | null> {
    const rows: EvaluationRow[] = await this.db().query(`SELECT ${EVALUATION} FROM stage_evaluation e WHERE e.link_id = $1`, [linkId]);
    return rows[0] ?? null;
  }

  async linksOf(stageIds: string[]): Promise<LinkRow[]> {
    if (!stageIds.length) return [];
    return this.db().query(`SELECT ${LINK} FROM stage_evaluation_link l WHERE l.stage_id = ANY($1::uuid[]) ORDER BY l.created_at DESC, l.id`, [stageIds]);
  }

  /** The link a token's hash names, with whether its faculty is open; found as the system (a public request has no faculty of its own). */
  async linkByHash(tokenHash: Buffer, manager?: EntityManager, lock = false): Promise<(LinkRow & { facultyActive: boolean }) | null> {
    const rows: (LinkRow & { facultyActive: boolean })[] = await this.db(manager).query(
      `SELECT ${LINK}, f.active AS "facultyActive" FROM stage_evaluation_link l JOIN faculty f ON f.id = l.faculty_id WHERE l.token_hash = $1${lock ? ' FOR UPDATE OF l' : ''}`,
      [tokenHash],
    );
    return rows[0] ?? null;
  }

  /**
   * Whether the stage has an evaluation by this evaluator already: by their account, or by their
   * address whichever way it came (an MSU mailed a link who also has an account is one evaluator).
   */
  async evaluatedBy(stageId: string, who: { userId?: string; email: string }, manager?: EntityManager): Promise<boolean> {
    const rows = await this.db(manager).query(
      `SELECT 1 FROM stage_evaluation e LEFT JOIN app_user u ON u.id = e.author_id
        WHERE e.stage_id = $1 AND (e.author_id = $2::uuid OR e.evaluator_email = $3 OR lower(u.email) = $3)
        LIMIT 1`,
      [stageId, who.userId ?? null, who.email],
    );
    return rows.length > 0;
  }

  /** Revokes the evaluator's live links for the stage; how many. */
  async revokeLive(manager: EntityManager, stageId: string, email: string, now: Date): Promise<number> {
    const [{ n }]: { n: number }[] = await manager.query(
      `WITH revoked AS (UPDATE stage_evaluation_link SET revoked_at = $3 WHERE stage_id = $1 AND evaluator_email = $2 AND used_at IS NULL AND revoked_at IS NULL RETURNING id)
       SELECT count(*)::int AS n FROM revoked`,
      [stageId, email, now],
    );
    return n;
  }

  async insertLink(manager: EntityManager, link: { stageId: string; evaluatorName: string; evaluatorEmail: string; tokenHash: Buffer; createdBy: string | null; createdAt: Date; expiresAt: Date }): Promise<LinkRow> {
    const rows: LinkRow[] = await manager.query(
      `INSERT INTO stage_evaluation_link AS l (stage_id, evaluator_name, evaluator_email, token_hash, created_by, created_at, expires_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING ${LINK}`,
      [link.stageId, link.evaluatorName, link.evaluatorEmail, link.tokenHash, link.createdBy, link.createdAt, link.expiresAt],
    );
    return rows[0];
  }

  async markUsed(manager: EntityManager, linkId: string, now: Date): Promise<void> {
    await manager.query(`UPDATE stage_evaluation_link SET used_at = $2 WHERE id = $1`, [linkId, now]);
  }

  async insertEvaluation(
    manager: EntityManager,
    row: EvaluationInput & { stageId: string; authorId: string | null; linkId: string | null; evaluatorName: string; evaluatorEmail: string | null; submittedAt: Date },
  ): Promise<EvaluationRow> {
    const rows: EvaluationRow[] = await manager.query(
      `INSERT INTO stage_evaluation AS e (stage_id, author_id, link_id, evaluator_name, evaluator_email, levels, comment, validation_proposed, submitted_at)
       VALUES ($1, $2, $3, $4, $5, $6::jsonb, $7, $8, $9) RETURNING ${EVALUATION}`,
      [row.stageId, row.authorId, row.linkId, row.evaluatorName, row.evaluatorEmail, JSON.stringify(row.levels), row.comment, row.validationProposed, row.submittedAt],
    );
    return rows[0];
  }

  async feedbackGiven(stageIds: string[]): Promise<Set<string>> {
    if (!stageIds.length) return new Set();
    // The intern's own stages, read by them: an answer given before the portfolio moved stays with the old faculty's (migration 39), still theirs.
    const rows: { stageId: string }[] = await Tenancy.asSystem(() => this.db().query(`SELECT stage_id AS "stageId" FROM stage_feedback WHERE stage_id = ANY($1::uuid[])`, [stageIds]));
    return new Set(rows.map((r) => r.stageId));
  }

  /** The intern's answer; false when the stage has one already (one per stage). */
  async insertFeedback(manager: EntityManager, stageId: string, input: FeedbackInput, now: Date): Promise<boolean> {
    const r = input.ratings;
    const rows: unknown[] = await manager.query(
      `INSERT INTO stage_feedback (stage_id, supervision, teaching, workload, housing, travel, overall, housing_provided, vehicle_required, comment, submitted_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) ON CONFLICT (stage_id) DO NOTHING RETURNING id`,
      [stageId, r.supervision, r.teaching, r.workload, r.housing, r.travel, r.overall, input.housingProvided, input.vehicleRequired, input.comment.trim(), now],
    );
    return rows.length > 0;
  }

  /** Every answer of the faculty with its stage's place only: nothing that names an intern leaves this query. */
  async feedbackAnswers(): Promise<FeedbackAnswer[]> {
    const rows: { place: string; supervision: number; teaching: number; workload: number; housing: number; travel: number; overall: number; housingProvided: boolean; vehicleRequired: boolean; comment: string }[] =
      await this.db().query(
        // A stage moved to another faculty with its intern leaves its answer here, with its place (migration 39).
        `SELECT coalesce(f.place, s.place) AS place, f.supervision, f.teaching, f.workload, f.housing, f.travel, f.overall, f.housing_provided AS "housingProvided", f.vehicle_required AS "vehicleRequired", f.comment
           FROM stage_feedback f LEFT JOIN stage s ON s.id = f.stage_id WHERE coalesce(f.place, s.place) IS NOT NULL`,
      );
    return rows.map((r) => ({
      place: r.place,
      ratings: { supervision: r.supervision, teaching: r.teaching, workload: r.workload, housing: r.housing, travel: r.travel, overall: r.overall },
      housingProvided: r.housingProvided,
      vehicleRequired: r.vehicleRequired,
      comment: r.comment,
    }));
  }

  async userName(id: string): Promise<{ name: string; email: string } | null> {
    const rows: { name: string; email: string }[] = await this.db().query(`SELECT first_name || ' ' || last_name AS name, lower(email) AS email FROM app_user WHERE id = $1`, [id]);
    return rows[0] ?? null;
  }
}
