import { createHash, createPrivateKey, createPublicKey, hkdfSync, KeyObject, sign, verify } from 'node:crypto';
import { canonicalJson, sha256Hex, validateDocument, InvalidDocumentError, TiptapJson } from '@carnet/editor';

/**
 * The portfolio ZIP as one Carnet hands it to another (ADR 0008). Version 1 archives had no
 * origin nor stamps in their trace files; only version 2 and later can be imported.
 */
export const ARCHIVE_FORMAT = { name: 'carnet-portfolio', version: 2 } as const;

/** The entry holding the signature of `manifest.json`'s exact bytes; not listed in the manifest itself. */
export const MANIFEST_PATH = 'manifest.json';
export const SIGNATURE_PATH = 'manifest.sig';

export interface ManifestFile {
  path: string;
  size: number;
  sha256: string;
}

export interface ArchiveOrigin {
  /** The exporting deployment's public address (PUBLIC_URL). */
  deployment: string;
  faculty: { code: string; name: string };
  dumg: string;
  /** SHA-256 of the deployment's Ed25519 public key (SPKI DER), hex; null when it signs nothing. */
  publicKeyFingerprint: string | null;
}

export interface ManifestTrace {
  id: string;
  title: string;
  status: string;
  validatedAt: string | null;
  validatedSha256: string | null;
  validatedBy?: string | null;
  json?: string;
  html?: string;
}

export interface ArchiveManifest {
  format?: { name: string; version: number };
  origin?: ArchiveOrigin;
  exportedAt?: string;
  generatedAt: string;
  software: { name: string; version: string };
  dumg: string;
  scope: string;
  intern: { id: string; displayName: string; email: string; promotion: number | null; upp: string | null };
  traces: ManifestTrace[];
  files: ManifestFile[];
}

/** A validation stamp as the trace's JSON carries it: the SHA-256 is of `canonicalContent`'s UTF-8 bytes. */
export interface ArchiveStamp {
  validator: string | null;
  validatedAt: string;
  sha256: string;
  algorithm: 'sha256(canonicalContent)';
}

export interface ArchiveSignature {
  algorithm: 'Ed25519';
  /** The public key, SPKI DER in base64. */
  publicKey: string;
  fingerprint: string;
  /** Over the exact bytes of manifest.json, base64. */
  signature: string;
}

// An Ed25519 private key in PKCS#8 DER is this prefix followed by its 32-byte seed (RFC 8410).
const PKCS8_ED25519_PREFIX = Buffer.from('302e020100300506032b657004220420', 'hex');

/**
 * The deployment's signing key, derived from CARNET_SECRET_KEY (HKDF, its own label): nothing
 * more to generate, keep or back up, and it changes only when that secret does.
 */
export function deploymentSigningKey(secretKey: Buffer): KeyObject {
  const seed = Buffer.from(hkdfSync('sha256', secretKey, Buffer.alloc(0), 'carnet deployment signing key (Ed25519) v1', 32));
  return createPrivateKey({ key: Buffer.concat([PKCS8_ED25519_PREFIX, seed]), format: 'der', type: 'pkcs8' });
}

export function publicKeyDer(key: KeyObject): Buffer {
  return createPublicKey(key).export({ type: 'spki', format: 'der' });
}

/** What an admin compares with the origin's published key: SHA-256 of the SPKI DER, hex. */
export const keyFingerprint = (spkiDer: Buffer): string => createHash('sha256').update(spkiDer).digest('hex');

export function signManifest(manifest: Buffer, key: KeyObject): ArchiveSignature {
  const der = publicKeyDer(key);
  return { algorithm: 'Ed25519', publicKey: der.toString('base64'), fingerprint: keyFingerprint(der), signature: sign(null, manifest, key).toString('base64') };
}

/** The signature's key fingerprint when it holds over `manifest`, else null. */
export function verifyManifestSignature(manifest: Buffer, signature: ArchiveSignature): string | null {
  try {
    if (signature.algorithm !== 'Ed25519' || typeof signature.publicKey !== 'string' || typeof signature.signature !== 'string') return null;
    const der = Buffer.from(signature.publicKey, 'base64');
    const key = createPublicKey({ key: der, format: 'der', type: 'spki' });
    if (key.asymmetricKeyType !== 'ed25519') return null;
    return verify(null, manifest, key, Buffer.from(signature.signature, 'base64')) ? keyFingerprint(der) : null;
  } catch {
    return null;
  }
}

