import { useEffect, useState } from 'react';
import { api, Page, TraceSummary } from '../../api';
import { ErrorMessage } from '../../components/ErrorMessage';
import { dateFr, daysSince, KIND_LABELS } from '../../labels';
import { Link } from '../../router';
import { useSession } from '../../session';

/** Past this, a trace has waited too long: the department asks tutors to answer within two weeks. */
const LATE_DAYS = 14;

/** The tutor's inbox: traces waiting for review across tutees, oldest first, with the waiting time. */
export function ReviewInboxPage() {
  const { me } = useSession();
  const [page, setPage] = useState<Page<TraceSummary> | null>(null);
  const [error, setError] = useState<unknown>(null);
  useEffect(() => {
    api.get<Page<TraceSummary>>('/traces?status=submitted&sort=submitted&pageSize=200').then(setPage, setError);
  }, []);
  const name = (trace: TraceSummary) => me?.tutees?.find((t) => t.id === trace.internId)?.displayName ?? (trace.readAs === 'gept_lead' ? 'Membre de votre groupe GEPT' : 'Ancien tutoré');
  const late = page?.items.filter((t) => daysSince(t.submittedAt) > LATE_DAYS).length ?? 0;
  const waitingFor = (internId: string) => page?.items.filter((t) => t.internId === internId).length ?? 0;
  return (
    <>
      <h1>Traces à relire</h1>
      <ErrorMessage error={error} />
      {page && page.items.length === 0 && <p className="alert success">Aucune trace n’attend votre relecture.</p>}
      {page && page.items.length > 0 && (
        <section className="card" aria-labelledby="inbox-summary">
          <p id="inbox-summary" className="lead">
            {page.items.length} trace{page.items.length > 1 ? 's' : ''} à relire
            {late > 0 && `, dont ${late} depuis plus de ${LATE_DAYS} jours`}.
          </p>
          <table className="inbox">
            <caption className="visually-hidden">Traces soumises par vos tutorés et comptes rendus des GEPT que vous animez, la plus ancienne en premier</caption>
            <thead>
              <tr>
                <th scope="col">Trace</th>
                <th scope="col">Interne</th>
                <th scope="col">Type</th>
                <th scope="col">Soumise le</th>
                <th scope="col">En attente depuis</th>
              </tr>
            </thead>
            <tbody>
              {page.items.map((t) => {
                const days = daysSince(t.submittedAt);
                return (
                  <tr key={t.id} className={days > LATE_DAYS ? 'late' : ''}>
                    <td>
                      <Link to={`/relectures/${t.id}`}>{t.title}</Link>
                      {t.unreadComments ? (
                        <>
                          {' '}
                          <span className="badge unread">
                            {t.unreadComments} nouveau{t.unreadComments > 1 ? 'x' : ''} commentaire{t.unreadComments > 1 ? 's' : ''}
                          </span>
                        </>
                      ) : null}
                    </td>
                    <td>{name(t)}</td>
                    <td>{KIND_LABELS[t.kind]}</td>
                    <td>{dateFr(t.submittedAt)}</td>
                    <td>
                      {days === 0 ? 'aujourd’hui' : `${days} jour${days > 1 ? 's' : ''}`}
                      {days > LATE_DAYS && ' (en retard)'}
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </section>
      )}
      {me?.tutees && me.tutees.length > 0 && (
        <section aria-labelledby="tutees-title">
          <h2 id="tutees-title">Mes tutorés</h2>
          <ul className="tutees">
            {me.tutees.map((t) => {
              const waiting = waitingFor(t.id);
              return (
                <li key={t.id} className="card">
                  <Link to={`/progression/${t.id}`}>{t.displayName}</Link>
                  <p className="meta">
                    {t.promotion ? `Promotion ${t.promotion}` : 'Promotion non renseignée'} ·{' '}
                    {waiting ? `${waiting} trace${waiting > 1 ? 's' : ''} à relire` : 'rien à relire'}
                  </p>
                  <p className="meta">Progression, évaluation et exports du portfolio sur sa page.</p>
                </li>
              );
            })}
          </ul>
        </section>
      )}
    </>
  );
}
