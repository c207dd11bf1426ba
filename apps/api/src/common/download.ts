import { Logger } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import type { Readable } from 'node:stream';

const logger = new Logger('Download');

/** A stored file as the answer: a redirect to its presigned URL, or its bytes streamed from storage. */
export interface Download {
  redirect?: string;
  stream?: Readable;
  contentType: string;
  size: number;
  /** The Content-Disposition header. */
  disposition: string;
}

/**
 * Sends a download. A storage failure before the first byte has already thrown (a 503 problem);
 * one during the transfer cuts the connection (the client sees an incomplete file) and is logged.
 */
export function sendDownload(reply: FastifyReply, download: Download): void {
  if (download.redirect) {
    reply.redirect(download.redirect, 302);
    return;
  }
  const stream = download.stream!;
  stream.once('error', (error) => logger.error({ err: error, path: reply.request.url }, 'Download interrupted by storage'));
  reply.header('Content-Type', download.contentType).header('Content-Length', String(download.size)).header('Content-Disposition', download.disposition).send(stream);
}
