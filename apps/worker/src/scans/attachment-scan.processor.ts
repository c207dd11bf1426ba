import { Inject, Injectable } from '@nestjs/common';
import { PinoLogger } from 'nestjs-pino';
import { randomUUID } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import { AttachmentScanRepository } from '@carnet/database';
import { findPatientIdentifiers } from '@carnet/domain';
import { AttachmentScanJob, JOB_PRODUCER, JobContext, JobProducer, scanJobId } from '@carnet/queue';
import { STORAGE_DRIVER, StorageDriver } from '@carnet/storage';
import { PageText, readAttachmentText, UnreadableAttachmentError } from './attachment-reader';

/** One identifier found in an attachment, as stored in `attachment_scan.warnings`. */
export interface AttachmentWarning {
  kind: string;
  excerpt: string;
  message: string;
  /** The PDF page it is on (from 1); null for an image. */
  page: number | null;
}

const EXCERPT_MAX = 120;

/** Runs the detector of traces on every page's text; the same finding twice on a page counts once. */
export function warningsOf(pages: PageText[]): AttachmentWarning[] {
  const seen = new Set<string>();
  const warnings: AttachmentWarning[] = [];
  for (const { page, text } of pages) {
    for (const found of findPatientIdentifiers(text)) {
      // OCR breaks lines where the scan did: an excerpt reads as one line.
      const excerpt = found.excerpt.replace(/\s+/g, ' ').trim().slice(0, EXCERPT_MAX);
      const key = `${page}\u0000${found.kind}\u0000${excerpt}`;
      if (seen.has(key)) continue;
      seen.add(key);
      warnings.push({ kind: found.kind, excerpt, message: found.message, page });
    }
  }
  return warnings;
}

/**
 * Scans an uploaded attachment for patient identifiers: reads the file back from storage, its
 * text page by page (OCR for images and scanned pages, see attachment-reader), runs the trace
 * detector on it and records the warnings on the attachment's scan row. A file that cannot be
 * read is recorded as failed at once with the reason; an infrastructure error is thrown back to
 * BullMQ for a retry, and recorded as failed after the last attempt. A scan already recorded is
 * left alone, so a job run twice does the work once.
 */
@Injectable()
export class AttachmentScanProcessor {
  constructor(
    private readonly scans: AttachmentScanRepository,
    @Inject(STORAGE_DRIVER) private readonly storage: StorageDriver,
    @Inject(JOB_PRODUCER) private readonly producer: JobProducer,
    private readonly logger: PinoLogger,
  ) {
    logger.setContext('AttachmentScanProcessor');
  }

  async scan({ attachmentId }: AttachmentScanJob, context: JobContext): Promise<void> {
    const row = await this.scans.pendingFileOf(attachmentId);
    if (!row) return; // deleted with its trace, or already scanned
    const file = path.join(os.tmpdir(), `carnet-scan-${randomUUID()}`);
    try {
      await pipeline(await this.storage.get(row.storage_key), createWriteStream(file));
      const pages = await readAttachmentText(file, row.mime_type);
      const warnings = warningsOf(pages);
      await this.record(attachmentId, { status: 'done', warnings });
      this.logger.info({ attachmentId, pages: pages.length, ocrPages: pages.filter((p) => p.ocr).length, warnings: warnings.length }, 'attachment scanned');
    } catch (error) {
      if (error instanceof UnreadableAttachmentError) {
        await this.record(attachmentId, { status: 'failed', reason: error.message });
        this.logger.info({ attachmentId, reason: error.message }, 'attachment unreadable: scan failed');
        return;
      }
      if (context.attempt >= context.maxAttempts) {
        await this.record(attachmentId, { status: 'failed', reason: `L’analyse n’a pas pu être faite après ${context.attempt} tentative(s) : le fichier n’a pas été vérifié.` });
      }
      throw error;
    } finally {
      await fs.rm(file, { force: true });
    }
  }

  /** At the worker's start: scans still pending (an enqueue lost with the queue, attachments from before scans). */
  async enqueuePending(): Promise<number> {
    const ids = await this.scans.pendingAttachmentIds();
    await this.producer.enqueueMany(
      'attachment.scan',
      ids.map((attachmentId) => ({ payload: { attachmentId }, jobId: scanJobId(attachmentId) })),
    );
    return ids.length;
  }

  private async record(attachmentId: string, outcome: { status: 'done'; warnings: AttachmentWarning[] } | { status: 'failed'; reason: string }): Promise<void> {
    await this.scans.record(attachmentId, outcome);
  }
}
