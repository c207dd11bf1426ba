import { DomainError, ErrorCode, FieldError } from '../errors';
import { LEVELS } from '../portfolio/phases';
import { COMPETENCE_CODES, COMPETENCES } from '../traces/referential';

/**
 * End-of-stage evaluations, both ways: the supervisors evaluate the intern on the faculty's form,
 * and the intern evaluates the stage. A supervisor without an account answers through a one-time
 * link; the intern's answers reach the DUMG only as aggregates over enough interns that none of
 * them can be told apart.
 */

/** How long a mailed link works: a hospital senior answers within the month or asks again. */
export const EVALUATION_LINK_DAYS = 30;

/** The forms open this many days before the stage's last day: evaluating needs most of the stage seen. */
export const EVALUATION_OPENS_DAYS_BEFORE_END = 14;

/** Below this many answers for a place, the DUMG reads nothing of it: two interns could be told apart. */
export const FEEDBACK_MIN_ANSWERS = 3;

export const EVALUATION_COMMENT_MAX = 5000;
export const FEEDBACK_COMMENT_MAX = 3000;

/** A competence seen at one of the levels, or not seen during this stage (an urgences stage shows little of continuité). */
export const EVALUATION_LEVELS = [...LEVELS, 'non_observe'] as const;
export type EvaluationLevel = (typeof EVALUATION_LEVELS)[number];

export const EVALUATION_LEVEL_LABELS: Readonly<Record<string, string>> = {
  novice: 'Novice',
  intermediaire: 'Intermédiaire',
  competent: 'Compétent',
  expert: 'Expert',
  non_observe: 'Non observée pendant ce stage',
} satisfies Record<EvaluationLevel, string>;

/** The faculty's form, as a client renders it. */
export const EVALUATION_FORM = {
  competences: COMPETENCE_CODES.map((code) => ({ code, label: COMPETENCES[code] })),
  levels: EVALUATION_LEVELS.map((code) => ({ code, label: EVALUATION_LEVEL_LABELS[code] })),
};

export interface EvaluationInput {
  levels: Record<string, string>;
  comment: string;
  validationProposed: boolean;
}

