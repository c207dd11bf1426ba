import type { Node as ProseMirrorNode } from '@tiptap/pm/model';

/**
 * The document as plain text, one block per line: what full-text search indexes and what the
 * patient-identifier scan reads (positions in warnings refer to this text).
 */
export function plainText(doc: ProseMirrorNode): string {
  return doc.textBetween(0, doc.content.size, '\n', leafText);
}

/** A leaf's part of the plain text: a line break for a hard break, nothing for anything else. */
export const leafText = (leaf: ProseMirrorNode) => (leaf.type.name === 'hardBreak' ? '\n' : '');
