import fs from 'node:fs';
import path from 'node:path';
import { blockDelta, canonicalJson, DocumentValidatorCache, InvalidDocumentError, plainText, rscaTemplate, validateDocument } from './index';

const rsca = JSON.parse(fs.readFileSync(path.resolve(__dirname, '../../../../shared/fixtures/rsca-douleur-thoracique.json'), 'utf8')).content;
const text = (value: string) => ({ type: 'text', text: value });
const paragraph = (value?: string) => (value ? { type: 'paragraph', content: [text(value)] } : { type: 'paragraph' });
const doc = (...content: unknown[]) => ({ type: 'doc', content });
const rich = doc(
  { type: 'heading', attrs: { level: 2 }, content: [text('Contexte')] },
  { type: 'horizontalRule' },
  paragraph('Un patient revu.'),
  { type: 'bulletList', content: [{ type: 'listItem', content: [paragraph('premier')] }, { type: 'listItem', content: [paragraph()] }] },
  paragraph(),
  { type: 'paragraph', content: [text('avant'), { type: 'hardBreak' }, text('après')] },
  { type: 'blockquote', content: [paragraph('cité')] },
);

/** What a whole-document save of `next` stores: its canonical JSON text and plain text. */
const stored = (next: unknown) => {
  const { node, json } = validateDocument(next);
  return { jsonText: JSON.stringify(json), text: plainText(node) };
};

const faultsOf = (run: () => unknown) => {
  try {
    run();
  } catch (error) {
    if (error instanceof InvalidDocumentError) return { faults: error.faults, tooLarge: error.tooLarge };
    throw error;
  }
  throw new Error('accepted');
};

describe('a block delta, computed by the editor and applied by the server', () => {
  const documents = new DocumentValidatorCache();
  const edits: [string, (blocks: unknown[]) => unknown[]][] = [
    ['typing in a block', (b) => b.map((block, i) => (i === 2 ? paragraph('Un patient revu ce matin.') : block))],
    ['a block added at the end', (b) => [...b, paragraph('Une conclusion.')]],
    ['a block added first', (b) => [{ type: 'heading', attrs: { level: 1 }, content: [text('Titre')] }, ...b]],
    ['the first block removed', (b) => b.slice(1)],
    ['two blocks far apart changed', (b) => b.map((block, i) => (i === 0 || i === b.length - 1 ? paragraph(`changé ${i}`) : block))],
    ['every block replaced', () => [paragraph('tout neuf')]],
    ['a rule put in the middle', (b) => [...b.slice(0, 3), { type: 'horizontalRule' }, ...b.slice(3)]],
  ];
  for (const [name, base] of [['an RSCA', rsca], ['the RSCA template', rscaTemplate()], ['a rich document', rich]] as const) {
    for (const [edit, change] of edits) {
      it(`gives, for ${edit} of ${name}, what a whole save gives: the same JSON, the same plain text`, () => {
        const next = doc(...change((base as { content: unknown[] }).content));
        const delta = blockDelta(base, next, canonicalJson)!;
        expect(delta.blocks).toBe((base as { content: unknown[] }).content.length);
        // Only what changed travels.
        expect(delta.insert.length).toBeLessThanOrEqual(next.content.length);
        const saved = documents.apply(documents.validate(base).blocks, JSON.parse(JSON.stringify(delta)));
        expect({ jsonText: saved.jsonText, text: saved.text }).toEqual(stored(next));
        // The bytes a server sends its database, block by block: the same texts in UTF-8.
        expect(Buffer.concat(saved.jsonUtf8Pieces()).toString('utf8')).toBe(stored(next).jsonText);
        expect(Buffer.concat(saved.textUtf8Pieces()).toString('utf8')).toBe(stored(next).text);
      });
    }
  }

  it('says nothing changed when the blocks are the same, whatever the key order', () => {
    const reordered = JSON.parse(JSON.stringify(rich, (_key, value) => (value && typeof value === 'object' && !Array.isArray(value) ? Object.fromEntries(Object.entries(value).reverse()) : value)));
    expect(blockDelta(rich, reordered, canonicalJson)).toBeNull();
    expect(blockDelta(rich, doc(...rich.content))).toBeNull();
  });

  it('sends one block when one paragraph of a long document changes', () => {
    const next = doc(...rsca.content.map((block: unknown, i: number) => (i === 5 ? paragraph('réécrit') : block)));
    expect(blockDelta(rsca, next, canonicalJson)).toEqual({ blocks: rsca.content.length, from: 5, to: 6, insert: [paragraph('réécrit')] });
  });

  it('keeps the plain text of a whole document, block by block', () => {
    for (const base of [rsca, rscaTemplate(), rich]) {
      const { blocks } = documents.validate(base);
      expect(blocks.text).toBe(stored(base).text);
      expect(Buffer.concat(blocks.textUtf8Pieces()).toString('utf8')).toBe(stored(base).text);
      expect(Buffer.concat(blocks.jsonUtf8Pieces()).toString('utf8')).toBe(stored(base).jsonText);
    }
  });

  it('refuses a delta against another idea of the version, or out of the document, with the path of the fault', () => {
    const base = documents.validate(rich).blocks;
    expect(faultsOf(() => documents.apply(base, { blocks: 3, from: 0, to: 1, insert: [] })).faults).toEqual([
      { path: 'contentDelta.blocks', message: 'la version enregistrée a 7 blocs, pas 3 : envoyez le document entier' },
    ]);
    expect(faultsOf(() => documents.apply(base, { blocks: 7, from: 5, to: 9, insert: [] })).faults).toEqual([{ path: 'contentDelta.to', message: 'blocs 5 à 9 hors du document (7 blocs)' }]);
    expect(faultsOf(() => documents.apply(base, { blocks: 7, from: 0, to: 0, insert: {}, status: 'validated' })).faults).toEqual([
      { path: 'contentDelta.status', message: 'propriété inconnue' },
      { path: 'contentDelta.insert', message: 'une liste est attendue' },
    ]);
    expect(faultsOf(() => documents.apply(base, { blocks: 7, from: 0, to: 7, insert: [] })).faults).toEqual([{ path: 'contentDelta', message: 'le document doit garder au moins un bloc' }]);
  });

  it('checks the inserted blocks against the schema as a whole save does', () => {
    const base = documents.validate(rich).blocks;
    const heading = { type: 'heading', attrs: { level: 9 }, content: [text('T')] };
    expect(faultsOf(() => documents.apply(base, { blocks: 7, from: 1, to: 2, insert: [paragraph('ok'), heading] })).faults).toEqual([
      { path: 'contentDelta.insert[1].attrs.level', message: 'niveau de titre entre 1 et 4' },
    ]);
    expect(faultsOf(() => documents.apply(base, { blocks: 7, from: 1, to: 1, insert: [text('nu')] })).faults[0].path).toBe('contentDelta.insert[0]');
    expect(faultsOf(() => documents.apply(base, { blocks: 7, from: 1, to: 1, insert: [{ type: 'doc', content: [paragraph('x')] }] })).faults[0].path).toBe('contentDelta.insert[0].type');
  });

  it('refuses with 413 a delta that takes the document over 2 MB', () => {
    const base = documents.validate(rich).blocks;
    const big = Array.from({ length: 40 }, (_, i) => paragraph(`${i} ${'é'.repeat(30_000)}`));
    expect(faultsOf(() => documents.apply(base, { blocks: 7, from: 7, to: 7, insert: big })).tooLarge).toBe(true);
  });
});
