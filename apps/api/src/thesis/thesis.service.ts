import { Inject, Injectable } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import { randomUUID } from 'node:crypto';
import fs from 'node:fs/promises';
import type { Readable } from 'node:stream';
import { CARNET_CONFIG } from '@carnet/config';
import type { DirectorLinkIssued, DirectorLinkView, ThesisDirectorPageView, ThesisView } from '@carnet/contracts';
import { UserRepository, Thesis, ThesisDirectorLink, ThesisDocument, ThesisRepository, ThesisStep, Transactions, Tx } from '@carnet/database';
import {
  assertDirectorLinkLive,
  assertStepInput,
  assertThesisComment,
  assertThesisInput,
  DEFAULT_THESIS_STEPS,
  DIRECTOR_LINK_DAYS,
  displayName,
  DomainError,
  ErrorCode,
  notFound,
  stepTemplateErrors,
  thesisStepState,
} from '@carnet/domain';
import { ResolvedConfig } from '@carnet/infrastructure';
import { mailTemplates } from '@carnet/mail';
import { JOB_PRODUCER, JobProducer } from '@carnet/queue';
import { STORAGE_DRIVER, StorageDriver } from '@carnet/storage';
import { AuditService } from '../audit/audit.service';
import type { AuthContext, RequestOrigin } from '../auth/auth-context';
import { hashToken, newToken } from '../auth/tokens';
import { PortfolioAccessService, PortfolioRelation } from '../portfolios/portfolio-access.service';
import type { ThesisBody, ThesisStepBody } from './thesis.dto';
import { storeFile } from '../common/upload';
import { receiveDocument } from './thesis-upload';

/** Who reads a thesis: whoever reads the portfolio, and its director (with an account), who reads only the thesis. */
type ThesisRelation = PortfolioRelation | 'director';

/** A row the schema guarantees (a foreign key's target). */
const known = <T>(row: T | null): T => {
  if (row === null) throw new Error('A row the schema guarantees is missing.');
  return row;
};

const onlyIntern = () => new DomainError(ErrorCode.Forbidden, 'Seul l’interne tient sa thèse à jour ; son tuteur et les jurys la lisent.');

/**
 * The intern's thesis: subject, director, steps with dates and documents, the director's
 * comments. Steps are copied from the faculty's template when the thesis is declared.
 */
@Injectable()
export class ThesisService {
  constructor(
    private readonly theses: ThesisRepository,
    private readonly people: UserRepository,
    private readonly transactions: Transactions,
    @Inject(CARNET_CONFIG) private readonly config: ResolvedConfig,
    @Inject(JOB_PRODUCER) private readonly jobs: JobProducer,
    @Inject(STORAGE_DRIVER) private readonly storage: StorageDriver,
    private readonly access: PortfolioAccessService,
    private readonly audit: AuditService,
  ) {}

  async get(auth: AuthContext, internId: string, now = new Date()): Promise<ThesisView> {
    const { thesis, relation } = await this.readable(auth, internId);
    if (relation !== 'self') await this.audit.record(auth, { action: 'portfolio.read', subjectType: 'portfolio', subjectId: internId, details: { what: 'thesis', as: relation } });
    return this.view(thesis, relation, auth, now);
  }

  /** Theses the requester directs (an MSU with an account), newest first. */
  async directed(auth: AuthContext, now = new Date()): Promise<{ items: { internId: string; internName: string; subject: string; stalledSteps: number }[] }> {
    const theses = await this.theses.directedBy(auth.userId);
    const interns = await this.users(theses.map((t) => t.internId));
    const steps = await this.theses.stepsOf(theses.map((t) => t.id));
    return {
      items: theses.map((t) => ({
        internId: t.internId,
        internName: interns.get(t.internId) ?? '',
        subject: t.subject,
        stalledSteps: steps.filter((s) => s.thesisId === t.id && thesisStepState(s, now) === 'stalled').length,
      })),
    };
  }

