import { DOMSerializer, Node as ProseMirrorNode } from '@tiptap/pm/model';
import { editorSchema } from './schema';

/**
 * Just enough of a DOM for ProseMirror's DOMSerializer to write into, so the server renders
 * HTML from the very `toDOM` rules of the editor's schema, without a browser or jsdom.
 */
class MiniText {
  constructor(readonly text: string) {}
  get html(): string {
    return escapeHtml(this.text);
  }
}

class MiniElement {
  readonly attributes = new Map<string, string>();
  readonly childNodes: (MiniElement | MiniText)[] = [];
  constructor(readonly tagName: string) {}
  setAttribute(name: string, value: string): void {
    this.attributes.set(name, value);
  }
  setAttributeNS(_ns: string | null, name: string, value: string): void {
    this.attributes.set(name, value);
  }
  appendChild<T extends MiniElement | MiniText>(child: T): T {
    if (child instanceof MiniFragment) this.childNodes.push(...child.childNodes);
    else this.childNodes.push(child);
    return child;
  }
  get firstChild(): MiniElement | MiniText | null {
    return this.childNodes[0] ?? null;
  }
  get html(): string {
    const attributes = [...this.attributes].map(([k, v]) => ` ${k}="${escapeHtml(v)}"`).join('');
    const inner = this.childNodes.map((c) => c.html).join('');
    return VOID.has(this.tagName) ? `<${this.tagName}${attributes}>` : `<${this.tagName}${attributes}>${inner}</${this.tagName}>`;
  }
}

class MiniFragment extends MiniElement {
  constructor() {
    super('#fragment');
  }
  override get html(): string {
    return this.childNodes.map((c) => c.html).join('');
  }
}

const VOID = new Set(['br', 'hr', 'img', 'col']);

const miniDocument = {
  createElement: (tag: string) => new MiniElement(tag.toLowerCase()),
  createElementNS: (_ns: string, tag: string) => new MiniElement(tag.toLowerCase()),
  createTextNode: (text: string) => new MiniText(text),
  createDocumentFragment: () => new MiniFragment(),
};

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

const serializer = DOMSerializer.fromSchema(editorSchema);

/** The document's HTML, as the editor would show it (for exports). */
export function documentHtml(doc: ProseMirrorNode): string {
  const fragment = serializer.serializeFragment(doc.content, { document: miniDocument as never }) as unknown as MiniFragment;
  return fragment.html;
}
