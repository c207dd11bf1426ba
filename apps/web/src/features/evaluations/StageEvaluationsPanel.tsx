import type { PortfolioStageEvaluationsView, StageEvaluationView } from '@carnet/contracts';
import { FEEDBACK_RATING_CODES, FEEDBACK_RATINGS, FEEDBACK_SCALE_LABELS, EVALUATION_LEVEL_LABELS } from '@carnet/domain';
import { FormEvent, useCallback, useEffect, useState } from 'react';
import { api } from '../../api';
import { ErrorMessage } from '../../components/ErrorMessage';
import { FieldError, fieldErrors } from '../../components/FieldError';
import { dateFr, SHORT_COMPETENCES } from '../../labels';
import './evaluations.css';

/** One submitted evaluation, as every reader of the portfolio sees it. */
export function EvaluationSummary({ evaluation }: { evaluation: StageEvaluationView }) {
  return (
    <article aria-label={`Évaluation de ${evaluation.evaluator.name}`}>
      <p>
        <strong>{evaluation.evaluator.name}</strong>, le {dateFr(evaluation.submittedAt)}
        {evaluation.evaluator.viaLink ? ' (par lien envoyé par le DUMG)' : ''} :{' '}
        <strong>{evaluation.validationProposed ? 'validation proposée' : 'validation non proposée'}</strong>
      </p>
      <ul className="evaluation-levels">
        {Object.entries(evaluation.levels).map(([competence, level]) => (
          <li key={competence}>
            {SHORT_COMPETENCES[competence] ?? competence} : {EVALUATION_LEVEL_LABELS[level] ?? level}
          </li>
        ))}
      </ul>
      {evaluation.comment && <blockquote className="quote">{evaluation.comment}</blockquote>}
    </article>
  );
}

type Ratings = Record<string, number | undefined>;

/** The intern's evaluation of one stage: anonymous, once. */
function FeedbackForm({ stageId, onSent }: { stageId: string; onSent: () => void }) {
  const [ratings, setRatings] = useState<Ratings>({});
  const [housingProvided, setHousing] = useState<boolean | null>(null);
  const [vehicleRequired, setVehicle] = useState<boolean | null>(null);
  const [comment, setComment] = useState('');
  const [error, setError] = useState<unknown>(null);
  const prefix = `feedback-${stageId}`;
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setError(null);
    try {
      await api.post(`/stages/${stageId}/feedback`, {
        ratings,
        comment,
        ...(housingProvided === null ? {} : { housingProvided }),
        ...(vehicleRequired === null ? {} : { vehicleRequired }),
      });
      onSent();
    } catch (e) {
      setError(e);
    }
  };
  const yesNo = (key: string, legend: string, value: boolean | null, set: (v: boolean) => void) => (
    <fieldset aria-describedby={fieldErrors(error, key).length ? `${prefix}-${key}-error` : undefined}>
      <legend>{legend}</legend>
      <div className="choices">
        {[true, false].map((option) => (
          <label className="check" key={String(option)}>
            <input type="radio" name={`${prefix}-${key}`} checked={value === option} onChange={() => set(option)} />
            {option ? 'Oui' : 'Non'}
          </label>
        ))}
      </div>
      <FieldError id={`${prefix}-${key}-error`} messages={fieldErrors(error, key)} />
    </fieldset>
  );
  return (
    <form className="evaluation-form" onSubmit={submit} aria-labelledby={`${prefix}-title`}>
      <h4 id={`${prefix}-title`}>Évaluer ce stage</h4>
      <p className="meta">Vos réponses sont anonymes : les encadrants ne les voient pas, et le DUMG n’en lit que la synthèse par lieu de stage, à partir de 3 réponses.</p>
      <ErrorMessage error={error} />
      {FEEDBACK_RATING_CODES.map((code) => (
        <fieldset key={code} aria-describedby={fieldErrors(error, `ratings.${code}`).length ? `${prefix}-${code}-error` : undefined}>
          <legend>{FEEDBACK_RATINGS[code]}</legend>
          <div className="choices">
            {[1, 2, 3, 4, 5].map((n) => (
              <label className="check" key={n}>
                <input type="radio" name={`${prefix}-${code}`} checked={ratings[code] === n} onChange={() => setRatings({ ...ratings, [code]: n })} />
                {n} – {FEEDBACK_SCALE_LABELS[n]}
              </label>
            ))}
          </div>
          <FieldError id={`${prefix}-${code}-error`} messages={fieldErrors(error, `ratings.${code}`)} />
        </fieldset>
      ))}
      {yesNo('housingProvided', 'Étiez-vous logé (par l’hôpital ou un maître de stage) ?', housingProvided, setHousing)}
      {yesNo('vehicleRequired', 'Un véhicule était-il nécessaire pour vos trajets ?', vehicleRequired, setVehicle)}
      <label htmlFor={`${prefix}-comment`}>Commentaire libre (sans nom de personne)</label>
      <textarea id={`${prefix}-comment`} rows={4} maxLength={3000} value={comment} onChange={(e) => setComment(e.target.value)} />
      <button type="submit" className="primary">
        Envoyer mon évaluation du stage
      </button>
    </form>
  );
}

/**
 * « Évaluations de fin de stage » beside the portfolio: per stage, its supervisors' evaluations,
 * for the intern, their tutor, a sitting jury and the DUMG; the intern also evaluates each stage
 * here once its form opens.
 */
export function StageEvaluationsPanel({ internId }: { internId: string }) {
  const [data, setData] = useState<PortfolioStageEvaluationsView | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [answering, setAnswering] = useState<string | null>(null);
  const load = useCallback(() => api.get<PortfolioStageEvaluationsView>(`/portfolios/${internId}/stage-evaluations`).then(setData, setError), [internId]);
  useEffect(() => void load(), [load]);
  const today = new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Paris' }).format(new Date());

  return (
    <section className="card" aria-labelledby="stage-evaluations-title">
      <h2 id="stage-evaluations-title">Évaluations de fin de stage</h2>
      <ErrorMessage error={error} />
      <p role="status">{notice}</p>
      {data?.stages.length === 0 && <p>Aucun stage enregistré.</p>}
      {data?.stages.map(({ stage, evaluations, feedbackGiven }) => (
        <section key={stage.id} aria-labelledby={`stage-evaluation-${stage.id}`}>
          <h3 id={`stage-evaluation-${stage.id}`}>
            Stage {stage.label}
            {stage.place ? ` – ${stage.place}` : ''} ({dateFr(stage.startsOn)} – {dateFr(stage.endsOn)})
          </h3>
          {evaluations.length === 0 ? (
            <p>{today < stage.evaluationOpensOn ? `L’évaluation s’ouvre le ${dateFr(stage.evaluationOpensOn)}.` : 'Aucune évaluation transmise pour l’instant.'}</p>
          ) : (
            <ul className="evaluation-list">
              {evaluations.map((e) => (
                <li key={e.id}>
                  <EvaluationSummary evaluation={e} />
                </li>
              ))}
            </ul>
          )}
          {feedbackGiven === true && <p className="meta">Vous avez évalué ce stage.</p>}
          {feedbackGiven === false &&
            today >= stage.evaluationOpensOn &&
            (answering === stage.id ? (
              <FeedbackForm
                stageId={stage.id}
                onSent={() => {
                  setAnswering(null);
                  setNotice('Merci : votre évaluation du stage est enregistrée, anonymement.');
                  void load();
                }}
              />
            ) : (
              <button type="button" onClick={() => setAnswering(stage.id)}>
                Évaluer le stage {stage.label}
              </button>
            ))}
        </section>
      ))}
    </section>
  );
}
