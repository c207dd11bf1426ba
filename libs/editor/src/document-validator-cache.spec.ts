import fs from 'node:fs';
import path from 'node:path';
import { DocumentValidatorCache, InvalidDocumentError, plainText, rscaTemplate, validateDocument } from './index';

const rsca = JSON.parse(fs.readFileSync(path.resolve(__dirname, '../../../../shared/fixtures/rsca-douleur-thoracique.json'), 'utf8'));
const text = (value: string, marks?: unknown[]) => ({ type: 'text', text: value, ...(marks ? { marks } : {}) });
const rich = {
  type: 'doc',
  content: [
    { type: 'heading', attrs: { level: 2 }, content: [text('Contexte')] },
    { type: 'paragraph', content: [text('Un '), text('patient', [{ type: 'bold' }]), text(' revu', [{ type: 'link', attrs: { href: 'https://has-sante.fr' } }])] },
    { type: 'bulletList', content: [{ type: 'listItem', content: [{ type: 'paragraph', content: [text('premier')] }] }, { type: 'listItem', content: [{ type: 'paragraph' }] }] },
    { type: 'paragraph' },
    { type: 'blockquote', content: [{ type: 'paragraph', content: [text('cité')] }] },
  ],
};

/** What validateDocument answers, or the faults it refuses the document with. */
const outcome = (check: () => { node: Parameters<typeof plainText>[0]; json: unknown; jsonText?: string }) => {
  try {
    const { node, json, jsonText } = check();
    return { json, jsonText: jsonText ?? JSON.stringify(json), text: plainText(node) };
  } catch (error) {
    if (!(error instanceof InvalidDocumentError)) throw error;
    return { faults: error.faults, tooLarge: error.tooLarge };
  }
};

describe('DocumentValidatorCache: validateDocument, remembering the blocks it has checked', () => {
  const documents = [rsca.content, rscaTemplate(), rich];

  it('gives what validateDocument gives, the first time and once the blocks are remembered', () => {
    const cache = new DocumentValidatorCache();
    for (const document of documents) {
      const expected = outcome(() => validateDocument(document));
      expect(outcome(() => cache.validate(document))).toEqual(expected);
      expect(outcome(() => cache.validate(JSON.parse(JSON.stringify(document))))).toEqual(expected);
    }
  });

  it('checks a changed block again, and refuses it with the path validateDocument gives', () => {
    const cache = new DocumentValidatorCache();
    cache.validate(rich);
    const changed = structuredClone(rich);
    changed.content[0].attrs = { level: 9 };
    (changed.content[2].content![0] as { content: unknown[] }).content.push({ type: 'image' });
    const refused = outcome(() => cache.validate(changed));
    expect(refused).toEqual(outcome(() => validateDocument(changed)));
    expect(refused.faults?.map((fault) => fault.path)).toEqual(['content.content[0].attrs.level', 'content.content[2].content[0].content[1].type']);
  });

  it('refuses what validateDocument refuses: no block, a text at the top, a list where a block must hold text, unknown keys, too large', () => {
    const cache = new DocumentValidatorCache();
    const refused = [
      { type: 'doc', content: [] },
      { type: 'doc', content: [text('nu')] },
      { type: 'doc', content: [{ type: 'paragraph', content: [{ type: 'paragraph' }] }] },
      { type: 'doc', content: [{ type: 'paragraph', style: 'x' }] },
      { type: 'doc', content: [{ type: 'doc', content: [{ type: 'paragraph' }] }] },
      { type: 'doc', attrs: { x: 1 }, content: [{ type: 'paragraph' }] },
      { type: 'doc', content: [{ type: 'paragraph', content: [text('é'.repeat(1_100_000))] }] },
      { content: [{ type: 'paragraph' }], type: 'doc', extra: true },
      [{ type: 'paragraph' }],
    ];
    for (const document of refused) {
      const expected = outcome(() => validateDocument(document));
      expect(expected).toHaveProperty('faults');
      expect(outcome(() => cache.validate(document))).toEqual(expected);
    }
  });

  it('forgets the oldest blocks past its bound, and still answers the same', () => {
    const cache = new DocumentValidatorCache(200);
    for (let i = 0; i < 50; i++) {
      const document = { type: 'doc', content: [{ type: 'paragraph', content: [text(`paragraphe ${i} `.repeat(5))] }, ...rich.content] };
      expect(outcome(() => cache.validate(document))).toEqual(outcome(() => validateDocument(document)));
    }
  });
});
