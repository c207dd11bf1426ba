import { Inject, Injectable, Logger } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import { randomUUID } from 'node:crypto';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { CARNET_CONFIG } from '@carnet/config';
import type { ImportAnswer } from '@carnet/contracts';
import { AttachmentRepository, ImportedOrigin, ImportInternRow, PortfolioImportRepository, Trace, Transactions, Tx } from '@carnet/database';
import { COMPETENCE_CODES, displayName, DomainError, ErrorCode, familleCodes, notFound, TRACE_KINDS } from '@carnet/domain';
import { plainText, validateDocument } from '@carnet/editor';
import { ResolvedConfig } from '@carnet/infrastructure';
import { deploymentSigningKey, keyFingerprint, publicKeyDer } from '@carnet/portfolio';
import { JOB_PRODUCER, JobProducer, scanJobId } from '@carnet/queue';
import { STORAGE_DRIVER, StorageDriver } from '@carnet/storage';
import { AuditService } from '../audit/audit.service';
import { AuthContext } from '../auth/auth-context';
import { mediaTypeOf } from '../common/media-type';
import { receiveUpload, safeFilename, storeFile } from '../common/upload';
import { archiveFault, assertAttachmentTypes, readPortfolioArchive, VerifiedArchive, VerifiedTrace } from './portfolio-archive.reader';
import type { ImportPortfolioQuery } from './portfolio-imports.dto';

export const MAX_ARCHIVE_BYTES = 200 * 1024 * 1024;

/** Where a trace comes from, for idempotence: the origin's address and faculty. */
const originKey = (archive: VerifiedArchive) => `${archive.manifest.origin!.deployment}#${archive.manifest.origin!.faculty.code}`;

/**
 * Imports another Carnet's portfolio ZIP for an intern of the admin's faculty (ADR 0008): the
 * archive is received to a temporary file, checked whole (hashes, signature, stamps, schema,
 * attachment types), then written in one transaction, its attachments stored first and deleted
 * again if the transaction fails. A dry run stops after the checks and says what would be imported.
 */
@Injectable()
export class PortfolioImportsService {
  private readonly logger = new Logger(PortfolioImportsService.name);

  constructor(
    private readonly imports: PortfolioImportRepository,
    private readonly attachments: AttachmentRepository,
    private readonly transactions: Transactions,
    @Inject(CARNET_CONFIG) private readonly config: ResolvedConfig,
    @Inject(STORAGE_DRIVER) private readonly storage: StorageDriver,
    @Inject(JOB_PRODUCER) private readonly jobs: JobProducer,
    private readonly audit: AuditService,
  ) {}

  /** The key this deployment signs its exports with, for another Carnet's admin to compare. */
  deploymentKey(): { algorithm: 'Ed25519'; publicKey: string | null; fingerprint: string | null } {
    if (!this.config.secretKey) return { algorithm: 'Ed25519', publicKey: null, fingerprint: null };
    const der = publicKeyDer(deploymentSigningKey(this.config.secretKey));
    return { algorithm: 'Ed25519', publicKey: der.toString('base64'), fingerprint: keyFingerprint(der) };
  }

