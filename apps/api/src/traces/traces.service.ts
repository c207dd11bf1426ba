import { Inject, Injectable } from '@nestjs/common';
import { CARNET_CONFIG } from '@carnet/config';
import { ResolvedConfig } from '@carnet/infrastructure';
import { STORAGE_DRIVER, StorageDriver } from '@carnet/storage';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { Attachment, entityColumns, PreparedStatements, Tenancy, Trace, User } from '@carnet/database';
import { assertDeletable, assertEditable, COMPETENCE_CODES, COMPETENCES, DomainError, EDITABLE_STATUSES, ErrorCode, EXTRA_FAMILLE, EXTRA_FAMILLE_LABEL, FAMILLES, familleCodes, notFound, TRACE_KINDS, TRACE_STATUSES } from '@carnet/domain';
import { BlockDocument, DocumentValidatorCache, emptyDocument, InvalidDocumentError, plainText, rscaTemplate } from '@carnet/editor';
import { AuditService } from '../audit/audit.service';
import { AuthContext } from '../auth/auth-context';
import { escapeHtml } from '@carnet/editor';
import { CURSOR_KEY, cursorKeys, keysetPage, offsetOf, Page, pageOf } from '../common/paging';
import { isoSql, keySql, literalOf, SqlParams } from '@carnet/database';
import { CreateTraceBody, ListTracesQuery, UpdateTraceBody } from './dto/traces.dto';
import { TraceAccessService, TraceRelation } from './trace-access.service';
import type { AttachmentView, TraceView } from '@carnet/contracts';
import { attachmentScanSql } from './attachments.service';
import { fillTraceOrigins } from './trace-origin';

export type { TraceView };

/** What a view of a trace is made of: the entity, or a list row without its content (its times already ISO text). */
type TraceFields = Pick<Trace, 'id' | 'internId' | 'kind' | 'title' | 'competences' | 'familles' | 'stageId' | 'status' | 'version'> &
  Pick<Trace, 'validatedBy' | 'validatedSha256'> & Partial<Pick<Trace, 'originFacultyId'>> & { content?: Trace['content']; importedOrigin?: Trace['importedOrigin'] } & {
    [K in 'createdAt' | 'updatedAt']: Date | string;
  } & { [K in 'submittedAt' | 'validatedAt']: Date | string | null };

const iso = (at: Date | string) => (typeof at === 'string' ? at : at.toISOString());

export function traceView(trace: TraceFields, relation: TraceRelation, attachments?: AttachmentView[]): TraceView {
  const view: TraceView = {
    id: trace.id,
    internId: trace.internId,
    kind: trace.kind,
    competences: trace.competences,
    familles: trace.familles,
    stageId: trace.stageId,
    status: trace.status,
    version: trace.version,
    createdAt: iso(trace.createdAt),
    updatedAt: iso(trace.updatedAt),
    submittedAt: trace.submittedAt === null ? null : iso(trace.submittedAt),
    validatedAt: trace.validatedAt === null ? null : iso(trace.validatedAt),
    validatedBy: trace.validatedBy,
    validatedSha256: trace.validatedSha256,
  };
  if (trace.importedOrigin) {
    const o = trace.importedOrigin;
    view.importedFrom = {
      faculty: o.faculty.name,
      deployment: o.deployment,
      validator: o.validator,
      validatedAt: o.validatedAt,
      sha256: o.sha256,
      signed: o.signed,
      relayedBy: o.relayedBy ? { faculty: o.relayedBy.faculty.name, deployment: o.relayedBy.deployment } : null,
    };
  }
  // Names filled by `fillTraceOrigins`.
  if (trace.originFacultyId) view.origin = { facultyId: trace.originFacultyId, facultyName: '' };
  if (relation === 'gept_lead') view.readAs = 'gept_lead';
  if (relation !== 'admin') {
    view.title = trace.title;
    if (trace.content) view.content = trace.content as Record<string, unknown>;
    if (attachments) view.attachments = attachments;
  }
  return view;
}

/**
 * The documents autosaves send again and again, block by block: a save checks against the editor
 * schema only the blocks this process has not seen yet.
 */
const documents = new DocumentValidatorCache();

