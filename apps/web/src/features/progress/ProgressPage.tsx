import { PHASE_TITLES } from '@carnet/domain';
import type { ProgressView } from '@carnet/contracts';
import { useCallback, useEffect, useRef, useState } from 'react';
import { api, ExportStatus } from '../../api';
import { AssessmentForm } from '../../components/AssessmentForm';
import { ErrorMessage } from '../../components/ErrorMessage';
import { TutorMeetings } from '../../components/TutorMeetings';
import { StageEvaluationsPanel } from '../evaluations/StageEvaluationsPanel';
import { ThesisPanel } from '../thesis/ThesisPanel';
import { TeachingProgressPanel } from '../teaching/TeachingProgressPanel';
import { dateFr, dateTimeFr, sizeFr, SHORT_COMPETENCES } from '../../labels';
import { useSession } from '../../session';


interface Maquette {
  stages: { id: string; label: string; semester: number; startsOn: string; endsOn: string; place: string; phases: { phase: number; label: string; note: string; recordedAt: string }[] }[];
  missing: string[];
}

const PETAL_COLORS = ['#b03a2e', '#1f618d', '#7d3c98', '#117864', '#9a7d0a', '#5d6d7e'];

/**
 * The CNGE "marguerite": one petal per competence, its length the validated traces. Drawn large,
 * labels at reading size; the table under it gives the same figures to screen readers and print.
 */
function Marguerite({ competences }: { competences: ProgressView['competences'] }) {
  const max = Math.max(5, ...competences.map((c) => c.validated));
  const centre = 300;
  return (
    <svg viewBox="-150 40 900 530" className="marguerite" role="img" aria-labelledby="marguerite-title marguerite-desc">
      <title id="marguerite-title">Marguerite des compétences</title>
      <desc id="marguerite-desc">
        {competences.map((c) => `${SHORT_COMPETENCES[c.code]} : ${c.validated} trace(s) validée(s)`).join(' ; ')}. Le tableau qui suit donne les mêmes chiffres.
      </desc>
      {[0.5, 1].map((r) => (
        <circle key={r} cx={centre} cy={centre} r={36 + r * 160} fill="none" stroke="#c9ced6" strokeDasharray="4 6" />
      ))}
      {competences.map((c, i) => {
        const angle = (i / competences.length) * 2 * Math.PI - Math.PI / 2;
        const length = 40 + (c.validated / max) * 140;
        const x = centre + Math.cos(angle) * (length / 2 + 30);
        const y = centre + Math.sin(angle) * (length / 2 + 30);
        const lx = centre + Math.cos(angle) * 226;
        const ly = centre + Math.sin(angle) * 226;
        const cos = Math.cos(angle);
        const anchor = Math.abs(cos) < 0.2 ? 'middle' : cos > 0 ? 'start' : 'end';
        return (
          <g key={c.code}>
            <ellipse
              cx={x}
              cy={y}
              rx={length / 2}
              ry={34}
              transform={`rotate(${(angle * 180) / Math.PI} ${x} ${y})`}
              fill={PETAL_COLORS[i]}
              fillOpacity={c.validated ? 0.9 : 0.18}
              stroke={PETAL_COLORS[i]}
              strokeWidth={2}
            />
            <text x={lx} y={ly - 4} textAnchor={anchor} fontSize="21" fontWeight="700" fill="#1a1a1a">
              {SHORT_COMPETENCES[c.code]}
            </text>
            <text x={lx} y={ly + 20} textAnchor={anchor} fontSize="18" fill="#3a3a3a">
              {c.validated} validée{c.validated > 1 ? 's' : ''}
            </text>
          </g>
        );
      })}
      <circle cx={centre} cy={centre} r={30} fill="#f4d03f" stroke="#9a7d0a" strokeWidth={2} />
    </svg>
  );
}

