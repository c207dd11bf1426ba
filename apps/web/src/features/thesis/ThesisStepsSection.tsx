import { FormEvent, useEffect, useState } from 'react';
import { api } from '../../api';
import { ErrorMessage, SuccessMessage } from '../../components/ErrorMessage';
import '../admin/organisation.css';

/** The faculty's thesis steps, one per line: copied onto each thesis declared afterwards. */
export function ThesisStepsSection() {
  const [text, setText] = useState<string | null>(null);
  const [custom, setCustom] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [message, setMessage] = useState<string | null>(null);
  useEffect(() => {
    api.get<{ steps: string[]; custom: boolean }>('/admin/thesis-steps').then((t) => (setText(t.steps.join('\n')), setCustom(t.custom)), setError);
  }, []);
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setError(null);
    setMessage(null);
    try {
      const saved = await api.put<{ steps: string[]; custom: boolean }>('/admin/thesis-steps', { steps: (text ?? '').split('\n').map((s) => s.trim()).filter(Boolean) });
      setText(saved.steps.join('\n'));
      setCustom(saved.custom);
      setMessage(`${saved.steps.length} étapes enregistrées pour les thèses déclarées désormais.`);
    } catch (e) {
      setError(e);
    }
  };
  return (
    <form className="card" onSubmit={submit} aria-labelledby="thesis-steps-admin-title">
      <h2 id="thesis-steps-admin-title">Étapes de la thèse</h2>
      <p className="meta">{custom ? 'Les étapes de la faculté.' : 'Les étapes par défaut, tant que la faculté n’a pas défini les siennes.'} Une thèse déjà déclarée garde les siennes.</p>
      {text !== null && (
        <>
          <label htmlFor="thesis-steps-text">Étapes, une par ligne, dans l’ordre</label>
          <textarea id="thesis-steps-text" rows={6} value={text} onChange={(e) => setText(e.target.value)} />
        </>
      )}
      <div className="org-actions">
        <button type="submit" className="primary">
          Enregistrer les étapes
        </button>
      </div>
      <ErrorMessage error={error} />
      <SuccessMessage message={message} />
    </form>
  );
}
