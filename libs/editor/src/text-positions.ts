import type { Node as ProseMirrorNode } from '@tiptap/pm/model';

/**
 * Where each character of `plainText(doc)` sits in the document: `positions[i]` is the document
 * position of the text's i-th character, and `positions[text.length]` the position just after
 * the last one. Walks the document as ProseMirror's `textBetween` does for `plainText` (a
 * separator between text blocks, hard breaks as a newline), so offsets the identifier scan
 * reports on the server land on the same characters in the editor. A separator maps to the
 * start of the block it precedes.
 */
export function plainTextPositions(doc: ProseMirrorNode): number[] {
  const positions: number[] = [];
  let first = true;
  let end = 0;
  doc.nodesBetween(0, doc.content.size, (node, pos) => {
    if (node.isBlock && node.isTextblock) {
      if (first) first = false;
      else positions.push(pos + 1);
    }
    if (node.isText) {
      for (let i = 0; i < node.text!.length; i++) positions.push(pos + i);
      end = pos + node.text!.length;
    } else if (node.isLeaf && node.type.name === 'hardBreak') {
      positions.push(pos);
      end = pos + 1;
    } else if (node.isTextblock) {
      end = pos + 1;
    }
  });
  positions.push(end);
  return positions;
}

/** The document range of a plain-text range (`from` inclusive, `to` exclusive). */
export function documentRange(positions: number[], from: number, to: number): { from: number; to: number } {
  const start = positions[Math.min(from, positions.length - 1)];
  const last = to > from ? positions[Math.min(to - 1, positions.length - 1)] + 1 : start;
  return { from: start, to: last };
}
