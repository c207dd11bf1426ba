import { Editor, EditorContent, useEditor } from '@tiptap/react';
import { editorExtensions } from '@carnet/editor';
import { useEffect, useState } from 'react';
import { CommentAnchor, commentHighlightsKey, commentHighlightsPlugin, setCommentHighlights } from '../editor/comment-highlights';
import { Toolbar } from '../editor/Toolbar';

export type EditorJson = Record<string, unknown>;

interface Props {
  content: EditorJson | undefined;
  editable: boolean;
  label: string;
  onChange?: (json: EditorJson) => void;
  onReady?: (editor: Editor) => void;
  /** Commented passages to highlight (decorations: the document is not changed). */
  highlights?: CommentAnchor[];
  /** The passage to bring into view and mark, with a counter so a second click shows it again. */
  shown?: { id: string; times: number } | null;
  /** Which highlights were found in the text (a rewritten passage is not). */
  onLocated?: (ids: Set<string>) => void;
  /** A click on a highlighted passage (the page shows its comment). */
  onHighlightClick?: (id: string) => void;
}

/** The tiptap editor on the shared extension list (libs/editor): the same schema as the server. */
export function RichEditor({ content, editable, label, onChange, onReady, highlights, shown, onLocated, onHighlightClick }: Props) {
  const editor = useEditor({
    extensions: editorExtensions,
    content: content ?? { type: 'doc', content: [{ type: 'paragraph' }] },
    editable,
    immediatelyRender: true,
    editorProps: { attributes: { 'aria-label': label, role: 'textbox', 'aria-multiline': 'true', class: 'prose' } },
    onUpdate: ({ editor: e }) => onChange?.(e.getJSON() as EditorJson),
  });
  const [withPlugin, setWithPlugin] = useState<Editor | null>(null);
  useEffect(() => {
    if (!editor) return;
    editor.registerPlugin(commentHighlightsPlugin());
    setWithPlugin(editor);
    return () => {
      if (!editor.isDestroyed) editor.unregisterPlugin(commentHighlightsKey);
    };
  }, [editor]);
  useEffect(() => {
    if (editor) onReady?.(editor);
  }, [editor, onReady]);
  useEffect(() => {
    editor?.setEditable(editable, false); // not a change of the document
  }, [editor, editable]);
  useEffect(() => {
    if (!withPlugin || withPlugin.isDestroyed) return;
    setCommentHighlights(withPlugin.view, { anchors: highlights ?? [] });
    const located = commentHighlightsKey.getState(withPlugin.state)?.located;
    onLocated?.(new Set(located?.keys() ?? []));
  }, [withPlugin, highlights, onLocated]);
  useEffect(() => {
    if (!withPlugin || withPlugin.isDestroyed || !shown) return;
    setCommentHighlights(withPlugin.view, { activeId: shown.id });
    const mark = withPlugin.view.dom.querySelector<HTMLElement>(`[data-comment-id="${CSS.escape(shown.id)}"]`);
    mark?.scrollIntoView({ block: 'center' });
  }, [withPlugin, shown]);
  return (
    <div
      className={`editor ${editable ? 'editable' : 'readonly'}`}
      onClick={(event) => {
        // A plain click, not the end of a selection being made over the passage.
        if (!onHighlightClick || !window.getSelection()?.isCollapsed) return;
        const id = (event.target as HTMLElement).closest<HTMLElement>('[data-comment-id]')?.dataset.commentId;
        if (id) onHighlightClick(id);
      }}
    >
      {editable && editor && <Toolbar editor={editor} />}
      <EditorContent editor={editor} />
    </div>
  );
}

/** Replaces the document (after a reload from the server) without firing onChange. */
export function replaceContent(editor: Editor, json: EditorJson) {
  editor.commands.setContent(json, { emitUpdate: false });
}