const isIsoDay = (day: string) => /^\d{4}-\d{2}-\d{2}$/.test(day);
const addDays = (day: string, days: number) => new Date(Date.parse(`${day}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);
const dayFr = (day: string) => day.split('-').reverse().join('/');

/** The first day a stage ending on `endsOn` may be evaluated, by its supervisors and by its intern. */
export function evaluationOpensOn(endsOn: string): string {
  if (!isIsoDay(endsOn)) throw new Error(`Not a day: ${endsOn}`);
  return addDays(endsOn, -EVALUATION_OPENS_DAYS_BEFORE_END);
}

export const evaluationOpen = (endsOn: string, today: string) => today >= evaluationOpensOn(endsOn);

/** 409 before the form opens: it says when it will. */
export function assertEvaluationOpen(endsOn: string, today: string): void {
  if (!evaluationOpen(endsOn, today)) {
    throw new DomainError(ErrorCode.Conflict, `L’évaluation de fin de stage s’ouvre le ${dayFr(evaluationOpensOn(endsOn))}, ${EVALUATION_OPENS_DAYS_BEFORE_END} jours avant la fin du stage.`);
  }
}

/** The field errors of an evaluation: every competence of the form at a known level, a bounded comment, a yes or no. */
export function evaluationErrors(input: Partial<Record<keyof EvaluationInput, unknown>>): FieldError[] {
  const errors: FieldError[] = [];
  const levels = input.levels;
  if (typeof levels !== 'object' || levels === null || Array.isArray(levels)) {
    errors.push({ path: 'levels', message: 'un niveau par compétence est attendu' });
  } else {
    const given = levels as Record<string, unknown>;
    for (const code of COMPETENCE_CODES) {
      const level = given[code];
      if (level === undefined || level === null || level === '') errors.push({ path: `levels.${code}`, message: `niveau manquant pour « ${COMPETENCES[code]} »` });
      else if (typeof level !== 'string' || !(EVALUATION_LEVELS as readonly string[]).includes(level)) errors.push({ path: `levels.${code}`, message: 'niveau inconnu' });
    }
    for (const code of Object.keys(given)) {
      if (!(COMPETENCE_CODES as string[]).includes(code)) errors.push({ path: `levels.${code}`, message: 'compétence inconnue' });
    }
  }
  if (input.comment !== undefined && typeof input.comment !== 'string') errors.push({ path: 'comment', message: 'texte attendu' });
  else if (typeof input.comment === 'string' && input.comment.length > EVALUATION_COMMENT_MAX) errors.push({ path: 'comment', message: `${EVALUATION_COMMENT_MAX} caractères au plus` });
  if (typeof input.validationProposed !== 'boolean') errors.push({ path: 'validationProposed', message: 'indiquez si vous proposez la validation du stage' });
  return errors;
}

export function assertEvaluation(input: Partial<Record<keyof EvaluationInput, unknown>>): asserts input is EvaluationInput {
  const errors = evaluationErrors(input);
  if (errors.length) throw new DomainError(ErrorCode.InvalidInput, 'L’évaluation est incomplète ou invalide.', errors);
}

export interface EvaluationLinkTimes {
  expiresAt: Date;
  usedAt: Date | null;
  revokedAt: Date | null;
}

export type EvaluationLinkState = 'live' | 'used' | 'revoked' | 'expired';

export function evaluationLinkState(link: EvaluationLinkTimes, now: Date): EvaluationLinkState {
  if (link.usedAt) return 'used';
  if (link.revokedAt) return 'revoked';
  return link.expiresAt.getTime() <= now.getTime() ? 'expired' : 'live';
}

/**
 * Throws unless the link may still be used. Each refusal says what happened and what to do: only
 * the one holding the link (found by its hash) ever reads it, and a hospital senior has nobody
 * else to ask.
 */
export function assertEvaluationLinkLive(link: EvaluationLinkTimes, now: Date): void {
  const state = evaluationLinkState(link, now);
  if (state === 'used') throw new DomainError(ErrorCode.InvalidToken, 'Ce lien a déjà servi : votre évaluation a été transmise, et un lien ne sert qu’une fois.');
  if (state === 'revoked') throw new DomainError(ErrorCode.InvalidToken, 'Ce lien a été remplacé par un plus récent : ouvrez le dernier e-mail reçu du DUMG.');
  if (state === 'expired') throw new DomainError(ErrorCode.InvalidToken, 'Ce lien a expiré : demandez-en un nouveau au secrétariat du DUMG.');
}

/** The evaluator a link is sent to: a name and an address, the address the evaluator's key within the stage. */
export function evaluatorErrors(input: { name?: unknown; email?: unknown }): FieldError[] {
  const errors: FieldError[] = [];
  if (typeof input.name !== 'string' || !input.name.trim()) errors.push({ path: 'name', message: 'le nom de l’évaluateur est requis' });
  else if (input.name.trim().length > 200) errors.push({ path: 'name', message: '200 caractères au plus' });
  if (typeof input.email !== 'string' || !/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(input.email.trim()) || input.email.trim().length > 320) errors.push({ path: 'email', message: 'adresse e-mail invalide' });
  return errors;
}

/* The intern's evaluation of the stage. */

/** What the intern rates, from 1 (très insatisfaisant) to 5 (très satisfaisant): the headings of the Gers document. */
export const FEEDBACK_RATINGS = {
  supervision: 'Encadrement : disponibilité et implication des encadrants',
  teaching: 'Enseignement reçu pendant le stage',
  workload: 'Charge de travail (journées et trajets)',
  housing: 'Logement et repas',
  travel: 'Déplacements et frais de trajet',
  overall: 'Appréciation d’ensemble du stage',
} as const;
export type FeedbackRating = keyof typeof FEEDBACK_RATINGS;
export const FEEDBACK_RATING_CODES = Object.keys(FEEDBACK_RATINGS) as FeedbackRating[];

export const FEEDBACK_SCALE_LABELS: Readonly<Record<number, string>> = {
  1: 'Très insatisfaisant',
  2: 'Insatisfaisant',
  3: 'Correct',
  4: 'Satisfaisant',
  5: 'Très satisfaisant',
};

export interface FeedbackInput {
  ratings: Record<FeedbackRating, number>;
  /** Housed by the hospital or an MSU, as at the CHG of the Gers. */
  housingProvided: boolean;
  /** A car was needed to reach the practices (scattered MSU). */
  vehicleRequired: boolean;
  comment: string;
}

export function feedbackErrors(input: Partial<Record<keyof FeedbackInput, unknown>>): FieldError[] {
  const errors: FieldError[] = [];
  const ratings = input.ratings;
  if (typeof ratings !== 'object' || ratings === null || Array.isArray(ratings)) {
    errors.push({ path: 'ratings', message: 'une note de 1 à 5 par rubrique est attendue' });
  } else {
    const given = ratings as Record<string, unknown>;
    for (const code of FEEDBACK_RATING_CODES) {
      const value = given[code];
      if (!Number.isInteger(value) || (value as number) < 1 || (value as number) > 5) errors.push({ path: `ratings.${code}`, message: `une note de 1 à 5 pour « ${FEEDBACK_RATINGS[code]} »` });
    }
    for (const code of Object.keys(given)) if (!(FEEDBACK_RATING_CODES as string[]).includes(code)) errors.push({ path: `ratings.${code}`, message: 'rubrique inconnue' });
  }
  if (typeof input.housingProvided !== 'boolean') errors.push({ path: 'housingProvided', message: 'indiquez si vous étiez logé' });
  if (typeof input.vehicleRequired !== 'boolean') errors.push({ path: 'vehicleRequired', message: 'indiquez si un véhicule était nécessaire' });
  if (input.comment !== undefined && typeof input.comment !== 'string') errors.push({ path: 'comment', message: 'texte attendu' });
  else if (typeof input.comment === 'string' && input.comment.length > FEEDBACK_COMMENT_MAX) errors.push({ path: 'comment', message: `${FEEDBACK_COMMENT_MAX} caractères au plus` });
  return errors;
}

export function assertFeedback(input: Partial<Record<keyof FeedbackInput, unknown>>): asserts input is FeedbackInput {
  const errors = feedbackErrors(input);
  if (errors.length) throw new DomainError(ErrorCode.InvalidInput, 'L’évaluation du stage est incomplète ou invalide.', errors);
}

export interface FeedbackAnswer extends FeedbackInput {
  place: string;
}

export type FeedbackPlaceSummary =
  | { place: string; enough: false; message: string }
  | {
      place: string;
      enough: true;
      answers: number;
      /** Mean per rubric, to one decimal. */
      means: Record<FeedbackRating, number>;
      housingProvided: number;
      vehicleRequired: number;
      /** The free comments, in alphabetical order: the order of answers would tell who wrote which. */
      comments: string[];
    };

export const NOT_ENOUGH_ANSWERS = `Moins de ${FEEDBACK_MIN_ANSWERS} réponses pour ce lieu de stage : les résultats restent masqués pour préserver l’anonymat des internes.`;

/** A place as the DUMG names it: the same words in another case or spacing are the same place. */
export const placeKey = (place: string) => place.trim().replace(/\s+/g, ' ').toLocaleLowerCase('fr');

/**
 * The answers grouped by stage place, each summed up only from FEEDBACK_MIN_ANSWERS answers:
 * below, the place is listed with nothing of its answers, not even how many there are.
 */
export function summariseFeedback(answers: FeedbackAnswer[]): FeedbackPlaceSummary[] {
  const groups = new Map<string, { place: string; answers: FeedbackAnswer[] }>();
  for (const answer of answers) {
    const key = placeKey(answer.place);
    const group = groups.get(key) ?? { place: answer.place.trim().replace(/\s+/g, ' ') || 'Lieu non renseigné', answers: [] };
    group.answers.push(answer);
    groups.set(key, group);
  }
  return [...groups.values()]
    .sort((a, b) => a.place.localeCompare(b.place, 'fr'))
    .map(({ place, answers: group }): FeedbackPlaceSummary => {
      if (group.length < FEEDBACK_MIN_ANSWERS) return { place, enough: false, message: NOT_ENOUGH_ANSWERS };
      const mean = (code: FeedbackRating) => Math.round((group.reduce((sum, a) => sum + a.ratings[code], 0) / group.length) * 10) / 10;
      return {
        place,
        enough: true,
        answers: group.length,
        means: Object.fromEntries(FEEDBACK_RATING_CODES.map((code) => [code, mean(code)])) as Record<FeedbackRating, number>,
        housingProvided: group.filter((a) => a.housingProvided).length,
        vehicleRequired: group.filter((a) => a.vehicleRequired).length,
        comments: group
          .map((a) => a.comment.trim())
          .filter(Boolean)
          .sort((a, b) => a.localeCompare(b, 'fr')),
      };
    });
}
