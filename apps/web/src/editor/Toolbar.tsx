import { Editor, useEditorState } from '@tiptap/react';
import { KeyboardEvent, ReactNode, useRef, useState } from 'react';

/**
 * The editor's formatting toolbar: icons with their French names and shortcuts in a tooltip, in
 * groups, one tab stop (WAI-ARIA toolbar pattern: arrows, Home and End move between buttons).
 */
const MAC = typeof navigator !== 'undefined' && /Mac|iPhone|iPad/.test(navigator.platform);

/** A shortcut as tiptap binds it ("Mod-Shift-8") for the tooltip and for aria-keyshortcuts. */
function shortcut(keys: string): { shown: string; aria: string } {
  const parts = keys.split('-');
  const shown = parts.map((p) => (p === 'Mod' ? (MAC ? '⌘' : 'Ctrl') : p === 'Shift' ? (MAC ? '⇧' : 'Maj') : p === 'Alt' ? (MAC ? '⌥' : 'Alt') : p.toUpperCase()));
  const aria = parts.map((p) => (p === 'Mod' ? (MAC ? 'Meta' : 'Control') : p.length === 1 ? p.toUpperCase() : p));
  return { shown: shown.join(MAC ? '' : '+'), aria: aria.join('+') };
}

const svg = (children: ReactNode) => (
  <svg viewBox="0 0 20 20" width="20" height="20" aria-hidden="true" focusable="false" fill="none" stroke="currentColor" strokeWidth="1.8" strokeLinecap="round" strokeLinejoin="round">
    {children}
  </svg>
);
/** The level of a heading icon, drawn (a text element would count as the button's visible text). */
const DIGITS: Record<string, string> = {
  '2': 'M13.6 12.3a1.6 1.6 0 1 1 3 .9c-.5.9-3 2.4-3 3.3h3.3',
  '3': 'M13.6 11.6h3l-1.6 1.9a1.65 1.65 0 1 1-1.5 2.5',
};
const digit = (d: string) => <path d={DIGITS[d]} strokeWidth="1.4" />;

const ICONS = {
  bold: svg(<path d="M6 3.5h5a3.25 3.25 0 0 1 0 6.5H6zM6 10h6a3.25 3.25 0 0 1 0 6.5H6z" strokeWidth="2.2" />),
  italic: svg(<path d="M9 3.5h6M5 16.5h6M12.5 3.5l-5 13" />),
  underline: svg(<path d="M6 3.5v6a4 4 0 0 0 8 0v-6M4.5 17h11" />),
  highlight: svg(
    <>
      <path d="M11.5 3.5l4.5 4.5-6.5 6.5H5v-4.5z" />
      <path d="M3 17.5h14" strokeWidth="3" stroke="#c99a00" />
    </>,
  ),
  h2: svg(
    <>
      <path d="M3 4v12M10 4v12M3 10h7" />
      {digit('2')}
    </>,
  ),
  h3: svg(
    <>
      <path d="M3 4v12M10 4v12M3 10h7" />
      {digit('3')}
    </>,
  ),
  bullet: svg(
    <>
      <circle cx="4" cy="5" r="1.2" fill="currentColor" />
      <circle cx="4" cy="10" r="1.2" fill="currentColor" />
      <circle cx="4" cy="15" r="1.2" fill="currentColor" />
      <path d="M8 5h9M8 10h9M8 15h9" />
    </>,
  ),
  ordered: svg(
    <>
      <path d="M3 3.5h1.5v4M2.8 7.5h3.2M2.8 12.2c.4-.8 2.9-1 2.9.5 0 1.2-2.9 2-2.9 3.3h3.1" strokeWidth="1.4" />
      <path d="M9 5h8M9 10h8M9 15h8" />
    </>,
  ),
  quote: svg(<path d="M4 13.5c0-4 1.5-6.5 4-7.5M4 13.5a2 2 0 1 0 4 0 2 2 0 0 0-4 0zM11 13.5c0-4 1.5-6.5 4-7.5M11 13.5a2 2 0 1 0 4 0 2 2 0 0 0-4 0z" />),
  table: svg(<path d="M3 4h14v12H3zM3 8h14M3 12h14M8 4v12M12.5 4v12" strokeWidth="1.5" />),
  undo: svg(<path d="M7 4.5L3.5 8 7 11.5M3.5 8H12a4.5 4.5 0 0 1 0 9H8" />),
  redo: svg(<path d="M13 4.5L16.5 8 13 11.5M16.5 8H8a4.5 4.5 0 0 0 0 9h4" />),
};

