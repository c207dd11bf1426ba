import type { ThesisView } from '@carnet/contracts';
import { FormEvent, useCallback, useEffect, useState } from 'react';
import { api, ApiError } from '../../api';
import { ErrorMessage } from '../../components/ErrorMessage';
import { FieldError, fieldErrors } from '../../components/FieldError';
import { dateFr, dateTimeFr, sizeFr } from '../../labels';
import './thesis.css';

export const STEP_STATE_LABELS: Record<ThesisView['steps'][number]['state'], string> = {
  done: 'Franchie',
  stalled: 'En retard',
  planned: 'Prévue',
  unplanned: 'À planifier',
};

export const directorText = (thesis: Pick<ThesisView, 'director'>) =>
  !thesis.director ? 'Pas encore de directeur' : thesis.director.kind === 'account' ? `${thesis.director.displayName} (MSU)` : `${thesis.director.name} (${thesis.director.email})`;

/** The steps as a table: each with its planned day, the day it was done, its state and documents. */
export function ThesisSteps({ steps }: { steps: ThesisView['steps'] }) {
  return (
    <table className="thesis-steps">
      <caption className="visually-hidden">Étapes de la thèse</caption>
      <thead>
        <tr>
          <th scope="col">Étape</th>
          <th scope="col">Prévue le</th>
          <th scope="col">Franchie le</th>
          <th scope="col">État</th>
          <th scope="col">Documents</th>
        </tr>
      </thead>
      <tbody>
        {steps.map((s) => (
          <tr key={s.id}>
            <th scope="row">
              {s.label}
              {s.note && <span className="meta"> — {s.note}</span>}
            </th>
            <td>{dateFr(s.plannedOn)}</td>
            <td>{dateFr(s.doneOn)}</td>
            <td>
              <span className={`step-state ${s.state}`}>{STEP_STATE_LABELS[s.state]}</span>
            </td>
            <td>
              {s.documents.length === 0
                ? '—'
                : s.documents.map((d) => (
                    <a key={d.id} href={`/api/thesis-documents/${d.id}`} className="thesis-document">
                      {d.filename} <span className="meta">({sizeFr(d.size)})</span>
                    </a>
                  ))}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

export function ThesisComments({ comments }: { comments: ThesisView['comments'] }) {
  if (!comments.length) return <p>Aucun commentaire du directeur pour l’instant.</p>;
  return (
    <ol className="thesis-comments">
      {comments.map((c) => (
        <li key={c.id}>
          <p className="meta">
            {c.authorName}, le {dateTimeFr(c.createdAt)}
            {c.viaLink && ' (par lien, sans compte)'}
          </p>
          <p style={{ whiteSpace: 'pre-wrap' }}>{c.body}</p>
        </li>
      ))}
    </ol>
  );
}

/**
 * « Thèse », read-only beside the portfolio for the tutor and the jury (and for its director
 * with an account, who comments from here). Nothing when the intern has not declared one.
 */
export function ThesisPanel({ internId }: { internId: string }) {
  const [thesis, setThesis] = useState<ThesisView | null | undefined>(undefined);
  const [error, setError] = useState<unknown>(null);
  const [body, setBody] = useState('');
  const [notice, setNotice] = useState<string | null>(null);
  const load = useCallback(
    () =>
      api.get<ThesisView>(`/portfolios/${internId}/thesis`).then(setThesis, (e: unknown) => {
        if (e instanceof ApiError && e.status === 404) setThesis(null);
        else setError(e);
      }),
    [internId],
  );
  useEffect(() => void load(), [load]);

  const comment = async (event: FormEvent) => {
    event.preventDefault();
    if (!thesis) return;
    setError(null);
    try {
      setThesis(await api.post<ThesisView>(`/theses/${thesis.id}/comments`, { body }));
      setBody('');
      setNotice('Commentaire enregistré.');
    } catch (e) {
      setError(e);
    }
  };

  return (
    <section className="card thesis-panel" aria-labelledby={`thesis-${internId}-title`}>
      <h2 id={`thesis-${internId}-title`}>Thèse</h2>
      <ErrorMessage error={error} />
      {thesis === undefined && !error && <p role="status">Chargement…</p>}
      {thesis === null && <p>Aucune thèse déclarée.</p>}
      {thesis && (
        <>
          <p>
            <strong>Sujet :</strong> {thesis.subject}
          </p>
          <p>
            <strong>Directeur :</strong> {directorText(thesis)}
          </p>
          <ThesisSteps steps={thesis.steps} />
          <h3>Commentaires du directeur</h3>
          <ThesisComments comments={thesis.comments} />
          {thesis.canComment && (
            <form onSubmit={comment} aria-label="Commenter la thèse">
              <label htmlFor={`thesis-${internId}-comment`}>Votre commentaire</label>
              <textarea id={`thesis-${internId}-comment`} rows={4} required maxLength={10000} value={body} onChange={(e) => setBody(e.target.value)} aria-describedby={fieldErrors(error, 'body').length ? `thesis-${internId}-comment-error` : undefined} />
              <FieldError id={`thesis-${internId}-comment-error`} messages={fieldErrors(error, 'body')} />
              <button type="submit" className="primary">
                Publier le commentaire
              </button>
            </form>
          )}
          <p role="status">{notice}</p>
        </>
      )}
    </section>
  );
}
