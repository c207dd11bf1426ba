import type { StageEvaluationView, SupervisorEvaluationTask } from '@carnet/contracts';
import { EVALUATION_FORM } from '@carnet/domain';
import { useCallback, useEffect, useState } from 'react';
import { api } from '../../api';
import { ErrorMessage } from '../../components/ErrorMessage';
import { dateFr } from '../../labels';
import { EvaluationDraft, evaluationBody, EvaluationForm } from './EvaluationForm';
import { EvaluationSummary } from './StageEvaluationsPanel';
import './evaluations.css';

/** An MSU's end-of-stage evaluations: the stages they supervised, the form for those open and not yet evaluated. */
export function SupervisorEvaluationsPage() {
  const [tasks, setTasks] = useState<SupervisorEvaluationTask[] | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [open, setOpen] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [notice, setNotice] = useState<string | null>(null);
  const load = useCallback(() => api.get<{ items: SupervisorEvaluationTask[] }>('/stage-evaluations/to-fill').then((r) => setTasks(r.items), setError), []);
  useEffect(() => void load(), [load]);

  const submit = async (stageId: string, draft: EvaluationDraft) => {
    setError(null);
    setBusy(true);
    try {
      await api.post<StageEvaluationView>(`/stages/${stageId}/evaluations`, evaluationBody(draft));
      setOpen(null);
      setNotice('Évaluation transmise : l’interne, son tuteur et le jury la verront avec le portfolio.');
      await load();
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };

  return (
    <div className="evaluation-page">
      <h1>Évaluations de fin de stage</h1>
      <p role="status">{notice}</p>
      {!open && <ErrorMessage error={error} />}
      {tasks?.length === 0 && <p>Vous n’encadrez aucun stage.</p>}
      {tasks?.map((task) => (
        <section className="card" key={task.stage.id} aria-labelledby={`task-${task.stage.id}`}>
          <h2 id={`task-${task.stage.id}`}>
            {task.intern.displayName} – stage {task.stage.label}
          </h2>
          <p className="meta">
            {task.stage.place ? `${task.stage.place}, ` : ''}du {dateFr(task.stage.startsOn)} au {dateFr(task.stage.endsOn)}
          </p>
          {task.evaluation ? (
            <EvaluationSummary evaluation={task.evaluation} />
          ) : !task.open ? (
            <p>L’évaluation s’ouvre le {dateFr(task.stage.evaluationOpensOn)}.</p>
          ) : open === task.stage.id ? (
            <>
              <ErrorMessage error={error} />
              <EvaluationForm form={EVALUATION_FORM} prefix={`evaluation-${task.stage.id}`} error={error} busy={busy} onSubmit={(draft) => void submit(task.stage.id, draft)} />
            </>
          ) : (
            <button type="button" className="primary" onClick={() => setOpen(task.stage.id)}>
              Évaluer {task.intern.displayName}
            </button>
          )}
        </section>
      ))}
    </div>
  );
}
