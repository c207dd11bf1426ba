import { createHash } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import fs from 'node:fs/promises';
import path from 'node:path';
import { Readable, Transform, Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import yauzl from 'yauzl';
import { DomainError, ErrorCode } from '@carnet/domain';
import {
  ARCHIVE_FORMAT,
  ArchiveManifest,
  ArchiveSignature,
  ImportedTrace,
  MANIFEST_PATH,
  SIGNATURE_PATH,
  TraceRecordFault,
  verifyManifestSignature,
  verifyTraceRecord,
} from '@carnet/portfolio';
import { sniffType } from '../common/upload';

/** What an archive may hold, at most: beyond, it is refused before anything is inflated. */
export const ARCHIVE_LIMITS = {
  entries: 5_000,
  /** Sum of the sizes the entries declare; yauzl refuses an entry that inflates past its declared size. */
  totalBytes: 1024 * 1024 * 1024,
  /** A JSON file (manifest, signature, trace) is read whole: the editor's 2 MB document, with room for its canonical copy. */
  jsonBytes: 8 * 1024 * 1024,
  attachmentBytes: 10 * 1024 * 1024,
  /** JSON files are held in memory until checked: their sum is bounded too (a portfolio of hundreds of traces is a few MB). */
  jsonTotalBytes: 128 * 1024 * 1024,
};

const ATTACHMENT_DIR = '/pieces-jointes/';
const CLOCK_SKEW_MS = 10 * 60 * 1000;

/** A refusal naming the faulty file of the archive: 422 with its path. */
export function archiveFault(file: string, message: string): DomainError {
  return new DomainError(ErrorCode.InvalidInput, message, [{ path: file, message }]);
}

export interface VerifiedTrace extends ImportedTrace {
  /** The trace's file in the archive. */
  file: string;
  /** Each attachment's extracted copy, by its path in the archive. */
  attachmentFiles: Map<string, string>;
}

export interface VerifiedArchive {
  manifest: ArchiveManifest;
  /** The fingerprint of the key whose signature of the manifest holds; null when unsigned. */
  signedBy: string | null;
  traces: VerifiedTrace[];
  /** Traces of the archive that are not validated (an export of scope "all"): never imported. */
  skipped: number;
}

interface Read {
  size: number;
  sha256: string;
  /** JSON files: their bytes. */
  bytes?: Buffer;
  /** Attachments: where they were extracted. */
  extracted?: string;
}

/** Zip entry names as the archive holds them; refused when they could leave the extraction folder. */
function entryName(entry: yauzl.Entry): string {
  const raw = (entry as unknown as { fileNameRaw: Buffer }).fileNameRaw;
  const name = raw.toString('utf8');
  const unsafe =
    name.includes('\\') || name.includes('\u0000') || name.startsWith('/') || /^[a-zA-Z]:/.test(name) || name.split('/').some((part) => part === '..' || part === '.');
  if (unsafe) throw archiveFault(name, `L’entrée « ${name} » de l’archive a un chemin interdit (chemin absolu ou « .. ») : archive refusée.`);
  return name;
}

const isJson = (name: string) => name === MANIFEST_PATH || name === SIGNATURE_PATH || (name.startsWith('traces/') && name.endsWith('.json') && !name.includes(ATTACHMENT_DIR));
const isAttachment = (name: string) => name.startsWith('traces/') && name.includes(ATTACHMENT_DIR);

function openZip(file: string): Promise<yauzl.ZipFile> {
  return new Promise((resolve, reject) => {
    yauzl.open(file, { lazyEntries: true, autoClose: false, decodeStrings: false, validateEntrySizes: true }, (error, zip) => {
      if (error || !zip) reject(new DomainError(ErrorCode.InvalidInput, 'Le fichier envoyé n’est pas une archive ZIP lisible.', [{ path: 'file', message: 'ZIP illisible' }]));
      else resolve(zip);
    });
  });
}

function openEntry(zip: yauzl.ZipFile, entry: yauzl.Entry, name: string): Promise<Readable> {
  return new Promise((resolve, reject) => {
    zip.openReadStream(entry, (error, stream) => {
      if (error || !stream) reject(archiveFault(name, `Le fichier ${name} de l’archive est illisible.`));
      else resolve(stream);
    });
  });
}

/** Reads one entry: hashed always; kept in memory (JSON) or extracted (attachment) when needed. */
async function readEntry(zip: yauzl.ZipFile, entry: yauzl.Entry, name: string, work: string, index: number): Promise<Read> {
  const limit = isJson(name) ? ARCHIVE_LIMITS.jsonBytes : isAttachment(name) ? ARCHIVE_LIMITS.attachmentBytes : Infinity;
  if (entry.uncompressedSize > limit) throw archiveFault(name, `Le fichier ${name} de l’archive est trop volumineux.`);
  const stream = await openEntry(zip, entry, name);
  const hash = createHash('sha256');
  const chunks: Buffer[] = [];
  let size = 0;
  const meter = new Transform({
    transform(chunk: Buffer, _encoding, callback) {
      size += chunk.length;
      hash.update(chunk);
      if (size > limit) return callback(archiveFault(name, `Le fichier ${name} de l’archive est trop volumineux.`));
      callback(null, chunk);
    },
  });
  const read: Read = { size: 0, sha256: '' };
  let sink: Writable;
  if (isAttachment(name)) {
    read.extracted = path.join(work, `attachment-${index}`);
    sink = createWriteStream(read.extracted);
  } else {
    sink = new Writable({
      write(chunk: Buffer, _encoding, callback) {
        if (isJson(name)) chunks.push(chunk);
        callback();
      },
    });
  }
  try {
    await pipeline(stream, meter, sink);
  } catch (error) {
    if (error instanceof DomainError) throw error;
    throw archiveFault(name, `Le fichier ${name} de l’archive est illisible ou ne fait pas la taille annoncée.`);
  }
  read.size = size;
  read.sha256 = hash.digest('hex');
  if (isJson(name)) read.bytes = Buffer.concat(chunks);
  return read;
}

function parseJson<T>(name: string, bytes: Buffer | undefined): T {
  try {
    return JSON.parse((bytes ?? Buffer.alloc(0)).toString('utf8')) as T;
  } catch {
    throw archiveFault(name, `Le fichier ${name} de l’archive n’est pas du JSON valide.`);
  }
}

/**
 * Reads a portfolio archive (extracting attachments under `work`) and checks all of it before
 * anything is written: the entries' names and sizes, every file the manifest lists present with
 * its size and SHA-256, no file it does not list, the manifest's signature when there is one,
 * each validated trace's stamp recomputed from its canonical content and its content against
 * the editor schema, and each attachment's type by its content. The first fault found is thrown,
 * naming its file.
 */
export async function readPortfolioArchive(file: string, work: string): Promise<VerifiedArchive> {
  const zip = await openZip(file);
  const entries = new Map<string, Read>();
  try {
    if (zip.entryCount > ARCHIVE_LIMITS.entries) {
      throw new DomainError(ErrorCode.TooLarge, `L’archive contient trop de fichiers (${zip.entryCount}, ${ARCHIVE_LIMITS.entries} au plus).`, [{ path: 'file', message: 'trop de fichiers' }]);
    }
    let declared = 0;
    let declaredJson = 0;
    let index = 0;
    await new Promise<void>((resolve, reject) => {
      zip.on('error', () => reject(new DomainError(ErrorCode.InvalidInput, 'Le fichier envoyé n’est pas une archive ZIP lisible.', [{ path: 'file', message: 'ZIP illisible' }])));
      zip.on('end', () => resolve());
      zip.on('entry', (entry: yauzl.Entry) => {
        void (async () => {
          const name = entryName(entry);
          if (name.endsWith('/')) return; // a folder: nothing to check
          if (entries.has(name)) throw archiveFault(name, `Le fichier ${name} figure deux fois dans l’archive.`);
          declared += entry.uncompressedSize;
          if (declared > ARCHIVE_LIMITS.totalBytes) {
            throw new DomainError(ErrorCode.TooLarge, 'L’archive décompressée dépasse 1 Go : archive refusée.', [{ path: 'file', message: 'trop volumineuse une fois décompressée' }]);
          }
          if (isJson(name) && (declaredJson += entry.uncompressedSize) > ARCHIVE_LIMITS.jsonTotalBytes) {
            throw new DomainError(ErrorCode.TooLarge, `Les fichiers JSON de l’archive dépassent ${ARCHIVE_LIMITS.jsonTotalBytes / 1024 / 1024} Mo : archive refusée.`, [{ path: name, message: 'trop volumineux' }]);
          }
          entries.set(name, await readEntry(zip, entry, name, work, index++));
        })().then(() => zip.readEntry(), reject);
      });
      zip.readEntry();
    });
  } finally {
    zip.close();
  }
  return verify(entries);
}

const isText = (value: unknown, max: number, min = 0): value is string => typeof value === 'string' && value.length >= min && value.length <= max;

/**
 * The deployment's address as one origin: scheme, host (lower case, default port dropped) and
 * path without its trailing slash. Keys are pinned and traces keyed by it, so that no other
 * spelling of the same address escapes the pin. Null when it is no http(s) address.
 */
export function normaliseDeployment(value: unknown): string | null {
  if (!isText(value, 500, 1)) return null;
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return null;
  }
  if ((url.protocol !== 'https:' && url.protocol !== 'http:') || url.username || url.password || url.search || url.hash || !url.hostname) return null;
  return `${url.protocol}//${url.host}${url.pathname.replace(/\/+$/, '')}`;
}