/**
 * Turns a schema refusal into the API's 422 / 413 with the path of each fault. `jsonText` is the
 * canonical document as stored; `json` is made only when asked for (an answer that carries it).
 */
export function checkedContent(content: unknown): { readonly json: Record<string, unknown>; jsonText: string; text: string; blocks: BlockDocument } {
  return refusedAsProblem(() => {
    const checked = documents.validate(content);
    return {
      jsonText: checked.jsonText,
      text: plainText(checked.node),
      blocks: checked.blocks,
      get json() {
        return checked.json as unknown as Record<string, unknown>;
      },
    };
  });
}

function refusedAsProblem<T>(check: () => T): T {
  try {
    return check();
  } catch (error) {
    if (error instanceof InvalidDocumentError) {
      throw new DomainError(
        error.tooLarge ? ErrorCode.TooLarge : ErrorCode.InvalidInput,
        error.tooLarge ? 'Le document dépasse 2 Mo.' : 'Le contenu ne respecte pas le schéma de l’éditeur.',
        error.faults,
      );
    }
    throw error;
  }
}

/** A trace's content as saved at one version: its blocks, and its plain text exactly as stored. */
interface SavedContent {
  version: number;
  blocks: BlockDocument;
  text: string;
}

/**
 * The content of the version each trace was last saved at by this process, for the next save's
 * delta (`contentDelta`): a version's content never changes once saved (every write of it moves
 * the version on), so a remembered one is what the database holds at that version. Bounded by
 * size, least recently saved first out; a trace not remembered is read from the database.
 */
class SavedContents {
  private readonly byTrace = new Map<string, SavedContent & { chars: number }>();
  private chars = 0;

  constructor(private readonly maxChars = 32 * 1024 * 1024) {}

  at(id: string, version: number): SavedContent | undefined {
    const saved = this.byTrace.get(id);
    return saved?.version === version ? saved : undefined;
  }

  remember(id: string, saved: SavedContent): void {
    this.forget(id);
    const chars = saved.blocks.chars + saved.text.length;
    this.byTrace.set(id, { ...saved, chars });
    this.chars += chars;
    for (const [key, entry] of this.byTrace) {
      if (this.chars <= this.maxChars) break;
      this.byTrace.delete(key);
      this.chars -= entry.chars;
    }
  }

  /** The content did not change from `from` to `to` (a save of the title or the tags). */
  moved(id: string, from: number, to: number): void {
    const saved = this.byTrace.get(id);
    if (saved?.version === from) saved.version = to;
  }

  forget(id: string): void {
    const saved = this.byTrace.get(id);
    if (saved) {
      this.byTrace.delete(id);
      this.chars -= saved.chars;
    }
  }
}

/**
 * How to turn `before` into `after`: keep `prefix` characters, then `middle`, then the last
 * `suffix` characters. Counted in code points, as PostgreSQL's `left` and `right` count a UTF-8
 * text's characters; never splitting a surrogate pair.
 */
export function textSplice(before: string, after: string): { prefix: number; middle: string; suffix: number } {
  const max = Math.min(before.length, after.length);
  // Compared a stretch at a time (native string equality), then character by character.
  const STRETCH = 512;
  let start = 0;
  while (start + STRETCH <= max && before.slice(start, start + STRETCH) === after.slice(start, start + STRETCH)) start += STRETCH;
  while (start < max && before.charCodeAt(start) === after.charCodeAt(start)) start++;
  // The kept beginning must not end on the first half of a pair.
  if (start > 0 && (isLowSurrogate(before.charCodeAt(start)) || isLowSurrogate(after.charCodeAt(start)))) start--;
  const room = max - start;
  let end = 0;
  while (end + STRETCH <= room && before.slice(before.length - end - STRETCH, before.length - end) === after.slice(after.length - end - STRETCH, after.length - end)) end += STRETCH;
  while (end < room && before.charCodeAt(before.length - 1 - end) === after.charCodeAt(after.length - 1 - end)) end++;
  // The kept end must not begin on the second half of a pair.
  if (end > 0 && isLowSurrogate(after.charCodeAt(after.length - end))) end--;
  return { prefix: codePoints(after.slice(0, start)), middle: after.slice(start, after.length - end), suffix: codePoints(after.slice(after.length - end)) };
}