interface Tool {
  name: string;
  icon: ReactNode;
  keys?: string;
  active?: boolean;
  run: () => void;
}

export function Toolbar({ editor }: { editor: Editor }) {
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
      canUndo: e.can().undo(),
      canRedo: e.can().redo(),
    }),
  });
  const chain = () => editor.chain().focus();
  const groups: { label: string; tools: Tool[] }[] = [
    {
      label: 'Caractères',
      tools: [
        { name: 'Gras', icon: ICONS.bold, keys: 'Mod-b', active: state.bold, run: () => chain().toggleBold().run() },
        { name: 'Italique', icon: ICONS.italic, keys: 'Mod-i', active: state.italic, run: () => chain().toggleItalic().run() },
        { name: 'Souligné', icon: ICONS.underline, keys: 'Mod-u', active: state.underline, run: () => chain().toggleUnderline().run() },
        { name: 'Surligner', icon: ICONS.highlight, keys: 'Mod-Shift-h', active: state.highlight, run: () => chain().toggleHighlight().run() },
      ],
    },
    {
      label: 'Titres',
      tools: [
        { name: 'Titre de section', icon: ICONS.h2, keys: 'Mod-Alt-2', active: state.h2, run: () => chain().toggleHeading({ level: 2 }).run() },
        { name: 'Sous-titre', icon: ICONS.h3, keys: 'Mod-Alt-3', active: state.h3, run: () => chain().toggleHeading({ level: 3 }).run() },
      ],
    },
    {
      label: 'Blocs',
      tools: [
        { name: 'Liste à puces', icon: ICONS.bullet, keys: 'Mod-Shift-8', active: state.bullet, run: () => chain().toggleBulletList().run() },
        { name: 'Liste numérotée', icon: ICONS.ordered, keys: 'Mod-Shift-7', active: state.ordered, run: () => chain().toggleOrderedList().run() },
        { name: 'Citation', icon: ICONS.quote, keys: 'Mod-Shift-b', active: state.quote, run: () => chain().toggleBlockquote().run() },
        { name: 'Insérer un tableau', icon: ICONS.table, run: () => chain().insertTable({ rows: 3, cols: 3, withHeaderRow: true }).run() },
      ],
    },
    {
      label: 'Historique',
      tools: [
        { name: 'Annuler la dernière modification', icon: ICONS.undo, keys: 'Mod-z', run: () => chain().undo().run() },
        { name: 'Rétablir', icon: ICONS.redo, keys: 'Mod-Shift-z', run: () => chain().redo().run() },
      ],
    },
  ];
  const flat = groups.flatMap((g) => g.tools);
  const [current, setCurrent] = useState(0);
  const buttons = useRef<(HTMLButtonElement | null)[]>([]);
  const move = (event: KeyboardEvent) => {
    const last = flat.length - 1;
    const next = event.key === 'ArrowRight' ? (current === last ? 0 : current + 1) : event.key === 'ArrowLeft' ? (current === 0 ? last : current - 1) : event.key === 'Home' ? 0 : event.key === 'End' ? last : null;
    if (next === null) return;
    event.preventDefault();
    setCurrent(next);
    buttons.current[next]?.focus();
  };
  let index = 0;
  return (
    <div className="toolbar" role="toolbar" aria-label="Mise en forme" onKeyDown={move}>
      {groups.map((group) => (
        <div key={group.label} role="group" aria-label={group.label} className="toolbar-group">
          {group.tools.map((tool) => {
            const i = index++;
            const keys = tool.keys ? shortcut(tool.keys) : null;
            const disabled = (tool.icon === ICONS.undo && !state.canUndo) || (tool.icon === ICONS.redo && !state.canRedo);
            return (
              <button
                key={tool.name}
                ref={(el) => {
                  buttons.current[i] = el;
                }}
                type="button"
                aria-label={tool.name}
                aria-keyshortcuts={keys?.aria}
                aria-pressed={tool.active === undefined ? undefined : tool.active}
                aria-disabled={disabled || undefined}
                tabIndex={i === current ? 0 : -1}
                className={`tool${tool.active ? ' on' : ''}`}
                onFocus={() => setCurrent(i)}
                onClick={() => !disabled && tool.run()}
              >
                {tool.icon}
                <span className="tip" aria-hidden="true">
                  {tool.name}
                  {keys && ` (${keys.shown})`}
                </span>
              </button>
            );
          })}
        </div>
      ))}
    </div>
  );
}
