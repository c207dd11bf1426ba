import { JURY_DECISION_LABELS, PHASE_TITLES } from '@carnet/domain';
import { FormEvent, useEffect, useState } from 'react';
import { api, request } from '../../api';
import { ErrorMessage, SuccessMessage } from '../../components/ErrorMessage';
import { UserMultiPicker, UserRow } from './UserPicker';
import './organisation.css';
import { dateTimeFr } from '../../labels';
import { FieldError, fieldErrors } from '../../components/FieldError';

type Status = 'upcoming' | 'open' | 'closed';
interface Session {
  id: string;
  title: string;
  phase: string;
  opensAt: string;
  closesAt: string;
  status: Status;
  members: { id: string; displayName: string }[];
  interns: { id: string; displayName: string; promotion: number | null; decision: { decision: string; createdAt: string } | null }[];
}

const STATUS: Record<Status, string> = { upcoming: 'À venir', open: 'Ouverte', closed: 'Close' };
const TABS: { status: Status; label: string }[] = [
  { status: 'open', label: 'Ouvertes' },
  { status: 'upcoming', label: 'À venir' },
  { status: 'closed', label: 'Closes' },
];

/** An ISO instant as a datetime-local input's value, in the browser's time. */
const localInput = (iso: string) => {
  const d = new Date(iso);
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}`;
};
const toRow = (u: { id: string; displayName: string; promotion?: number | null }): UserRow => ({ id: u.id, displayName: u.displayName, email: '', promotion: u.promotion ?? null });

/** Jury sessions: by state, composed and edited until they close, closed on demand, decisions per intern. */
export function JurySessionsSection() {
  const [sessions, setSessions] = useState<Session[] | null>(null);
  const [tab, setTab] = useState<Status>('open');
  const [error, setError] = useState<unknown>(null);
  const [message, setMessage] = useState<string | null>(null);
  const [editing, setEditing] = useState<Session | null>(null);
  const [closing, setClosing] = useState<Session | null>(null);
  const [shown, setShown] = useState<string | null>(null);

  const load = async () => {
    try {
      setSessions(await api.get<Session[]>('/jury-sessions'));
    } catch (e) {
      setError(e);
    }
  };
  useEffect(() => void load(), []);

  const close = async () => {
    if (!closing) return;
    setError(null);
    try {
      await api.post(`/jury-sessions/${closing.id}/close`);
      setMessage(`Session « ${closing.title} » close : ses membres n’ont plus accès aux portfolios.`);
      setClosing(null);
      setTab('closed');
      await load();
    } catch (e) {
      setError(e);
    }
  };

  const listed = (sessions ?? []).filter((s) => s.status === tab);
  const detail = sessions?.find((s) => s.id === shown);
  return (
    <>
      <SessionForm
        key={editing?.id ?? 'new'}
        session={editing}
        onCancel={() => setEditing(null)}
        onSaved={async (saved, created) => {
          setMessage(created ? `Session « ${saved.title} » créée : ${saved.members.length} membre(s), ${saved.interns.length} interne(s).` : `Session « ${saved.title} » modifiée.`);
          setEditing(null);
          setTab(saved.status);
          await load();
        }}
      />
      <SuccessMessage message={message} />
      <section className="card" aria-labelledby="jury-list-title">
        <h2 id="jury-list-title">Sessions de jury</h2>
        <div className="org-tabs" role="group" aria-label="Sessions affichées">
          {TABS.map((t) => (
            <button key={t.status} type="button" aria-pressed={tab === t.status} onClick={() => setTab(t.status)}>
              {t.label} ({(sessions ?? []).filter((s) => s.status === t.status).length})
            </button>
          ))}
        </div>
        <ErrorMessage error={error} />
        <table className="org-table">
          <caption>Sessions {TABS.find((t) => t.status === tab)!.label.toLowerCase()}</caption>
          <thead>
            <tr>
              <th scope="col">Intitulé</th>
              <th scope="col">Phase</th>
              <th scope="col">Ouverture</th>
              <th scope="col">Fermeture</th>
              <th scope="col">Membres</th>
              <th scope="col">Décisions</th>
              <th scope="col">Actions</th>
            </tr>
          </thead>
          <tbody>
            {listed.map((s) => (
              <tr key={s.id}>
                <td>
                  {s.title} <span className={`badge status ${s.status}`}>{STATUS[s.status]}</span>
                </td>
                <td>{PHASE_TITLES[s.phase] ?? s.phase}</td>
                <td>{dateTimeFr(s.opensAt)}</td>
                <td>{dateTimeFr(s.closesAt)}</td>
                <td>{s.members.map((m) => m.displayName).join(', ')}</td>
                <td>
                  {s.interns.filter((i) => i.decision).length} sur {s.interns.length}
                </td>
                <td>
                  <div className="org-actions">
                    <button type="button" aria-pressed={shown === s.id} onClick={() => setShown(shown === s.id ? null : s.id)} aria-label={`Internes et décisions : ${s.title}`}>
                      Internes
                    </button>
                    {s.status !== 'closed' && (
                      <>
                        <button type="button" onClick={() => (setEditing(s), setMessage(null), window.scrollTo(0, 0))} aria-label={`Modifier la session ${s.title}`}>
                          Modifier
                        </button>
                        <button type="button" onClick={() => setClosing(s)} aria-label={`Clore la session ${s.title}`}>
                          Clore
                        </button>
                      </>
                    )}
                  </div>
                </td>
              </tr>
            ))}
            {!listed.length && (
              <tr>
                <td colSpan={7}>Aucune session dans cet état.</td>
              </tr>
            )}
          </tbody>
        </table>
        {closing && (
          <div className="confirm" role="group" aria-labelledby="jury-close-title">
            <h3 id="jury-close-title">Clore la session « {closing.title} » maintenant ?</h3>
            <p>
              Ses membres perdent aussitôt l’accès aux portfolios de ses internes et ne peuvent plus enregistrer de décision ({closing.interns.filter((i) => !i.decision).length} interne(s)
              sans décision). La session ne pourra plus être modifiée.
            </p>
            <div className="org-actions">
              <button type="button" className="primary" onClick={() => void close()}>
                Confirmer la clôture
              </button>
              <button type="button" onClick={() => setClosing(null)}>
                Annuler
              </button>
            </div>
          </div>
        )}
      </section>
      {detail && (
        <section className="card" aria-labelledby="jury-detail-title">
          <h2 id="jury-detail-title">Internes de la session « {detail.title} »</h2>
          <table className="org-table">
            <caption>Décision enregistrée par interne</caption>
            <thead>
              <tr>
                <th scope="col">Interne</th>
                <th scope="col">Promotion</th>
                <th scope="col">Décision</th>
                <th scope="col">Enregistrée le</th>
              </tr>
            </thead>
            <tbody>
              {detail.interns.map((i) => (
                <tr key={i.id}>
                  <td>{i.displayName}</td>
                  <td>{i.promotion ?? '—'}</td>
                  <td>{i.decision ? JURY_DECISION_LABELS[i.decision.decision] ?? i.decision.decision : 'Pas encore de décision'}</td>
                  <td>{i.decision ? dateTimeFr(i.decision.createdAt) : '—'}</td>
                </tr>
              ))}
              {!detail.interns.length && (
                <tr>
                  <td colSpan={4}>Aucun interne sur cette session.</td>
                </tr>
              )}
            </tbody>
          </table>
        </section>
      )}
    </>
  );
}

function SessionForm({ session, onSaved, onCancel }: { session: Session | null; onSaved: (s: Session, created: boolean) => Promise<void>; onCancel: () => void }) {
  const [title, setTitle] = useState(session?.title ?? '');
  const [phase, setPhase] = useState(session?.phase ?? 'socle');
  const [opensAt, setOpensAt] = useState(session ? localInput(session.opensAt) : '');
  const [closesAt, setClosesAt] = useState(session ? localInput(session.closesAt) : '');
  const [members, setMembers] = useState<UserRow[]>(session?.members.map(toRow) ?? []);
  const [interns, setInterns] = useState<UserRow[]>(session?.interns.map(toRow) ?? []);
  const [error, setError] = useState<unknown>(null);
  const [round, setRound] = useState(0);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setError(null);
    // An edit sends the window only when it changed: the inputs hold minutes, the session seconds.
    const body = {
      title,
      ...(!session || opensAt !== localInput(session.opensAt) ? { opensAt: new Date(opensAt).toISOString() } : {}),
      ...(!session || closesAt !== localInput(session.closesAt) ? { closesAt: new Date(closesAt).toISOString() } : {}),
      memberIds: members.map((m) => m.id),
      internIds: interns.map((i) => i.id),
    };
    try {
      const saved = session ? (await request<Session>('PATCH', `/jury-sessions/${session.id}`, { body })).body : await api.post<Session>('/jury-sessions', { ...body, phase });
      if (!session) {
        setTitle('');
        setOpensAt('');
        setClosesAt('');
        setMembers([]);
        setInterns([]);
        setRound((r) => r + 1);
      }
      await onSaved(saved, !session);
    } catch (e) {
      setError(e);
    }
  };

  const errorsOf = (path: string) => fieldErrors(error, path);
  const describedBy = (id: string, path: string) => (errorsOf(path).length ? id : undefined);
  return (
    <form className="card" onSubmit={submit} aria-labelledby="jury-form-title">
      <h2 id="jury-form-title">{session ? `Modifier la session « ${session.title} »` : 'Créer une session de jury'}</h2>
      <div className="org-grid">
        <div>
          <label htmlFor="jury-name">Intitulé</label>
          <input id="jury-name" required maxLength={200} value={title} onChange={(e) => setTitle(e.target.value)} aria-describedby={describedBy('jury-name-error', 'title')} />
          <FieldError id="jury-name-error" messages={errorsOf('title')} />
        </div>
        <div>
          <label htmlFor="jury-phase">Phase</label>
          <select id="jury-phase" value={phase} disabled={!!session} onChange={(e) => setPhase(e.target.value)} aria-describedby={session ? 'jury-phase-hint' : undefined}>
            {Object.entries(PHASE_TITLES).map(([p, label]) => (
              <option key={p} value={p}>
                {label}
              </option>
            ))}
          </select>
          {session && (
            <p id="jury-phase-hint" className="meta">
              La phase d’une session ne change pas.
            </p>
          )}
        </div>
        <div>
          <label htmlFor="jury-opens">Ouverture</label>
          <input id="jury-opens" type="datetime-local" required value={opensAt} onChange={(e) => setOpensAt(e.target.value)} aria-describedby={describedBy('jury-opens-error', 'opensAt')} />
          <FieldError id="jury-opens-error" messages={errorsOf('opensAt')} />
        </div>
        <div>
          <label htmlFor="jury-closes">Fermeture</label>
          <input id="jury-closes" type="datetime-local" required value={closesAt} onChange={(e) => setClosesAt(e.target.value)} aria-describedby={describedBy('jury-closes-error', 'closesAt')} />
          <FieldError id="jury-closes-error" messages={errorsOf('closesAt')} />
        </div>
      </div>
      <div className="org-grid">
        <div>
          <UserMultiPicker key={`members-${round}`} id="jury-members" label="Ajouter un membre du jury" role="jury" listLabel="Membres" value={members} onChange={setMembers} />
          <FieldError id="jury-members-error" messages={errorsOf('memberIds')} />
        </div>
        <div>
          <UserMultiPicker key={`interns-${round}`} id="jury-interns" label="Ajouter un interne" role="intern" listLabel="Internes" value={interns} onChange={setInterns} />
          <FieldError id="jury-interns-error" messages={errorsOf('internIds')} />
        </div>
      </div>
      <div className="org-actions">
        <button type="submit" className="primary">
          {session ? 'Enregistrer les modifications' : 'Créer la session'}
        </button>
        {session && (
          <button type="button" onClick={onCancel}>
            Annuler
          </button>
        )}
      </div>
      <ErrorMessage error={error} />
    </form>
  );
}
