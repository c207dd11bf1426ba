import { Injectable } from '@nestjs/common';
import type { QueryDeepPartialEntity } from 'typeorm/query-builder/QueryPartialEntity';
import { Trace } from '../entities';
import { Database, Tx } from './database';

/** An active intern of a faculty, as an import names it. */
export interface ImportInternRow {
  id: string;
  email: string;
  first_name: string;
  last_name: string;
}

/** A `portfolio_import` row: one archive written for an intern. */
export interface PortfolioImportRow {
  id: string;
  internId: string;
  importedBy: string;
  originDeployment: string;
  originFacultyCode: string;
  originFacultyName: string;
  originKeyFingerprint: string | null;
  archiveSha256: string;
  exportedAt: string | null;
  importedCount: number;
  alreadyCount: number;
}

/** A trace's record of the archive it came from (`portfolio_import_trace`). */
export interface ImportedTraceOrigin {
  traceId: string;
  importId: string;
  originKey: string;
  originTraceId: string;
  sha256: string;
}

/**
 * Another Carnet's portfolio, imported (ADR 0008): the keys each origin signed with, the traces
 * already imported from it, and the rows an import writes (in the caller's one transaction).
 */
@Injectable()
export class PortfolioImportRepository {
  constructor(private readonly db: Database) {}

  /** The active intern of `faculty` with that id, or that address (any case); null when there is none. */
  async findInternOfFaculty(faculty: string | null, by: { id: string } | { email: string }): Promise<ImportInternRow | null> {
    const [column, value] = 'id' in by ? ['id', by.id] : ['lower(email)', by.email.toLowerCase()];
    const [row] = await this.db.query<ImportInternRow>(
      `SELECT id, email, first_name, last_name FROM app_user WHERE ${column} = $1 AND faculty_id = $2 AND 'intern' = ANY(roles) AND active`,
      [value, faculty],
    );
    return row ?? null;
  }

  /**
   * The key accepted for `deployment` at its first signed import, if any, and the deployment the
   * key `signedBy` was first accepted for, if another than `deployment` (none asked when null).
   */
  async pinnedKey(deployment: string, signedBy: string | null): Promise<{ pinned: string | null; keyAcceptedFor: string | null }> {
    const [row] = await this.db.query<{ origin_key_fingerprint: string }>(
      `SELECT origin_key_fingerprint FROM portfolio_import
        WHERE origin_deployment = $1 AND origin_key_fingerprint IS NOT NULL
        ORDER BY created_at ASC LIMIT 1`,
      [deployment],
    );
    const [other] = signedBy
      ? await this.db.query<{ origin_deployment: string }>(
          `SELECT origin_deployment FROM portfolio_import WHERE origin_key_fingerprint = $1 AND origin_deployment <> $2 ORDER BY created_at ASC LIMIT 1`,
          [signedBy, deployment],
        )
      : [];
    return { pinned: row?.origin_key_fingerprint ?? null, keyAcceptedFor: other?.origin_deployment ?? null };
  }

  /** Of the origin `originKey`'s traces, those already imported (same id, same stamp), by their id there. */
  async alreadyImported(originKey: string, traces: { id: string; sha256: string }[], tx?: Tx): Promise<Set<string>> {
    if (!traces.length) return new Set();
    const rows = await this.db.query<{ origin_trace_id: string }>(
      `SELECT p.origin_trace_id FROM portfolio_import_trace p
        JOIN unnest($2::text[], $3::text[]) AS t(id, sha256) ON t.id = p.origin_trace_id AND t.sha256 = p.sha256
        WHERE p.origin_key = $1`,
      [originKey, traces.map((t) => t.id), traces.map((t) => t.sha256)],
      tx,
    );
    return new Set(rows.map((r) => r.origin_trace_id));
  }

  async insertImport(row: PortfolioImportRow, tx?: Tx): Promise<void> {
    await this.db.query(
      `INSERT INTO portfolio_import (id, intern_id, imported_by, origin_deployment, origin_faculty_code, origin_faculty_name, origin_key_fingerprint, archive_sha256, exported_at, imported_count, already_count)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)`,
      [
        row.id,
        row.internId,
        row.importedBy,
        row.originDeployment,
        row.originFacultyCode,
        row.originFacultyName,
        row.originKeyFingerprint,
        row.archiveSha256,
        row.exportedAt,
        row.importedCount,
        row.alreadyCount,
      ],
      tx,
    );
  }

  /** An imported trace (validated elsewhere). */
  async insertTrace(trace: QueryDeepPartialEntity<Trace>, tx?: Tx): Promise<void> {
    await this.db.manager(tx).insert(Trace, trace);
  }

  /** An imported trace's attachment, and its scan to come (the job is the caller's to enqueue once committed). */
  async insertTraceOrigin(origin: ImportedTraceOrigin, tx?: Tx): Promise<void> {
    await this.db.query(
      `INSERT INTO portfolio_import_trace (trace_id, import_id, origin_key, origin_trace_id, sha256) VALUES ($1, $2, $3, $4, $5)`,
      [origin.traceId, origin.importId, origin.originKey, origin.originTraceId, origin.sha256],
      tx,
    );
  }
}
