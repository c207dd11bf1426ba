import { Inject, Injectable } from '@nestjs/common';
import { CARNET_CONFIG } from '@carnet/config';
import { ResolvedConfig } from '@carnet/infrastructure';
import { STORAGE_DRIVER, StorageDriver } from '@carnet/storage';
import { AttachmentRepository, Page, pageOf, PortfolioTransferRepository, SNIPPET_MARKS, Tenancy, Trace, TraceRepository, TraceSave, Transactions } from '@carnet/database';
import { assertDeletable, assertEditable, COMPETENCES, DomainError, ErrorCode, EXTRA_FAMILLE, EXTRA_FAMILLE_LABEL, FAMILLES, notFound, TRACE_KINDS } from '@carnet/domain';
import { BlockDocument, DocumentValidatorCache, emptyDocument, InvalidDocumentError, rscaTemplate } from '@carnet/editor';
import { AuditService } from '../audit/audit.service';
import { AuthContext } from '../auth/auth-context';
import { escapeHtml } from '@carnet/editor';
import { CreateTraceBody, ListTracesQuery, UpdateTraceBody } from './dto/traces.dto';
import { TraceAccessService, TraceRelation } from './trace-access.service';
import type { AttachmentView, TraceView } from '@carnet/contracts';
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
 * Turns a schema refusal into the API's 422 / 413 with the path of each fault. `blocks` is the
 * canonical document as stored; `json` is made only when asked for (an answer that carries it).
 */