/**
 * What the manifest says of its origin and intern is shown, stored and compared: each field must
 * be what an export writes (an address, a code and a name, an e-mail, a date), and nothing else
 * of it is kept. The deployment's address is normalised in place.
 */
function checkManifestFields(manifest: ArchiveManifest): void {
  const origin = manifest.origin!;
  const fault = (what: string) => archiveFault(MANIFEST_PATH, `Le fichier manifest.json : ${what}.`);
  const deployment = normaliseDeployment(origin.deployment);
  if (!deployment) throw fault('l’adresse du Carnet d’origine n’est pas une adresse web (http ou https)');
  const faculty = origin.faculty as unknown as Record<string, unknown> | null;
  if (typeof faculty !== 'object' || faculty === null || !isText(faculty.code, 100) || !isText(faculty.name, 300, 1) || faculty.name.trim() === '') {
    throw fault('la faculté d’origine doit avoir un code et un nom (300 caractères au plus)');
  }
  if (origin.dumg !== undefined && !isText(origin.dumg, 300)) throw fault('le nom du DUMG d’origine est invalide');
  if (origin.publicKeyFingerprint !== null && origin.publicKeyFingerprint !== undefined && !/^[0-9a-f]{64}$/.test(String(origin.publicKeyFingerprint))) {
    throw fault('l’empreinte de la clé de signature est invalide');
  }
  const intern = manifest.intern as unknown as Record<string, unknown>;
  if (!isText(intern.email, 320, 3) || !isText(intern.displayName, 300)) throw fault('l’interne de l’archive doit avoir un nom et une adresse e-mail');
  if (manifest.exportedAt !== undefined && manifest.exportedAt !== null && (!isText(manifest.exportedAt, 40) || Number.isNaN(Date.parse(manifest.exportedAt)))) {
    throw fault('la date d’export est illisible');
  }
  manifest.origin = { deployment, faculty: { code: faculty.code, name: faculty.name }, dumg: origin.dumg ?? '', publicKeyFingerprint: origin.publicKeyFingerprint ?? null };
  manifest.intern = { ...manifest.intern, email: intern.email, displayName: intern.displayName };
}

