import { useEffect, useState } from 'react';
import { api, Page, TraceSummary } from '../api';
import { ErrorMessage } from '../components/ErrorMessage';
import { daysSince, KIND_LABELS } from '../labels';
import { Link } from '../router';
import { useSession } from '../session';

/** The tutor's inbox: traces waiting for review across tutees, oldest first, with the waiting time. */
export function ReviewInboxPage() {
  const { me } = useSession();
  const [page, setPage] = useState<Page<TraceSummary> | null>(null);
  const [error, setError] = useState<unknown>(null);
  useEffect(() => {
    api.get<Page<TraceSummary>>('/traces?status=submitted&sort=submitted&pageSize=200').then(setPage, setError);
  }, []);
  const name = (internId: string) => me?.tutees?.find((t) => t.id === internId)?.displayName ?? 'Ancien tutoré';
  return (
    <>
      <h1>Traces à relire</h1>
      <ErrorMessage error={error} />
      {page && page.items.length === 0 && <p>Aucune trace n’attend votre relecture.</p>}
      {page && page.items.length > 0 && (
        <table className="inbox">
          <caption className="visually-hidden">Traces soumises par vos tutorés, la plus ancienne en premier</caption>
          <thead>
            <tr>
              <th scope="col">Trace</th>
              <th scope="col">Interne</th>
              <th scope="col">Type</th>
              <th scope="col">En attente depuis</th>
            </tr>
          </thead>
          <tbody>
            {page.items.map((t) => {
              const days = daysSince(t.submittedAt);
              return (
                <tr key={t.id} className={days > 14 ? 'late' : ''}>
                  <td>
                    <Link to={`/relectures/${t.id}`}>{t.title}</Link>
                  </td>
                  <td>{name(t.internId)}</td>
                  <td>{KIND_LABELS[t.kind]}</td>
                  <td>{days === 0 ? 'aujourd’hui' : `${days} jour${days > 1 ? 's' : ''}`}</td>
                </tr>
              );
            })}
          </tbody>
        </table>
      )}
      {me?.tutees && me.tutees.length > 0 && (
        <section aria-labelledby="tutees-title">
          <h2 id="tutees-title">Mes tutorés</h2>
          <ul>
            {me.tutees.map((t) => (
              <li key={t.id}>
                <Link to={`/progression/${t.id}`}>{t.displayName}</Link> (promotion {t.promotion})
              </li>
            ))}
          </ul>
        </section>
      )}
    </>
  );
}
