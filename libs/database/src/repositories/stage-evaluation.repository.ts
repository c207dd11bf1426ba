import { Injectable } from '@nestjs/common';
import type { EvaluationInput, FeedbackAnswer, FeedbackInput } from '@carnet/domain';
import { Tenancy } from '../tenancy';
import { Database, Tx } from './database';

export interface EvaluatedStageRow {
  id: string;
  facultyId: string;
  internId: string;
  kind: string;
  semester: number;
  place: string;
  startsOn: string;
  endsOn: string;
}

export interface EvaluationLinkRow {
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

export interface StageEvaluationRow {
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

/** An evaluation as written: the evaluator's levels, comment and proposal, and who gave it how. */
export type NewStageEvaluation = EvaluationInput & { stageId: string; authorId: string | null; linkId: string | null; evaluatorName: string; evaluatorEmail: string | null; submittedAt: Date };

const STAGE = `s.id, s.faculty_id AS "facultyId", s.intern_id AS "internId", s.kind, s.semester, s.place, to_char(s.starts_on, 'YYYY-MM-DD') AS "startsOn", to_char(s.ends_on, 'YYYY-MM-DD') AS "endsOn"`;
const LINK = `l.id, l.faculty_id AS "facultyId", l.stage_id AS "stageId", l.evaluator_name AS "evaluatorName", l.evaluator_email AS "evaluatorEmail", l.created_at AS "createdAt", l.expires_at AS "expiresAt", l.used_at AS "usedAt", l.revoked_at AS "revokedAt"`;
const EVALUATION = `e.id, e.stage_id AS "stageId", e.author_id AS "authorId", e.link_id AS "linkId", e.evaluator_name AS "evaluatorName", e.levels, e.comment, e.validation_proposed AS "validationProposed", e.submitted_at AS "submittedAt"`;

/** The queries of the end-of-stage evaluations; the rules are the service's and the domain's. */
@Injectable()
export class StageEvaluationRepository {
  constructor(private readonly db: Database) {}

  async stage(id: string, tx?: Tx): Promise<EvaluatedStageRow | null> {
    const rows = await this.db.query<EvaluatedStageRow>(`SELECT ${STAGE} FROM stage s WHERE s.id = $1`, [id], tx);
    return rows[0] ?? null;
  }

  stagesOf(internId: string): Promise<EvaluatedStageRow[]> {
    return this.db.query(`SELECT ${STAGE} FROM stage s WHERE s.intern_id = $1 ORDER BY s.starts_on, s.id`, [internId]);
  }

  /** The stages `tutorId` supervised, newest first, with the intern's name. */
  supervisedBy(tutorId: string): Promise<(EvaluatedStageRow & { internName: string })[]> {
    return this.db.query(
      `SELECT ${STAGE}, u.first_name || ' ' || u.last_name AS "internName"
         FROM stage s JOIN app_user u ON u.id = s.intern_id
        WHERE EXISTS (SELECT 1 FROM stage_supervisor ss WHERE ss.stage_id = s.id AND ss.tutor_id = $1)
        ORDER BY s.ends_on DESC, s.id`,
      [tutorId],
    );
  }

  async evaluationsOf(stageIds: string[]): Promise<StageEvaluationRow[]> {
    if (!stageIds.length) return [];
    return this.db.query(`SELECT ${EVALUATION} FROM stage_evaluation e WHERE e.stage_id = ANY($1::uuid[]) ORDER BY e.submitted_at, e.id`, [stageIds]);
  }

  async linksOf(stageIds: string[]): Promise<EvaluationLinkRow[]> {
    if (!stageIds.length) return [];
    return this.db.query(`SELECT ${LINK} FROM stage_evaluation_link l WHERE l.stage_id = ANY($1::uuid[]) ORDER BY l.created_at DESC, l.id`, [stageIds]);
  }

  /**
   * The link a token's hash names, with whether its faculty is open (a public request has no
   * faculty of its own: the caller reads it as the system); `forUpdate` locks it, in `tx`.
   */
  async linkByHash(tokenHash: Buffer, options: { forUpdate?: boolean } = {}, tx?: Tx): Promise<(EvaluationLinkRow & { facultyActive: boolean }) | null> {
    const rows = await this.db.query<EvaluationLinkRow & { facultyActive: boolean }>(
      `SELECT ${LINK}, f.active AS "facultyActive" FROM stage_evaluation_link l JOIN faculty f ON f.id = l.faculty_id WHERE l.token_hash = $1${options.forUpdate ? ' FOR UPDATE OF l' : ''}`,
      [tokenHash],
      tx,
    );
    return rows[0] ?? null;
  }

