/**
 * A change to a document as an autosave sends it once client and server agree on a version: the
 * document's top-level blocks from `from` to `to` (excluded) in the version named by If-Match,
 * replaced by `insert`. `blocks` is how many top-level blocks that version has, so a client whose
 * idea of it has drifted is refused (and sends the whole document) rather than misapplied.
 * Browser-safe: the web editor computes it, the server applies it (`BlockDocument.apply`).
 */
export interface BlockDelta {
  blocks: number;
  from: number;
  to: number;
  insert: unknown[];
}

export interface DeltaFault {
  path: string;
  message: string;
}

/**
 * The delta that turns `base` into `next` (both `{ type: 'doc', content: [...] }`): the blocks
 * between their common beginning and their common end. `key` says when two blocks are the same
 * (the web app's canonical JSON, as the server's jsonb does not keep key order); null when nothing
 * changed, or when either is not a document with blocks.
 */
export function blockDelta(base: unknown, next: unknown, key: (block: unknown) => string = (block) => JSON.stringify(block)): BlockDelta | null {
  const a = blocksOf(base);
  const b = blocksOf(next);
  if (!a || !b) return null;
  const ka = a.map(key);
  const kb = b.map(key);
  let start = 0;
  while (start < ka.length && start < kb.length && ka[start] === kb[start]) start++;
  let end = 0;
  while (end < ka.length - start && end < kb.length - start && ka[ka.length - 1 - end] === kb[kb.length - 1 - end]) end++;
  if (start === ka.length && start === kb.length) return null;
  return { blocks: a.length, from: start, to: a.length - end, insert: b.slice(start, b.length - end) };
}

function blocksOf(doc: unknown): unknown[] | null {
  const content = (doc as { type?: unknown; content?: unknown } | null)?.content;
  return (doc as { type?: unknown } | null)?.type === 'doc' && Array.isArray(content) ? content : null;
}

/** What is wrong with a delta's shape against a base of `baseBlocks` blocks (empty: nothing), with the path of each fault. */
export function deltaFaults(delta: unknown, baseBlocks: number, path = 'contentDelta'): DeltaFault[] {
  if (typeof delta !== 'object' || delta === null || Array.isArray(delta)) return [{ path, message: 'un objet est attendu' }];
  const { blocks, from, to, insert, ...rest } = delta as Record<string, unknown>;
  const faults: DeltaFault[] = Object.keys(rest).map((key) => ({ path: `${path}.${key}`, message: 'propriété inconnue' }));
  const index = (value: unknown) => Number.isInteger(value) && (value as number) >= 0;
  if (!index(blocks)) faults.push({ path: `${path}.blocks`, message: 'entier positif attendu' });
  else if (blocks !== baseBlocks) {
    faults.push({ path: `${path}.blocks`, message: `la version enregistrée a ${baseBlocks} blocs, pas ${String(blocks)} : envoyez le document entier` });
  }
  if (!index(from)) faults.push({ path: `${path}.from`, message: 'entier positif attendu' });
  if (!index(to)) faults.push({ path: `${path}.to`, message: 'entier positif attendu' });
  if (index(from) && index(to) && ((from as number) > (to as number) || (to as number) > baseBlocks)) {
    faults.push({ path: `${path}.to`, message: `blocs ${String(from)} à ${String(to)} hors du document (${baseBlocks} blocs)` });
  }
  if (!Array.isArray(insert)) faults.push({ path: `${path}.insert`, message: 'une liste est attendue' });
  return faults;
}
