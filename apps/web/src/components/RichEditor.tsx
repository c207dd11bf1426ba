import { Editor, EditorContent, useEditor, useEditorState } from '@tiptap/react';
import { editorExtensions } from '@carnet/editor';
import { useEffect } from 'react';

export type EditorJson = Record<string, unknown>;

interface Props {
  content: EditorJson | undefined;
  editable: boolean;
  label: string;
  onChange?: (json: EditorJson) => void;
  onReady?: (editor: Editor) => void;
}

/** The tiptap editor on the shared extension list (libs/editor): the same schema as the server. */
export function RichEditor({ content, editable, label, onChange, onReady }: Props) {
  const editor = useEditor({
    extensions: editorExtensions,
    content: content ?? { type: 'doc', content: [{ type: 'paragraph' }] },
    editable,
    immediatelyRender: true,
    editorProps: { attributes: { 'aria-label': label, role: 'textbox', 'aria-multiline': 'true', class: 'prose' } },
    onUpdate: ({ editor: e }) => onChange?.(e.getJSON() as EditorJson),
  });
  useEffect(() => {
    if (editor) onReady?.(editor);
  }, [editor, onReady]);
  useEffect(() => {
    editor?.setEditable(editable, false); // not a change of the document
  }, [editor, editable]);
  return (
    <div className={`editor ${editable ? 'editable' : 'readonly'}`}>
      {editable && editor && <Toolbar editor={editor} />}
      <EditorContent editor={editor} />
    </div>
  );
}

/** Replaces the document (after a reload from the server) without firing onChange. */
export function replaceContent(editor: Editor, json: EditorJson) {
  editor.commands.setContent(json, { emitUpdate: false });
}

function Toolbar({ editor }: { editor: Editor }) {
  const state = useEditorState({
    editor,
    selector: ({ editor: e }) => ({
      bold: e.isActive('bold'),
      italic: e.isActive('italic'),
      underline: e.isActive('underline'),
      highlight: e.isActive('highlight'),
      h2: e.isActive('heading', { level: 2 }),
      h3: e.isActive('heading', { level: 3 }),
      bullet: e.isActive('bulletList'),
      ordered: e.isActive('orderedList'),
      quote: e.isActive('blockquote'),
    }),
  });
  const button = (label: string, text: string, active: boolean, run: () => void) => (
    <button type="button" aria-label={label} title={label} aria-pressed={active} className={active ? 'on' : ''} onClick={run}>
      {text}
    </button>
  );
  const chain = () => editor.chain().focus();
  return (
    <div className="toolbar" role="toolbar" aria-label="Mise en forme">
      {button('Gras', 'G', state.bold, () => chain().toggleBold().run())}
      {button('Italique', 'I', state.italic, () => chain().toggleItalic().run())}
      {button('Souligné', 'S', state.underline, () => chain().toggleUnderline().run())}
      {button('Surligner', '▮', state.highlight, () => chain().toggleHighlight().run())}
      {button('T2 : titre de section', 'T2', state.h2, () => chain().toggleHeading({ level: 2 }).run())}
      {button('T3 : sous-titre', 'T3', state.h3, () => chain().toggleHeading({ level: 3 }).run())}
      {button('Liste à puces', '•', state.bullet, () => chain().toggleBulletList().run())}
      {button('1. liste numérotée', '1.', state.ordered, () => chain().toggleOrderedList().run())}
      {button('Citation', '❝', state.quote, () => chain().toggleBlockquote().run())}
      {button('Insérer un tableau', '▦', false, () => chain().insertTable({ rows: 3, cols: 3, withHeaderRow: true }).run())}
      {button('Annuler', '↶', false, () => chain().undo().run())}
      {button('Rétablir', '↷', false, () => chain().redo().run())}
    </div>
  );
}
