import { DomainError, ErrorCode } from '../errors';
import {
  assertEvaluation,
  assertEvaluationLinkLive,
  assertEvaluationOpen,
  evaluationErrors,
  evaluationLinkState,
  evaluationOpensOn,
  evaluatorErrors,
  FeedbackAnswer,
  feedbackErrors,
  NOT_ENOUGH_ANSWERS,
  summariseFeedback,
} from './evaluations';

const allLevels = { premier_recours: 'competent', relation: 'competent', approche_globale: 'intermediaire', education: 'novice', continuite: 'non_observe', professionnalisme: 'competent' };

const refusal = (run: () => void): DomainError => {
  try {
    run();
  } catch (error) {
    if (error instanceof DomainError) return error;
    throw error;
  }
  throw new Error('expected a refusal');
};

describe('the evaluation window', () => {
  it('opens fourteen days before the last day, and says when before that', () => {
    expect(evaluationOpensOn('2027-05-02')).toBe('2027-04-18');
    expect(() => assertEvaluationOpen('2027-05-02', '2027-04-18')).not.toThrow();
    expect(() => assertEvaluationOpen('2027-05-02', '2027-06-30')).not.toThrow();
    const early = refusal(() => assertEvaluationOpen('2027-05-02', '2027-04-17'));
    expect(early.code).toBe(ErrorCode.Conflict);
    expect(early.message).toBe('L’évaluation de fin de stage s’ouvre le 18/04/2027, 14 jours avant la fin du stage.');
  });
});

describe('an evaluation of the intern', () => {
  it('needs a known level for every competence and a yes or no on validation', () => {
    expect(evaluationErrors({ levels: allLevels, comment: 'Très bon stage.', validationProposed: true })).toEqual([]);
    expect(evaluationErrors({ levels: { ...allLevels, relation: undefined as unknown as string, education: 'excellent', ethique: 'novice' }, validationProposed: 'oui' })).toEqual([
      { path: 'levels.relation', message: 'niveau manquant pour « Relation, communication, approche centrée patient »' },
      { path: 'levels.education', message: 'niveau inconnu' },
      { path: 'levels.ethique', message: 'compétence inconnue' },
      { path: 'validationProposed', message: 'indiquez si vous proposez la validation du stage' },
    ]);
    expect(evaluationErrors({ levels: [], validationProposed: false })).toEqual([{ path: 'levels', message: 'un niveau par compétence est attendu' }]);
    expect(evaluationErrors({ levels: allLevels, comment: 'x'.repeat(5001), validationProposed: false })).toEqual([{ path: 'comment', message: '5000 caractères au plus' }]);
    const error = refusal(() => assertEvaluation({ levels: {}, validationProposed: true }));
    expect(error.code).toBe(ErrorCode.InvalidInput);
    expect(error.errors).toHaveLength(6);
  });

  it('is sent to an evaluator with a name and an address', () => {
    expect(evaluatorErrors({ name: 'Dr Paul Lacaze', email: 'p.lacaze@ch-auch.test' })).toEqual([]);
    expect(evaluatorErrors({ name: ' ', email: 'lacaze' })).toEqual([
      { path: 'name', message: 'le nom de l’évaluateur est requis' },
      { path: 'email', message: 'adresse e-mail invalide' },
    ]);
  });
});

describe('a one-time link', () => {
  const now = new Date('2027-05-01T10:00:00Z');
  const live = { expiresAt: new Date('2027-05-31T10:00:00Z'), usedAt: null, revokedAt: null };

  it('is live until used, revoked or expired, and each refusal says which in French', () => {
    expect(evaluationLinkState(live, now)).toBe('live');
    expect(() => assertEvaluationLinkLive(live, now)).not.toThrow();
    const used = refusal(() => assertEvaluationLinkLive({ ...live, usedAt: now }, now));
    expect([used.code, used.message]).toEqual([ErrorCode.InvalidToken, 'Ce lien a déjà servi : votre évaluation a été transmise, et un lien ne sert qu’une fois.']);
    expect(refusal(() => assertEvaluationLinkLive({ ...live, revokedAt: now }, now)).message).toBe('Ce lien a été remplacé par un plus récent : ouvrez le dernier e-mail reçu du DUMG.');
    expect(refusal(() => assertEvaluationLinkLive(live, live.expiresAt)).message).toBe('Ce lien a expiré : demandez-en un nouveau au secrétariat du DUMG.');
    // Used wins over revoked: the evaluator did answer.
    expect(evaluationLinkState({ ...live, usedAt: now, revokedAt: now }, now)).toBe('used');
  });
});

describe('the intern’s evaluation of the stage', () => {
  const answer = (place: string, overall: number, comment = ''): FeedbackAnswer => ({
    place,
    ratings: { supervision: 4, teaching: 3, workload: 2, housing: overall, travel: 1, overall },
    housingProvided: overall > 3,
    vehicleRequired: true,
    comment,
  });

  it('rates every rubric from 1 to 5 and states housing and travel', () => {
    expect(feedbackErrors(answer('CHG Auch', 4))).toEqual([]);
    expect(feedbackErrors({ ratings: { supervision: 0, teaching: 3.5, workload: 3, housing: 3, travel: 3, overall: 6 }, comment: 3 })).toEqual([
      { path: 'ratings.supervision', message: 'une note de 1 à 5 pour « Encadrement : disponibilité et implication des encadrants »' },
      { path: 'ratings.teaching', message: 'une note de 1 à 5 pour « Enseignement reçu pendant le stage »' },
      { path: 'ratings.overall', message: 'une note de 1 à 5 pour « Appréciation d’ensemble du stage »' },
      { path: 'housingProvided', message: 'indiquez si vous étiez logé' },
      { path: 'vehicleRequired', message: 'indiquez si un véhicule était nécessaire' },
      { path: 'comment', message: 'texte attendu' },
    ]);
  });

  it('reaches the DUMG per place only from three answers, without saying how many below', () => {
    const summary = summariseFeedback([
      answer('CHG Auch', 5, 'Logé et nourri à l’internat.'),
      answer('chg  auch ', 4),
      answer('Cabinet de Lectoure', 2),
      answer('CHG Auch', 3, 'Beaucoup de route entre les sites.'),
      answer('Cabinet de Lectoure', 2),
    ]);
    expect(summary).toEqual([
      { place: 'Cabinet de Lectoure', enough: false, message: NOT_ENOUGH_ANSWERS },
      {
        place: 'CHG Auch',
        enough: true,
        answers: 3,
        means: { supervision: 4, teaching: 3, workload: 2, housing: 4, travel: 1, overall: 4 },
        housingProvided: 2,
        vehicleRequired: 3,
        comments: ['Beaucoup de route entre les sites.', 'Logé et nourri à l’internat.'],
      },
    ]);
    expect(NOT_ENOUGH_ANSWERS).toBe('Moins de 3 réponses pour ce lieu de stage : les résultats restent masqués pour préserver l’anonymat des internes.');
    expect(summariseFeedback([answer('', 3), answer(' ', 3), answer('', 3)])[0]).toMatchObject({ place: 'Lieu non renseigné', answers: 3 });
  });
});
