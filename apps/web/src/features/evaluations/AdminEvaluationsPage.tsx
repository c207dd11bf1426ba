import type { PortfolioStageEvaluationsView, StageEvaluationLinkIssued, StageEvaluationLinkView, StageFeedbackSummaryView } from '@carnet/contracts';
import { FormEvent, useCallback, useEffect, useState } from 'react';
import { api, Page } from '../../api';
import { ErrorMessage } from '../../components/ErrorMessage';
import { FieldError, fieldErrors } from '../../components/FieldError';
import { dateFr } from '../../labels';
import { EvaluationSummary } from './StageEvaluationsPanel';
import './evaluations.css';

interface StageRow {
  id: string;
  internId: string;
  intern: { displayName: string };
  label: string;
  place: string;
  startsOn: string;
  endsOn: string;
}

const LINK_STATES: Record<StageEvaluationLinkView['state'], string> = { live: 'En attente', used: 'Utilisé', revoked: 'Remplacé', expired: 'Expiré' };

/** One stage: its evaluations, the links sent, and a form to send (or send again) a link. */
function StageLinks({ stage }: { stage: StageRow }) {
  const [data, setData] = useState<PortfolioStageEvaluationsView['stages'][number] | null>(null);
  const [name, setName] = useState('');
  const [email, setEmail] = useState('');
  const [error, setError] = useState<unknown>(null);
  const [issued, setIssued] = useState<StageEvaluationLinkIssued | null>(null);
  const load = useCallback(
    () => api.get<PortfolioStageEvaluationsView>(`/portfolios/${stage.internId}/stage-evaluations`).then((r) => setData(r.stages.find((s) => s.stage.id === stage.id) ?? null), setError),
    [stage],
  );
  useEffect(() => void load(), [load]);
  const send = async (event: FormEvent) => {
    event.preventDefault();
    setError(null);
    setIssued(null);
    try {
      setIssued(await api.post<StageEvaluationLinkIssued>(`/stages/${stage.id}/evaluation-links`, { name, email }));
      await load();
    } catch (e) {
      setError(e);
    }
  };
  return (
    <section className="card" aria-labelledby="admin-stage-title">
      <h2 id="admin-stage-title">
        {stage.intern.displayName} – stage {stage.label}
      </h2>
      {data && data.evaluations.length > 0 && (
        <ul className="evaluation-list">
          {data.evaluations.map((e) => (
            <li key={e.id}>
              <EvaluationSummary evaluation={e} />
            </li>
          ))}
        </ul>
      )}
      {data?.links && data.links.length > 0 && (
        <table>
          <caption>Liens envoyés</caption>
          <thead>
            <tr>
              <th scope="col">Évaluateur</th>
              <th scope="col">Envoyé le</th>
              <th scope="col">Valable jusqu’au</th>
              <th scope="col">État</th>
            </tr>
          </thead>
          <tbody>
            {data.links.map((l) => (
              <tr key={l.id}>
                <td>
                  {l.evaluatorName} ({l.evaluatorEmail})
                </td>
                <td>{dateFr(l.createdAt)}</td>
                <td>{dateFr(l.expiresAt)}</td>
                <td>{LINK_STATES[l.state]}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <form onSubmit={send} aria-labelledby="admin-link-title">
        <h3 id="admin-link-title">Envoyer un lien d’évaluation</h3>
        <p className="meta">Pour un encadrant sans compte (un senior hospitalier) : le lien sert une fois ; en renvoyer un à la même adresse annule le précédent.</p>
        <ErrorMessage error={error} />
        <label htmlFor="evaluator-name">Nom de l’évaluateur</label>
        <input id="evaluator-name" required maxLength={200} value={name} onChange={(e) => setName(e.target.value)} />
        <FieldError id="evaluator-name-error" messages={fieldErrors(error, 'name')} />
        <label htmlFor="evaluator-email">Adresse e-mail</label>
        <input id="evaluator-email" type="email" required maxLength={320} value={email} onChange={(e) => setEmail(e.target.value)} />
        <FieldError id="evaluator-email-error" messages={fieldErrors(error, 'email')} />
        <p>
          <button type="submit" className="primary">
            Envoyer le lien
          </button>
        </p>
        {issued && (
          <p className="alert success" role="status">
            {issued.mailed ? `Lien envoyé à ${issued.evaluatorEmail}, valable jusqu’au ${dateFr(issued.expiresAt)}.` : `Aucun e-mail ne part de ce serveur : transmettez ce lien à ${issued.evaluatorName} : `}
            {issued.url && <code>{issued.url}</code>}
          </p>
        )}
      </form>
    </section>
  );
}

/** The interns' evaluations of their stages, per place: aggregates from three answers. */
function FeedbackSummary() {
  const [summary, setSummary] = useState<StageFeedbackSummaryView | null>(null);
  const [error, setError] = useState<unknown>(null);
  useEffect(() => void api.get<StageFeedbackSummaryView>('/admin/stage-feedback').then(setSummary, setError), []);
  return (
    <section className="card" aria-labelledby="feedback-title">
      <h2 id="feedback-title">Évaluation des stages par les internes</h2>
      <ErrorMessage error={error} />
      {summary && <p className="meta">Moyennes de 1 (très insatisfaisant) à 5 (très satisfaisant), par lieu de stage, à partir de {summary.minAnswers} réponses.</p>}
      {summary?.places.length === 0 && <p>Aucune réponse pour l’instant.</p>}
      {summary?.places.map((p) => (
        <section key={p.place} aria-label={p.place}>
          <h3>{p.place}</h3>
          {!p.enough ? (
            <p>{p.message}</p>
          ) : (
            <>
              <table className="feedback-table">
                <caption>
                  {p.answers} réponses ; logés : {p.housingProvided} ; véhicule nécessaire : {p.vehicleRequired}
                </caption>
                <tbody>
                  {summary.rubrics.map((r) => (
                    <tr key={r.code}>
                      <th scope="row">{r.label}</th>
                      <td>{String(p.means[r.code as keyof typeof p.means]).replace('.', ',')} / 5</td>
                    </tr>
                  ))}
                </tbody>
              </table>
              {p.comments.length > 0 && (
                <ul>
                  {p.comments.map((c, i) => (
                    <li key={i}>{c}</li>
                  ))}
                </ul>
              )}
            </>
          )}
        </section>
      ))}
    </section>
  );
}

/** The DUMG's page: links to the evaluators of each stage, and the interns' evaluations of the stages. */
export function AdminEvaluationsPage() {
  const [stages, setStages] = useState<StageRow[] | null>(null);
  const [selected, setSelected] = useState('');
  const [error, setError] = useState<unknown>(null);
  useEffect(() => void api.get<Page<StageRow>>('/stages?pageSize=200').then((r) => setStages(r.items), setError), []);
  const stage = stages?.find((s) => s.id === selected);
  return (
    <div>
      <h1>Évaluations de fin de stage</h1>
      <ErrorMessage error={error} />
      <label htmlFor="evaluation-stage">Stage</label>
      <select id="evaluation-stage" value={selected} onChange={(e) => setSelected(e.target.value)}>
        <option value="">Choisir un stage…</option>
        {stages?.map((s) => (
          <option key={s.id} value={s.id}>
            {s.intern.displayName} – {s.label}
            {s.place ? ` – ${s.place}` : ''} (fin le {dateFr(s.endsOn)})
          </option>
        ))}
      </select>
      {stage && <StageLinks key={stage.id} stage={stage} />}
      <FeedbackSummary />
    </div>
  );
}
