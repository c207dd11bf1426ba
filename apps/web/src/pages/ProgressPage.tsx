import type { ProgressView } from '@carnet/contracts';
import { useCallback, useEffect, useRef, useState } from 'react';
import { api, ExportStatus } from '../api';
import { AssessmentForm } from '../components/AssessmentForm';
import { ErrorMessage } from '../components/ErrorMessage';
import { dateFr, SHORT_COMPETENCES } from '../labels';
import { useSession } from '../session';


interface Maquette {
  stages: { id: string; label: string; semester: number; startsOn: string; endsOn: string; place: string; phases: { phase: number; label: string; note: string; recordedAt: string }[] }[];
  missing: string[];
}

const PHASE_NAMES: Record<string, string> = { socle: 'Phase socle', approfondissement: 'Phase d’approfondissement', consolidation: 'Phase de consolidation' };
const PETAL_COLORS = ['#b03a2e', '#1f618d', '#7d3c98', '#117864', '#9a7d0a', '#5d6d7e'];

/** The CNGE "marguerite": one petal per competence, its length the validated traces. */
function Marguerite({ competences }: { competences: ProgressView['competences'] }) {
  const max = Math.max(5, ...competences.map((c) => c.validated));
  const size = 320;
  const centre = size / 2;
  return (
    <svg viewBox={`-80 -10 ${size + 160} ${size + 20}`} className="marguerite" role="img" aria-labelledby="marguerite-title marguerite-desc">
      <title id="marguerite-title">Marguerite des compétences</title>
      <desc id="marguerite-desc">{competences.map((c) => `${SHORT_COMPETENCES[c.code]} : ${c.validated} trace(s) validée(s)`).join(' ; ')}</desc>
      {competences.map((c, i) => {
        const angle = (i / competences.length) * 2 * Math.PI - Math.PI / 2;
        const length = 30 + (c.validated / max) * 95;
        const x = centre + Math.cos(angle) * (length / 2 + 18);
        const y = centre + Math.sin(angle) * (length / 2 + 18);
        const lx = centre + Math.cos(angle) * 145;
        const ly = centre + Math.sin(angle) * 145;
        return (
          <g key={c.code}>
            <ellipse cx={x} cy={y} rx={length / 2} ry={22} transform={`rotate(${(angle * 180) / Math.PI} ${x} ${y})`} fill={PETAL_COLORS[i]} opacity={c.validated ? 0.85 : 0.2} />
            <text x={lx} y={ly} textAnchor="middle" fontSize="11" fill="#1a1a1a">
              {SHORT_COMPETENCES[c.code]} ({c.validated})
            </text>
          </g>
        );
      })}
      <circle cx={centre} cy={centre} r={20} fill="#f4d03f" />
    </svg>
  );
}