  /** Declares or amends the thesis (the intern only): 201 when declared, 200 when amended. */
  async save(auth: AuthContext, internId: string, body: ThesisBody, now = new Date()): Promise<{ created: boolean; thesis: ThesisView }> {
    const { relation } = await this.access.relation(auth, internId);
    if (relation !== 'self') throw onlyIntern();
    assertThesisInput(body);
    const director = await this.director(body, internId);
    return this.transactions.run(async (tx) => {
      let thesis = await this.theses.lockOfIntern(internId, tx);
      const created = !thesis;
      if (!thesis) {
        thesis = await this.theses.insert(internId, { subject: body.subject.trim(), ...director }, now, tx);
        const template = await this.theses.stepTemplate(tx);
        const labels = template.length ? template.map((t) => t.label) : DEFAULT_THESIS_STEPS;
        await this.theses.insertSteps(thesis.id, labels, now, tx);
      } else {
        // A director who changes is no longer reachable by the links sent to the one before.
        if (thesis.directorEmail !== director.directorEmail) await this.theses.revokeLiveLinks(thesis.id, now, tx);
        Object.assign(thesis, { subject: body.subject.trim(), ...director, updatedAt: now });
        thesis = await this.theses.save(thesis, tx);
      }
      await this.audit.record(auth, { action: created ? 'thesis.create' : 'thesis.update', subjectType: 'thesis', subjectId: thesis.id, details: { internId, director: body.director?.kind ?? null } }, tx);
      return { created, thesis: await this.view(thesis, 'self', auth, now, tx) };
    });
  }

  async updateStep(auth: AuthContext, stepId: string, body: ThesisStepBody, now = new Date()): Promise<ThesisView> {
    const { step, thesis } = await this.ownStep(auth, stepId);
    assertStepInput(body, now);
    const changed = (['plannedOn', 'doneOn', 'note'] as const).filter((key) => body[key] !== undefined && body[key] !== step[key]);
    if (changed.length) {
      await this.transactions.run(async (tx) => {
        await this.theses.updateStep(step.id, Object.fromEntries(changed.map((key) => [key, body[key]])), now, tx);
        await this.theses.touch(thesis.id, now, tx);
        await this.audit.record(auth, { action: 'thesis_step.update', subjectType: 'thesis', subjectId: thesis.id, details: { stepId, label: step.label, changed } }, tx);
      });
    }
    return this.view(known(await this.theses.byId(thesis.id)), 'self', auth, now);
  }

  async upload(auth: AuthContext, stepId: string, request: FastifyRequest): Promise<ThesisView> {
    const { step, thesis } = await this.ownStep(auth, stepId);
    const received = await receiveDocument(request);
    const id = randomUUID();
    const storageKey = `thesis/${thesis.id}/${id}`;
    try {
      await storeFile(this.storage, storageKey, { path: received.file, size: received.size, mimeType: received.mimeType });
      try {
        await this.transactions.run(async (tx) => {
          await this.theses.insertDocument({ id, stepId: step.id, filename: received.filename, mimeType: received.mimeType, size: received.size, sha256: received.sha256, storageKey, uploadedBy: auth.userId, createdAt: new Date() }, tx);
          await this.audit.record(auth, { action: 'thesis_document.uploaded', subjectType: 'thesis', subjectId: thesis.id, details: { stepId, documentId: id, sha256: received.sha256, size: received.size } }, tx);
        });
      } catch (error) {
        await this.storage.delete(storageKey).catch(() => undefined);
        throw error;
      }
    } finally {
      await fs.rm(received.file, { force: true });
    }
    return this.view(thesis, 'self', auth);
  }

  async download(auth: AuthContext, documentId: string): Promise<{ document: ThesisDocument; redirect?: string; stream?: Readable }> {
    const document = await this.theses.document(documentId);
    if (!document) throw notFound('Document');
    const step = known(await this.theses.step(document.stepId));
    const thesis = known(await this.theses.byId(step.thesisId));
    const { relation } = await this.readable(auth, thesis.internId).catch((error: unknown) => {
      throw error instanceof DomainError && error.code === ErrorCode.NotFound ? notFound('Document') : error;
    });
    await this.audit.record(auth, { action: 'thesis_document.downloaded', subjectType: 'thesis', subjectId: thesis.id, details: { documentId, as: relation } });
    const redirect = await this.storage.signedUrl(document.storageKey, 300, document.filename);
    if (redirect) return { document, redirect };
    return { document, stream: await this.storage.get(document.storageKey) };
  }