  async import(auth: AuthContext, query: ImportPortfolioQuery, request: FastifyRequest): Promise<ImportAnswer> {
    if (mediaTypeOf(request) !== 'multipart/form-data') {
      throw new DomainError(ErrorCode.UnsupportedMediaType, 'Envoyez l’archive ZIP en multipart/form-data, dans le champ « file ».');
    }
    // A chosen intern is checked before the archive is read: another faculty's is a 404.
    const chosen = query.internId ? await this.internOfFaculty(auth, { id: query.internId }) : null;
    if (query.internId && !chosen) throw notFound('Interne');
    const work = await fs.mkdtemp(path.join(os.tmpdir(), 'carnet-import-'));
    try {
      // A cut-off upload is refused, and `finally` removes what was spooled.
      const { file, sha256: archiveSha256 } = await receiveUpload(request, { maxBytes: MAX_ARCHIVE_BYTES, prefix: 'archive', dir: work, noun: 'L’archive' });
      const archive = await readPortfolioArchive(file, work);
      const origin = archive.manifest.origin!;
      const intern = chosen ?? (await this.internOfFaculty(auth, { email: archive.manifest.intern.email }));
      if (!intern) {
        throw new DomainError(ErrorCode.InvalidInput, `Aucun interne de votre faculté n’a l’adresse ${archive.manifest.intern.email} : choisissez l’interne à qui importer ce portfolio.`, [
          { path: 'internId', message: 'requis' },
        ]);
      }
      this.assertReferential(archive.traces);
      await assertAttachmentTypes(archive.traces);
      const { pinned, keyAcceptedFor } = await this.pinnedKey(archive);
      const already = await this.alreadyImported(archive);
      const answer: ImportAnswer = {
        dryRun: query.dryRun,
        id: null,
        origin: { deployment: origin.deployment, faculty: origin.faculty, dumg: origin.dumg, exportedAt: archive.manifest.exportedAt ?? null },
        signature: { signed: archive.signedBy !== null, fingerprint: archive.signedBy, pinnedFingerprint: pinned, keyAcceptedFor },
        archiveSha256,
        intern: { id: intern.id, displayName: displayName({ firstName: intern.first_name, lastName: intern.last_name }), email: intern.email },
        archiveIntern: { displayName: archive.manifest.intern.displayName, email: archive.manifest.intern.email },
        internMatches: intern.email.toLowerCase() === archive.manifest.intern.email.toLowerCase(),
        traces: archive.traces.map((t) => ({
          originId: t.id,
          title: t.title,
          kind: t.kind,
          validator: t.stamp.validator,
          validatedAt: t.stamp.validatedAt,
          sha256: t.stamp.sha256,
          attachments: t.attachments.length,
          alreadyImported: already.has(t.id),
        })),
        counts: { imported: archive.traces.filter((t) => !already.has(t.id)).length, alreadyImported: already.size, skipped: archive.skipped },
      };
      if (query.dryRun) return answer;
      this.assertTrusted(archive, query, pinned, keyAcceptedFor);
      if (!answer.internMatches && !query.acceptOtherIntern) {
        // Someone else's portfolio would become this intern's validated traces: the admin must say it is the same person.
        throw new DomainError(
          ErrorCode.InvalidInput,
          `Cette archive est le portfolio de ${answer.archiveIntern.displayName} (${answer.archiveIntern.email}), pas de ${answer.intern.displayName} (${answer.intern.email}) : confirmez qu’il s’agit de la même personne pour l’importer.`,
          [{ path: 'acceptOtherIntern', message: 'confirmation requise' }],
        );
      }
      return await this.write(auth, archive, answer, intern);
    } finally {
      await fs.rm(work, { recursive: true, force: true });
    }
  }

  /**
   * A signed archive is imported only once the admin confirmed the key's fingerprint (compared
   * with what the origin publishes at /api/deployment-key), and only with the key this faculty
   * pinned for that origin at its first import; an unsigned one only when the admin accepts that
   * its hashes prove integrity, not origin.
   */
  private assertTrusted(archive: VerifiedArchive, query: ImportPortfolioQuery, pinned: string | null, keyAcceptedFor: string | null): void {
    const origin = archive.manifest.origin!;
    if (!archive.signedBy && pinned) {
      // The origin is known to sign its exports: an unsigned archive in its name is a forgery or a downgrade.
      throw new DomainError(ErrorCode.Conflict, `Cette archive n’est pas signée, alors que votre faculté a déjà accepté la clé de signature de ${origin.deployment} (${pinned}) : demandez un export signé au Carnet d’origine.`);
    }
    if (archive.signedBy && keyAcceptedFor) {
      throw new DomainError(ErrorCode.Conflict, `La clé qui signe cette archive (${archive.signedBy}) est celle que votre faculté a acceptée pour ${keyAcceptedFor}, pas pour ${origin.deployment} : archive refusée.`);
    }
    if (!archive.signedBy) {
      if (!query.acceptUnsigned) {
        throw new DomainError(ErrorCode.InvalidInput, 'Cette archive n’est pas signée par son Carnet d’origine : ses empreintes prouvent qu’elle est intacte, pas d’où elle vient. Confirmez l’import d’une archive non signée pour continuer.', [
          { path: 'acceptUnsigned', message: 'confirmation requise' },
        ]);
      }
      return;
    }
    if (pinned && pinned !== archive.signedBy) {
      throw new DomainError(ErrorCode.Conflict, `La clé qui signe cette archive (${archive.signedBy}) n’est pas celle que votre faculté a déjà acceptée pour ${origin.deployment} (${pinned}) : vérifiez auprès du Carnet d’origine.`);
    }
    if (normaliseFingerprint(query.keyFingerprint) !== archive.signedBy) {
      throw new DomainError(ErrorCode.InvalidInput, 'Confirmez l’empreinte de la clé de signature du Carnet d’origine (comparez-la avec celle qu’il publie) : elle ne correspond pas à celle de l’archive.', [
        { path: 'keyFingerprint', message: 'empreinte à confirmer' },
      ]);
    }
  }

