import type { GeptGroupSummary } from '@carnet/contracts';
import { FormEvent, useCallback, useEffect, useState } from 'react';
import { api, Page } from '../../api';
import { ErrorMessage, SuccessMessage } from '../../components/ErrorMessage';
import { FieldError, fieldErrors } from '../../components/FieldError';
import { UserMultiPicker, UserPicker, UserRow } from '../admin/UserPicker';
import { Link } from '../../router';
import '../admin/organisation.css';

/** The academic year a date falls in: the DES starts in November. */
const academicYear = (now = new Date()) => (now.getMonth() >= 10 ? now.getFullYear() : now.getFullYear() - 1);

/** The admin's GEPT groups: each formed of an MSU lead and its interns for a year. */
export function GeptAdminSection() {
  const [groups, setGroups] = useState<GeptGroupSummary[] | null>(null);
  const [title, setTitle] = useState('');
  const [year, setYear] = useState(String(academicYear()));
  const [lead, setLead] = useState<UserRow | null>(null);
  const [interns, setInterns] = useState<UserRow[]>([]);
  const [error, setError] = useState<unknown>(null);
  const [message, setMessage] = useState<string | null>(null);
  const load = useCallback(() => api.get<Page<GeptGroupSummary>>('/gept-groups?pageSize=200').then((p) => setGroups(p.items), setError), []);
  useEffect(() => void load(), [load]);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setError(null);
    setMessage(null);
    try {
      await api.post('/gept-groups', { title, year: Number(year), leadId: lead?.id, internIds: interns.map((i) => i.id) });
      setMessage(`Groupe « ${title} » créé.`);
      setTitle('');
      setInterns([]);
      await load();
    } catch (e) {
      setError(e);
    }
  };

  return (
    <>
      <form className="card" onSubmit={submit} aria-labelledby="gept-admin-title">
        <h2 id="gept-admin-title">Former un groupe GEPT</h2>
        <p className="meta">Un MSU anime de six à dix internes pour une année ; un interne est dans un seul groupe par année.</p>
        <div className="org-grid">
          <div>
            <label htmlFor="gept-title">Intitulé</label>
            <input id="gept-title" required maxLength={200} value={title} onChange={(e) => setTitle(e.target.value)} />
          </div>
          <div>
            <label htmlFor="gept-year">Année (de novembre à octobre)</label>
            <input id="gept-year" type="number" required min={2000} max={2100} value={year} onChange={(e) => setYear(e.target.value)} />
          </div>
          <UserPicker id="gept-lead" label="Animateur (MSU)" role="tutor" onPick={setLead} required />
        </div>
        <UserMultiPicker id="gept-interns" label="Internes du groupe" listLabel="Internes choisis" role="intern" value={interns} onChange={setInterns} required />
        <FieldError id="gept-interns-error" messages={fieldErrors(error, 'internIds')} />
        <div className="org-actions">
          <button type="submit" className="primary">
            Créer le groupe
          </button>
        </div>
        <ErrorMessage error={error} />
        <SuccessMessage message={message} />
      </form>
      <section className="card" aria-labelledby="gept-admin-list-title">
        <h2 id="gept-admin-list-title">Groupes GEPT</h2>
        {groups?.length === 0 && <p>Aucun groupe pour l’instant.</p>}
        {groups && groups.length > 0 && (
          <table className="org-table">
            <caption className="visually-hidden">Groupes GEPT de la faculté</caption>
            <thead>
              <tr>
                <th scope="col">Groupe</th>
                <th scope="col">Année</th>
                <th scope="col">Animateur</th>
                <th scope="col">Internes</th>
                <th scope="col">Séances</th>
              </tr>
            </thead>
            <tbody>
              {groups.map((g) => (
                <tr key={g.id}>
                  <th scope="row">
                    <Link to={`/gept/${g.id}`}>{g.title}</Link>
                  </th>
                  <td>
                    {g.year}-{g.year + 1}
                  </td>
                  <td>{g.lead.displayName}</td>
                  <td>{g.members}</td>
                  <td>{g.meetings}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>
    </>
  );
}