  /** A comment by the thesis's director, signed in with their account. */
  async comment(auth: AuthContext, thesisId: string, body: string, now = new Date()): Promise<ThesisView> {
    const thesis = await this.theses.byId(thesisId);
    if (!thesis) throw notFound('Thèse');
    const { relation } = await this.readable(auth, thesis.internId).catch((error: unknown) => {
      throw error instanceof DomainError && error.code === ErrorCode.NotFound ? notFound('Thèse') : error;
    });
    if (relation !== 'director') throw new DomainError(ErrorCode.Forbidden, 'Seul le directeur de la thèse la commente.');
    assertThesisComment(body);
    const author = known(await this.people.byId(auth.userId));
    await this.transactions.run(async (tx) => {
      const saved = await this.theses.insertComment({ thesisId, authorId: auth.userId, authorName: displayName(author), linkId: null, body: body.trim(), createdAt: now }, tx);
      await this.audit.record(auth, { action: 'thesis.comment', subjectType: 'thesis', subjectId: thesisId, details: { commentId: saved.id, via: 'account' } }, tx);
    });
    return this.view(thesis, relation, auth, now);
  }

  /** Sends a new one-time link to the director without an account; the one before stops working. */
  async issueDirectorLink(auth: AuthContext, thesisId: string, now = new Date()): Promise<DirectorLinkIssued> {
    const thesis = await this.ownThesis(auth, thesisId);
    if (!thesis.directorEmail || !thesis.directorName) {
      throw new DomainError(ErrorCode.Conflict, 'Un lien ne s’envoie qu’à un directeur sans compte Carnet : votre directeur commente avec son compte.');
    }
    const token = newToken();
    const expiresAt = new Date(now.getTime() + DIRECTOR_LINK_DAYS * 86_400_000);
    const url = `${this.config.http.publicUrl}/direction-these#jeton=${encodeURIComponent(token)}`;
    const intern = known(await this.people.byId(thesis.internId));
    const link = await this.transactions.run(async (tx) => {
      await this.theses.revokeLiveLinks(thesis.id, now, tx);
      const saved = await this.theses.insertLink({ thesisId, email: thesis.directorEmail!, tokenHash: hashToken(token), createdBy: auth.userId, createdAt: now, expiresAt, usedAt: null, revokedAt: null }, tx);
      await this.audit.record(auth, { action: 'thesis.director_link.issued', subjectType: 'thesis', subjectId: thesisId, details: { linkId: saved.id, email: saved.email, expiresAt: expiresAt.toISOString() } }, tx);
      return saved;
    });
    const mail = mailTemplates.thesisDirectorLink(link.email, thesis.directorName, displayName(intern), thesis.subject, url, DIRECTOR_LINK_DAYS);
    await this.jobs.enqueue('mail.send', mail, { jobId: `mail-thesis-link-${link.id}` });
    const mailed = Boolean(this.config.mail.smtpUrl);
    // Without outgoing mail nobody would receive it: the intern is handed the link to pass on.
    return { email: link.email, expiresAt: expiresAt.toISOString(), mailed, ...(mailed ? {} : { url }) };
  }

  async revokeDirectorLink(auth: AuthContext, thesisId: string, now = new Date()): Promise<void> {
    const thesis = await this.ownThesis(auth, thesisId);
    await this.transactions.run(async (tx) => {
      const revoked = await this.theses.revokeLiveLinks(thesis.id, now, tx);
      if (revoked) await this.audit.record(auth, { action: 'thesis.director_link.revoked', subjectType: 'thesis', subjectId: thesisId, details: {} }, tx);
    });
  }

