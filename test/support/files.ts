import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Response } from 'superagent';
import yauzl from 'yauzl';
import yazl from 'yazl';

/** For supertest's `.buffer(true).parse(binaryBody)`: the response body as one Buffer (a PDF, a ZIP). */
export function binaryBody(response: Response, done: (error: Error | null, body: Buffer) => void): void {
  const chunks: Buffer[] = [];
  response.on('data', (chunk: Buffer) => chunks.push(chunk));
  response.on('end', () => done(null, Buffer.concat(chunks)));
}

/** A PDF's text as a reader sees it, laid out (poppler's pdftotext). */
export function pdfText(pdf: Buffer): string {
  const file = path.join(os.tmpdir(), `carnet-test-${process.pid}-${Date.now()}-${Math.random().toString(36).slice(2)}.pdf`);
  fs.writeFileSync(file, pdf);
  try {
    return execFileSync('pdftotext', ['-layout', file, '-'], { encoding: 'utf8' });
  } finally {
    fs.rmSync(file, { force: true });
  }
}

/** The names of the entries of a ZIP, in order. */
export function zipEntryNames(zip: Buffer): Promise<string[]> {
  return new Promise((resolve, reject) => {
    yauzl.fromBuffer(zip, { lazyEntries: true }, (error, archive) => {
      if (error || !archive) return reject(error);
      const names: string[] = [];
      archive.on('entry', (entry: yauzl.Entry) => {
        names.push(entry.fileName);
        archive.readEntry();
      });
      archive.on('end', () => resolve(names));
      archive.readEntry();
    });
  });
}

/** A ZIP's entries, by name (what the export wrote, read back whole). */
export function zipEntries(zip: Buffer): Promise<Map<string, Buffer>> {
  return new Promise((resolve, reject) => {
    yauzl.fromBuffer(zip, { lazyEntries: true }, (error, archive) => {
      if (error || !archive) return reject(error);
      const files = new Map<string, Buffer>();
      archive.on('entry', (entry: yauzl.Entry) => {
        archive.openReadStream(entry, (err, stream) => {
          if (err || !stream) return reject(err);
          const chunks: Buffer[] = [];
          stream.on('data', (c: Buffer) => chunks.push(c));
          stream.on('end', () => {
            files.set(entry.fileName, Buffer.concat(chunks));
            archive.readEntry();
          });
        });
      });
      archive.on('end', () => resolve(files));
      archive.readEntry();
    });
  });
}

/** A ZIP of `entries` in their order (an archive forged or tampered with by a test). */
export function makeZip(entries: Iterable<[string, Buffer]>): Promise<Buffer> {
  const out = new yazl.ZipFile();
  for (const [name, content] of entries) out.addBuffer(content, name);
  out.end();
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    out.outputStream.on('data', (c: Buffer) => chunks.push(c));
    out.outputStream.on('end', () => resolve(Buffer.concat(chunks)));
    out.outputStream.on('error', reject);
  });
}