const isLowSurrogate = (unit: number) => unit >= 0xdc00 && unit <= 0xdfff;

/** A text's length in code points: its UTF-16 length less the second halves of its pairs. */
const codePoints = (text: string) => text.length - (LOW_SURROGATE.test(text) ? text.match(LOW_SURROGATES)!.length : 0);
const LOW_SURROGATE = /[\uDC00-\uDFFF]/;
const LOW_SURROGATES = /[\uDC00-\uDFFF]/g;

const MARK_START = '\u0001';
const MARK_END = '\u0002';

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

/** A row of the list query: the trace's fields (named as the entity's), and what the list adds. */
type TraceListRow = TraceFields & { relation: TraceRelation; unread: number; snippet?: string; updatedKey?: string; submittedKey?: string | null };

/** The statuses in which an owner edits a trace, as SQL literals. */
const EDITABLE_SQL = EDITABLE_STATUSES.map((status) => literalOf(status, TRACE_STATUSES)).join(', ');

// The tag arrays come as JSON (parsed natively): pg's text-array parser, character by
// character, was 6 % of the API's CPU on an admin's list of 50 rows.
const LIST_COLUMNS = `t.id, t.intern_id AS "internId", t.kind, t.title, to_json(t.competences) AS competences, to_json(t.familles) AS familles, t.stage_id AS "stageId", t.status, t.version,
  ${isoSql('t.created_at')} AS "createdAt", ${isoSql('t.updated_at')} AS "updatedAt", ${isoSql('t.submitted_at')} AS "submittedAt",
  ${isoSql('t.validated_at')} AS "validatedAt", t.validated_by AS "validatedBy", t.validated_sha256 AS "validatedSha256", t.imported_origin AS "importedOrigin", t.origin_faculty_id AS "originFacultyId"`;

