import type { CommentView, ExportView, ProgressView, TraceView } from '@carnet/contracts';
import { JURY_DECISION_LABELS, LEVEL_LABELS, PHASE_TITLES, RECOMMENDATION_LABELS } from '@carnet/domain';
import { FormEvent, useEffect, useState } from 'react';
import { api, TraceSummary } from '../../api';
import { ErrorMessage } from '../../components/ErrorMessage';
import { TutorMeetings } from '../../components/TutorMeetings';
import { StageEvaluationsPanel } from '../evaluations/StageEvaluationsPanel';
import { TeachingProgressPanel } from '../teaching/TeachingProgressPanel';
import { ThesisPanel } from '../thesis/ThesisPanel';
import { EditorJson, RichEditor } from '../../components/RichEditor';
import { dateFr, KIND_LABELS, SHORT_COMPETENCES } from '../../labels';
import { ImportedStamp } from '../../components/ImportedStamp';
import { OriginNote } from '../portfolio-transfers/OriginNote';

interface Session {
  id: string;
  title: string;
  phase: string;
  opensAt: string;
  closesAt: string;
  open: boolean;
  interns?: { id: string; displayName: string; promotion: number | null; decision: Decision | null }[];
}

interface JuryPortfolio {
  intern: { id: string; displayName: string };
  traces: TraceSummary[];
  progress: Pick<ProgressView, 'summary' | 'validatedTotal' | 'requirements' | 'gaps'>;
  assessments: { tutor: { displayName: string }; recommendation: string; comment: string; phase: string; levels: Record<string, string>; updatedAt?: string }[];
}

interface Decision {
  decision: string;
  comment: string;
  createdAt?: string;
}

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
            {PHASE_TITLES[s.phase] ?? s.phase} · du {dateFr(s.opensAt)} au {dateFr(s.closesAt)} · {s.open ? 'ouverte' : 'fermée'}
          </p>
          {s.interns ? (
            <ul>
              {s.interns.map((i) => (
                <li key={i.id}>
                  <button type="button" className="link" onClick={() => void open(s, i.id)}>
                    {i.displayName}
                  </button>{' '}
                  {i.decision ? `— ${JURY_DECISION_LABELS[i.decision.decision]}` : '— en attente de décision'}
                </li>
              ))}
            </ul>
          ) : (
            <p>Les portfolios sont consultables pendant la session seulement.</p>
          )}
        </section>
      ))}
      {portfolio && (
        <PortfolioView
          key={`${portfolio.session.id}-${portfolio.data.intern.id}`}
          session={portfolio.session}
          data={portfolio.data}
          recorded={sessions?.find((s) => s.id === portfolio.session.id)?.interns?.find((i) => i.id === portfolio.data.intern.id)?.decision ?? null}
          neighbours={neighbours(sessions?.find((s) => s.id === portfolio.session.id), portfolio.data.intern.id)}
          onOpen={(internId) => void open(portfolio.session, internId)}
          onDecided={() => void load()}
        />
      )}
    </>
  );
}

/** The interns before and after `internId` in the session, for « précédent » and « suivant ». */
function neighbours(session: Session | undefined, internId: string) {
  const interns = session?.interns ?? [];
  const at = interns.findIndex((i) => i.id === internId);
  return { previous: at > 0 ? interns[at - 1] : undefined, next: at >= 0 && at < interns.length - 1 ? interns[at + 1] : undefined };
}

interface Neighbours {
  previous?: { id: string; displayName: string };
  next?: { id: string; displayName: string };
}

