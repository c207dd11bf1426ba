import { Injectable } from '@nestjs/common';
import { COMPETENCE_CODES, EDITABLE_STATUSES, familleCodes, IdentifierKind, TRACE_KINDS, TRACE_STATUSES, TraceKind, TraceRelation, TraceStatus } from '@carnet/domain';
import type { AttachmentView } from '@carnet/contracts';
import type { AccessReader } from '../access-sql';
import { Trace } from '../entities';
import { entityColumns } from '../prepared-statements';
import { CURSOR_KEY, cursorKeys, keysetPage, offsetOf, PageRequest } from '../sql/paging';
import { isoSql, keySql, literalOf, SqlParams } from '../sql/sql-params';
import { attachmentScanSql } from './attachment.repository';
import { AuditActor, AuditRepository } from './audit.repository';
import { Database, Tx } from './database';
import { TraceAccessRepository, VisibleSets } from './trace-access.repository';

/** The marks a search snippet's matches come between (the API turns them into `<mark>` once escaped). */
export const SNIPPET_MARKS = { start: '\u0001', end: '\u0002' } as const;
const MARK_START = SNIPPET_MARKS.start;
const MARK_END = SNIPPET_MARKS.end;

/**
 * French full-text search terms: "a phrase", prefix*, and plain words, all required.
 * Returns SQL producing a tsquery; `bind` adds a parameter and returns its placeholder.
 */
