import type { ProgressView } from '@carnet/contracts';
import { FormEvent, useEffect, useState } from 'react';
import { api, TraceSummary } from '../api';
import { ErrorMessage } from '../components/ErrorMessage';
import { dateFr, KIND_LABELS } from '../labels';

interface Session {
  id: string;
  title: string;
  phase: string;
  opensAt: string;
  closesAt: string;
  open: boolean;
  interns?: { id: string; displayName: string; promotion: number | null; decision: { decision: string } | null }[];
}

interface JuryPortfolio {
  intern: { id: string; displayName: string };
  traces: TraceSummary[];
  progress: Pick<ProgressView, 'summary' | 'validatedTotal'>;
  assessments: { tutor: { displayName: string }; recommendation: string; comment: string; phase: string }[];
}

const DECISIONS: Record<string, string> = { validated: 'Phase validée', not_validated: 'Phase non validée', deferred: 'Décision ajournée' };

/** A jury member's sessions, the interns on them, their validated portfolio, and the decision. */
export function JuryPage() {
  const [sessions, setSessions] = useState<Session[] | null>(null);
  const [portfolio, setPortfolio] = useState<{ session: Session; data: JuryPortfolio } | null>(null);
  const [error, setError] = useState<unknown>(null);
  const load = () => api.get<Session[]>('/jury-sessions').then(setSessions, setError);
  useEffect(() => {
    void load();
  }, []);
  const open = async (session: Session, internId: string) => {
    try {
      setPortfolio({ session, data: await api.get<JuryPortfolio>(`/jury-sessions/${session.id}/interns/${internId}/portfolio`) });
    } catch (e) {
      setError(e);
    }
  };
  return (
    <>
      <h1>Commissions de validation</h1>
      <ErrorMessage error={error} />
      {sessions?.length === 0 && <p>Vous ne siégez dans aucune session.</p>}
      {sessions?.map((s) => (
        <section key={s.id} className="card" aria-labelledby={`session-${s.id}`}>
          <h2 id={`session-${s.id}`}>{s.title}</h2>
          <p className="meta">
            {s.phase} · du {dateFr(s.opensAt)} au {dateFr(s.closesAt)} · {s.open ? 'ouverte' : 'fermée'}
          </p>
          {s.interns ? (
            <ul>
              {s.interns.map((i) => (
                <li key={i.id}>
                  <button type="button" className="link" onClick={() => void open(s, i.id)}>
                    {i.displayName}
                  </button>{' '}
                  {i.decision ? `— ${DECISIONS[i.decision.decision]}` : ''}
                </li>
              ))}
            </ul>
          ) : (
            <p>Les portfolios sont consultables pendant la session seulement.</p>
          )}
        </section>
      ))}
      {portfolio && <PortfolioView session={portfolio.session} data={portfolio.data} onDecided={() => void load()} />}
    </>
  );
}

function PortfolioView({ session, data, onDecided }: { session: Session; data: JuryPortfolio; onDecided: () => void }) {
  const [decision, setDecision] = useState('validated');
  const [comment, setComment] = useState('');
  const [error, setError] = useState<unknown>(null);
  const [done, setDone] = useState(false);
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    try {
      await api.post(`/jury-sessions/${session.id}/decisions`, { internId: data.intern.id, decision, comment });
      setDone(true);
      onDecided();
    } catch (e) {
      setError(e);
    }
  };
  return (
    <section className="card" aria-labelledby="portfolio-title">
      <h2 id="portfolio-title">Portfolio de {data.intern.displayName}</h2>
      <p>{data.progress.summary}</p>
      <h3>Traces validées ({data.traces.length})</h3>
      <ul>
        {data.traces.map((t) => (
          <li key={t.id}>
            {t.title} — {KIND_LABELS[t.kind]}, validée le {dateFr(t.validatedAt)}
          </li>
        ))}
      </ul>
      <h3>Évaluations du tuteur</h3>
      {data.assessments.length === 0 ? <p>Aucune.</p> : data.assessments.map((a, i) => <p key={i}>{a.tutor.displayName} ({a.phase}) : {a.recommendation} — {a.comment}</p>)}
      <form onSubmit={submit}>
        <h3>Décision</h3>
        <ErrorMessage error={error} />
        <fieldset>
          <legend>Décision de la commission</legend>
          {Object.entries(DECISIONS).map(([value, label]) => (
            <label key={value} className="check">
              <input type="radio" name="decision" value={value} checked={decision === value} onChange={() => setDecision(value)} />
              {label}
            </label>
          ))}
        </fieldset>
        <label htmlFor="decision-comment">Motivation</label>
        <textarea id="decision-comment" rows={3} value={comment} onChange={(e) => setComment(e.target.value)} />
        <button type="submit" className="primary" disabled={done}>
          Enregistrer la décision
        </button>
        {done && <p role="status">Décision enregistrée.</p>}
      </form>
    </section>
  );
}
