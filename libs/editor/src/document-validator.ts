import { Fragment, Node as ProseMirrorNode } from '@tiptap/pm/model';
import { BlockDelta, deltaFaults } from './block-delta';
import { HEADING_LEVELS, LINK_PROTOCOLS } from './extensions';
import { leafText } from './plain-text';
import { editorSchema } from './schema';

export const MAX_DOCUMENT_BYTES = 2 * 1024 * 1024;
export const MAX_DEPTH = 40;
const MAX_ATTRIBUTE_LENGTH = 2048;

export interface ContentFault {
  path: string;
  message: string;
}

/** The document breaks the editor schema; `faults` say where. `tooLarge` maps to 413. */
export class InvalidDocumentError extends Error {
  override readonly name = 'InvalidDocumentError';
  constructor(
    readonly faults: ContentFault[],
    readonly tooLarge = false,
  ) {
    super(faults.map((f) => `${f.path}: ${f.message}`).join('; '));
  }
}

export interface TiptapJson {
  type: string;
  attrs?: Record<string, unknown>;
  content?: TiptapJson[];
  marks?: { type: string; attrs?: Record<string, unknown> }[];
  text?: string;
}

type AttributeRule = (value: unknown) => string | null;

const integerBetween = (min: number, max: number): AttributeRule => (value) =>
  Number.isInteger(value) && (value as number) >= min && (value as number) <= max ? null : `entier entre ${min} et ${max} attendu`;
const optionalString = (max: number, pattern?: RegExp): AttributeRule => (value) =>
  value === null || (typeof value === 'string' && value.length <= max && (!pattern || pattern.test(value))) ? null : 'texte invalide';