/** What an imported trace keeps of its origin: enough to show and re-check its stamp. */
export interface ImportedTrace {
  id: string;
  kind: string;
  title: string;
  competences: string[];
  familles: string[];
  createdAt: string;
  content: TiptapJson;
  stamp: ArchiveStamp;
  attachments: { id: string; filename: string; size: number; sha256: string; mimeType: string; path: string }[];
  /** The trace was itself imported by the exporting Carnet: where it says it was validated. */
  importedFrom: { faculty: string; deployment: string; signed: boolean } | null;
}

/** Why a trace file cannot be imported, in French, for the admin. */
export class TraceRecordFault extends Error {
  override readonly name = 'TraceRecordFault';
}

const isStringArray = (value: unknown): value is string[] => Array.isArray(value) && value.every((v) => typeof v === 'string');

/**
 * Checks a trace file of an archive, as read: its shape, its content against the editor schema,
 * and its validation stamp against its canonical content (recomputed, never believed).
 * Returns null for a trace that is not validated (an export of scope "all" holds drafts).
 */
export function verifyTraceRecord(record: unknown): ImportedTrace | null {
  if (typeof record !== 'object' || record === null || Array.isArray(record)) throw new TraceRecordFault('ce n’est pas une trace Carnet (objet JSON attendu)');
  const r = record as Record<string, unknown>;
  if (r.status !== 'validated') return null;
  if (typeof r.id !== 'string' || typeof r.kind !== 'string' || typeof r.title !== 'string' || !isStringArray(r.competences) || !isStringArray(r.familles)) {
    throw new TraceRecordFault('champs de la trace manquants ou invalides');
  }
  const stamp = r.stamp as Partial<ArchiveStamp> | undefined;
  if (!stamp || typeof stamp.sha256 !== 'string' || typeof stamp.validatedAt !== 'string' || typeof r.canonicalContent !== 'string') {
    throw new TraceRecordFault('le tampon de validation ou le contenu canonique manque');
  }
  // Kept, keyed and shown as they are: bounded like this Carnet's own (an id is a UUID there, a name a person's).
  if (r.id.length > 100 || stamp.validatedAt.length > 40 || (typeof stamp.validator === 'string' && stamp.validator.length > 300)) {
    throw new TraceRecordFault('identifiant, date ou nom du validateur trop long');
  }
  let content: TiptapJson;
  try {
    validateDocument(r.content);
    // Kept as the origin stored it: its canonical bytes are what the stamp hashes.
    content = r.content as TiptapJson;
  } catch (error) {
    if (error instanceof InvalidDocumentError) throw new TraceRecordFault(`le contenu ne respecte pas le schéma de l’éditeur (${error.message})`);
    throw error;
  }
  if (canonicalJson(content) !== r.canonicalContent) throw new TraceRecordFault('le contenu ne correspond pas à son contenu canonique');
  if (sha256Hex(r.canonicalContent) !== stamp.sha256 || r.validatedSha256 !== stamp.sha256) {
    throw new TraceRecordFault('le tampon de validation ne correspond pas au contenu (SHA-256 recalculé différent)');
  }
  const attachments = Array.isArray(r.attachments) ? r.attachments : [];
  let importedFrom: ImportedTrace['importedFrom'] = null;
  if (r.importedFrom !== undefined && r.importedFrom !== null) {
    const from = r.importedFrom as Record<string, unknown>;
    if (typeof from.faculty !== 'string' || !from.faculty.trim() || from.faculty.length > 300 || typeof from.deployment !== 'string' || from.deployment.length > 500 || typeof from.signed !== 'boolean') {
      throw new TraceRecordFault('l’origine d’une trace importée par le Carnet d’export est mal décrite');
    }
    importedFrom = { faculty: from.faculty, deployment: from.deployment, signed: from.signed };
  }
  return {
    importedFrom,
    id: r.id,
    kind: r.kind,
    title: r.title,
    competences: r.competences,
    familles: r.familles,
    createdAt: typeof r.createdAt === 'string' ? r.createdAt : stamp.validatedAt,
    content,
    stamp: { validator: typeof stamp.validator === 'string' ? stamp.validator : null, validatedAt: stamp.validatedAt, sha256: stamp.sha256, algorithm: 'sha256(canonicalContent)' },
    attachments: attachments.map((a: Record<string, unknown>) => {
      if (typeof a?.path !== 'string' || typeof a.sha256 !== 'string' || typeof a.mimeType !== 'string' || typeof a.filename !== 'string' || typeof a.id !== 'string') {
        throw new TraceRecordFault('une pièce jointe est mal décrite');
      }
      return { id: a.id, filename: a.filename, size: Number(a.size), sha256: a.sha256, mimeType: a.mimeType, path: a.path };
    }),
  };
}