export function ProgressPage({ internId }: { internId: string }) {
  const { me } = useSession();
  const [progress, setProgress] = useState<ProgressView | null>(null);
  const [maquette, setMaquette] = useState<Maquette | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [exportJob, setExportJob] = useState<ExportStatus | null>(null);
  const poll = useRef<number | undefined>(undefined);

  useEffect(() => {
    api.get<ProgressView>(`/portfolios/${internId}/progress`).then(setProgress, setError);
    api.get<Maquette>(`/portfolios/${internId}/maquette`).then(setMaquette, () => undefined);
    return () => window.clearInterval(poll.current);
  }, [internId]);

  const follow = useCallback((id: string) => {
    window.clearInterval(poll.current);
    poll.current = window.setInterval(async () => {
      const status = await api.get<ExportStatus>(`/exports/${id}`).catch(() => null);
      if (!status) return;
      setExportJob(status);
      if (status.status === 'completed' || status.status === 'failed') window.clearInterval(poll.current);
    }, 700);
  }, []);
  const requestExport = async (format: 'pdf' | 'zip') => {
    try {
      const job = await api.post<ExportStatus>(`/portfolios/${internId}/exports`, { format, scope: 'validated' });
      setExportJob(job);
      follow(job.id);
    } catch (e) {
      setError(e);
    }
  };

  const own = internId === me?.id;
  const tutoring = Boolean(me?.tutees?.some((t) => t.id === internId));
  const reload = () => void api.get<ProgressView>(`/portfolios/${internId}/progress`).then(setProgress, setError);
  if (!progress) return error ? <ErrorMessage error={error} /> : <p role="status">Chargement…</p>;
  const maxFamille = Math.max(1, ...progress.familles.map((f) => f.validated));
  return (
    <>
      <h1>{own ? 'Ma progression' : 'Progression'}</h1>
      <p className="lead">
        {PHASE_NAMES[progress.phase]} · {progress.validatedTotal} trace(s) validée(s)
      </p>
      <ErrorMessage error={error} />
      <p className={`alert ${progress.requirements.every((r) => r.met) ? 'success' : 'info'}`} role="status">
        {progress.summary}
      </p>
      <div className="progress-grid">
        <section aria-labelledby="competences-title" className="card">
          <h2 id="competences-title">Compétences</h2>
          <Marguerite competences={progress.competences} />
          <table>
            <caption className="visually-hidden">Traces validées et dernier niveau évalué, par compétence</caption>
            <thead>
              <tr>
                <th scope="col">Compétence</th>
                <th scope="col">Traces</th>
                <th scope="col">Niveau</th>
              </tr>
            </thead>
            <tbody>
              {progress.competences.map((c) => (
                <tr key={c.code}>
                  <th scope="row">{SHORT_COMPETENCES[c.code]}</th>
                  <td>{c.validated}</td>
                  <td>{c.lastLevel ?? '—'}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </section>
        <section aria-labelledby="familles-title" className="card">
          <h2 id="familles-title">Familles de situations</h2>
          <ul className="bars">
            {progress.familles.map((f) => (
              <li key={f.code}>
                <span className="bar-label">{f.label}</span>
                <span className="bar" aria-hidden="true">
                  <span style={{ width: `${(f.validated / maxFamille) * 100}%` }} className={f.validated ? 'filled' : ''} />
                </span>
                <span className="bar-value">{f.validated}</span>
              </li>
            ))}
          </ul>
        </section>
        <section aria-labelledby="requirements-title" className="card">
          <h2 id="requirements-title">Exigences de la phase</h2>
          <ul className="requirements">
            {progress.requirements.map((r) => (
              <li key={r.key} className={r.met ? 'met' : 'unmet'}>
                <span aria-hidden="true">{r.met ? '✔' : '○'}</span> {r.label} : {r.actual} / {r.target}
                <span className="visually-hidden">{r.met ? ' (rempli)' : ' (non rempli)'}</span>
              </li>
            ))}
          </ul>
        </section>
        <section aria-labelledby="export-title" className="card">
          <h2 id="export-title">Exporter le portfolio</h2>
          <p>Les traces validées, avec leurs tampons de validation, pour la commission.</p>
          <button type="button" className="primary" onClick={() => void requestExport('pdf')}>
            Exporter en PDF
          </button>{' '}
          <button type="button" onClick={() => void requestExport('zip')}>
            Exporter en ZIP
          </button>
          {exportJob && (
            <div className="export-status">
              <label htmlFor="export-progress">
                {exportJob.status === 'completed' ? 'Export prêt' : exportJob.status === 'failed' ? 'Export échoué' : 'Export en cours'}
              </label>{' '}
              <progress id="export-progress" max={100} value={exportJob.progress}>
                {exportJob.progress} %
              </progress>
              {exportJob.status === 'completed' && exportJob.downloadUrl && (
                <p>
                  <a href={exportJob.downloadUrl} download>
                    Télécharger ({exportJob.pages ?? '?'} pages)
                  </a>
                </p>
              )}
              {exportJob.error && <p role="alert">{exportJob.error}</p>}
            </div>
          )}
        </section>
      </div>
      {tutoring && me && <AssessmentForm internId={internId} phase={progress.phase} tutorId={me.id} onSaved={reload} />}
      {maquette && (
        <section aria-labelledby="stages-title">
          <h2 id="stages-title">Stages et phases de supervision</h2>
          {maquette.missing.length > 0 && <p>Reste à faire dans la maquette : {maquette.missing.join(', ')}.</p>}
          <ol className="timeline">
            {maquette.stages.map((s) => (
              <li key={s.id}>
                <strong>
                  S{s.semester} · {s.label}
                </strong>{' '}
                {s.place && `— ${s.place}`} ({dateFr(s.startsOn)} → {dateFr(s.endsOn)})
                {s.phases.length > 0 && (
                  <ol>
                    {s.phases.map((p, i) => (
                      <li key={i}>
                        {dateFr(p.recordedAt)} : phase {p.phase}, {p.label}
                        {p.note && ` — ${p.note}`}
                      </li>
                    ))}
                  </ol>
                )}
              </li>
            ))}
          </ol>
        </section>
      )}
    </>
  );
}