function PortfolioView({ session, data, recorded, neighbours: around, onOpen, onDecided }: { session: Session; data: JuryPortfolio; recorded: Decision | null; neighbours: Neighbours; onOpen: (internId: string) => void; onDecided: () => void }) {
  const [decision, setDecision] = useState('');
  const [comment, setComment] = useState('');
  const [error, setError] = useState<unknown>(null);
  const [reading, setReading] = useState<string | null>(null);
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (!decision) {
      setError(new Error('Choisissez une décision.'));
      return;
    }
    try {
      await api.post(`/jury-sessions/${session.id}/decisions`, { internId: data.intern.id, decision, comment });
      onDecided();
    } catch (e) {
      setError(e);
    }
  };
  return (
    <section className="card" aria-labelledby="portfolio-title">
      <h2 id="portfolio-title">Portfolio de {data.intern.displayName}</h2>
      <nav aria-label="Internes de la session" className="actions">
        {around.previous && (
          <button type="button" onClick={() => onOpen(around.previous!.id)}>
            ← Précédent : {around.previous.displayName}
          </button>
        )}
        {around.next && (
          <button type="button" onClick={() => onOpen(around.next!.id)}>
            Suivant : {around.next.displayName} →
          </button>
        )}
      </nav>
      <p>{data.progress.summary}</p>
      <PortfolioPdf internId={data.intern.id} />
      <h3>Exigences de la phase</h3>
      {data.progress.requirements.length > 0 && (
        <table>
          <caption className="visually-hidden">Exigences de la phase et ce qui est atteint</caption>
          <thead>
            <tr>
              <th scope="col">Exigence</th>
              <th scope="col">Attendu</th>
              <th scope="col">Atteint</th>
            </tr>
          </thead>
          <tbody>
            {data.progress.requirements.map((r) => (
              <tr key={r.key}>
                <th scope="row">{r.label}</th>
                <td>{r.target}</td>
                <td>
                  {r.actual} {r.met ? '✓ atteinte' : '✗ manquante'}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {data.progress.gaps.length === 0 ? (
        <p>Aucun manque au regard des exigences.</p>
      ) : (
        <>
          <p>Ce qui manque :</p>
          <ul>
            {data.progress.gaps.map((g) => (
              <li key={g}>{g}</li>
            ))}
          </ul>
        </>
      )}
      <h3>Traces validées ({data.traces.length})</h3>
      <ul>
        {data.traces.map((t) => (
          <li key={t.id}>
            <button type="button" className="link" aria-expanded={reading === t.id} onClick={() => setReading(reading === t.id ? null : t.id)}>
              {t.title}
            </button>{' '}
            — {KIND_LABELS[t.kind]}, validée le {dateFr(t.validatedAt)} <ImportedStamp from={t.importedFrom} short />
            {t.origin && ' · '}
            <OriginNote origin={t.origin} validated />
            {reading === t.id && <TraceReading id={t.id} />}
          </li>
        ))}
      </ul>
      <h3>Évaluations du tuteur</h3>
      {data.assessments.length === 0 ? (
        <p>Aucune évaluation.</p>
      ) : (
        data.assessments.map((a, i) => (
          <article key={i} className="assessment" aria-label={`Évaluation de ${a.tutor.displayName}`}>
            <p>
              <strong>{a.tutor.displayName}</strong>, {PHASE_TITLES[a.phase] ?? a.phase}
              {a.updatedAt ? `, le ${dateFr(a.updatedAt)}` : ''} : <strong>{RECOMMENDATION_LABELS[a.recommendation] ?? a.recommendation}</strong>
            </p>
            {Object.keys(a.levels).length > 0 && (
              <ul className="levels">
                {Object.entries(a.levels).map(([competence, level]) => (
                  <li key={competence}>
                    {SHORT_COMPETENCES[competence] ?? competence} : {LEVEL_LABELS[level] ?? level}
                  </li>
                ))}
              </ul>
            )}
            {a.comment && <blockquote>{a.comment}</blockquote>}
          </article>
        ))
      )}
      <TeachingProgressPanel internId={data.intern.id} progress={data.progress} />
      <TutorMeetings internId={data.intern.id} canRecord={false} />
      <ThesisPanel internId={data.intern.id} />
      <StageEvaluationsPanel internId={data.intern.id} />
      <h3>Décision</h3>
      {recorded ? (
        <p role="status">
          Décision enregistrée : <strong>{JURY_DECISION_LABELS[recorded.decision]}</strong>
          {recorded.createdAt ? `, le ${dateFr(recorded.createdAt)}` : ''}
          {recorded.comment ? ` — ${recorded.comment.replace(/[.\s]+$/, '')}` : ''}. Elle ne peut plus être modifiée.
        </p>
      ) : (
        <form onSubmit={submit}>
          <ErrorMessage error={error} />
          <fieldset>
            <legend>Décision de la commission</legend>
            {Object.entries(JURY_DECISION_LABELS).map(([value, label]) => (
              <label key={value} className="check">
                <input type="radio" name="decision" value={value} checked={decision === value} onChange={() => setDecision(value)} />
                {label}
              </label>
            ))}
          </fieldset>
          <label htmlFor="decision-comment">Motivation</label>
          <textarea id="decision-comment" rows={3} value={comment} onChange={(e) => setComment(e.target.value)} />
          <button type="submit" className="primary">
            Enregistrer la décision
          </button>
        </form>
      )}
    </section>
  );
}

/** One validated trace in full, read-only: its text, its validation stamp and the tutor's comments. */
function TraceReading({ id }: { id: string }) {
  const [trace, setTrace] = useState<TraceView | null>(null);
  const [comments, setComments] = useState<CommentView[]>([]);
  const [error, setError] = useState<unknown>(null);
  useEffect(() => {
    api.get<TraceView>(`/traces/${id}`).then(setTrace, setError);
    api.get<CommentView[]>(`/traces/${id}/comments`).then(setComments, () => setComments([]));
  }, [id]);
  if (error) return <ErrorMessage error={error} />;
  if (!trace) return <p>Chargement de la trace…</p>;
  return (
    <article className="card" aria-label={`Trace : ${trace.title ?? ''}`}>
      <RichEditor content={trace.content as EditorJson} editable={false} label={`Texte de la trace « ${trace.title ?? ''} » (lecture seule)`} />
      {trace.importedFrom ? (
        <ImportedStamp from={trace.importedFrom} />
      ) : (
        <p className="meta">
          Validée le {dateFr(trace.validatedAt)} · empreinte SHA-256 du contenu validé : <code>{trace.validatedSha256}</code>
        </p>
      )}
      <h4>Commentaires du tuteur</h4>
      {comments.length === 0 ? (
        <p>Aucun commentaire.</p>
      ) : (
        <ul>
          {comments.map((c) => (
            <li key={c.id}>
              <strong>{c.author.displayName}</strong> ({dateFr(c.createdAt)}) : {c.body}
            </li>
          ))}
        </ul>
      )}
    </article>
  );
}

/** The portfolio's PDF of validated traces: asked for, built by the worker, then downloaded. */
function PortfolioPdf({ internId }: { internId: string }) {
  const [job, setJob] = useState<ExportView | null>(null);
  const [error, setError] = useState<unknown>(null);
  useEffect(() => {
    if (!job || job.status === 'completed' || job.status === 'failed') return;
    const timer = setTimeout(() => api.get<ExportView>(`/exports/${job.id}`).then(setJob, setError), 1000);
    return () => clearTimeout(timer);
  }, [job]);
  const ask = () => api.post<ExportView>(`/portfolios/${internId}/exports`, { format: 'pdf', scope: 'validated' }).then(setJob, setError);
  return (
    <p>
      <ErrorMessage error={error} />
      {job?.status === 'completed' && job.downloadUrl ? (
        <a className="button primary" href={job.downloadUrl}>
          Télécharger le PDF du portfolio
        </a>
      ) : (
        <button type="button" onClick={() => void ask()} disabled={Boolean(job && job.status !== 'failed')}>
          {job && job.status !== 'failed' ? 'PDF en préparation…' : 'Préparer le PDF du portfolio'}
        </button>
      )}
      {job?.status === 'failed' && <span role="alert"> {job.error}</span>}
    </p>
  );
}
