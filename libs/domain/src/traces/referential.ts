/** The six competences of the CNGE "marguerite". */
export const COMPETENCES = {
  premier_recours: 'Premier recours, urgences',
  relation: 'Relation, communication, approche centrée patient',
  approche_globale: 'Approche globale, prise en compte de la complexité',
  education: 'Éducation, prévention, dépistage, santé individuelle et communautaire',
  continuite: 'Continuité, suivi, coordination des soins',
  professionnalisme: 'Professionnalisme',
} as const;
export type Competence = keyof typeof COMPETENCES;
export const COMPETENCE_CODES = Object.keys(COMPETENCES) as Competence[];

/** The eleven familles de situations cliniques (Attali et al., exercer 2013). */
export const FAMILLES = {
  chronique: 'Patients atteints de maladies chroniques, polymorbidité à forte prévalence',
  aigu: 'Problèmes aigus, non programmés, fréquents ou exemplaires',
  urgence: 'Problèmes aigus non programmés dans le cadre des urgences réelles ou ressenties',
  enfant_adolescent: 'Problèmes de santé concernant les spécificités de l’enfant et de l’adolescent',
  sexualite: 'Sexualité et génitalité (contraception, grossesse, ménopause…)',
  famille_couple: 'Problèmes liés à l’histoire familiale et à la vie de couple',
  travail: 'Problèmes de santé et souffrance liés au travail',
  medico_legal: 'Dimension légale, éthique, déontologique ou médico-légale au premier plan',
  patient_difficile: 'Patients difficiles, exigeants',
  social: 'Problèmes sociaux au premier plan',
  autre_culture: 'Patients d’une autre culture',
} as const;
export type Famille = keyof typeof FAMILLES | 'hors_famille';
/** Some departments add a twelfth heading for situations that fit none (configurable). */
export const EXTRA_FAMILLE = 'hors_famille' as const;
export const FAMILLE_CODES = Object.keys(FAMILLES) as Famille[];

export const TRACE_KINDS = ['rsca', 'trace', 'gept', 'stage_review', 'other'] as const;
export type TraceKind = (typeof TRACE_KINDS)[number];

export const TRACE_STATUSES = ['draft', 'submitted', 'changes_requested', 'validated'] as const;
export type TraceStatus = (typeof TRACE_STATUSES)[number];

export function familleCodes(extraFamilleEnabled: boolean): Famille[] {
  return extraFamilleEnabled ? [...FAMILLE_CODES, EXTRA_FAMILLE] : FAMILLE_CODES;
}

export const EXTRA_FAMILLE_LABEL = 'Situations hors des onze familles';