@Injectable()
export class TracesService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @Inject(CARNET_CONFIG) private readonly config: ResolvedConfig,
    @Inject(STORAGE_DRIVER) private readonly storage: StorageDriver,
    private readonly access: TraceAccessService,
    private readonly audit: AuditService,
    private readonly statements: PreparedStatements,
  ) {
    this.metadataColumns = entityColumns(dataSource, Trace, 't', ['content']);
  }

  /** A trace's columns as the entity's properties but its content (`access.traceColumns` has them all). */
  private readonly metadataColumns: string;

  private readonly saved = new SavedContents();

  /** The referential as this department uses it, for the editor's pickers. */
  referential() {
    return {
      competences: COMPETENCES,
      familles: this.config.extraFamille ? { ...FAMILLES, [EXTRA_FAMILLE]: EXTRA_FAMILLE_LABEL } : FAMILLES,
      kinds: TRACE_KINDS,
    };
  }

  async create(auth: AuthContext, body: CreateTraceBody): Promise<TraceView> {
    const content = checkedContent(body.content ?? (body.kind === 'rsca' ? rscaTemplate() : emptyDocument()));
    this.assertFamillesAllowed(body.familles);
    await this.assertOwnStage(auth, body.stageId);
    const created = await this.dataSource.transaction(async (manager) => {
      const trace = manager.create(Trace, {
        internId: auth.userId,
        kind: body.kind,
        title: body.title.trim(),
        content: content.json,
        contentText: content.text,
        competences: body.competences,
        familles: body.familles,
        stageId: body.stageId ?? null,
        status: 'draft',
        version: 1,
        everSubmitted: false,
        createdAt: new Date(),
        updatedAt: new Date(),
        submittedAt: null,
        validatedAt: null,
        validatedBy: null,
        validatedSha256: null,
      });
      await manager.insert(Trace, trace);
      await this.audit.record(auth, { action: 'trace.created', subjectType: 'trace', subjectId: trace.id, details: { kind: trace.kind } }, manager);
      return traceView(trace, 'owner', []);
    });
    this.saved.remember(created.id, { version: created.version, blocks: content.blocks, text: content.text });
    return created;
  }

  /**
   * A trace as the caller may see it, in one statement: the trace and the caller's relation to
   * it, its attachments (not for an admin, who sees metadata), and the audit entry of a read by
   * anyone but its author, written by the same statement as the read it records.
   */
  async get(auth: AuthContext, id: string): Promise<TraceView> {
    const params = new SqlParams();
    const me = params.add(auth.userId);
    const attachments = `SELECT coalesce(json_agg(json_build_object('id', a.id, 'filename', a.filename, 'size', a.size, 'sha256', a.sha256,
        'mimeType', a.mime_type, 'createdAt', ${isoSql('a.created_at')}, 'scan', ${attachmentScanSql('a')}) ORDER BY a.created_at), '[]') FROM attachment a WHERE a.trace_id = found.id`;
    const sql = `WITH found AS (${this.access.selectSql(auth, me, params.add(id))}),
      audit AS (${this.audit.insertSql(auth, { action: 'trace.read', subjectType: 'trace' }, params, { from: 'found', where: `found.relation <> 'owner'`, subjectId: 'found.id::text', details: `jsonb_build_object('as', found.relation)` })})
      SELECT found.*, CASE WHEN found.relation <> 'admin' THEN (${attachments}) END AS attachments FROM found`;
    const [row] = await this.statements.query<Trace & { relation: TraceRelation | null; attachments: AttachmentView[] | null }>(sql, params.values);
    if (!row?.relation) throw notFound('Trace');
    const { relation, attachments: files, ...trace } = row;
    const view = traceView(trace, relation, files ?? undefined);
    await fillTraceOrigins(this.dataSource, [view]);
    return view;
  }

  /**
   * Autosave: applies a partial change only if the client saw the current version (If-Match).
   * One statement, the trace's most frequent write: the UPDATE's own conditions (the caller's
   * trace, at the version they saw, still editable) decide, and PostgreSQL re-checks them on the
   * row as it is once a concurrent save of the same version has committed, so the second finds
   * the version moved on and changes nothing: 412, no write ever lost silently. When nothing
   * changed, the trace as it is now says why (404, 403, 412, 409), in that order. With
   * `answer.content` false (the client asked for a minimal answer), the view leaves the content out.
   *
   * The content comes whole (`content`) or as the blocks that changed since the version named
   * (`contentDelta`): the delta is applied to that version's content (remembered from the last
   * save, else read), checked as a whole document would be, and sent to PostgreSQL as a splice of
   * the stored JSON array and plain text, so a save of one paragraph sends one paragraph.
   */
  async update(auth: AuthContext, id: string, expectedVersion: number, body: UpdateTraceBody, answer: { content: boolean } = { content: true }): Promise<TraceView> {
    if (body.content !== undefined && body.contentDelta !== undefined) {
      throw new DomainError(ErrorCode.InvalidInput, 'Envoyez le document entier ou ses changements, pas les deux.', [{ path: 'contentDelta', message: 'sans objet avec « content »' }]);
    }
    const content = body.content === undefined ? undefined : checkedContent(body.content);
    this.assertFamillesAllowed(body.familles);
    await this.assertOwnStage(auth, body.stageId);
    let delta: { base: SavedContent; blocks: BlockDocument; text: string } | undefined;
    if (body.contentDelta !== undefined) {
      const base = this.saved.at(id, expectedVersion) ?? (await this.savedContent(auth, id, expectedVersion));
      const blocks = refusedAsProblem(() => documents.apply(base.blocks, body.contentDelta));
      delta = { base, blocks, text: blocks.text };
    }
    const params = new SqlParams();
    const set = [`version = t.version + 1`, `updated_at = ${params.add(new Date())}`];
    const where: string[] = [];
    if (body.title !== undefined) set.push(`title = ${params.add(body.title.trim())}`);
    if (body.kind !== undefined) set.push(`kind = ${params.add(body.kind)}`);
    if (body.competences !== undefined) set.push(`competences = ${params.add(body.competences)}`);
    if (body.familles !== undefined) set.push(`familles = ${params.add(body.familles)}`);
    if (body.stageId !== undefined) set.push(`stage_id = ${params.add(body.stageId)}`);
    if (content) set.push(`content = ${params.add(content.jsonText)}::jsonb`, `content_text = ${params.add(content.text)}`);
    if (delta) {
      // The stored blocks before and after the change stay where they are; the database is sent
      // only the changed blocks and the changed stretch of plain text.
      const { from, to } = body.contentDelta!;
      const [start, end] = [params.add(from), params.add(to)];
      const inserted = params.add(delta.blocks.jsonTextOf(from, delta.blocks.length - (delta.base.blocks.length - to)));
      set.push(`content = jsonb_build_object('type', 'doc', 'content', (SELECT jsonb_agg(b.e ORDER BY b.part, b.o) FROM (
          SELECT CASE WHEN s.o <= ${start} THEN 0 ELSE 2 END AS part, s.o, s.e FROM jsonb_array_elements(t.content -> 'content') WITH ORDINALITY AS s(e, o) WHERE s.o <= ${start} OR s.o > ${end}
          UNION ALL SELECT 1, i.o, i.e FROM jsonb_array_elements(${inserted}::jsonb) WITH ORDINALITY AS i(e, o)) b))`);
      const text = textSplice(delta.base.text, delta.text);
      set.push(`content_text = left(t.content_text, ${params.add(text.prefix)}) || ${params.add(text.middle)} || right(t.content_text, ${params.add(text.suffix)})`);
      // What the delta was computed against, checked where it is stored.
      where.push(`jsonb_array_length(t.content -> 'content') = ${params.add(delta.base.blocks.length)}`);
    }
    // The search vector is not recomputed here: the worker does it once the trace rests, and a
    // search computes a stale one itself (SEARCH_VECTOR).
    if (content || delta || body.title !== undefined) set.push(`search_stale = true`);
    // A saved content is not sent back from the database: the caller holds it (up to 2 MB).
    const sql = `UPDATE trace t SET ${set.join(', ')}
      WHERE t.id = ${params.add(id)} AND t.intern_id = ${params.add(auth.userId)} AND t.faculty_id = ${params.add(auth.facultyId)} AND t.version = ${params.add(expectedVersion)}
        AND t.status IN (${EDITABLE_SQL})${where.map((condition) => ` AND ${condition}`).join('')}
      RETURNING ${content || delta || !answer.content ? this.metadataColumns : this.access.traceColumns}`;
    // A second try only if the trace was made editable again between the two statements.
    for (let attempt = 1; ; attempt++) {
      const [saved] = await Tenancy.asSystem(() => this.statements.query<Trace>(sql, params.values));
      if (saved) {
        if (content) this.saved.remember(id, { version: saved.version, blocks: content.blocks, text: content.text });
        else if (delta) this.saved.remember(id, { version: saved.version, blocks: delta.blocks, text: delta.text });
        else this.saved.moved(id, expectedVersion, saved.version);
        const sent = content ? content.json : delta && answer.content ? (delta.blocks.node().toJSON() as Record<string, unknown>) : undefined;
        return traceView(sent && answer.content ? { ...saved, content: sent } : saved, 'owner');
      }
      await this.whyNotSaved(auth, id, expectedVersion);
      if (delta) {
        // At the version named and editable, yet not as remembered: never guessed at.
        this.saved.forget(id);
        throw new DomainError(ErrorCode.InvalidInput, 'Les changements ne s’appliquent pas à la version enregistrée : envoyez le document entier.', [
          { path: 'contentDelta', message: 'version enregistrée différente' },
        ]);
      }
      if (attempt === 3) throw new DomainError(ErrorCode.TraceLocked, 'La trace change d’état en ce moment : réessayez dans un instant.');
    }
  }

  /** Why a save at `expectedVersion` changed nothing: 404, 403, 412 or 409, thrown; returns if none applies. */
  private async whyNotSaved(auth: AuthContext, id: string, expectedVersion: number): Promise<void> {
    const { trace, relation } = await this.access.load(this.dataSource.manager, auth, id);
    this.access.assertOwner(relation);
    if (trace.version !== expectedVersion) {
      throw new DomainError(
        ErrorCode.StaleVersion,
        `La trace a été modifiée ailleurs (version ${trace.version}, vous aviez la version ${expectedVersion}) : rechargez-la avant d’enregistrer.`,
      );
    }
    assertEditable(trace, auth.userId);
  }

  /** The content the caller's trace has at `version`, read, for a delta against a version this process did not save. */
  private async savedContent(auth: AuthContext, id: string, version: number): Promise<SavedContent> {
    const [row] = await this.statements.query<{ content: string; text: string }>(
      `SELECT t.content::text AS content, t.content_text AS text FROM trace t WHERE t.id = $1 AND t.intern_id = $2 AND t.version = $3 AND t.status IN (${EDITABLE_SQL})`,
      [id, auth.userId, version],
    );
    if (!row) {
      await this.whyNotSaved(auth, id, version);
      throw new DomainError(ErrorCode.TraceLocked, 'La trace change d’état en ce moment : réessayez dans un instant.');
    }
    const saved = { version, blocks: checkedContent(JSON.parse(row.content)).blocks, text: row.text };
    this.saved.remember(id, saved);
    return saved;
  }

  async remove(auth: AuthContext, id: string): Promise<void> {
    const keys = await this.dataSource.transaction(async (manager) => {
      const { trace, relation } = await this.access.load(manager, auth, id, true);
      this.access.assertOwner(relation);
      assertDeletable(trace, auth.userId);
      const attachments = await manager.getRepository(Attachment).findBy({ traceId: id });
      await manager.delete(Trace, { id });
      await this.audit.record(auth, { action: 'trace.deleted', subjectType: 'trace', subjectId: id, details: { attachments: attachments.map((a) => a.storageKey) } }, manager);
      return attachments.map((a) => a.storageKey);
    });
    // Files go once the rows are gone: a failure here leaves an orphan file, never a dangling row.
    await Promise.all(keys.map((key) => this.storage.delete(key).catch(() => undefined)));
  }

  /**
   * A page of the traces the caller may see, filtered, sorted, or searched (French full text).
   * Hand-written SQL: the page's ids and sort keys first (indexes, no content read), then, for
   * those rows only, the unread-comment counts and the search snippets. A list counts its total
   * beside the page; a search ranks and counts its matches in the same statement, so each
   * candidate's search vector is read once. A search by a tutor or a juror takes one more round
   * trip before: what they may see.
   */
  async list(auth: AuthContext, query: ListTracesQuery): Promise<Page<TraceView>> {
    const text = query.q?.trim();
    // A search ranks every match of its filter: the planner is given the caller's sets as
    // arrays it can see (fetched first); a list reads a page off an index, its sets inline.
    const sets = text ? await this.access.visibleSets(this.dataSource.manager, auth) : null;
    const params = new SqlParams();
    const scope = this.access.listScope(auth, sets, params);
    const where = scope.visible ? [scope.visible] : [];
    // An intern's own list binds their id once: as two parameters, a prepared plan could not
    // tell they are equal and guessed too few rows, so PostgreSQL planned each execution again.
    if (query.internId) where.push(`t.intern_id = ${query.internId === auth.userId ? params.named('me', auth.userId) : params.add(query.internId)}`);
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
    if (text && query.cursor) {
      throw new DomainError(ErrorCode.InvalidInput, 'Une recherche se parcourt par numéro de page, pas par curseur.', [{ path: 'cursor', message: 'sans objet pour une recherche' }]);
    }
    const tsquery = text ? searchQuery(text, (value) => params.add(value)) : null;
    if (text && !tsquery) return { ...pageOf([], 0, query), nextCursor: null };
    // Content is searched only where the caller may read it: never in an admin's metadata view.
    if (tsquery) where.push(...(scope.visible ? [] : [scope.readable()]), `${SEARCH_VECTOR} @@ (${tsquery})`);
    const filter = where.length ? `WHERE ${where.join(' AND ')}` : '';
    // The count uses exactly the parameters bound so far: the filter's.
    const filterValues = [...params.values];
    const me = () => params.named('me', auth.userId);
    // Counted only where the caller is in the conversation: never over an admin's metadata rows.
    const unread = () => `CASE WHEN p.relation = 'admin' THEN 0 ELSE (SELECT count(*)::int FROM trace_comment c WHERE c.trace_id = p.id AND c.author_id <> ${me()}
        AND c.created_at > coalesce((SELECT r.seen_at FROM trace_read r WHERE r.user_id = ${me()} AND r.trace_id = p.id), '-infinity')) END AS unread`;
    // The limit is written into the text (a validated integer, a handful of values), so a
    // prepared list keeps a plan made for its page size; the offset is bound, and left out on
    // a first page or after a cursor.
    const limit = (extra = 0) => {
      const offset = query.cursor ? 0 : offsetOf(query);
      return `LIMIT ${Math.trunc(query.pageSize) + extra}${offset ? ` OFFSET ${params.add(offset)}` : ''}`;
    };
    let nextCursor: string | null = null;

    let rows: TraceListRow[];
    let total: number;
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
      const found = (await this.dataSource.query(sql, params.values)) as (TraceListRow & { total: number })[];
      total = found[0]?.total ?? 0;
      rows = found.filter((row) => row.id !== null);
    } else {
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
      let counted: { total: number }[];
      [rows, counted] = await Promise.all([
        this.statements.query<TraceListRow>(sql, params.values),
        (scope.visible === null && this.tallied(query)) ||
          this.statements.query<{ total: number }>(`SELECT count(*)::int AS total FROM trace t ${filter}`, filterValues),
      ]);
      total = counted[0].total;
      ({ rows, nextCursor } = keysetPage(rows, query.pageSize, (last) => [bySubmission ? last.submittedKey! : last.updatedKey!, last.id]));
    }
    const items = rows.map((row) => {
      const view = traceView(row, row.relation);
      if (row.relation !== 'admin') view.unreadComments = row.unread;
      if (row.snippet !== undefined) view.snippet = escapeHtml(row.snippet).replaceAll(MARK_START, '<mark>').replaceAll(MARK_END, '</mark>');
      return view;
    });
    await fillTraceOrigins(this.dataSource, items);
    return { ...pageOf(items, total, query), nextCursor };
  }

  /**
   * The total of a list of every trace (an admin's) filtered by status, kind, a competence and a
   * famille, from the summaries the triggers keep (`trace_tally`; `trace_tag_tally` by tag, or
   * by competence/famille pair), where a count would read every one of 2 million traces, or a
   * third of them for a common competence; null for an intern's list, which is counted.
   */
  private tallied(query: ListTracesQuery): Promise<{ total: number }[]> | null {
    if (query.internId) return null;
    const params = new SqlParams();
    const where = [...(query.status ? [`status = ${params.add(query.status)}`] : []), ...(query.kind ? [`kind = ${params.add(query.kind)}`] : [])];
    // A pair's tag is written `competence/famille`, as migration 14's triggers write it.
    const tag = query.competence && query.famille ? (['pair', `${query.competence}/${query.famille}`] as const)
      : query.competence ? (['competence', query.competence] as const)
      : query.famille ? (['famille', query.famille] as const)
      : null;
    if (tag) where.push(`axis = '${tag[0]}'`, `tag = ${params.add(tag[1])}`);
    return this.statements.query(`SELECT coalesce(sum(n), 0)::int AS total FROM ${tag ? 'trace_tag_tally' : 'trace_tally'}${where.length ? ` WHERE ${where.join(' AND ')}` : ''}`, params.values);
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

  /** The twelfth famille exists only where the department turned it on (EXTRA_FAMILLE). */
  private assertFamillesAllowed(familles: string[] | undefined): void {
    if (!this.config.extraFamille && familles?.includes(EXTRA_FAMILLE)) {
      throw new DomainError(ErrorCode.InvalidInput, 'Votre département n’utilise pas de famille « hors des onze familles ».', [{ path: 'familles', message: 'famille de situations inconnue' }]);
    }
  }

  /** A trace is linked to one of its author's own stages, or to none. */
  private async assertOwnStage(auth: AuthContext, stageId: string | null | undefined): Promise<void> {
    if (!stageId) return;
    const rows: unknown[] = await this.dataSource.query(`SELECT 1 FROM stage WHERE id = $1 AND intern_id = $2`, [stageId, auth.userId]);
    if (!rows.length) throw new DomainError(ErrorCode.InvalidInput, 'Ce stage n’est pas l’un des vôtres.', [{ path: 'stageId', message: 'stage inconnu' }]);
  }

  /** For notifications: the intern behind a trace. */
  async ownerOf(trace: Trace): Promise<User> {
    return this.dataSource.getRepository(User).findOneByOrFail({ id: trace.internId });
  }
}
