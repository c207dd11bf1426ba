import { documentFromJson } from './document-validator';
import { plainText } from './plain-text';
import { documentRange, plainTextPositions } from './text-positions';

const doc = documentFromJson({
  type: 'doc',
  content: [
    { type: 'heading', attrs: { level: 2 }, content: [{ type: 'text', text: 'Récit' }] },
    { type: 'paragraph', content: [{ type: 'text', text: 'Mme ' }, { type: 'text', marks: [{ type: 'bold' }], text: 'Lucienne Moreau' }, { type: 'text', text: ', 94 ans' }] },
    { type: 'bulletList', content: [{ type: 'listItem', content: [{ type: 'paragraph', content: [{ type: 'text', text: 'née le 3 mars 1932' }, { type: 'hardBreak' }, { type: 'text', text: 'tél. 06 12 34 56 78' }] }] }] },
  ],
});

describe('plain-text offsets in the document', () => {
  const text = plainText(doc);
  const positions = plainTextPositions(doc);

  it('give one document position per character of the plain text', () => {
    expect(positions).toHaveLength(text.length + 1);
  });

  it.each(['Récit', 'Lucienne Moreau', '94 ans', 'née le 3 mars 1932', '06 12 34 56 78'])('put « %s » on the same characters in the document', (excerpt) => {
    const from = text.indexOf(excerpt);
    const range = documentRange(positions, from, from + excerpt.length);
    expect(doc.textBetween(range.from, range.to, '\n')).toBe(excerpt);
  });
});
