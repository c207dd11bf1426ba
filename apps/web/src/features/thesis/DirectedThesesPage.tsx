import { useEffect, useState } from 'react';
import { api } from '../../api';
import { ErrorMessage } from '../../components/ErrorMessage';
import { Link } from '../../router';
import { ThesisPanel } from './ThesisPanel';

interface Directed {
  internId: string;
  internName: string;
  subject: string;
  stalledSteps: number;
}

/** The theses an MSU directs, or one of them (`internId`) with its comment form. */
export function DirectedThesesPage({ internId }: { internId?: string }) {
  const [items, setItems] = useState<Directed[] | null>(null);
  const [error, setError] = useState<unknown>(null);
  useEffect(() => {
    if (!internId) api.get<{ items: Directed[] }>('/theses/directed').then((r) => setItems(r.items), setError);
  }, [internId]);
  if (internId) {
    return (
      <>
        <h1>Thèse dirigée</h1>
        <p>
          <Link to="/theses-dirigees">Toutes mes thèses dirigées</Link>
        </p>
        <ThesisPanel internId={internId} />
      </>
    );
  }
  return (
    <>
      <h1>Thèses dirigées</h1>
      <ErrorMessage error={error} />
      {items?.length === 0 && <p>Vous ne dirigez aucune thèse sur Carnet.</p>}
      {items && items.length > 0 && (
        <ul className="card">
          {items.map((t) => (
            <li key={t.internId}>
              <Link to={`/theses-dirigees/${t.internId}`}>{t.internName}</Link> — {t.subject}
              {t.stalledSteps > 0 && <strong> ({t.stalledSteps} étape{t.stalledSteps > 1 ? 's' : ''} en retard)</strong>}
            </li>
          ))}
        </ul>
      )}
    </>
  );
}