/** What ProseMirror does not check itself: attribute values (it accepts a heading of level 9, a javascript: link). */
const ATTRIBUTE_RULES: Record<string, Record<string, AttributeRule>> = {
  heading: { level: (v) => ((HEADING_LEVELS as readonly unknown[]).includes(v) ? null : `niveau de titre entre 1 et ${HEADING_LEVELS.length}`) },
  orderedList: { start: integerBetween(1, 100_000), type: optionalString(10, /^[1aAiI]?$/) },
  codeBlock: { language: optionalString(30, /^[a-z0-9+#._-]*$/i) },
  tableCell: { colspan: integerBetween(1, 50), rowspan: integerBetween(1, 200), colwidth: colwidth },
  tableHeader: { colspan: integerBetween(1, 50), rowspan: integerBetween(1, 200), colwidth: colwidth },
  link: {
    href: (v) => {
      if (typeof v !== 'string' || v.length > MAX_ATTRIBUTE_LENGTH) return 'adresse de lien invalide';
      try {
        return (LINK_PROTOCOLS as readonly string[]).includes(new URL(v).protocol) ? null : 'seuls les liens http, https et mailto sont permis';
      } catch {
        return 'adresse de lien invalide (URL complète attendue)';
      }
    },
    target: (v) => (v === null || v === '_blank' ? null : 'cible de lien invalide'),
    rel: optionalString(100, /^[a-z ]*$/),
    class: (v) => (v === null ? null : 'classe non permise'),
    title: optionalString(300),
  },
};

function colwidth(value: unknown): string | null {
  return value === null || (Array.isArray(value) && value.length <= 50 && value.every((w) => Number.isInteger(w) && w > 0 && w < 5000))
    ? null
    : 'largeurs de colonnes invalides';
}

function checkAttributes(kind: 'node' | 'mark', type: string, attrs: unknown, path: string, faults: ContentFault[]): void {
  if (attrs === undefined || attrs === null) return;
  if (typeof attrs !== 'object' || Array.isArray(attrs)) {
    faults.push({ path: `${path}.attrs`, message: 'un objet est attendu' });
    return;
  }
  const spec = (kind === 'node' ? editorSchema.nodes[type] : editorSchema.marks[type])!.spec.attrs ?? {};
  for (const [name, value] of Object.entries(attrs)) {
    if (!(name in spec)) {
      faults.push({ path: `${path}.attrs.${name}`, message: `attribut inconnu pour « ${type} »` });
      continue;
    }
    const rule = ATTRIBUTE_RULES[type]?.[name];
    const fault = rule ? rule(value) : typeof value === 'string' && value.length > MAX_ATTRIBUTE_LENGTH ? 'valeur trop longue' : null;
    if (fault) faults.push({ path: `${path}.attrs.${name}`, message: fault });
  }
}

function walk(node: unknown, path: string, depth: number, faults: ContentFault[]): void {
  if (faults.length >= 20) return;
  if (typeof node !== 'object' || node === null || Array.isArray(node)) {
    faults.push({ path, message: 'un nœud (objet) est attendu' });
    return;
  }
  const { type, attrs, content, marks, text, ...rest } = node as Record<string, unknown>;
  for (const key of Object.keys(rest)) faults.push({ path: `${path}.${key}`, message: 'propriété inconnue' });
  if (typeof type !== 'string' || !editorSchema.nodes[type]) {
    faults.push({ path: `${path}.type`, message: `type de nœud inconnu « ${String(type)} »` });
    return;
  }
  if (depth > MAX_DEPTH) {
    faults.push({ path, message: `document trop profond (${MAX_DEPTH} niveaux au plus)` });
    return;
  }
  if (type === 'doc' && depth > 0) faults.push({ path: `${path}.type`, message: '« doc » seulement à la racine' });
  checkAttributes('node', type, attrs, path, faults);
  if (type === 'text') {
    if (typeof text !== 'string' || text.length === 0) faults.push({ path: `${path}.text`, message: 'texte non vide attendu' });
  } else if (text !== undefined) {
    faults.push({ path: `${path}.text`, message: 'seul un nœud « text » porte du texte' });
  }
  if (marks !== undefined) {
    if (!Array.isArray(marks)) faults.push({ path: `${path}.marks`, message: 'une liste est attendue' });
    else
      marks.forEach((mark: unknown, i) => {
        const markPath = `${path}.marks[${i}]`;
        const markType = (mark as { type?: unknown })?.type;
        if (typeof markType !== 'string' || !editorSchema.marks[markType]) {
          faults.push({ path: `${markPath}.type`, message: `marque inconnue « ${String(markType)} »` });
          return;
        }
        const { type: _t, attrs: markAttrs, ...markRest } = mark as Record<string, unknown>;
        for (const key of Object.keys(markRest)) faults.push({ path: `${markPath}.${key}`, message: 'propriété inconnue' });
        checkAttributes('mark', markType, markAttrs, markPath, faults);
      });
  }
  if (content !== undefined) {
    if (!Array.isArray(content)) faults.push({ path: `${path}.content`, message: 'une liste est attendue' });
    else content.forEach((child, i) => walk(child, `${path}.content[${i}]`, depth + 1, faults));
  }
}

export interface ValidDocument {
  node: ProseMirrorNode;
  /** The canonical form to store: ProseMirror's own serialisation, defaults filled in. */
  json: TiptapJson;
}

/**
 * Checks a document against the editor schema, as the server must before storing it: the
 * size, every node, mark and attribute (with the path of each fault), then ProseMirror's
 * content rules (`Node.fromJSON` + `check()`).
 */
export function validateDocument(input: unknown, path = 'content'): ValidDocument {
  const bytes = Buffer.byteLength(JSON.stringify(input ?? null));
  if (bytes > MAX_DOCUMENT_BYTES) {
    throw new InvalidDocumentError([{ path, message: `document trop volumineux (${bytes} octets, 2 Mo au plus)` }], true);
  }
  if ((input as { type?: unknown })?.type !== 'doc') {
    throw new InvalidDocumentError([{ path: `${path}.type`, message: 'un document « doc » est attendu' }]);
  }
  const faults: ContentFault[] = [];
  walk(input, path, 0, faults);
  if (faults.length) throw new InvalidDocumentError(faults);
  try {
    const node = ProseMirrorNode.fromJSON(editorSchema, input);
    node.check();
    return { node, json: node.toJSON() as TiptapJson };
  } catch (error) {
    throw new InvalidDocumentError([{ path, message: `structure refusée par le schéma : ${(error as Error).message}` }]);
  }
}

export function documentFromJson(json: unknown): ProseMirrorNode {
  return ProseMirrorNode.fromJSON(editorSchema, json);
}

/** A document checked by `DocumentValidatorCache`: its canonical JSON as text too, and as an object on demand. */
export interface CheckedDocument {
  node: ProseMirrorNode;
  /** `JSON.stringify` of the canonical form, built from the blocks' own. */
  jsonText: string;
  readonly json: TiptapJson;
  /** The same document block by block, for the deltas later saves send against it. */
  readonly blocks: BlockDocument;
}

/**
 * A checked top-level block: its node, its canonical JSON text, and its plain text and the UTF-8
 * bytes of both once asked for (so a remembered block holds about twice what its text counts
 * towards a cache's bound: the bound stays proportional).
 */
interface Block {
  node: ProseMirrorNode;
  jsonText: string;
  plain?: { text: string; separated: boolean };
  jsonBytes?: Buffer;
  plainBytes?: Buffer;
}

/** A document's canonical JSON around its blocks' (joined by commas), as text and as UTF-8 bytes. */
const [DOC_OPEN_TEXT, DOC_CLOSE_TEXT] = ['{"type":"doc","content":[', ']}'];
const DOC_FRAME_CHARS = DOC_OPEN_TEXT.length + DOC_CLOSE_TEXT.length;
const [DOC_OPEN, COMMA, DOC_CLOSE, LINE] = [DOC_OPEN_TEXT, ',', DOC_CLOSE_TEXT, '\n'].map((text) => Buffer.from(text));

function plainOf(block: Block): { text: string; separated: boolean } {
  if (!block.plain) {
    const { node } = block;
    // `plainText` puts a line break before every textblock but the document's first: a block
    // holding none (a rule) adds neither text nor a line.
    let separated = node.isTextblock;
    if (!separated) node.descendants((child) => !(separated ||= child.isTextblock));
    block.plain = { text: node.textBetween(0, node.content.size, '\n', leafText), separated };
  }
  return block.plain;
}

/**
 * A valid document as its top-level blocks, each checked and in canonical form: what a server
 * keeps of the version it last saved, so that the next save may send only the blocks that changed.
 * Its JSON text and plain text are those `validateDocument` and `plainText` give for the same document.
 */
export class BlockDocument {
  private jsonTextMemo?: string;
  private textMemo?: string;

  constructor(private readonly blockList: readonly Block[]) {}

  get length(): number {
    return this.blockList.length;
  }

  /** The canonical JSON text of the whole document. */
  get jsonText(): string {
    return (this.jsonTextMemo ??= `${DOC_OPEN_TEXT}${this.blockList.map((block) => block.jsonText).join(',')}${DOC_CLOSE_TEXT}`);
  }

  /** The document's plain text, as `plainText` gives it. */
  get text(): string {
    return (this.textMemo ??= this.textBlocks()
      .map((block) => plainOf(block).text)
      .join('\n'));
  }

  /**
   * `jsonText` in UTF-8, as pieces to concatenate: each block's bytes are encoded once and shared
   * by every document that holds the block, so a server sending a document to its database
   * neither joins nor encodes its whole text again at each save.
   */
  jsonUtf8Pieces(): Buffer[] {
    const pieces: Buffer[] = [DOC_OPEN];
    this.blockList.forEach((block, i) => {
      if (i > 0) pieces.push(COMMA);
      pieces.push((block.jsonBytes ??= Buffer.from(block.jsonText)));
    });
    pieces.push(DOC_CLOSE);
    return pieces;
  }

  /** `text` in UTF-8, as pieces to concatenate (see `jsonUtf8Pieces`). */
  textUtf8Pieces(): Buffer[] {
    const pieces: Buffer[] = [];
    for (const block of this.textBlocks()) {
      if (pieces.length) pieces.push(LINE);
      pieces.push((block.plainBytes ??= Buffer.from(plainOf(block).text)));
    }
    return pieces;
  }

  /** The blocks that give the plain text a line (a rule gives none), as `plainText` counts them. */
  private textBlocks(): Block[] {
    return this.blockList.filter((block) => plainOf(block).separated);
  }

  /** A rough size, in characters, for bounding what a cache of documents holds. */
  get chars(): number {
    return this.blockList.reduce((sum, block) => sum + block.jsonText.length, 0);
  }

  node(): ProseMirrorNode {
    return editorSchema.topNodeType.create(null, Fragment.fromArray(this.blockList.map((block) => block.node)));
  }

  /** @internal */
  blocksBetween(from: number, to: number): readonly Block[] {
    return this.blockList.slice(from, to);
  }
}

/**
 * `validateDocument` for a server that receives the same document again and again (an autosave
 * sends the whole trace every few seconds, a few paragraphs changed): each top-level block is
 * checked once and remembered by its JSON text, as the ProseMirror node it makes and that node's
 * canonical JSON text; a save checks only the blocks it has not seen. The answer is the one
 * `validateDocument` gives: whatever it would refuse (and anything this does not recognise) goes
 * to `validateDocument` itself, which says why with the same paths. The remembered blocks are
 * bounded by their total length; the oldest go first.
 */
export class DocumentValidatorCache {
  private readonly blocks = new Map<string, Block>();
  private chars = 0;

  constructor(private readonly maxChars = 8 * 1024 * 1024) {}

  validate(input: unknown, path = 'content'): CheckedDocument {
    const doc = input as { type?: unknown; content?: unknown } | null;
    const keys = typeof doc === 'object' && doc !== null && !Array.isArray(doc) ? Object.keys(doc) : [];
    const simple = keys.length === 2 && keys[0] === 'type' && keys[1] === 'content' && doc!.type === 'doc' && Array.isArray(doc!.content) && doc!.content.length > 0;
    if (!simple) return this.fallback(input, path);
    const blocks = doc!.content as unknown[];
    // The size `validateDocument` measures: the whole document's JSON, which is its blocks' joined
    // (counted in bytes only when its length could exceed the bound: a character is 3 bytes at most).
    const frame = DOC_FRAME_CHARS + blocks.length - 1;
    const texts = blocks.map((block) => JSON.stringify(block) as string | undefined);
    const chars = texts.reduce((sum, text) => sum + (text ?? 'null').length, frame);
    if (chars * 3 > MAX_DOCUMENT_BYTES && texts.reduce((sum, text) => sum + Buffer.byteLength(text ?? 'null'), frame) > MAX_DOCUMENT_BYTES) return this.fallback(input, path);
    const checked: Block[] = [];
    for (let i = 0; i < blocks.length; i++) {
      const text = texts[i];
      const block = (text === undefined ? undefined : this.remembered(text)) ?? this.check(blocks[i], text, `${path}.content[${i}]`);
      if (!block) return this.fallback(input, path);
      checked.push(block);
    }
    // Each block was checked whole; the document checks only which blocks it may hold.
    const document = new BlockDocument(checked);
    const node = document.node();
    if (!node.type.validContent(node.content)) return this.fallback(input, path);
    let json: TiptapJson | undefined;
    return {
      node,
      get jsonText() {
        return document.jsonText;
      },
      blocks: document,
      get json() {
        return (json ??= node.toJSON() as TiptapJson);
      },
    };
  }

  /**
   * `base` changed by `delta` (see `BlockDelta`), checked as `validate` checks a whole document:
   * the inserted blocks against the schema (faults under `path.insert[i]`), the result's blocks
   * and its size. Throws `InvalidDocumentError` for a delta that does not fit `base`.
   */
  apply(base: BlockDocument, delta: unknown, path = 'contentDelta'): BlockDocument {
    const faults = deltaFaults(delta, base.length, path);
    if (faults.length) throw new InvalidDocumentError(faults);
    const { from, to, insert } = delta as BlockDelta;
    const inserted = insert.map((block, i) => {
      const text = JSON.stringify(block) as string | undefined;
      const blockPath = `${path}.insert[${i}]`;
      const known = (text === undefined ? undefined : this.remembered(text)) ?? this.check(block, text, blockPath);
      if (known) return known;
      // Said as `validateDocument` says it of a block inside a document.
      const blockFaults: ContentFault[] = [];
      walk(block, blockPath, 1, blockFaults);
      if (blockFaults.length) throw new InvalidDocumentError(blockFaults);
      try {
        ProseMirrorNode.fromJSON(editorSchema, block).check();
      } catch (error) {
        throw new InvalidDocumentError([{ path: blockPath, message: `structure refusée par le schéma : ${(error as Error).message}` }]);
      }
      throw new InvalidDocumentError([{ path: blockPath, message: 'un bloc est attendu' }]);
    });
    const document = new BlockDocument([...base.blocksBetween(0, from), ...inserted, ...base.blocksBetween(to, base.length)]);
    const node = document.node();
    if (!node.type.validContent(node.content)) throw new InvalidDocumentError([{ path, message: 'le document doit garder au moins un bloc' }]);
    const chars = document.chars + DOC_FRAME_CHARS + document.length;
    if (chars * 3 > MAX_DOCUMENT_BYTES) {
      const bytes = Buffer.byteLength(document.jsonText);
      if (bytes > MAX_DOCUMENT_BYTES) throw new InvalidDocumentError([{ path, message: `document trop volumineux (${bytes} octets, 2 Mo au plus)` }], true);
    }
    return document;
  }

  private fallback(input: unknown, path: string): CheckedDocument {
    const { node, json } = validateDocument(input, path);
    const document = new BlockDocument(node.content.content.map((block) => ({ node: block, jsonText: JSON.stringify(block.toJSON()) })));
    return { node, json, jsonText: JSON.stringify(json), blocks: document };
  }

  private remembered(text: string) {
    const block = this.blocks.get(text);
    if (block) {
      // Most recently used last: the oldest are forgotten first.
      this.blocks.delete(text);
      this.blocks.set(text, block);
    }
    return block;
  }

  /** A block checked as `validateDocument` checks it inside a document; null if it would refuse it. */
  private check(input: unknown, text: string | undefined, path: string): Block | null {
    if (text === undefined) return null;
    const faults: ContentFault[] = [];
    walk(input, path, 1, faults);
    if (faults.length) return null;
    let node: ProseMirrorNode;
    try {
      node = ProseMirrorNode.fromJSON(editorSchema, input);
      node.check();
    } catch {
      return null;
    }
    if (!node.isBlock) return null;
    const block: Block = { node, jsonText: JSON.stringify(node.toJSON()) };
    this.blocks.set(text, block);
    this.chars += text.length;
    for (const [key] of this.blocks) {
      if (this.chars <= this.maxChars) break;
      this.blocks.delete(key);
      this.chars -= key.length;
    }
    return block;
  }
}
