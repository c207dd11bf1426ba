import { COMPETENCE_CODES, Competence, Famille, FAMILLE_CODES } from '../traces/referential';

export interface CoverageTrace {
  competences: readonly string[];
  familles: readonly string[];
}

export interface Coverage {
  /** matrix[competence][famille] = number of traces tagged with both. */
  matrix: Record<Competence, Record<string, number>>;
  byCompetence: Record<Competence, number>;
  byFamille: Record<string, number>;
  total: number;
}

/** The competence × famille matrix of a set of (validated) traces. */
export function coverageOf(traces: readonly CoverageTrace[], familles: readonly Famille[] = FAMILLE_CODES): Coverage {
  const zeroes = () => Object.fromEntries(familles.map((f) => [f, 0])) as Record<string, number>;
  const matrix = Object.fromEntries(COMPETENCE_CODES.map((c) => [c, zeroes()])) as Record<Competence, Record<string, number>>;
  const byCompetence = Object.fromEntries(COMPETENCE_CODES.map((c) => [c, 0])) as Record<Competence, number>;
  const byFamille = zeroes();
  for (const trace of traces) {
    for (const c of trace.competences) if (c in byCompetence) byCompetence[c as Competence]++;
    for (const f of trace.familles) if (f in byFamille) byFamille[f]++;
    for (const c of trace.competences) for (const f of trace.familles) if (c in matrix && f in byFamille) matrix[c as Competence][f]++;
  }
  return { matrix, byCompetence, byFamille, total: traces.length };
}
