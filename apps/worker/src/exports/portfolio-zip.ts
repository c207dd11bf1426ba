import { createHash, KeyObject } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { Readable, Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import yazl from 'yazl';
import { TRACE_KIND_LABELS, TRACE_STATUS_LABELS } from '@carnet/domain';
import { canonicalJson, documentFromJson, documentHtml, escapeHtml } from '@carnet/editor';
import { ARCHIVE_FORMAT, ArchiveStamp, keyFingerprint, MANIFEST_PATH, publicKeyDer, SIGNATURE_PATH, signManifest } from '@carnet/portfolio';
import type { StorageDriver } from '@carnet/storage';
import { PortfolioData, PortfolioTrace } from './portfolio';

export type { ManifestFile } from '@carnet/portfolio';
import type { ManifestFile } from '@carnet/portfolio';

const slug = (text: string) =>
  text
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '')
    .slice(0, 60) || 'trace';

/** The extension of each type an attachment may have (its content is checked on upload). */
const EXTENSIONS: Record<string, string> = { 'application/pdf': '.pdf', 'image/png': '.png', 'image/jpeg': '.jpg' };

/**
 * An attachment's name inside the ZIP: `<id>-<base>.<ext>`, the extension from the type detected
 * on upload (`.bin` for any other), never the uploaded one, so a PDF sent as `passwd.html` does
 * not open as HTML from the unzipped folder. The base is the uploaded name without its
 * extension, with path separators, control and bidirectional characters replaced by `_`.
 */
export function attachmentFileName(id: string, filename: string, mimeType: string): string {
  const base =
    filename
      .replace(/[/\\\u0000-\u001f\u007f-\u009f\u200e\u200f\u202a-\u202e\u2066-\u2069]/g, '_')
      .replace(/\.[A-Za-z0-9]{1,10}$/, '')
      .trim()
      .slice(0, 120) || 'piece-jointe';
  return `${id}-${base}${EXTENSIONS[mimeType] ?? '.bin'}`;
}

function traceHtml(trace: PortfolioTrace, data: PortfolioData): string {
  const stamp = trace.importedFrom
    ? `<p class="stamp">Validée à ${escapeHtml(trace.importedFrom.faculty)} par ${escapeHtml(trace.importedFrom.validator ?? 'le tuteur')} le ${escapeHtml(trace.importedFrom.validatedAt)} — SHA-256 ${escapeHtml(trace.importedFrom.sha256)} (trace importée de ${escapeHtml(trace.importedFrom.deployment)}${trace.importedFrom.relayedBy ? `, transmise par ${escapeHtml(trace.importedFrom.relayedBy)}` : ''})</p>`
    : trace.validatedAt
    ? `<p class="stamp">Validée par ${escapeHtml(trace.validatedBy ?? 'le tuteur')} le ${escapeHtml(trace.validatedAt)} — SHA-256 ${escapeHtml(trace.validatedSha256 ?? '')}</p>`
    : `<p class="stamp">Statut : ${escapeHtml(TRACE_STATUS_LABELS[trace.status] ?? trace.status)}</p>`;
  return `<!doctype html>
<html lang="fr"><head><meta charset="utf-8"><title>${escapeHtml(trace.title)}</title>
<style>body{font-family:system-ui,sans-serif;max-width:46rem;margin:2rem auto;padding:0 1rem;line-height:1.5;color:#1a1a1a}
table{border-collapse:collapse}td,th{border:1px solid #999;padding:.3em .5em}.stamp{border:1px solid #888;padding:.5em}</style></head>
<body><p>${escapeHtml(data.intern.displayName)} — ${escapeHtml(TRACE_KIND_LABELS[trace.kind] ?? trace.kind)}</p><h1>${escapeHtml(trace.title)}</h1>
<p>Compétences : ${escapeHtml(trace.competences.join(', '))}<br>Familles : ${escapeHtml(trace.familles.join(', '))}</p>
${documentHtml(documentFromJson(trace.content))}
${stamp}
</body></html>`;
}

/** Hashes and counts a stream on its way into the archive. */
function metered(source: Readable, onDone: (size: number, sha256: string) => void): Readable {
  const hash = createHash('sha256');
  let size = 0;
  const through = new Transform({
    transform(chunk: Buffer, _encoding, callback) {
      size += chunk.length;
      hash.update(chunk);
      callback(null, chunk);
    },
    flush(callback) {
      onDone(size, hash.digest('hex'));
      callback();
    },
  });
  source.on('error', (error) => through.destroy(error));
  return source.pipe(through);
}

