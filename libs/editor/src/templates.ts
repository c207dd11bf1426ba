export interface TemplateJson {
  type: string;
  attrs?: Record<string, unknown>;
  content?: TemplateJson[];
  text?: string;
}
type TiptapJson = TemplateJson;

/** The six sections of a récit de situation complexe authentique. */
export const RSCA_SECTIONS = [
  'Récit de la situation',
  'Analyse et problématique',
  'Recherche documentaire',
  'Réponses et synthèse',
  'Ce que j’ai appris et plan d’action',
  'Références',
] as const;

/** A new RSCA starts with its six sections as headings, each over an empty paragraph. */
export function rscaTemplate(): TiptapJson {
  return {
    type: 'doc',
    content: RSCA_SECTIONS.flatMap((title) => [
      { type: 'heading', attrs: { level: 2 }, content: [{ type: 'text', text: title }] },
      { type: 'paragraph' },
    ]),
  };
}

export const emptyDocument = (): TiptapJson => ({ type: 'doc', content: [{ type: 'paragraph' }] });