  private async write(auth: AuthContext, archive: VerifiedArchive, answer: ImportAnswer, intern: ImportInternRow): Promise<ImportAnswer> {
    const origin = archive.manifest.origin!;
    const importId = randomUUID();
    const fresh = archive.traces.filter((t) => !answer.traces.find((p) => p.originId === t.id)?.alreadyImported);
    if (!fresh.length) return { ...answer, counts: { ...answer.counts, imported: 0 } };
    const stored: string[] = [];
    const scans: string[] = [];
    try {
      // Files first, rows last: a failure leaves no row pointing at nothing, and the files stored are deleted.
      const planned = fresh.map((trace) => ({ trace, traceId: randomUUID(), attachments: trace.attachments.map((a) => ({ ...a, newId: randomUUID() })) }));
      for (const { trace, traceId, attachments } of planned) {
        for (const a of attachments) {
          const key = `attachments/${traceId}/${a.newId}`;
          const extracted = trace.attachmentFiles.get(a.path)!;
          stored.push(key);
          await storeFile(this.storage, key, { path: extracted, size: (await fs.stat(extracted)).size, mimeType: a.mimeType });
        }
      }
      await this.transactions.run(async (tx) => {
        // Under the transaction, a concurrent import of the same archive meets the unique key.
        const already = await this.alreadyImported(archive, tx);
        if (planned.some((p) => already.has(p.trace.id))) throw new DomainError(ErrorCode.Conflict, 'Cette archive est en cours d’import ou vient d’être importée : rechargez la page.');
        await this.imports.insertImport(
          {
            id: importId,
            internId: intern.id,
            importedBy: auth.userId,
            originDeployment: origin.deployment,
            originFacultyCode: origin.faculty.code,
            originFacultyName: origin.faculty.name,
            originKeyFingerprint: archive.signedBy,
            archiveSha256: answer.archiveSha256,
            exportedAt: archive.manifest.exportedAt ?? null,
            importedCount: planned.length,
            alreadyCount: answer.counts.alreadyImported,
          },
          tx,
        );
        for (const { trace, traceId, attachments } of planned) {
          await this.insertTrace(tx, auth, trace, traceId, intern.id, { importId, archive });
          for (const a of attachments) {
            await this.attachments.insertWithPendingScan(
              {
                id: a.newId,
                traceId,
                // The origin's name, cleaned as an upload's is: it is shown and sent back in Content-Disposition.
                filename: safeFilename(a.filename),
                mimeType: a.mimeType,
                size: (await fs.stat(trace.attachmentFiles.get(a.path)!)).size,
                sha256: a.sha256,
                storageKey: `attachments/${traceId}/${a.newId}`,
                uploadedBy: auth.userId,
                createdAt: new Date(),
              },
              tx,
            );
            scans.push(a.newId);
          }
          await this.imports.insertTraceOrigin({ traceId, importId, originKey: originKey(archive), originTraceId: trace.id, sha256: trace.stamp.sha256 }, tx);
        }
        await this.audit.record(
          auth,
          {
            action: 'portfolio.imported',
            subjectType: 'portfolio',
            subjectId: intern.id,
            details: {
              importId,
              origin: { deployment: origin.deployment, faculty: origin.faculty },
              keyFingerprint: archive.signedBy,
              archiveSha256: answer.archiveSha256,
              // Whose portfolio the archive says it is, when the admin chose another intern's e-mail.
              archiveIntern: answer.archiveIntern,
              internMatches: answer.internMatches,
              imported: planned.length,
              alreadyImported: answer.counts.alreadyImported,
              skipped: answer.counts.skipped,
            },
          },
          tx,
        );
      });
    } catch (error) {
      await Promise.all(stored.map((key) => this.storage.delete(key).catch(() => undefined)));
      if ((error as { code?: string }).code === '23505') throw new DomainError(ErrorCode.Conflict, 'Cette archive vient d’être importée par ailleurs : rechargez la page.');
      throw error;
    }
    for (const id of scans) {
      await this.jobs.enqueue('attachment.scan', { attachmentId: id }, { jobId: scanJobId(id) }).catch((error: unknown) => {
        this.logger.warn(`attachment ${id}: scan not enqueued (${error instanceof Error ? error.message : String(error)}); the worker will pick it up at its start`);
      });
    }
    return { ...answer, id: importId, counts: { ...answer.counts, imported: fresh.length } };
  }