  /** The thesis as its director sees it through a live link (which this read does not use up). */
  async directorPage(token: string, now = new Date()): Promise<ThesisDirectorPageView> {
    const link = await this.theses.linkByTokenHash(hashToken(token));
    if (!link) throw notFound('Lien');
    assertDirectorLinkLive(link, now);
    return this.pageView(link, now);
  }

  /** The director's comment through their link, which it uses up. */
  async directorComment(token: string, body: string, origin: RequestOrigin, now = new Date()): Promise<ThesisDirectorPageView> {
    assertThesisComment(body);
    await this.transactions.run(async (tx) => {
      const link = await this.theses.linkByTokenHash(hashToken(token), { forUpdate: true }, tx);
      if (!link) throw notFound('Lien');
      assertDirectorLinkLive(link, now);
      const thesis = known(await this.theses.byId(link.thesisId, tx));
      const id = await this.theses.insertLinkComment(link.id, thesis.directorName ?? link.email, body.trim(), now, tx);
      await this.theses.markLinkUsed(link.id, now, tx);
      await this.audit.record({ ...origin, userId: null }, { action: 'thesis.director_link.used', subjectType: 'thesis', subjectId: thesis.id, details: { linkId: link.id, commentId: id, email: link.email } }, tx);
    });
    const link = known(await this.theses.linkByTokenHash(hashToken(token)));
    return this.pageView(link, now);
  }

  private async pageView(link: ThesisDirectorLink, now: Date): Promise<ThesisDirectorPageView> {
    const thesis = known(await this.theses.byId(link.thesisId));
    const view = await this.view(thesis, 'director', null, now);
    return {
      internName: view.intern.displayName,
      directorName: thesis.directorName ?? '',
      subject: view.subject,
      steps: view.steps.map(({ position, label, plannedOn, doneOn, note, state }) => ({ position, label, plannedOn, doneOn, note, state })),
      comments: view.comments,
      expiresAt: link.expiresAt.toISOString(),
    };
  }

  async template(): Promise<{ steps: string[]; custom: boolean }> {
    const rows = await this.theses.stepTemplate();
    return rows.length ? { steps: rows.map((r) => r.label), custom: true } : { steps: [...DEFAULT_THESIS_STEPS], custom: false };
  }

  /** The faculty's steps for theses declared from now on; running theses keep theirs. */
  async setTemplate(auth: AuthContext, steps: string[]): Promise<{ steps: string[]; custom: boolean }> {
    const errors = stepTemplateErrors(steps);
    if (errors.length) throw new DomainError(ErrorCode.InvalidInput, 'Les étapes de thèse sont invalides.', errors);
    await this.transactions.run(async (tx) => {
      await this.theses.replaceStepTemplate(steps.map((label) => label.trim()), tx);
      await this.audit.record(auth, { action: 'thesis.steps_defined', subjectType: 'faculty', details: { steps } }, tx);
    });
    return this.template();
  }

  /** The thesis and the requester's relation to it; 404 when there is none or they may not read it. */
  private async readable(auth: AuthContext, internId: string): Promise<{ thesis: Thesis; relation: ThesisRelation }> {
    let relation: ThesisRelation | null = null;
    try {
      relation = (await this.access.relation(auth, internId)).relation;
    } catch (error) {
      if (!(error instanceof DomainError && error.code === ErrorCode.NotFound)) throw error;
    }
    const thesis = await this.theses.ofIntern(internId);
    if (thesis && thesis.directorId === auth.userId) relation = 'director';
    if (!thesis || !relation) throw notFound('Thèse');
    return { thesis, relation };
  }

  private async ownThesis(auth: AuthContext, thesisId: string): Promise<Thesis> {
    const thesis = await this.theses.byId(thesisId);
    if (!thesis) throw notFound('Thèse');
    const { relation } = await this.readable(auth, thesis.internId).catch((error: unknown) => {
      throw error instanceof DomainError && error.code === ErrorCode.NotFound ? notFound('Thèse') : error;
    });
    if (relation !== 'self') throw onlyIntern();
    return thesis;
  }