/** Finished exports: date, format, size and the download, newest first (kept EXPORT_RETENTION_DAYS by the server). */
function ExportList({ exports }: { exports: ExportStatus[] | null }) {
  if (!exports) return null;
  if (!exports.length) return <p className="meta">Aucun export terminé pour l’instant.</p>;
  return (
    <table className="exports">
      <caption>Exports terminés</caption>
      <thead>
        <tr>
          <th scope="col">Date</th>
          <th scope="col">Format</th>
          <th scope="col">Taille</th>
          <th scope="col">Fichier</th>
        </tr>
      </thead>
      <tbody>
        {exports.map((e) => {
          const when = dateTimeFr(e.completedAt ?? e.createdAt);
          return (
            <tr key={e.id}>
              <td>{when}</td>
              <td>
                {e.format.toUpperCase()}
                {e.pages ? `, ${e.pages} p.` : ''}
              </td>
              <td>{sizeFr(e.size)}</td>
              <td>
                {e.downloadUrl && (
                  <a href={e.downloadUrl} download aria-label={`Télécharger le ${e.format.toUpperCase()} du ${when} (${sizeFr(e.size)})`}>
                    Télécharger
                  </a>
                )}
              </td>
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}

export function ProgressPage({ internId }: { internId: string }) {
  const { me } = useSession();
  const [progress, setProgress] = useState<ProgressView | null>(null);
  const [maquette, setMaquette] = useState<Maquette | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [exportJob, setExportJob] = useState<ExportStatus | null>(null);
  const [exportsDone, setExportsDone] = useState<ExportStatus[] | null>(null);
  const [exportNotice, setExportNotice] = useState<string | null>(null);
  const poll = useRef<number | undefined>(undefined);

  // The requester's exports survive a reload; one still being built is followed again.
  const loadExports = useCallback(async () => {
    const list = await api.get<ExportStatus[]>(`/portfolios/${internId}/exports`).catch(() => null);
    if (!list) return;
    setExportsDone(list.filter((e) => e.status === 'completed'));
    return list;
  }, [internId]);

  const follow = useCallback(
    (id: string) => {
      window.clearInterval(poll.current);
      poll.current = window.setInterval(async () => {
        const status = await api.get<ExportStatus>(`/exports/${id}`).catch(() => null);
        if (!status) return;
        if (status.status === 'queued' || status.status === 'running') return setExportJob(status);
        window.clearInterval(poll.current);
        setExportJob(status.status === 'failed' ? status : null);
        if (status.status === 'completed') {
          setExportNotice(`Export ${status.format.toUpperCase()} prêt${status.pages ? ` (${status.pages} pages)` : ''} : il est en tête de la liste.`);
          await loadExports();
        }
      }, 700);
    },
    [loadExports],
  );
  useEffect(() => {
    api.get<ProgressView>(`/portfolios/${internId}/progress`).then(setProgress, setError);
    api.get<Maquette>(`/portfolios/${internId}/maquette`).then(setMaquette, () => undefined);
    void loadExports().then((list) => {
      const pending = list?.find((e) => e.status === 'queued' || e.status === 'running');
      if (pending) {
        setExportJob(pending);
        follow(pending.id);
      }
    });
    return () => window.clearInterval(poll.current);
  }, [internId, loadExports, follow]);

  const requestExport = async (format: 'pdf' | 'zip') => {
    setExportNotice(null);
    try {
      const job = await api.post<ExportStatus>(`/portfolios/${internId}/exports`, { format, scope: 'validated' });
      setExportJob(job);
      follow(job.id);
    } catch (e) {
      setError(e);
    }
  };

  const own = internId === me?.id;
  const tuteeName = me?.tutees?.find((t) => t.id === internId)?.displayName;
  const tutoring = Boolean(tuteeName);
  const reload = () => void api.get<ProgressView>(`/portfolios/${internId}/progress`).then(setProgress, setError);
  if (!progress) return error ? <ErrorMessage error={error} /> : <p role="status">Chargement…</p>;
  const maxFamille = Math.max(1, ...progress.familles.map((f) => f.validated));
  return (
    <>
      <h1>{own ? 'Ma progression' : tuteeName ? `Progression de ${tuteeName}` : 'Progression'}</h1>
      <p className="lead">
        {PHASE_TITLES[progress.phase]} · {progress.validatedTotal} trace(s) validée(s)
      </p>
      <ErrorMessage error={error} />
      <p className={`alert ${progress.requirements.every((r) => r.met) ? 'success' : 'info'}`} role="status">
        {progress.summary}
      </p>
      <div className="progress-grid">
        <section aria-labelledby="competences-title" className="card competences-card">
          <h2 id="competences-title">Compétences</h2>
          <div className="competences-layout">
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
          </div>
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
              <label htmlFor="export-progress">{exportJob.status === 'failed' ? 'Export échoué' : `Export ${exportJob.format.toUpperCase()} en cours`}</label>{' '}
              <progress id="export-progress" max={100} value={exportJob.progress}>
                {exportJob.progress} %
              </progress>
              {exportJob.error && <p role="alert">{exportJob.error}</p>}
            </div>
          )}
          <p role="status" className="export-notice">
            {exportNotice}
          </p>
          <ExportList exports={exportsDone} />
        </section>
      </div>
      {tutoring && me && <AssessmentForm internId={internId} phase={progress.phase} tutorId={me.id} onSaved={reload} />}
      <TutorMeetings internId={internId} canRecord={own || tutoring} />
      <ThesisPanel internId={internId} />
      <StageEvaluationsPanel internId={internId} />
      <TeachingProgressPanel internId={internId} progress={progress} />
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
