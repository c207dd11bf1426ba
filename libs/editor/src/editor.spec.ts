import fs from 'node:fs';
import path from 'node:path';
import {
  canonicalJson,
  documentHtml,
  documentPdfContent,
  editorSchema,
  InvalidDocumentError,
  PDF_MARK_TYPES,
  PDF_NODE_TYPES,
  plainText,
  rscaTemplate,
  RSCA_SECTIONS,
  sha256Hex,
  validateDocument,
} from './index';

const rsca = JSON.parse(fs.readFileSync(path.resolve(__dirname, '../../../../shared/fixtures/rsca-douleur-thoracique.json'), 'utf8'));

const faultsOf = (input: unknown) => {
  try {
    validateDocument(input);
  } catch (error) {
    if (error instanceof InvalidDocumentError) return error.faults;
    throw error;
  }
  return [];
};

describe('the shared editor schema on the server', () => {
  it('accepts the full RSCA fixture (headings, lists, table, emphasis)', () => {
    const { node, json } = validateDocument(rsca.content);
    expect(node.childCount).toBeGreaterThan(10);
    expect(json.type).toBe('doc');
    expect(plainText(node)).toContain('Récit de la situation');
  });

  it('refuses unknown nodes and marks with the path of the fault', () => {
    expect(faultsOf({ type: 'doc', content: [{ type: 'paragraph' }, { type: 'iframe' }] })).toEqual([
      { path: 'content.content[1].type', message: 'type de nœud inconnu « iframe »' },
    ]);
    expect(faultsOf({ type: 'doc', content: [{ type: 'paragraph', content: [{ type: 'text', text: 'x', marks: [{ type: 'blink' }] }] }] })).toEqual([
      { path: 'content.content[0].content[0].marks[0].type', message: 'marque inconnue « blink »' },
    ]);
  });

  it('refuses what ProseMirror would let through: heading level 9, javascript: links, unknown attributes', () => {
    expect(faultsOf({ type: 'doc', content: [{ type: 'heading', attrs: { level: 9 }, content: [{ type: 'text', text: 'T' }] }] })[0].path).toBe(
      'content.content[0].attrs.level',
    );
    const link = (href: string) => ({
      type: 'doc',
      content: [{ type: 'paragraph', content: [{ type: 'text', text: 'lien', marks: [{ type: 'link', attrs: { href } }] }] }],
    });
    expect(faultsOf(link('javascript:alert(1)'))).toEqual([
      { path: 'content.content[0].content[0].marks[0].attrs.href', message: 'seuls les liens http, https et mailto sont permis' },
    ]);
    expect(faultsOf(link('https://www.has-sante.fr/'))).toEqual([]);
    expect(faultsOf({ type: 'doc', content: [{ type: 'paragraph', attrs: { onclick: 'x' } }] })[0]).toEqual({
      path: 'content.content[0].attrs.onclick',
      message: 'attribut inconnu pour « paragraph »',
    });
  });

  it('refuses bad nesting, text outside text nodes, and excessive depth', () => {
    expect(faultsOf({ type: 'doc', content: [{ type: 'text', text: 'nu' }] })[0].message).toContain('structure refusée');
    expect(faultsOf({ type: 'doc', content: [{ type: 'paragraph', text: 'x' }] })[0].path).toBe('content.content[0].text');
    let deep: Record<string, unknown> = { type: 'paragraph' };
    for (let i = 0; i < 50; i++) deep = { type: 'blockquote', content: [deep] };
    expect(faultsOf({ type: 'doc', content: [deep] })[0].message).toContain('trop profond');
  });

  it('refuses a document over 2 MB as too large', () => {
    const big = { type: 'doc', content: [{ type: 'paragraph', content: [{ type: 'text', text: 'é'.repeat(1_100_000) }] }] };
    try {
      validateDocument(big);
      throw new Error('accepted');
    } catch (error) {
      expect((error as InvalidDocumentError).tooLarge).toBe(true);
    }
  });

  it('renders HTML from the same schema, escaping text', () => {
    const { node } = validateDocument({
      type: 'doc',
      content: [
        { type: 'heading', attrs: { level: 2 }, content: [{ type: 'text', text: 'Récit <script>' }] },
        { type: 'paragraph', content: [{ type: 'text', text: 'gras', marks: [{ type: 'bold' }] }] },
      ],
    });
    expect(documentHtml(node)).toBe('<h2>Récit &lt;script&gt;</h2><p><strong>gras</strong></p>');
    const table = documentHtml(validateDocument(rsca.content).node);
    expect(table).toContain('<table');
    expect(table).toContain('<ol');
  });

  it('hashes the same document identically whatever the key order', () => {
    const a = { type: 'heading', attrs: { level: 2 }, content: [] };
    const b = { content: [], attrs: { level: 2 }, type: 'heading' };
    expect(sha256Hex(canonicalJson(a))).toBe(sha256Hex(canonicalJson(b)));
  });

  it('starts an RSCA from its six sections', () => {
    const { node } = validateDocument(rscaTemplate());
    expect(plainText(node).split('\n').filter(Boolean)).toEqual([...RSCA_SECTIONS]);
  });
});

describe('the PDF mapping', () => {
  it('knows every node and mark type of the schema', () => {
    expect(Object.keys(editorSchema.nodes).sort()).toEqual([...PDF_NODE_TYPES].sort());
    expect(Object.keys(editorSchema.marks).sort()).toEqual([...PDF_MARK_TYPES].sort());
  });

  it('maps the RSCA fixture: headings pushed down, lists, a table with its header row, emphasis', () => {
    const content = documentPdfContent(validateDocument(rsca.content).node, 1) as Record<string, unknown>[];
    expect(content[0]).toMatchObject({ style: 'h3', text: [{ text: 'Récit de la situation' }] });
    expect(content.some((c) => 'ol' in c)).toBe(true);
    expect(content.some((c) => 'ul' in c)).toBe(true);
    const table = content.find((c) => 'table' in c) as { table: { headerRows: number; body: unknown[][] } };
    expect(table.table.headerRows).toBe(1);
    expect(JSON.stringify(content)).toContain('"italics":true');
  });
});