  private async ownStep(auth: AuthContext, stepId: string): Promise<{ step: ThesisStep; thesis: Thesis }> {
    const step = await this.theses.step(stepId);
    if (!step) throw notFound('Étape de thèse');
    const thesis = await this.ownThesis(auth, step.thesisId).catch((error: unknown) => {
      throw error instanceof DomainError && error.code === ErrorCode.NotFound ? notFound('Étape de thèse') : error;
    });
    return { step, thesis };
  }

  /** The director's columns from the input: an MSU's account (checked), or a name and an address. */
  private async director(body: ThesisBody, internId: string): Promise<Pick<Thesis, 'directorId' | 'directorName' | 'directorEmail'>> {
    const director = body.director;
    if (!director) return { directorId: null, directorName: null, directorEmail: null };
    if (director.kind === 'external') return { directorId: null, directorName: director.name!.trim(), directorEmail: director.email!.trim().toLowerCase() };
    const user = director.userId ? await this.people.byId(director.userId) : await this.people.findByEmail(director.email!.trim().toLowerCase());
    if (!user || user.id === internId || !user.roles.includes('tutor')) {
      throw new DomainError(ErrorCode.InvalidInput, 'La thèse est invalide.', [{ path: 'director.userId', message: 'aucun MSU avec ce compte : invitez votre directeur par e-mail' }]);
    }
    return { directorId: user.id, directorName: null, directorEmail: null };
  }

  /** Names by id; on the caller's transaction when there is one (the embedded database runs one at a time). */
  private async users(ids: string[], tx?: Tx): Promise<Map<string, string>> {
    const users = await this.people.byIds(ids, tx);
    return new Map(users.map((u) => [u.id, displayName(u)]));
  }

  private async view(thesis: Thesis, relation: ThesisRelation, auth: AuthContext | null, now = new Date(), tx?: Tx): Promise<ThesisView> {
    const steps = await this.theses.stepsOf([thesis.id], tx);
    const documents = await this.theses.documentsOf(steps.map((s) => s.id), tx);
    const comments = await this.theses.commentsOf(thesis.id, tx);
    const names = await this.users([thesis.internId, ...(thesis.directorId ? [thesis.directorId] : [])], tx);
    let directorLink: DirectorLinkView | null = null;
    if (relation === 'self') {
      const link = await this.theses.latestLink(thesis.id, tx);
      if (link) {
        const state = link.usedAt ? 'used' : link.revokedAt ? 'revoked' : link.expiresAt <= now ? 'expired' : 'live';
        directorLink = { email: link.email, createdAt: link.createdAt.toISOString(), expiresAt: link.expiresAt.toISOString(), state };
      }
    }
    return {
      id: thesis.id,
      intern: { id: thesis.internId, displayName: names.get(thesis.internId) ?? '' },
      subject: thesis.subject,
      director: thesis.directorId
        ? { kind: 'account', id: thesis.directorId, displayName: names.get(thesis.directorId) ?? '' }
        : thesis.directorName && thesis.directorEmail
          ? { kind: 'external', name: thesis.directorName, email: thesis.directorEmail }
          : null,
      steps: steps.map((s) => ({
        id: s.id,
        position: s.position,
        label: s.label,
        plannedOn: s.plannedOn,
        doneOn: s.doneOn,
        note: s.note,
        state: thesisStepState(s, now),
        documents: documents
          .filter((d) => d.stepId === s.id)
          .map((d) => ({ id: d.id, filename: d.filename, size: d.size, sha256: d.sha256, mimeType: d.mimeType, createdAt: d.createdAt.toISOString() })),
      })),
      comments: comments.map((c) => ({ id: c.id, authorName: c.authorName, viaLink: c.linkId !== null, body: c.body, createdAt: c.createdAt.toISOString() })),
      directorLink,
      canEdit: relation === 'self',
      canComment: relation === 'director' && auth !== null,
      createdAt: thesis.createdAt.toISOString(),
      updatedAt: thesis.updatedAt.toISOString(),
    };
  }
}
