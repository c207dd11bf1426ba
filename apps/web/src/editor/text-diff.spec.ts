import { blocksOf, canonical, diff } from './text-diff';

const doc = (...paragraphs: string[]) => ({ type: 'doc', content: paragraphs.map((text) => ({ type: 'paragraph', content: [{ type: 'text', text }] })) });

describe('the editor page’s text tools', () => {
  it('sees a document saved by the server as unchanged, whatever its key order', () => {
    const fromEditor = { type: 'heading', attrs: { level: 2 }, content: [{ type: 'text', text: 'Récit' }] };
    const fromJsonb = { content: [{ text: 'Récit', type: 'text' }], attrs: { level: 2 }, type: 'heading' };
    expect(canonical(fromEditor)).toBe(canonical(fromJsonb));
    expect(canonical({ a: 1, b: undefined })).toBe(canonical({ a: 1 }));
  });

  it('reads a document block by block, lists and tables included', () => {
    const json = {
      type: 'doc',
      content: [
        { type: 'heading', attrs: { level: 2 }, content: [{ type: 'text', text: 'Analyse' }] },
        { type: 'bulletList', content: [{ type: 'listItem', content: [{ type: 'paragraph', content: [{ type: 'text', text: 'un point' }] }] }] },
        { type: 'table', content: [{ type: 'tableRow', content: [{ type: 'tableCell', content: [{ type: 'paragraph', content: [{ type: 'text', text: 'HAS' }] }] }] }] },
      ],
    };
    expect(blocksOf(json)).toEqual(['Analyse', 'un point', 'HAS']);
  });

  it('shows what a new version added and removed', () => {
    const before = blocksOf(doc('Récit de la situation', 'Il a mal.', 'Références'));
    const after = blocksOf(doc('Récit de la situation', 'Il a mal depuis trois semaines.', 'Score HEART : 3.', 'Références'));
    expect(diff(before, after)).toEqual([
      { kind: 'same', text: 'Récit de la situation' },
      { kind: 'removed', text: 'Il a mal.' },
      { kind: 'added', text: 'Il a mal depuis trois semaines.' },
      { kind: 'added', text: 'Score HEART : 3.' },
      { kind: 'same', text: 'Références' },
    ]);
  });
});