function verify(entries: Map<string, Read>): VerifiedArchive {
  const manifestRead = entries.get(MANIFEST_PATH);
  if (!manifestRead) throw archiveFault(MANIFEST_PATH, 'L’archive n’a pas de fichier manifest.json : ce n’est pas un export de portfolio Carnet.');
  const manifest = parseJson<ArchiveManifest>(MANIFEST_PATH, manifestRead.bytes);
  if (!Array.isArray(manifest?.files) || !Array.isArray(manifest.traces) || typeof manifest.intern !== 'object' || manifest.intern === null) {
    throw archiveFault(MANIFEST_PATH, 'Le fichier manifest.json ne décrit pas un portfolio Carnet.');
  }
  if (manifest.format?.name !== ARCHIVE_FORMAT.name || typeof manifest.format.version !== 'number' || manifest.format.version < 2 || !manifest.origin) {
    throw archiveFault(MANIFEST_PATH, 'Cette archive vient d’une version de Carnet qui ne permettait pas l’import (manifeste sans origine ni tampons) : demandez un nouvel export.');
  }
  if (manifest.format.version > ARCHIVE_FORMAT.version) {
    throw archiveFault(MANIFEST_PATH, `Cette archive est au format ${manifest.format.version}, plus récent que celui que ce Carnet sait lire (${ARCHIVE_FORMAT.version}).`);
  }

  checkManifestFields(manifest);

  // The signature, when there is one, must hold, and name the key the manifest names.
  let signedBy: string | null = null;
  const signatureRead = entries.get(SIGNATURE_PATH);
  if (signatureRead) {
    signedBy = verifyManifestSignature(manifestRead.bytes!, parseJson<ArchiveSignature>(SIGNATURE_PATH, signatureRead.bytes));
    if (!signedBy || signedBy !== manifest.origin.publicKeyFingerprint) {
      throw archiveFault(SIGNATURE_PATH, 'La signature du fichier manifest.json (manifest.sig) ne correspond pas à son contenu : archive modifiée après l’export.');
    }
  } else if (manifest.origin.publicKeyFingerprint) {
    throw archiveFault(SIGNATURE_PATH, 'Le manifeste annonce une signature, mais le fichier manifest.sig manque : archive modifiée après l’export.');
  }

  // Every listed file present, as listed; nothing unlisted.
  const listed = new Map<string, { size: number; sha256: string }>();
  for (const f of manifest.files) {
    if (typeof f?.path !== 'string' || typeof f.sha256 !== 'string') throw archiveFault(MANIFEST_PATH, 'Le fichier manifest.json liste un fichier mal décrit.');
    listed.set(f.path, f);
  }
  for (const [file, expected] of listed) {
    const read = entries.get(file);
    if (!read) throw archiveFault(file, `Le fichier ${file} est listé dans le manifeste mais absent de l’archive.`);
    if (read.sha256 !== expected.sha256 || read.size !== expected.size) {
      throw archiveFault(file, `Le fichier ${file} ne correspond pas à son empreinte SHA-256 du manifeste.`);
    }
  }
  for (const file of entries.keys()) {
    if (file !== MANIFEST_PATH && file !== SIGNATURE_PATH && !listed.has(file)) {
      throw archiveFault(file, `Le fichier ${file} n’est pas listé dans le manifeste : archive refusée.`);
    }
  }

  // Each trace: its stamp recomputed, its content checked, its attachments by content.
  const traces: VerifiedTrace[] = [];
  let skipped = 0;
  const seen = new Set<string>();
  // A validation after the export, or still to come, is no validation (a few minutes of clock drift aside).
  const latest = Math.min(Date.now(), manifest.exportedAt ? Date.parse(manifest.exportedAt) : Infinity) + CLOCK_SKEW_MS;
  for (const entry of manifest.traces) {
    const file = entry?.json;
    if (typeof file !== 'string' || !listed.has(file) || !file.endsWith('.json')) {
      throw archiveFault(MANIFEST_PATH, `Le manifeste ne donne pas le fichier de la trace « ${String(entry?.title ?? entry?.id)} ».`);
    }
    if (seen.has(file) || seen.has(`id:${String(entry.id)}`)) throw archiveFault(MANIFEST_PATH, `Le manifeste liste deux fois la trace « ${String(entry.title ?? entry.id)} » : archive refusée.`);
    seen.add(file).add(`id:${String(entry.id)}`);
    let trace: ImportedTrace | null;
    try {
      trace = verifyTraceRecord(parseJson(file, entries.get(file)!.bytes));
    } catch (error) {
      if (error instanceof TraceRecordFault) throw archiveFault(file, `Le fichier ${file} : ${error.message}.`);
      throw error;
    }
    if (!trace) {
      skipped++;
      continue;
    }
    if (trace.id !== entry.id || trace.stamp.sha256 !== entry.validatedSha256) {
      throw archiveFault(file, `Le fichier ${file} ne correspond pas à la trace que le manifeste décrit (identifiant ou tampon différent).`);
    }
    if (!(Date.parse(trace.stamp.validatedAt) <= latest)) {
      throw archiveFault(file, `Le fichier ${file} : date de validation illisible, postérieure à l’export ou à venir.`);
    }
    const attachmentFiles = new Map<string, string>();
    for (const attachment of trace.attachments) {
      const read = entries.get(attachment.path);
      if (!read || !listed.has(attachment.path) || !attachment.path.startsWith(file.replace(/\.json$/, ATTACHMENT_DIR))) {
        throw archiveFault(attachment.path, `Le fichier ${attachment.path}, pièce jointe de ${file}, est absent de l’archive ou mal placé.`);
      }
      if (read.sha256 !== attachment.sha256) {
        throw archiveFault(attachment.path, `Le fichier ${attachment.path} ne correspond pas à l’empreinte SHA-256 que sa trace ${file} lui donne.`);
      }
      attachmentFiles.set(attachment.path, read.extracted!);
    }
    traces.push({ ...trace, file, attachmentFiles });
  }
  return { manifest, signedBy, traces, skipped };
}

/** The detected type of each extracted attachment must be the one its trace declares (checked like uploads). */
export async function assertAttachmentTypes(traces: VerifiedTrace[]): Promise<void> {
  for (const trace of traces) {
    for (const attachment of trace.attachments) {
      const handle = await fs.open(trace.attachmentFiles.get(attachment.path)!, 'r');
      const head = Buffer.alloc(16);
      try {
        await handle.read(head, 0, 16, 0);
      } finally {
        await handle.close();
      }
      if (sniffType(head) !== attachment.mimeType) {
        throw archiveFault(attachment.path, `Le fichier ${attachment.path} n’est pas un ${attachment.mimeType === 'application/pdf' ? 'PDF' : attachment.mimeType === 'image/png' ? 'PNG' : attachment.mimeType === 'image/jpeg' ? 'JPEG' : 'fichier accepté'} (type reconnu d’après son contenu).`);
      }
    }
  }
}