function searchQuery(q: string, bind: (value: unknown) => string): string | null {
  const parts: string[] = [];
  let rest = q;
  for (const match of q.matchAll(/"([^"]+)"/g)) {
    parts.push(`phraseto_tsquery('public.french_unaccent', ${bind(match[1])})`);
    rest = rest.replace(match[0], ' ');
  }
  for (const word of rest.split(/\s+/).filter(Boolean)) {
    const prefix = word.endsWith('*');
    const clean = word.replace(/[^\p{L}\p{N}'-]/gu, '');
    if (!clean) continue;
    if (prefix) parts.push(`to_tsquery('public.french_unaccent', ${bind(clean.replace(/['-]/g, ' ').trim().split(/\s+/).pop()!)} || ':*')`);
    else parts.push(`plainto_tsquery('public.french_unaccent', ${bind(clean)})`);
  }
  return parts.length ? parts.join(' && ') : null;
}

/**
 * A trace's search vector: the stored one, or, while the trace is being edited (the worker has
 * not yet caught up with its last saves), computed from what was last saved.
 */
const SEARCH_VECTOR = `(CASE WHEN t.search_stale THEN trace_search_vector(t.title, t.content_text) ELSE t.search END)`;

/** The fields of a trace a list row has, named as the entity's (its times already ISO text). */
export type TraceListFields = Pick<Trace, 'id' | 'internId' | 'kind' | 'title' | 'competences' | 'familles' | 'stageId' | 'status' | 'version'> &
  Pick<Trace, 'validatedBy' | 'validatedSha256' | 'importedOrigin' | 'originFacultyId'> & { [K in 'createdAt' | 'updatedAt']: string } & { [K in 'submittedAt' | 'validatedAt']: string | null };

/** A row of the list query: the trace's fields (named as the entity's), and what the list adds. */
export type TraceListRow = TraceListFields & { relation: TraceRelation; unread: number; snippet?: string; updatedKey?: string; submittedKey?: string | null };

/** A list's filters, sort and page, validated by the caller (closed lists, a page size). */
export interface TraceListQuery extends PageRequest {
  cursor?: string;
  q?: string;
  internId?: string;
  status?: TraceStatus;
  kind?: TraceKind;
  competence?: string;
  famille?: string;
  sort?: 'updated' | 'submitted';
}

/** A trace as `findForReader` reads it: the entity, the reader's relation (null: none), its attachments (null for an admin). */
export type TraceReadRow = Trace & { relation: TraceRelation | null; attachments: AttachmentView[] | null };

/**
 * An autosave: the changes (each optional) to the trace `id` of the intern `internId`, in their
 * faculty, if it is still at `expectedVersion` and editable. The content comes whole, a delta
 * already applied by the caller.
 */
export interface TraceSave {
  id: string;
  internId: string;
  facultyId: string | null;
  expectedVersion: number;
  updatedAt: Date;
  title?: string;
  kind?: TraceKind;
  competences?: string[];
  familles?: string[];
  stageId?: string | null;
  /** The canonical JSON and its plain text, in UTF-8, as pieces to concatenate. */
  content?: { json: readonly Uint8Array[]; text: readonly Uint8Array[] };
  /** `all`: the saved row with its content; `metadata`: without it. */
  returning: 'all' | 'metadata';
}

/** A new trace's row. */
export type NewTrace = Pick<
  Trace,
  | 'internId' | 'kind' | 'title' | 'content' | 'contentText' | 'competences' | 'familles' | 'stageId' | 'status' | 'version' | 'everSubmitted'
  | 'createdAt' | 'updatedAt' | 'submittedAt' | 'validatedAt' | 'validatedBy' | 'validatedSha256'
>;


/** The first byte of `jsonb`'s binary input: its format's version. */
const JSONB_BINARY_VERSION = Buffer.from([1]);

/** The statuses in which an owner edits a trace, as SQL literals. */
const EDITABLE_SQL = EDITABLE_STATUSES.map((status) => literalOf(status, TRACE_STATUSES)).join(', ');

// The tag arrays come as JSON (parsed natively): pg's text-array parser, character by
// character, was 6 % of the API's CPU on an admin's list of 50 rows.
const LIST_COLUMNS = `t.id, t.intern_id AS "internId", t.kind, t.title, to_json(t.competences) AS competences, to_json(t.familles) AS familles, t.stage_id AS "stageId", t.status, t.version,
  ${isoSql('t.created_at')} AS "createdAt", ${isoSql('t.updated_at')} AS "updatedAt", ${isoSql('t.submitted_at')} AS "submittedAt",
  ${isoSql('t.validated_at')} AS "validatedAt", t.validated_by AS "validatedBy", t.validated_sha256 AS "validatedSha256", t.imported_origin AS "importedOrigin", t.origin_faculty_id AS "originFacultyId"`;

/**
 * The traces: their creation, the hot reads (one trace with its attachments, a list, a search)
 * and the autosave, hand-written and prepared (ADR 0009, 0010), and the workflow's writes.
 */
@Injectable()
export class TraceRepository {
  /** A trace's columns as the entity's properties but its content (`access.traceColumns` has them all). */
  private readonly metadataColumns: string;

  constructor(
    private readonly db: Database,
    private readonly access: TraceAccessRepository,
    private readonly audit: AuditRepository,
  ) {
    this.metadataColumns = entityColumns(db.dataSource, Trace, 't', ['content']);
  }

  /** Saves a new trace; returns it with its id. */
  async insert(fields: NewTrace, tx?: Tx): Promise<Trace> {
    const manager = this.db.manager(tx);
    const trace = manager.create(Trace, fields);
    await manager.insert(Trace, trace);
    return trace;
  }

  /** Is `stageId` one of the intern's own stages? */
  async isOwnStage(stageId: string, internId: string, tx?: Tx): Promise<boolean> {
    const rows = await this.db.query(`SELECT 1 FROM stage WHERE id = $1 AND intern_id = $2`, [stageId, internId], tx);
    return rows.length > 0;
  }

  /**
   * A trace as the reader may see it, in one statement: the trace and the reader's relation to
   * it, its attachments (not for an admin, who sees metadata), and the audit entry (by `actor`)
   * of a read by anyone but its author, written by the same statement as the read it records.
   * Undefined, or a null relation: none for the reader.
   */
  async findForReader(reader: AccessReader, actor: AuditActor, id: string): Promise<TraceReadRow | undefined> {
    const params = new SqlParams();
    const me = params.add(reader.userId);
    const attachments = `SELECT coalesce(json_agg(json_build_object('id', a.id, 'filename', a.filename, 'size', a.size, 'sha256', a.sha256,
        'mimeType', a.mime_type, 'createdAt', ${isoSql('a.created_at')}, 'scan', ${attachmentScanSql('a')}) ORDER BY a.created_at), '[]') FROM attachment a WHERE a.trace_id = found.id`;
    const sql = `WITH found AS (${this.access.selectSql(reader, me, params.add(id))}),
      audit AS (${this.audit.insertSql(actor, { action: 'trace.read', subjectType: 'trace' }, params, { from: 'found', where: `found.relation <> 'owner'`, subjectId: 'found.id::text', details: `jsonb_build_object('as', found.relation)` })})
      SELECT found.*, CASE WHEN found.relation <> 'admin' THEN (${attachments}) END AS attachments FROM found`;
    const [row] = await this.db.prepared<TraceReadRow>(sql, params.values);
    return row;
  }

  /**
   * The autosave's one statement (`TracesService.update`): the UPDATE's own conditions (the
   * intern's trace, at the version they saw, still editable) decide, and PostgreSQL re-checks
   * them on the row as it is once a concurrent save of the same version has committed. The
   * saved row, or undefined when nothing changed.
   */
  async saveIfCurrent(save: TraceSave, tx?: Tx): Promise<Trace | undefined> {
    const params = new SqlParams();
    // An autosave within a minute of the last change leaves `updated_at` (the lists' order, in
    // four indexes) as it is, so that the row's new version is heap-only (migration 41): while
    // an intern types, the trace moves in the lists once a minute, never back. `saved_at` is exact.
    const now = params.add(save.updatedAt);
    const set = [
      `version = t.version + 1`,
      `updated_at = CASE WHEN t.updated_at > ${now}::timestamptz - interval '1 minute' THEN t.updated_at ELSE ${now}::timestamptz END`,
      `saved_at = ${now}`,
    ];
    if (save.title !== undefined) set.push(`title = ${params.add(save.title)}`);
    if (save.kind !== undefined) set.push(`kind = ${params.add(save.kind)}`);
    if (save.competences !== undefined) set.push(`competences = ${params.add(save.competences)}`);
    if (save.familles !== undefined) set.push(`familles = ${params.add(save.familles)}`);
    if (save.stageId !== undefined) set.push(`stage_id = ${params.add(save.stageId)}`);
    const { content } = save;
    // Sent in PostgreSQL's binary format (a Buffer parameter): `jsonb`'s is a version byte and
    // the JSON text, `text`'s the text itself; so the pieces are concatenated once, and neither
    // joined as a string nor encoded again.
    if (content) set.push(`content = ${params.add(Buffer.concat([JSONB_BINARY_VERSION, ...content.json]))}::jsonb`, `content_text = ${params.add(Buffer.concat(content.text))}::text`);
    // The search vector is not recomputed here: the worker does it once the trace rests, and a
    // search computes a stale one itself (SEARCH_VECTOR).
    if (content || save.title !== undefined) set.push(`search_stale = true`);
    // A saved content is not sent back from the database: the caller holds it (up to 2 MB).
    const sql = `UPDATE trace t SET ${set.join(', ')}
      WHERE t.id = ${params.add(save.id)} AND t.intern_id = ${params.add(save.internId)} AND t.faculty_id = ${params.add(save.facultyId)} AND t.version = ${params.add(save.expectedVersion)}
        AND t.status IN (${EDITABLE_SQL})
      RETURNING ${save.returning === 'metadata' ? this.metadataColumns : this.access.traceColumns}`;
    const [saved] = await this.db.prepared<Trace>(sql, params.values, tx);
    return saved;
  }

  /** The content the intern's trace has at `version` while editable (its JSON text), or undefined. */
  async editableContentAt(id: string, internId: string, version: number, tx?: Tx): Promise<{ content: string } | undefined> {
    const [row] = await this.db.prepared<{ content: string }>(
      `SELECT t.content::text AS content FROM trace t WHERE t.id = $1 AND t.intern_id = $2 AND t.version = $3 AND t.status IN (${EDITABLE_SQL})`,
      [id, internId, version],
      tx,
    );
    return row;
  }

  /** The trace's plain text ('' when none). */
  async contentTextOf(id: string, tx?: Tx): Promise<string> {
    const rows = await this.db.query<{ content_text: string | null }>(`SELECT content_text FROM trace WHERE id = $1`, [id], tx);
    return rows[0]?.content_text ?? '';
  }

  /** The trace's status, or undefined: no such trace. */
  async statusOf(id: string, tx?: Tx): Promise<TraceStatus | undefined> {
    const [row] = await this.db.query<{ status: TraceStatus }>(`SELECT status FROM trace WHERE id = $1`, [id], tx);
    return row?.status;
  }

  /** How many patient identifiers the intern replaced in the trace, by kind (from the audit log). */
  async identifierReplacementsOf(id: string, tx?: Tx): Promise<{ kind: IdentifierKind; n: number }[]> {
    return this.db.query<{ kind: IdentifierKind; n: number }>(
      `SELECT details->>'kind' AS kind, count(*)::int AS n FROM audit_log WHERE action = 'trace.identifier_replaced' AND subject_type = 'trace' AND subject_id = $1 GROUP BY 1`,
      [id],
      tx,
    );
  }

  /** A workflow's change of the trace's columns (its status, version, stamps). */
  async update(id: string, changes: Partial<Trace>, tx?: Tx): Promise<void> {
    await this.db.manager(tx).update(Trace, { id }, changes);
  }

  async remove(id: string, tx?: Tx): Promise<void> {
    await this.db.manager(tx).delete(Trace, { id });
  }

  /**
   * A page of the traces the reader may see, filtered, sorted, or searched (French full text).
   * Hand-written SQL: the page's ids and sort keys first (indexes, no content read), then, for
   * those rows only, the unread-comment counts and the search snippets. A list counts its total
   * beside the page; a search ranks and counts its matches in the same statement, so each
   * candidate's search vector is read once. A search by a tutor or a juror takes one more round
   * trip before: what they may see. A search of no word finds nothing. The page's rows, the
   * total, and where the next page starts (a list's keyset; null for a search).
   */
  async list(reader: AccessReader, query: TraceListQuery): Promise<{ rows: TraceListRow[]; total: number; nextCursor: string | null }> {
    const text = query.q?.trim();
    // A search ranks every match of its filter: the planner is given the reader's sets as
    // arrays it can see (fetched first); a list reads a page off an index, its sets inline.
    const sets: VisibleSets | null = text ? await this.access.visibleSets(reader) : null;
    const params = new SqlParams();
    const scope = this.access.listScope(reader, sets, params);
    const where = scope.visible ? [scope.visible] : [];
    // An intern's own list binds their id once: as two parameters, a prepared plan could not
    // tell they are equal and guessed too few rows, so PostgreSQL planned each execution again.
    if (query.internId) where.push(`t.intern_id = ${query.internId === reader.userId ? params.named('me', reader.userId) : params.add(query.internId)}`);
    // The status, the kind and the tags are written into the text, as the limit is (validated
    // values from closed lists): a prepared statement's plan is then made for them, once. Bound,
    // they left PostgreSQL planning the list again on every execution (costlier than the read
    // itself; docs/benchmarks.md): a generic plan cannot prove the review queue's partial index
    // (status 'submitted') and guesses a tag's share of traces (a fifth of what « relation »
    // has), so it looked dearer than the custom plans PostgreSQL then kept making.
    if (query.status) where.push(`t.status = ${literalOf(query.status, TRACE_STATUSES)}`);
    if (query.kind) where.push(`t.kind = ${literalOf(query.kind, TRACE_KINDS)}`);
    // `= ANY`, not containment: a containment takes the arrays' GIN index, AND-ed with an
    // intern's own few rows, far dearer than filtering those rows (docs/benchmarks.md).
    if (query.competence) where.push(`${literalOf(query.competence, COMPETENCE_CODES)} = ANY(t.competences)`);
    if (query.famille) where.push(`${literalOf(query.famille, familleCodes(true))} = ANY(t.familles)`);
    const tsquery = text ? searchQuery(text, (value) => params.add(value)) : null;
    if (text && !tsquery) return { rows: [], total: 0, nextCursor: null };
    // Content is searched only where the reader may read it: never in an admin's metadata view.
    if (tsquery) where.push(...(scope.visible ? [] : [scope.readable()]), `${SEARCH_VECTOR} @@ (${tsquery})`);
    const filter = where.length ? `WHERE ${where.join(' AND ')}` : '';
    // The count uses exactly the parameters bound so far: the filter's.
    const filterValues = [...params.values];
    const me = () => params.named('me', reader.userId);
    // Counted only where the reader is in the conversation: never over an admin's metadata rows.
    const unread = () => `CASE WHEN p.relation = 'admin' THEN 0 ELSE (SELECT count(*)::int FROM trace_comment c WHERE c.trace_id = p.id AND c.author_id <> ${me()}
        AND c.created_at > coalesce((SELECT r.seen_at FROM trace_read r WHERE r.user_id = ${me()} AND r.trace_id = p.id), '-infinity')) END AS unread`;
    // The limit is written into the text (a validated integer, a handful of values), so a
    // prepared list keeps a plan made for its page size; the offset is bound, and left out on
    // a first page or after a cursor.
    const limit = (extra = 0) => {
      const offset = query.cursor ? 0 : offsetOf(query);
      return `LIMIT ${Math.trunc(query.pageSize) + extra}${offset ? ` OFFSET ${params.add(offset)}` : ''}`;
    };

    if (tsquery) {
      // The snippet comes from the first 8,000 characters (about three pages): PostgreSQL parses
      // all it is given, in time proportional to its length, so this bounds the work on 10-page RSCAs; a
      // match further down still ranks the trace, with the snippet showing its beginning. The
      // page's rows are chosen from the matches' keys alone, then joined to their traces; the
      // count rides along on every row (and on a lone row of NULLs past the last page).
      const sql = `WITH m AS MATERIALIZED (SELECT t.id, t.updated_at, ts_rank_cd(${SEARCH_VECTOR}, ${tsquery}) AS rank FROM trace t ${filter}),
             top AS (SELECT m.id, m.rank FROM m ORDER BY m.rank DESC, m.updated_at DESC, m.id ${limit()})
        SELECT c.total, p.*, ${unread()},
               ts_headline('public.french_unaccent', left(tc.title || E'\\n' || tc.content_text, 8000), ${tsquery},
                 'StartSel=${MARK_START}, StopSel=${MARK_END}, MaxFragments=2, MaxWords=25, MinWords=10, FragmentDelimiter=" … "') AS snippet
          FROM (SELECT count(*)::int AS total FROM m) c
          LEFT JOIN LATERAL (SELECT ${LIST_COLUMNS}, ${scope.relation()} AS relation, top.rank, ${keySql('t.updated_at')} AS "updatedKey" FROM top JOIN trace t ON t.id = top.id) p ON true
          LEFT JOIN trace tc ON tc.id = p.id
         ORDER BY p.rank DESC, p."updatedKey" DESC, p.id`;
      const found = await this.db.query<TraceListRow & { total: number }>(sql, params.values);
      return { rows: found.filter((row) => row.id !== null), total: found[0]?.total ?? 0, nextCursor: null };
    }
    // The same order inside (on the table's columns) and outside (on the page's).
    const bySubmission = query.sort === 'submitted';
    const order = (updated: string, submitted: string, id: string) => (bySubmission ? `${submitted} ASC NULLS LAST, ${id}` : `${updated} DESC, ${id}`);
    const after = query.cursor ? [this.keyset(query.cursor, bySubmission, (value) => params.add(value))] : [];
    const pageFilter = `WHERE ${[...where, ...after].join(' AND ') || 'true'}`;
    // One row more than the page tells whether another page follows.
    const sql = `SELECT p.*, ${unread()}
        FROM (SELECT ${LIST_COLUMNS}, ${scope.relation()} AS relation, ${keySql('t.updated_at')} AS "updatedKey", ${keySql('t.submitted_at')} AS "submittedKey"
                FROM trace t ${pageFilter} ORDER BY ${order('t.updated_at', 't.submitted_at', 't.id')} ${limit(1)}) p
        ORDER BY ${order('p."updatedKey"', 'p."submittedKey"', 'p.id')}`;
    const [read, counted] = await Promise.all([
      this.db.prepared<TraceListRow>(sql, params.values),
      (scope.visible === null && this.tallied(query)) || this.db.prepared<{ total: number }>(`SELECT count(*)::int AS total FROM trace t ${filter}`, filterValues),
    ]);
    const { rows, nextCursor } = keysetPage(read, query.pageSize, (last) => [bySubmission ? last.submittedKey! : last.updatedKey!, last.id]);
    return { rows, total: counted[0].total, nextCursor };
  }

  /**
   * The total of a list of every trace (an admin's) filtered by status, kind, a competence and a
   * famille, from the summaries the triggers keep (`trace_tally`; `trace_tag_tally` by tag, or
   * by competence/famille pair), where a count would read every one of 2 million traces, or a
   * third of them for a common competence; null for an intern's list, which is counted.
   */
  private tallied(query: TraceListQuery): Promise<{ total: number }[]> | null {
    if (query.internId) return null;
    const params = new SqlParams();
    const where = [...(query.status ? [`status = ${params.add(query.status)}`] : []), ...(query.kind ? [`kind = ${params.add(query.kind)}`] : [])];
    // A pair's tag is written `competence/famille`, as migration 14's triggers write it.
    const tag = query.competence && query.famille ? (['pair', `${query.competence}/${query.famille}`] as const)
      : query.competence ? (['competence', query.competence] as const)
      : query.famille ? (['famille', query.famille] as const)
      : null;
    if (tag) where.push(`axis = '${tag[0]}'`, `tag = ${params.add(tag[1])}`);
    return this.db.prepared(`SELECT coalesce(sum(n), 0)::int AS total FROM ${tag ? 'trace_tag_tally' : 'trace_tally'}${where.length ? ` WHERE ${where.join(' AND ')}` : ''}`, params.values);
  }

  /**
   * The rows after a cursor's (sort key, id), in the list's order: last updated first, or
   * oldest submission first with the never-submitted at the end; ties broken by id.
   */
  private keyset(cursor: string, bySubmission: boolean, bind: (value: unknown) => string): string {
    const [key, id] = cursorKeys(cursor, [{ shape: CURSOR_KEY.timestamp, nullable: bySubmission }, { shape: CURSOR_KEY.uuid }]);
    const after = `t.id > ${bind(id)}::uuid`;
    if (!bySubmission) {
      const at = bind(key);
      return `(t.updated_at < ${at}::timestamptz OR (t.updated_at = ${at}::timestamptz AND ${after}))`;
    }
    if (key === null) return `(t.submitted_at IS NULL AND ${after})`;
    const at = bind(key);
    return `(t.submitted_at > ${at}::timestamptz OR (t.submitted_at = ${at}::timestamptz AND ${after}) OR t.submitted_at IS NULL)`;
  }
}