  /**
   * Whether the stage has an evaluation by this evaluator already: by their account, or by their
   * address whichever way it came (an MSU mailed a link who also has an account is one evaluator).
   */
  async evaluatedBy(stageId: string, who: { userId?: string; email: string }, tx?: Tx): Promise<boolean> {
    const rows = await this.db.query(
      `SELECT 1 FROM stage_evaluation e LEFT JOIN app_user u ON u.id = e.author_id
        WHERE e.stage_id = $1 AND (e.author_id = $2::uuid OR e.evaluator_email = $3 OR lower(u.email) = $3)
        LIMIT 1`,
      [stageId, who.userId ?? null, who.email],
      tx,
    );
    return rows.length > 0;
  }

  /** Revokes the evaluator's live links for the stage; how many. */
  async revokeLive(stageId: string, email: string, now: Date, tx?: Tx): Promise<number> {
    const [{ n }] = await this.db.query<{ n: number }>(
      `WITH revoked AS (UPDATE stage_evaluation_link SET revoked_at = $3 WHERE stage_id = $1 AND evaluator_email = $2 AND used_at IS NULL AND revoked_at IS NULL RETURNING id)
       SELECT count(*)::int AS n FROM revoked`,
      [stageId, email, now],
      tx,
    );
    return n;
  }

  async insertLink(link: { stageId: string; evaluatorName: string; evaluatorEmail: string; tokenHash: Buffer; createdBy: string | null; createdAt: Date; expiresAt: Date }, tx?: Tx): Promise<EvaluationLinkRow> {
    const rows = await this.db.query<EvaluationLinkRow>(
      `INSERT INTO stage_evaluation_link AS l (stage_id, evaluator_name, evaluator_email, token_hash, created_by, created_at, expires_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING ${LINK}`,
      [link.stageId, link.evaluatorName, link.evaluatorEmail, link.tokenHash, link.createdBy, link.createdAt, link.expiresAt],
      tx,
    );
    return rows[0];
  }

  async markUsed(linkId: string, now: Date, tx?: Tx): Promise<void> {
    await this.db.query(`UPDATE stage_evaluation_link SET used_at = $2 WHERE id = $1`, [linkId, now], tx);
  }

  /** Fails with the unique violation of the evaluation's indexes when the evaluator has one already. */
  async insertEvaluation(row: NewStageEvaluation, tx?: Tx): Promise<StageEvaluationRow> {
    const rows = await this.db.query<StageEvaluationRow>(
      `INSERT INTO stage_evaluation AS e (stage_id, author_id, link_id, evaluator_name, evaluator_email, levels, comment, validation_proposed, submitted_at)
       VALUES ($1, $2, $3, $4, $5, $6::jsonb, $7, $8, $9) RETURNING ${EVALUATION}`,
      [row.stageId, row.authorId, row.linkId, row.evaluatorName, row.evaluatorEmail, JSON.stringify(row.levels), row.comment, row.validationProposed, row.submittedAt],
      tx,
    );
    return rows[0];
  }

  async feedbackGiven(stageIds: string[]): Promise<Set<string>> {
    if (!stageIds.length) return new Set();
    // The intern's own stages, read by them: an answer given before the portfolio moved stays with the old faculty's (migration 39), still theirs.
    const rows = await Tenancy.asSystem(() => this.db.query<{ stageId: string }>(`SELECT stage_id AS "stageId" FROM stage_feedback WHERE stage_id = ANY($1::uuid[])`, [stageIds]));
    return new Set(rows.map((r) => r.stageId));
  }

  /** The intern's answer; false when the stage has one already (one per stage). */
  async insertFeedback(stageId: string, input: FeedbackInput, now: Date, tx?: Tx): Promise<boolean> {
    const r = input.ratings;
    const rows = await this.db.query(
      `INSERT INTO stage_feedback (stage_id, supervision, teaching, workload, housing, travel, overall, housing_provided, vehicle_required, comment, submitted_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) ON CONFLICT (stage_id) DO NOTHING RETURNING id`,
      [stageId, r.supervision, r.teaching, r.workload, r.housing, r.travel, r.overall, input.housingProvided, input.vehicleRequired, input.comment.trim(), now],
      tx,
    );
    return rows.length > 0;
  }

  /** Every answer of the faculty with its stage's place only: nothing that names an intern leaves this query. */
  async feedbackAnswers(): Promise<FeedbackAnswer[]> {
    const rows = await this.db.query<{ place: string; supervision: number; teaching: number; workload: number; housing: number; travel: number; overall: number; housingProvided: boolean; vehicleRequired: boolean; comment: string }>(
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

  /** A person's name and address (lower-cased), as an evaluation names its evaluator and intern. */
  async userName(id: string): Promise<{ name: string; email: string } | null> {
    const rows = await this.db.query<{ name: string; email: string }>(`SELECT first_name || ' ' || last_name AS name, lower(email) AS email FROM app_user WHERE id = $1`, [id]);
    return rows[0] ?? null;
  }
}
