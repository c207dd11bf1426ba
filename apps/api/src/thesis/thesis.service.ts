import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { FastifyRequest } from 'fastify';
import { randomUUID } from 'node:crypto';
import { createReadStream } from 'node:fs';
import fs from 'node:fs/promises';
import type { Readable } from 'node:stream';
import { DataSource, EntityManager, In, IsNull } from 'typeorm';
import { CARNET_CONFIG } from '@carnet/config';
import type { DirectorLinkIssued, DirectorLinkView, ThesisDirectorPageView, ThesisView } from '@carnet/contracts';
import { Thesis, ThesisComment, ThesisDirectorLink, ThesisDocument, ThesisStep, ThesisStepTemplate, User } from '@carnet/database';
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
import { receiveDocument } from './thesis-upload';

/** Who reads a thesis: whoever reads the portfolio, and its director (with an account), who reads only the thesis. */
type ThesisRelation = PortfolioRelation | 'director';

const onlyIntern = () => new DomainError(ErrorCode.Forbidden, 'Seul l’interne tient sa thèse à jour ; son tuteur et les jurys la lisent.');

/**
 * The intern's thesis: subject, director, steps with dates and documents, the director's
 * comments. Steps are copied from the faculty's template when the thesis is declared.
 */
@Injectable()
export class ThesisService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
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
    const theses = await this.dataSource.getRepository(Thesis).find({ where: { directorId: auth.userId }, order: { updatedAt: 'DESC' } });
    const interns = await this.users(theses.map((t) => t.internId));
    const steps = theses.length ? await this.dataSource.getRepository(ThesisStep).find({ where: { thesisId: In(theses.map((t) => t.id)) } }) : [];
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
    return this.dataSource.transaction(async (manager) => {
      const repo = manager.getRepository(Thesis);
      let thesis = await repo.findOne({ where: { internId }, lock: { mode: 'pessimistic_write' } });
      const created = !thesis;
      if (!thesis) {
        thesis = await repo.save(repo.create({ internId, subject: body.subject.trim(), ...director, createdAt: now, updatedAt: now }));
        const template = await manager.getRepository(ThesisStepTemplate).find({ order: { position: 'ASC' } });
        const labels = template.length ? template.map((t) => t.label) : DEFAULT_THESIS_STEPS;
        await manager.getRepository(ThesisStep).insert(labels.map((label, position) => ({ thesisId: thesis!.id, position, label, note: '', updatedAt: now })));
      } else {
        // A director who changes is no longer reachable by the links sent to the one before.
        if (thesis.directorEmail !== director.directorEmail) await this.revokeLive(manager, thesis.id, now);
        Object.assign(thesis, { subject: body.subject.trim(), ...director, updatedAt: now });
        thesis = await repo.save(thesis);
      }
      await this.audit.record(auth, { action: created ? 'thesis.create' : 'thesis.update', subjectType: 'thesis', subjectId: thesis.id, details: { internId, director: body.director?.kind ?? null } }, manager);
      return { created, thesis: await this.view(thesis, 'self', auth, now, manager) };
    });
  }

  async updateStep(auth: AuthContext, stepId: string, body: ThesisStepBody, now = new Date()): Promise<ThesisView> {
    const { step, thesis } = await this.ownStep(auth, stepId);
    assertStepInput(body, now);
    const changed = (['plannedOn', 'doneOn', 'note'] as const).filter((key) => body[key] !== undefined && body[key] !== step[key]);
    if (changed.length) {
      await this.dataSource.transaction(async (manager) => {
        await manager.getRepository(ThesisStep).update({ id: step.id }, { ...Object.fromEntries(changed.map((key) => [key, body[key]])), updatedAt: now });
        await manager.getRepository(Thesis).update({ id: thesis.id }, { updatedAt: now });
        await this.audit.record(auth, { action: 'thesis_step.update', subjectType: 'thesis', subjectId: thesis.id, details: { stepId, label: step.label, changed } }, manager);
      });
    }
    return this.view(await this.dataSource.getRepository(Thesis).findOneByOrFail({ id: thesis.id }), 'self', auth, now);
  }

  async upload(auth: AuthContext, stepId: string, request: FastifyRequest): Promise<ThesisView> {
    const { step, thesis } = await this.ownStep(auth, stepId);
    const received = await receiveDocument(request);
    const id = randomUUID();
    const storageKey = `thesis/${thesis.id}/${id}`;
    try {
      await this.storage.put(storageKey, createReadStream(received.file), received.size, received.mimeType).catch(async (error: unknown) => {
        await this.storage.delete(storageKey).catch(() => undefined);
        throw new DomainError(ErrorCode.StorageUnavailable, 'Le stockage des fichiers est indisponible : réessayez dans un moment.', undefined, error);
      });
      try {
        await this.dataSource.transaction(async (manager) => {
          await manager.getRepository(ThesisDocument).insert({ id, stepId: step.id, filename: received.filename, mimeType: received.mimeType, size: received.size, sha256: received.sha256, storageKey, uploadedBy: auth.userId, createdAt: new Date() });
          await this.audit.record(auth, { action: 'thesis_document.uploaded', subjectType: 'thesis', subjectId: thesis.id, details: { stepId, documentId: id, sha256: received.sha256, size: received.size } }, manager);
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
    const document = await this.dataSource.getRepository(ThesisDocument).findOneBy({ id: documentId });
    if (!document) throw notFound('Document');
    const step = await this.dataSource.getRepository(ThesisStep).findOneByOrFail({ id: document.stepId });
    const thesis = await this.dataSource.getRepository(Thesis).findOneByOrFail({ id: step.thesisId });
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
    const thesis = await this.dataSource.getRepository(Thesis).findOneBy({ id: thesisId });
    if (!thesis) throw notFound('Thèse');
    const { relation } = await this.readable(auth, thesis.internId).catch((error: unknown) => {
      throw error instanceof DomainError && error.code === ErrorCode.NotFound ? notFound('Thèse') : error;
    });
    if (relation !== 'director') throw new DomainError(ErrorCode.Forbidden, 'Seul le directeur de la thèse la commente.');
    assertThesisComment(body);
    const author = await this.dataSource.getRepository(User).findOneByOrFail({ id: auth.userId });
    await this.dataSource.transaction(async (manager) => {
      const saved = await manager.getRepository(ThesisComment).save(manager.getRepository(ThesisComment).create({ thesisId, authorId: auth.userId, authorName: displayName(author), linkId: null, body: body.trim(), createdAt: now }));
      await this.audit.record(auth, { action: 'thesis.comment', subjectType: 'thesis', subjectId: thesisId, details: { commentId: saved.id, via: 'account' } }, manager);
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
    const intern = await this.dataSource.getRepository(User).findOneByOrFail({ id: thesis.internId });
    const link = await this.dataSource.transaction(async (manager) => {
      await this.revokeLive(manager, thesis.id, now);
      const saved = await manager.getRepository(ThesisDirectorLink).save(
        manager.getRepository(ThesisDirectorLink).create({ thesisId, email: thesis.directorEmail!, tokenHash: hashToken(token), createdBy: auth.userId, createdAt: now, expiresAt, usedAt: null, revokedAt: null }),
      );
      await this.audit.record(auth, { action: 'thesis.director_link.issued', subjectType: 'thesis', subjectId: thesisId, details: { linkId: saved.id, email: saved.email, expiresAt: expiresAt.toISOString() } }, manager);
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
    await this.dataSource.transaction(async (manager) => {
      const revoked = await this.revokeLive(manager, thesis.id, now);
      if (revoked) await this.audit.record(auth, { action: 'thesis.director_link.revoked', subjectType: 'thesis', subjectId: thesisId, details: {} }, manager);
    });
  }

  /** The thesis as its director sees it through a live link (which this read does not use up). */
  async directorPage(token: string, now = new Date()): Promise<ThesisDirectorPageView> {
    const link = await this.dataSource.getRepository(ThesisDirectorLink).findOneBy({ tokenHash: hashToken(token) });
    if (!link) throw notFound('Lien');
    assertDirectorLinkLive(link, now);
    return this.pageView(link, now);
  }

  /** The director's comment through their link, which it uses up. */
  async directorComment(token: string, body: string, origin: RequestOrigin, now = new Date()): Promise<ThesisDirectorPageView> {
    assertThesisComment(body);
    await this.dataSource.transaction(async (manager) => {
      const link = await manager.getRepository(ThesisDirectorLink).findOne({ where: { tokenHash: hashToken(token) }, lock: { mode: 'pessimistic_write' } });
      if (!link) throw notFound('Lien');
      assertDirectorLinkLive(link, now);
      const thesis = await manager.getRepository(Thesis).findOneByOrFail({ id: link.thesisId });
      // The faculty is the link's: a public request has none of its own.
      const [{ id }]: { id: string }[] = await manager.query(
        `INSERT INTO thesis_comment (faculty_id, thesis_id, author_name, link_id, body, created_at)
         SELECT faculty_id, thesis_id, $2, id, $3, $4 FROM thesis_director_link WHERE id = $1 RETURNING id`,
        [link.id, thesis.directorName ?? link.email, body.trim(), now],
      );
      await manager.getRepository(ThesisDirectorLink).update({ id: link.id }, { usedAt: now });
      await this.audit.record({ ...origin, userId: null }, { action: 'thesis.director_link.used', subjectType: 'thesis', subjectId: thesis.id, details: { linkId: link.id, commentId: id, email: link.email } }, manager);
    });
    const link = await this.dataSource.getRepository(ThesisDirectorLink).findOneByOrFail({ tokenHash: hashToken(token) });
    return this.pageView(link, now);
  }

  private async pageView(link: ThesisDirectorLink, now: Date): Promise<ThesisDirectorPageView> {
    const thesis = await this.dataSource.getRepository(Thesis).findOneByOrFail({ id: link.thesisId });
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
    const rows = await this.dataSource.getRepository(ThesisStepTemplate).find({ order: { position: 'ASC' } });
    return rows.length ? { steps: rows.map((r) => r.label), custom: true } : { steps: [...DEFAULT_THESIS_STEPS], custom: false };
  }

  /** The faculty's steps for theses declared from now on; running theses keep theirs. */
  async setTemplate(auth: AuthContext, steps: string[]): Promise<{ steps: string[]; custom: boolean }> {
    const errors = stepTemplateErrors(steps);
    if (errors.length) throw new DomainError(ErrorCode.InvalidInput, 'Les étapes de thèse sont invalides.', errors);
    await this.dataSource.transaction(async (manager) => {
      // The faculty's own rows only, whether or not the request runs under row-level security.
      await manager.query(`DELETE FROM thesis_step_template WHERE faculty_id = carnet_current_faculty()`);
      await manager.getRepository(ThesisStepTemplate).insert(steps.map((label, position) => ({ position, label: label.trim() })));
      await this.audit.record(auth, { action: 'thesis.steps_defined', subjectType: 'faculty', details: { steps } }, manager);
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
    const thesis = await this.dataSource.getRepository(Thesis).findOneBy({ internId });
    if (thesis && thesis.directorId === auth.userId) relation = 'director';
    if (!thesis || !relation) throw notFound('Thèse');
    return { thesis, relation };
  }

  private async ownThesis(auth: AuthContext, thesisId: string): Promise<Thesis> {
    const thesis = await this.dataSource.getRepository(Thesis).findOneBy({ id: thesisId });
    if (!thesis) throw notFound('Thèse');
    const { relation } = await this.readable(auth, thesis.internId).catch((error: unknown) => {
      throw error instanceof DomainError && error.code === ErrorCode.NotFound ? notFound('Thèse') : error;
    });
    if (relation !== 'self') throw onlyIntern();
    return thesis;
  }

  private async ownStep(auth: AuthContext, stepId: string): Promise<{ step: ThesisStep; thesis: Thesis }> {
    const step = await this.dataSource.getRepository(ThesisStep).findOneBy({ id: stepId });
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
    const where = director.userId ? { id: director.userId } : { email: director.email!.trim().toLowerCase() };
    const user = await this.dataSource.getRepository(User).findOneBy(where);
    if (!user || user.id === internId || !user.roles.includes('tutor')) {
      throw new DomainError(ErrorCode.InvalidInput, 'La thèse est invalide.', [{ path: 'director.userId', message: 'aucun MSU avec ce compte : invitez votre directeur par e-mail' }]);
    }
    return { directorId: user.id, directorName: null, directorEmail: null };
  }

  private async revokeLive(manager: EntityManager, thesisId: string, now: Date): Promise<number> {
    const result = await manager.getRepository(ThesisDirectorLink).update({ thesisId, usedAt: IsNull(), revokedAt: IsNull() }, { revokedAt: now });
    return result.affected ?? 0;
  }

  /** Names by id; on the caller's transaction when there is one (the embedded database runs one at a time). */
  private async users(ids: string[], manager: EntityManager = this.dataSource.manager): Promise<Map<string, string>> {
    if (!ids.length) return new Map();
    const users = await manager.getRepository(User).find({ where: { id: In([...new Set(ids)]) }, select: { id: true, firstName: true, lastName: true } });
    return new Map(users.map((u) => [u.id, displayName(u)]));
  }

  private async view(thesis: Thesis, relation: ThesisRelation, auth: AuthContext | null, now = new Date(), manager: EntityManager = this.dataSource.manager): Promise<ThesisView> {
    const steps = await manager.getRepository(ThesisStep).find({ where: { thesisId: thesis.id }, order: { position: 'ASC' } });
    const documents = steps.length ? await manager.getRepository(ThesisDocument).find({ where: { stepId: In(steps.map((s) => s.id)) }, order: { createdAt: 'ASC' } }) : [];
    const comments = await manager.getRepository(ThesisComment).find({ where: { thesisId: thesis.id }, order: { createdAt: 'ASC' } });
    const names = await this.users([thesis.internId, ...(thesis.directorId ? [thesis.directorId] : [])], manager);
    let directorLink: DirectorLinkView | null = null;
    if (relation === 'self') {
      const link = await manager.getRepository(ThesisDirectorLink).findOne({ where: { thesisId: thesis.id }, order: { createdAt: 'DESC' } });
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
