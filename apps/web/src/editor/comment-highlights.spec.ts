import { EditorState } from '@tiptap/pm/state';
import { editorSchema } from '../../../../libs/editor/src/schema';
import { commentHighlightsKey, commentHighlightsPlugin, locateAnchor } from './comment-highlights';

const doc = (...paragraphs: string[]) =>
  editorSchema.nodeFromJSON({ type: 'doc', content: paragraphs.map((text) => ({ type: 'paragraph', content: [{ type: 'text', text }] })) });

describe('where a comment’s passage is', () => {
  const reviewed = doc('Un homme de 67 ans consulte.', 'Il évoque une douleur thoracique.');
  // Positions count the first paragraph's closing token and the second's opening one.
  const from = reviewed.textContent.indexOf('douleur') + 2 + 1;
  const anchor = { from, to: from + 'douleur thoracique'.length, quote: 'douleur thoracique' };

  it('is at its stored positions in the version the tutor read', () => {
    expect(reviewed.textBetween(anchor.from, anchor.to)).toBe('douleur thoracique');
    expect(locateAnchor(reviewed, anchor)).toEqual({ from: anchor.from, to: anchor.to });
  });

  it('follows the quote when the intern wrote above it, to the occurrence nearest the old place', () => {
    const edited = doc('Un patient, un homme de 67 ans, consulte.', 'Douleur ? Il évoque une douleur thoracique.', 'Puis une autre douleur thoracique.');
    const found = locateAnchor(edited, anchor)!;
    expect(edited.textBetween(found.from, found.to)).toBe('douleur thoracique');
    expect(found.from).toBeLessThan(edited.child(0).nodeSize + edited.child(1).nodeSize);
  });

  it('matches a quote across blocks, as it was taken (blocks separated by a space)', () => {
    const quote = 'consulte. Il évoque';
    const found = locateAnchor(reviewed, { from: 0, to: 0, quote })!;
    expect(reviewed.textBetween(found.from, found.to, ' ')).toBe(quote);
  });

  it('is nowhere once the passage was rewritten', () => {
    expect(locateAnchor(doc('Un homme consulte pour une toux.'), anchor)).toBeNull();
  });

  it('is highlighted beside the document, which stays the same', () => {
    const state = EditorState.create({ doc: reviewed, plugins: [commentHighlightsPlugin()] });
    const next = state.apply(state.tr.setMeta(commentHighlightsKey, { anchors: [{ id: 'c1', ...anchor }] }));
    expect(next.doc.eq(reviewed)).toBe(true);
    const decorations = commentHighlightsKey.getState(next)!.decorations.find();
    expect(decorations.map((d) => [d.from, d.to])).toEqual([[anchor.from, anchor.to]]);
  });
});
