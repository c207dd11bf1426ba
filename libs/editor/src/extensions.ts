import type { AnyExtension } from '@tiptap/core';
import { Highlight } from '@tiptap/extension-highlight';
import { Table, TableCell, TableHeader, TableRow } from '@tiptap/extension-table';
import { StarterKit } from '@tiptap/starter-kit';

export const HEADING_LEVELS = [1, 2, 3, 4] as const;
export const LINK_PROTOCOLS = ['http:', 'https:', 'mailto:'] as const;

/**
 * The one list of editor extensions: the web editor, the API's validator and the export
 * renderer all build their schema from it, so they cannot drift apart.
 */
export const editorExtensions: AnyExtension[] = [
  StarterKit.configure({
    heading: { levels: [...HEADING_LEVELS] },
    link: { openOnClick: false, autolink: true, protocols: ['mailto'], defaultProtocol: 'https' },
  }),
  Table.configure({ resizable: false }),
  TableRow,
  TableHeader,
  TableCell,
  Highlight,
];
