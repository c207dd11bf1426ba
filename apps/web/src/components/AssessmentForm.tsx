import { LEVEL_LABELS, RECOMMENDATION_LABELS } from '@carnet/domain';
import { FormEvent, useEffect, useState } from 'react';
import { api } from '../api';
import { SHORT_COMPETENCES } from '../labels';
import { ErrorMessage } from './ErrorMessage';

interface Assessment {
  phase: string;
  tutor: { id: string };
  levels: Record<string, string>;
  comment: string;
  recommendation: string;
  version: number;
  frozen: boolean;
}

/** The tutor's assessment of a phase: a level per competence, a comment, a recommendation. */
export function AssessmentForm({ internId, phase, tutorId, onSaved }: { internId: string; phase: string; tutorId: string; onSaved: () => void }) {
  const [levels, setLevels] = useState<Record<string, string>>({});
  const [comment, setComment] = useState('');
  const [recommendation, setRecommendation] = useState('favorable');
  const [frozen, setFrozen] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [saved, setSaved] = useState<string | null>(null);
  useEffect(() => {
    api.get<Assessment[]>(`/portfolios/${internId}/assessments`).then((all) => {
      const mine = all.find((a) => a.phase === phase && a.tutor.id === tutorId);
      if (mine) {
        setLevels(mine.levels);
        setComment(mine.comment);
        setRecommendation(mine.recommendation);
        setFrozen(mine.frozen);
      }
    }, setError);
  }, [internId, phase, tutorId]);
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setError(null);
    try {
      const result = await api.post<Assessment>(`/portfolios/${internId}/assessments`, { phase, levels, comment, recommendation });
      setSaved(`Évaluation enregistrée (version ${result.version}).`);
      onSaved();
    } catch (e) {
      setError(e);
    }
  };
  return (
    <form className="card" onSubmit={submit} aria-labelledby="assessment-title">
      <h2 id="assessment-title">Évaluation de la phase</h2>
      {frozen && <p className="alert info">La commission a statué sur cette phase : l’évaluation ne se modifie plus.</p>}
      <ErrorMessage error={error} />
      <fieldset disabled={frozen}>
        <legend className="visually-hidden">Niveau par compétence</legend>
        {Object.entries(SHORT_COMPETENCES).map(([code, label]) => (
          <div key={code} className="row">
            <label htmlFor={`level-${code}`} className="grow">
              {label}
            </label>
            <select id={`level-${code}`} value={levels[code] ?? ''} onChange={(e) => setLevels({ ...levels, [code]: e.target.value })}>
              <option value="">—</option>
              {Object.entries(LEVEL_LABELS)
                .filter(([value]) => value !== 'expert' || phase === 'consolidation')
                .map(([value, text]) => (
                  <option key={value} value={value}>
                    {value === 'expert' ? `${text} (fin de consolidation)` : text}
                  </option>
                ))}
            </select>
          </div>
        ))}
        <label htmlFor="assessment-comment">Commentaire</label>
        <textarea id="assessment-comment" rows={4} value={comment} onChange={(e) => setComment(e.target.value)} />
        <label htmlFor="assessment-recommendation">Avis à la commission</label>
        <select id="assessment-recommendation" value={recommendation} onChange={(e) => setRecommendation(e.target.value)}>
          {Object.entries(RECOMMENDATION_LABELS).map(([value, text]) => (
            <option key={value} value={value}>
              {text}
            </option>
          ))}
        </select>
        <button type="submit" className="primary">
          Enregistrer l’évaluation
        </button>
      </fieldset>
      {saved && <p role="status">{saved}</p>}
    </form>
  );
}