  private async insertTrace(tx: Tx, auth: AuthContext, trace: VerifiedTrace, traceId: string, internId: string, from: { importId: string; archive: VerifiedArchive }): Promise<void> {
    const origin = from.archive.manifest.origin!;
    // A trace the exporter had itself imported was validated elsewhere: « validé à » names that place, as the exporter says, and the exporter as relay.
    const relayed = trace.importedFrom;
    const importedOrigin: ImportedOrigin = {
      importId: from.importId,
      deployment: relayed ? relayed.deployment : origin.deployment,
      faculty: relayed ? { code: '', name: relayed.faculty } : origin.faculty,
      originTraceId: trace.id,
      validator: trace.stamp.validator,
      validatedAt: trace.stamp.validatedAt,
      sha256: trace.stamp.sha256,
      signed: from.archive.signedBy !== null && (relayed?.signed ?? true),
      relayedBy: relayed ? { deployment: origin.deployment, faculty: origin.faculty } : null,
    };
    const validatedAt = new Date(trace.stamp.validatedAt);
    const now = new Date();
    await this.imports.insertTrace(
      {
        id: traceId,
        internId,
        kind: trace.kind as Trace['kind'],
        title: trace.title,
        content: trace.content,
        contentText: plainText(validateDocument(trace.content).node),
        competences: trace.competences,
        familles: trace.familles,
        stageId: null,
        status: 'validated',
        version: 1,
        everSubmitted: true,
        createdAt: Number.isNaN(Date.parse(trace.createdAt)) ? validatedAt : new Date(trace.createdAt),
        updatedAt: now,
        submittedAt: validatedAt,
        validatedAt,
        validatedBy: null,
        validatedSha256: trace.stamp.sha256,
        importedOrigin,
        },
      tx,
    );
    await this.audit.record(
      auth,
      { action: 'trace.imported', subjectType: 'trace', subjectId: traceId, details: { importId: from.importId, originTraceId: trace.id, originFaculty: importedOrigin.faculty.name, relayedBy: relayed ? origin.faculty.name : undefined, sha256: trace.stamp.sha256 } },
      tx,
    );
  }

  /** Kinds, competences and familles must be this deployment's, or the trace could not be read here. */
  private assertReferential(traces: VerifiedTrace[]): void {
    const familles = new Set<string>(familleCodes(this.config.extraFamille));
    for (const t of traces) {
      const fault =
        !(TRACE_KINDS as readonly string[]).includes(t.kind) ? `type de trace inconnu (${t.kind})`
        : t.title.trim().length === 0 || t.title.length > 300 ? 'titre vide ou trop long'
        : t.competences.find((c) => !(COMPETENCE_CODES as string[]).includes(c)) ? 'compétence inconnue'
        : t.familles.find((f) => !familles.has(f)) ? 'famille de situations inconnue de ce Carnet'
        : Number.isNaN(Date.parse(t.stamp.validatedAt)) ? 'date de validation illisible'
        : null;
      if (fault) throw archiveFault(t.file, `Le fichier ${t.file} : ${fault}.`);
    }
  }

  /** The origin's traces already imported into this faculty, by their id there (same stamp). */
  private alreadyImported(archive: VerifiedArchive, tx?: Tx): Promise<Set<string>> {
    return this.imports.alreadyImported(
      originKey(archive),
      archive.traces.map((t) => ({ id: t.id, sha256: t.stamp.sha256 })),
      tx,
    );
  }

  /**
   * The key this faculty accepted for the archive's deployment at its first signed import from
   * it, if any, and the deployment the archive's own key was accepted for, if another. The key
   * is the deployment's (derived from its CARNET_SECRET_KEY), shared by all its faculties: it is
   * pinned by the deployment's normalised address alone, so that neither another spelling of the
   * address nor another faculty code escapes the pin, and a key vouches for one deployment only.
   */
  private pinnedKey(archive: VerifiedArchive): Promise<{ pinned: string | null; keyAcceptedFor: string | null }> {
    return this.imports.pinnedKey(archive.manifest.origin!.deployment, archive.signedBy);
  }

  private internOfFaculty(auth: AuthContext, by: { id: string } | { email: string }): Promise<ImportInternRow | null> {
    return this.imports.findInternOfFaculty(auth.facultyId, by);
  }
}

const normaliseFingerprint = (value: string | undefined) => (value ?? '').toLowerCase().replace(/[^0-9a-f]/g, '');