export function checkedContent(content: unknown): { readonly json: Record<string, unknown>; readonly text: string; blocks: BlockDocument } {
  return refusedAsProblem(() => {
    const checked = documents.validate(content);
    return {
      // Block by block, as a save sends it (plainText gives the same).
      get text() {
        return checked.blocks.text;
      },
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

/** A trace's content as saved at one version: its blocks. */
interface SavedContent {
  version: number;
  blocks: BlockDocument;
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
    const chars = saved.blocks.chars;
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

const { start: MARK_START, end: MARK_END } = SNIPPET_MARKS;

@Injectable()
export class TracesService {
  constructor(
    private readonly traces: TraceRepository,
    private readonly transfers: PortfolioTransferRepository,
    private readonly attachments: AttachmentRepository,
    private readonly transactions: Transactions,
    @Inject(CARNET_CONFIG) private readonly config: ResolvedConfig,
    @Inject(STORAGE_DRIVER) private readonly storage: StorageDriver,
    private readonly access: TraceAccessService,
    private readonly audit: AuditService,
  ) {}

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
    const created = await this.transactions.run(async (tx) => {
      const trace = await this.traces.insert(
        {
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
        },
        tx,
      );
      await this.audit.record(auth, { action: 'trace.created', subjectType: 'trace', subjectId: trace.id, details: { kind: trace.kind } }, tx);
      return traceView(trace, 'owner', []);
    });
    this.saved.remember(created.id, { version: created.version, blocks: content.blocks });
    return created;
  }

  /**
   * A trace as the caller may see it, in one statement: the trace and the caller's relation to
   * it, its attachments (not for an admin, who sees metadata), and the audit entry of a read by
   * anyone but its author, written by the same statement as the read it records.
   */
  async get(auth: AuthContext, id: string): Promise<TraceView> {
    const row = await this.traces.findForReader(auth, { userId: auth.userId, ip: auth.ip, requestId: auth.requestId }, id);
    if (!row?.relation) throw notFound('Trace');
    const { relation, attachments: files, ...trace } = row;
    const view = traceView(trace, relation, files ?? undefined);
    await fillTraceOrigins(this.transfers, [view]);
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
   * save, else read) and checked as a whole document would be: a save of one paragraph sends one
   * paragraph over the network, and PostgreSQL writes the document it makes.
   */
  async update(auth: AuthContext, id: string, expectedVersion: number, body: UpdateTraceBody, answer: { content: boolean } = { content: true }): Promise<TraceView> {
    if (body.content !== undefined && body.contentDelta !== undefined) {
      throw new DomainError(ErrorCode.InvalidInput, 'Envoyez le document entier ou ses changements, pas les deux.', [{ path: 'contentDelta', message: 'sans objet avec « content »' }]);
    }
    const content = body.content === undefined ? undefined : checkedContent(body.content);
    this.assertFamillesAllowed(body.familles);
    await this.assertOwnStage(auth, body.stageId);
    let applied: BlockDocument | undefined;
    if (body.contentDelta !== undefined) {
      const base = this.saved.at(id, expectedVersion) ?? (await this.savedContent(auth, id, expectedVersion));
      applied = refusedAsProblem(() => documents.apply(base.blocks, body.contentDelta));
    }
    const written = content?.blocks ?? applied;
    const save: TraceSave = {
      id,
      internId: auth.userId,
      facultyId: auth.facultyId,
      expectedVersion,
      updatedAt: new Date(),
      title: body.title?.trim(),
      kind: body.kind,
      competences: body.competences,
      familles: body.familles,
      stageId: body.stageId,
      // The whole document goes to PostgreSQL, delta or not, as the blocks' UTF-8 bytes already at
      // hand: rebuilding the stored JSON around the changed blocks in SQL cost the database more
      // than reading the whole text, and joining and encoding it cost the API (ADR 0012).
      content: written && { json: written.jsonUtf8Pieces(), text: written.textUtf8Pieces() },
      // A saved content is not sent back from the database: the caller holds it (up to 2 MB).
      returning: written || !answer.content ? 'metadata' : 'all',
    };
    // A second try only if the trace was made editable again between the two statements.
    for (let attempt = 1; ; attempt++) {
      const saved = await Tenancy.asSystem(() => this.traces.saveIfCurrent(save));
      if (saved) {
        if (written) this.saved.remember(id, { version: saved.version, blocks: written });
        else this.saved.moved(id, expectedVersion, saved.version);
        const sent = content ? content.json : applied && answer.content ? (applied.node().toJSON() as Record<string, unknown>) : undefined;
        return traceView(sent && answer.content ? { ...saved, content: sent } : saved, 'owner');
      }
      await this.whyNotSaved(auth, id, expectedVersion);
      if (attempt === 3) throw new DomainError(ErrorCode.TraceLocked, 'La trace change d’état en ce moment : réessayez dans un instant.');
    }
  }

  /** Why a save at `expectedVersion` changed nothing: 404, 403, 412 or 409, thrown; returns if none applies. */
  private async whyNotSaved(auth: AuthContext, id: string, expectedVersion: number): Promise<void> {
    const { trace, relation } = await this.access.load(undefined, auth, id);
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
    const row = await this.traces.editableContentAt(id, auth.userId, version);
    if (!row) {
      await this.whyNotSaved(auth, id, version);
      throw new DomainError(ErrorCode.TraceLocked, 'La trace change d’état en ce moment : réessayez dans un instant.');
    }
    const saved = { version, blocks: checkedContent(JSON.parse(row.content)).blocks };
    this.saved.remember(id, saved);
    return saved;
  }

  async remove(auth: AuthContext, id: string): Promise<void> {
    const keys = await this.transactions.run(async (tx) => {
      const { trace, relation } = await this.access.load(tx, auth, id, true);
      this.access.assertOwner(relation);
      assertDeletable(trace, auth.userId);
      const attachments = await this.attachments.ofTraces([id], tx);
      await this.traces.remove(id, tx);
      await this.audit.record(auth, { action: 'trace.deleted', subjectType: 'trace', subjectId: id, details: { attachments: attachments.map((a) => a.storageKey) } }, tx);
      return attachments.map((a) => a.storageKey);
    });
    // Files go once the rows are gone: a failure here leaves an orphan file, never a dangling row.
    await Promise.all(keys.map((key) => this.storage.delete(key).catch(() => undefined)));
  }

  /**
   * A page of the traces the caller may see, filtered, sorted, or searched (French full text;
   * `TraceRepository.list`). A search is paged by number, never by cursor.
   */
  async list(auth: AuthContext, query: ListTracesQuery): Promise<Page<TraceView>> {
    if (query.q?.trim() && query.cursor) {
      throw new DomainError(ErrorCode.InvalidInput, 'Une recherche se parcourt par numéro de page, pas par curseur.', [{ path: 'cursor', message: 'sans objet pour une recherche' }]);
    }
    const { rows, total, nextCursor } = await this.traces.list(auth, query);
    const items = rows.map((row) => {
      const view = traceView(row, row.relation);
      if (row.relation !== 'admin') view.unreadComments = row.unread;
      if (row.snippet !== undefined) view.snippet = escapeHtml(row.snippet).replaceAll(MARK_START, '<mark>').replaceAll(MARK_END, '</mark>');
      return view;
    });
    await fillTraceOrigins(this.transfers, items);
    return { ...pageOf(items, total, query), nextCursor };
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
    if (!(await this.traces.isOwnStage(stageId, auth.userId))) throw new DomainError(ErrorCode.InvalidInput, 'Ce stage n’est pas l’un des vôtres.', [{ path: 'stageId', message: 'stage inconnu' }]);
  }
}
