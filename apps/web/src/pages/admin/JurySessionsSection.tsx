import { FormEvent, useState } from 'react';
import { api, ApiError, Page, request } from '../../api';
import { ErrorMessage } from '../../components/ErrorMessage';
import { UserPicker, UserRow } from './UserPicker';

/** A jury session: its phase, window, members (jury role) and interns, chosen by search. */
export function JurySessionsSection() {
  const [title, setTitle] = useState('');
  const [phase, setPhase] = useState('socle');
  const [opensAt, setOpensAt] = useState('');
  const [closesAt, setClosesAt] = useState('');
  const [members, setMembers] = useState<UserRow[]>([]);
  const [interns, setInterns] = useState<UserRow[]>([]);
  const [error, setError] = useState<unknown>(null);
  const [message, setMessage] = useState<string | null>(null);
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setError(null);
    try {
      await api.post('/jury-sessions', {
        title,
        phase,
        opensAt: new Date(opensAt).toISOString(),
        closesAt: new Date(closesAt).toISOString(),
        memberIds: members.map((m) => m.id),
        internIds: interns.map((i) => i.id),
      });
      setMessage(`Session « ${title} » créée : ${members.length} membre(s), ${interns.length} interne(s).`);
    } catch (e) {
      setError(e);
    }
  };
  const add = (list: UserRow[], set: (rows: UserRow[]) => void) => (user: UserRow | null) => user && !list.some((u) => u.id === user.id) && set([...list, user]);
  return (
    <form className="card" onSubmit={submit} aria-labelledby="jury-title">
      <h2 id="jury-title">Créer une session de jury</h2>
      <label htmlFor="jury-name">Intitulé</label>
      <input id="jury-name" required value={title} onChange={(e) => setTitle(e.target.value)} />
      <div className="row">
        <div>
          <label htmlFor="jury-phase">Phase</label>
          <select id="jury-phase" value={phase} onChange={(e) => setPhase(e.target.value)}>
            <option value="socle">Socle</option>
            <option value="approfondissement">Approfondissement</option>
            <option value="consolidation">Consolidation</option>
          </select>
        </div>
        <div>
          <label htmlFor="jury-opens">Ouverture</label>
          <input id="jury-opens" type="datetime-local" required value={opensAt} onChange={(e) => setOpensAt(e.target.value)} />
        </div>
        <div>
          <label htmlFor="jury-closes">Fermeture</label>
          <input id="jury-closes" type="datetime-local" required value={closesAt} onChange={(e) => setClosesAt(e.target.value)} />
        </div>
      </div>
      <div className="row">
        <UserPicker id="jury-member" label="Ajouter un membre" role="jury" onPick={add(members, setMembers)} />
        <UserPicker id="jury-intern" label="Ajouter un interne" role="intern" onPick={add(interns, setInterns)} />
      </div>
      <p>Membres : {members.map((m) => m.displayName).join(', ') || 'aucun'}</p>
      <p>Internes : {interns.map((i) => i.displayName).join(', ') || 'aucun'}</p>
      <button type="submit" className="primary">
        Créer la session
      </button>
      <ErrorMessage error={error} />
      {message && <p role="status">{message}</p>}
    </form>
  );
}
