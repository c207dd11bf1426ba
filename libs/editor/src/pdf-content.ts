import type { Mark, Node as ProseMirrorNode } from '@tiptap/pm/model';

/**
 * A document of the shared schema as pdfmake content (the PDF engine of exports). Every node
 * and mark type of the schema has a rendering here; `pdf-content.spec` fails when the schema
 * gains a type this mapper does not know.
 */
export type PdfContent = Record<string, unknown> | string;

interface Inline {
  text: string;
  bold?: boolean;
  italics?: boolean;
  decoration?: string[];
  background?: string;
  link?: string;
  color?: string;
  style?: string;
}

export const PDF_NODE_TYPES = [
  'doc', 'paragraph', 'text', 'heading', 'bulletList', 'orderedList', 'listItem', 'blockquote', 'codeBlock',
  'horizontalRule', 'hardBreak', 'table', 'tableRow', 'tableHeader', 'tableCell',
] as const;
export const PDF_MARK_TYPES = ['bold', 'italic', 'underline', 'strike', 'code', 'highlight', 'link'] as const;

function inlineOf(text: string, marks: readonly Mark[]): Inline {
  const inline: Inline = { text };
  const decoration: string[] = [];
  for (const mark of marks) {
    switch (mark.type.name) {
      case 'bold':
        inline.bold = true;
        break;
      case 'italic':
        inline.italics = true;
        break;
      case 'underline':
        decoration.push('underline');
        break;
      case 'strike':
        decoration.push('lineThrough');
        break;
      case 'code':
        inline.background = '#eeeeee';
        break;
      case 'highlight':
        inline.background = '#fff3a0';
        break;
      case 'link':
        inline.link = String(mark.attrs.href);
        inline.color = '#0b4f8a';
        decoration.push('underline');
        break;
    }
  }
  if (decoration.length) inline.decoration = decoration;
  return inline;
}

function inlines(node: ProseMirrorNode): Inline[] {
  const out: Inline[] = [];
  node.forEach((child) => {
    if (child.isText) out.push(inlineOf(child.text ?? '', child.marks));
    else if (child.type.name === 'hardBreak') out.push({ text: '\n' });
  });
  return out.length ? out : [{ text: ' ' }];
}

function children(node: ProseMirrorNode, headingOffset: number): PdfContent[] {
  const out: PdfContent[] = [];
  node.forEach((child) => out.push(block(child, headingOffset)));
  return out;
}

function table(node: ProseMirrorNode, headingOffset: number): PdfContent {
  const rows: PdfContent[][] = [];
  let headerRows = 0;
  let columns = 0;
  node.forEach((row, _offset, index) => {
    const cells: PdfContent[] = [];
    let allHeaders = row.childCount > 0;
    row.forEach((cell) => {
      if (cell.type.name !== 'tableHeader') allHeaders = false;
      const colspan = Number(cell.attrs.colspan ?? 1);
      const content: Record<string, unknown> = { stack: children(cell, headingOffset) };
      if (cell.type.name === 'tableHeader') Object.assign(content, { bold: true, fillColor: '#eef2f6' });
      if (colspan > 1) content.colSpan = colspan;
      cells.push(content);
      for (let i = 1; i < colspan; i++) cells.push({});
    });
    if (allHeaders && index === headerRows) headerRows++;
    columns = Math.max(columns, cells.length);
    rows.push(cells);
  });
  for (const row of rows) while (row.length < columns) row.push({ text: '' });
  return {
    table: { headerRows, widths: Array.from({ length: columns }, () => '*'), body: rows, dontBreakRows: false },
    layout: 'lightHorizontalLines',
    fontSize: 9,
    margin: [0, 4, 0, 8],
  };
}

function block(node: ProseMirrorNode, headingOffset: number): PdfContent {
  switch (node.type.name) {
    case 'paragraph':
      return { text: inlines(node), margin: [0, 0, 0, 6] };
    case 'heading': {
      const level = Math.min(4, Number(node.attrs.level) + headingOffset);
      return { text: inlines(node), style: `h${level}` };
    }
    case 'bulletList':
      return { ul: children(node, headingOffset), margin: [0, 0, 0, 6] };
    case 'orderedList':
      return { ol: children(node, headingOffset), start: Number(node.attrs.start ?? 1), margin: [0, 0, 0, 6] };
    case 'listItem':
      return { stack: children(node, headingOffset) };
    case 'blockquote':
      return { stack: children(node, headingOffset), margin: [14, 0, 0, 6], color: '#444444', italics: true };
    case 'codeBlock':
      return { text: node.textContent || ' ', style: 'code', margin: [0, 0, 0, 6] };
    case 'horizontalRule':
      return { canvas: [{ type: 'line', x1: 0, y1: 4, x2: 480, y2: 4, lineWidth: 0.5, lineColor: '#999999' }], margin: [0, 4, 0, 8] };
    case 'table':
      return table(node, headingOffset);
    default:
      // tableRow / cells are handled by `table`; inline nodes by `inlines`.
      return { stack: children(node, headingOffset) };
  }
}

/**
 * `headingOffset` pushes the document's headings down (a trace's h2 sections under the
 * trace title of the portfolio).
 */
export function documentPdfContent(doc: ProseMirrorNode, headingOffset = 0): PdfContent[] {
  return children(doc, headingOffset);
}