/** A validated trace's stamp, and the exact text its SHA-256 was computed over, for whoever re-checks it. */
function stampOf(trace: PortfolioTrace): { stamp: ArchiveStamp | null; canonicalContent: string } {
  const canonicalContent = canonicalJson(trace.content);
  const stamp: ArchiveStamp | null =
    trace.validatedAt && trace.validatedSha256
      ? { validator: trace.validatedBy, validatedAt: trace.validatedAt, sha256: trace.validatedSha256, algorithm: 'sha256(canonicalContent)' }
      : null;
  return { stamp, canonicalContent };
}

/**
 * The ZIP of a portfolio, written to `file` as a stream: the PDF, each trace as HTML and JSON
 * (with its validation stamp and the canonical content it hashes), every attachment (streamed
 * from storage, never held in memory), then `manifest.json` listing every file with its size and
 * SHA-256 and naming the origin, and, when the deployment has a signing key, `manifest.sig`: the
 * Ed25519 signature of the manifest's bytes (ADR 0008).
 */
export async function writePortfolioZip(
  data: PortfolioData,
  pdfFile: string,
  file: string,
  storage: StorageDriver,
  onProgress: (fraction: number) => Promise<void>,
  signingKey?: KeyObject,
): Promise<ManifestFile[]> {
  const zip = new yazl.ZipFile();
  const output = pipeline(zip.outputStream, createWriteStream(file));
  const files: ManifestFile[] = [];
  const addBuffer = (path: string, content: Buffer) => {
    files.push({ path, size: content.length, sha256: createHash('sha256').update(content).digest('hex') });
    zip.addBuffer(content, path);
  };
  /** Adds a stream and resolves once the archive has consumed it. */
  const addStream = (path: string, source: Readable) =>
    new Promise<void>((resolve, reject) => {
      source.once('error', reject);
      zip.addReadStream(
        metered(source, (size, sha256) => {
          files.push({ path, size, sha256 });
          resolve();
        }),
        path,
      );
    });

  await addStream('portfolio.pdf', createReadStream(pdfFile));
  const total = data.traces.length || 1;
  const paths = new Map<string, { json: string; html: string }>();
  for (const [i, trace] of data.traces.entries()) {
    const base = `traces/${String(i + 1).padStart(3, '0')}-${slug(trace.title)}`;
    paths.set(trace.id, { json: `${base}.json`, html: `${base}.html` });
    addBuffer(`${base}.html`, Buffer.from(traceHtml(trace, data)));
    const { attachments, ...json } = trace;
    const named = attachments.map(({ storageKey, ...a }) => ({ ...a, storageKey, path: `${base}/pieces-jointes/${attachmentFileName(a.id, a.filename, a.mimeType)}` }));
    const record = { ...json, ...stampOf(trace), attachments: named.map(({ storageKey: _key, ...a }) => a) };
    addBuffer(`${base}.json`, Buffer.from(JSON.stringify(record, null, 2)));
    for (const attachment of named) await addStream(attachment.path, await storage.get(attachment.storageKey));
    await onProgress((i + 1) / total);
  }
  const manifest = {
    format: ARCHIVE_FORMAT,
    software: { name: 'Carnet', version: data.softwareVersion },
    generatedAt: data.generatedAt,
    exportedAt: data.generatedAt,
    dumg: data.dumgName,
    origin: {
      deployment: data.origin?.deployment ?? '',
      faculty: data.origin?.faculty ?? { code: '', name: data.dumgName },
      dumg: data.dumgName,
      publicKeyFingerprint: signingKey ? keyFingerprint(publicKeyDer(signingKey)) : null,
    },
    scope: data.scope,
    intern: data.intern,
    tutors: data.tutors,
    traces: data.traces.map((t) => ({
      id: t.id, title: t.title, status: t.status, validatedAt: t.validatedAt, validatedSha256: t.validatedSha256, validatedBy: t.validatedBy, ...paths.get(t.id),
    })),
    files: [...files],
  };
  const manifestBytes = Buffer.from(JSON.stringify(manifest, null, 2));
  zip.addBuffer(manifestBytes, MANIFEST_PATH);
  if (signingKey) zip.addBuffer(Buffer.from(JSON.stringify(signManifest(manifestBytes, signingKey), null, 2)), SIGNATURE_PATH);
  zip.end();
  await output;
  return files;
}
