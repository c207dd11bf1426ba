import type { Node as ProseMirrorNode } from '@tiptap/pm/model';
import { Plugin, PluginKey, Transaction } from '@tiptap/pm/state';
import { Decoration, DecorationSet } from '@tiptap/pm/view';

/**
 * The commented passages, highlighted over the text: ProseMirror decorations, drawn beside the
 * document and never in it, so autosave, revisions and their hashes see no change.
 */
export interface CommentAnchor {
  id: string;
  from: number;
  to: number;
  quote: string;
}

interface HighlightState {
  anchors: CommentAnchor[];
  activeId: string | null;
  located: Map<string, { from: number; to: number }>;
  decorations: DecorationSet;
}

export const commentHighlightsKey = new PluginKey<HighlightState>('commentHighlights');

const squash = (text: string) => text.replace(/\s+/g, ' ').trim();

/**
 * The document's text with block boundaries as single spaces (as `textBetween(from, to, ' ')`
 * gave the quote), and the document position of each of its characters.
 */
function textWithPositions(doc: ProseMirrorNode): { text: string; positions: number[] } {
  let text = '';
  const positions: number[] = [];
  const push = (char: string, pos: number) => {
    // Runs of whitespace count once, as in `squash`, so a quote matches across line breaks.
    if (/\s/.test(char) && (text === '' || text.endsWith(' '))) return;
    text += /\s/.test(char) ? ' ' : char;
    positions.push(pos);
  };
  doc.descendants((node, pos) => {
    if (node.isText && node.text) {
      for (let i = 0; i < node.text.length; i++) push(node.text[i], pos + i);
    } else if (node.isBlock && text !== '') push(' ', pos);
    return true;
  });
  return { text, positions };
}

/**
 * Where a comment's passage is in this document: at its stored positions when the text there is
 * still the quote (the tutor read this version), else the occurrence of the quote nearest to
 * them (the intern wrote above it since), else nowhere (the passage was rewritten).
 */
export function locateAnchor(doc: ProseMirrorNode, anchor: Pick<CommentAnchor, 'from' | 'to' | 'quote'>): { from: number; to: number } | null {
  const quote = squash(anchor.quote);
  if (!quote) return null;
  const size = doc.content.size;
  if (anchor.from >= 0 && anchor.to <= size && anchor.from < anchor.to && squash(doc.textBetween(anchor.from, anchor.to, ' ')) === quote) {
    return { from: anchor.from, to: anchor.to };
  }
  const { text, positions } = textWithPositions(doc);
  let best: { from: number; to: number } | null = null;
  for (let index = text.indexOf(quote); index >= 0; index = text.indexOf(quote, index + 1)) {
    const from = positions[index];
    const to = positions[index + quote.length - 1] + 1;
    if (!best || Math.abs(from - anchor.from) < Math.abs(best.from - anchor.from)) best = { from, to };
  }
  return best;
}

function build(doc: ProseMirrorNode, anchors: CommentAnchor[], activeId: string | null): Pick<HighlightState, 'located' | 'decorations'> {
  const located = new Map<string, { from: number; to: number }>();
  const decorations: Decoration[] = [];
  for (const anchor of anchors) {
    const range = locateAnchor(doc, anchor);
    if (!range) continue;
    located.set(anchor.id, range);
    decorations.push(
      Decoration.inline(range.from, range.to, {
        class: anchor.id === activeId ? 'comment-highlight active' : 'comment-highlight',
        'data-comment-id': anchor.id,
      }),
    );
  }
  return { located, decorations: DecorationSet.create(doc, decorations) };
}

type Meta = { anchors?: CommentAnchor[]; activeId?: string | null };

/** The plugin; its anchors and the passage shown are set by `setCommentHighlights`. */
export function commentHighlightsPlugin(): Plugin<HighlightState> {
  return new Plugin<HighlightState>({
    key: commentHighlightsKey,
    state: {
      init: (_, { doc }) => ({ anchors: [], activeId: null, located: new Map(), decorations: DecorationSet.create(doc, []) }),
      apply(tr: Transaction, previous: HighlightState): HighlightState {
        const meta = tr.getMeta(commentHighlightsKey) as Meta | undefined;
        if (meta) {
          const anchors = meta.anchors ?? previous.anchors;
          const activeId = meta.activeId === undefined ? previous.activeId : meta.activeId;
          return { anchors, activeId, ...build(tr.doc, anchors, activeId) };
        }
        if (!tr.docChanged) return previous;
        // While the intern types, the highlights follow their passages.
        const decorations = previous.decorations.map(tr.mapping, tr.doc);
        const located = new Map<string, { from: number; to: number }>();
        for (const [id, range] of previous.located) located.set(id, { from: tr.mapping.map(range.from), to: tr.mapping.map(range.to, -1) });
        return { ...previous, located, decorations };
      },
    },
    props: {
      decorations: (state) => commentHighlightsKey.getState(state)?.decorations,
    },
  });
}

/** Replaces the highlighted passages, or which one is shown (a transaction with no change to the document). */
export function setCommentHighlights(view: { state: { tr: Transaction }; dispatch: (tr: Transaction) => void }, meta: Meta): void {
  view.dispatch(view.state.tr.setMeta(commentHighlightsKey, meta).setMeta('addToHistory', false));
}
