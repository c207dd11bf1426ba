import type { GeptGroupSummary, GeptGroupView, GeptLinkedTraceView, GeptMeetingView } from '@carnet/contracts';
import { FormEvent, useCallback, useEffect, useState } from 'react';
import { api, Page, request, TraceSummary } from '../../api';
import { ErrorMessage } from '../../components/ErrorMessage';
import { FieldError, fieldErrors } from '../../components/FieldError';
import { dateFr, STATUS_LABELS } from '../../labels';
import { Link } from '../../router';
import { useSession } from '../../session';
import './gept.css';

const todayInParis = () => new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Paris' }).format(new Date());

/** A trace's text, paragraph by paragraph, for reading (the lead does not edit nor comment). */
function docParagraphs(doc: unknown): string[] {
  const out: string[] = [];
  const walk = (node: { type?: string; text?: string; content?: unknown[] }, into: string[]): void => {
    if (node.text) into.push(node.text);
    for (const child of (node.content ?? []) as (typeof node)[]) walk(child, into);
  };
  for (const block of ((doc as { content?: unknown[] })?.content ?? []) as { type?: string; content?: unknown[] }[]) {
    const parts: string[] = [];
    walk(block, parts);
    if (parts.length) out.push(parts.join(''));
  }
  return out;
}

/** The groups the user leads or belongs to. */
export function GeptGroupsPage() {
  const [groups, setGroups] = useState<GeptGroupSummary[] | null>(null);
  const [error, setError] = useState<unknown>(null);
  useEffect(() => void api.get<Page<GeptGroupSummary>>('/gept-groups?pageSize=200').then((p) => setGroups(p.items), setError), []);
  return (
    <>
      <h1>Groupes GEPT</h1>
      <ErrorMessage error={error} />
      {groups?.length === 0 && <p>Vous n’êtes dans aucun groupe GEPT.</p>}
      {groups && groups.length > 0 && (
        <ul className="card">
          {groups.map((g) => (
            <li key={g.id}>
              <Link to={`/gept/${g.id}`}>{g.title}</Link> — {g.year}-{g.year + 1}, animé par {g.lead.displayName} · {g.members} internes · {g.meetings} séance{g.meetings > 1 ? 's' : ''}
            </li>
          ))}
        </ul>
      )}
    </>
  );
}

/** One group: its meetings and cases; for the lead, attendance to tick and the linked write-ups to read. */
export function GeptGroupPage({ groupId }: { groupId: string }) {
  const { me } = useSession();
  const [group, setGroup] = useState<GeptGroupView | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [myTraces, setMyTraces] = useState<TraceSummary[]>([]);
  const load = useCallback(() => api.get<GeptGroupView>(`/gept-groups/${groupId}`).then(setGroup, setError), [groupId]);
  useEffect(() => void load(), [load]);
  const member = Boolean(group && me && group.members.some((m) => m.id === me.id));
  useEffect(() => {
    if (member && me) api.get<Page<TraceSummary>>(`/traces?internId=${me.id}&kind=gept&pageSize=200`).then((p) => setMyTraces(p.items), () => setMyTraces([]));
  }, [member, me]);

  const act = async (run: () => Promise<unknown>, done: string) => {
    setError(null);
    setNotice(null);
    try {
      await run();
      await load();
      setNotice(done);
      return true;
    } catch (e) {
      setError(e);
      return false;
    }
  };

  if (!group) return error ? <ErrorMessage error={error} /> : <p role="status">Chargement…</p>;
  const name = new Map(group.members.map((m) => [m.id, m.displayName]));
  return (
    <>
      <h1>{group.title}</h1>
      <p className="lead">
        {group.year}-{group.year + 1} · animé par {group.lead.displayName} · {group.members.length} internes
      </p>
      <ErrorMessage error={error} />
      <p role="status">{notice}</p>
      {group.canManage && <NewMeeting groupId={groupId} error={error} act={act} />}
      <section className="card" aria-labelledby="gept-meetings-title">
        <h2 id="gept-meetings-title">Séances</h2>
        {group.meetings.length === 0 && <p>Aucune séance pour l’instant.</p>}
        {group.meetings.map((m) => (
          <Meeting key={m.id} meeting={m} group={group} name={name} act={act} myTraces={member ? myTraces : null} />
        ))}
      </section>
      <section className="card" aria-labelledby="gept-attendance-title">
        <h2 id="gept-attendance-title">{group.canManage || !member ? 'Présences' : 'Mes présences'}</h2>
        <table className="gept-table">
          <caption className="visually-hidden">Présences aux séances tenues</caption>
          <thead>
            <tr>
              <th scope="col">Interne</th>
              <th scope="col">Présent</th>
              <th scope="col">Absent</th>
              <th scope="col">Non pointé</th>
            </tr>
          </thead>
          <tbody>
            {group.attendance.map((a) => (
              <tr key={a.internId}>
                <th scope="row">{name.get(a.internId)}</th>
                <td>{a.present}</td>
                <td>{a.absent}</td>
                <td>{a.unmarked}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </section>
    </>
  );
}

function NewMeeting({ groupId, error, act }: { groupId: string; error: unknown; act: (run: () => Promise<unknown>, done: string) => Promise<boolean> }) {
  const [heldOn, setHeldOn] = useState(todayInParis());
  const [cases, setCases] = useState('');
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const list = cases.split('\n').map((c) => c.trim()).filter(Boolean);
    if (await act(() => api.post(`/gept-groups/${groupId}/meetings`, { heldOn, cases: list }), `Séance du ${dateFr(heldOn)} ajoutée.`)) setCases('');
  };
  return (
    <form className="card" onSubmit={submit} aria-labelledby="gept-new-title">
      <h2 id="gept-new-title">Nouvelle séance</h2>
      <label htmlFor="gept-held-on">Date</label>
      <input id="gept-held-on" type="date" required value={heldOn} onChange={(e) => setHeldOn(e.target.value)} aria-describedby={fieldErrors(error, 'heldOn').length ? 'gept-held-on-error' : undefined} />
      <FieldError id="gept-held-on-error" messages={fieldErrors(error, 'heldOn')} />
      <label htmlFor="gept-cases">Cas discutés (un par ligne)</label>
      <textarea id="gept-cases" rows={4} value={cases} onChange={(e) => setCases(e.target.value)} />
      <button type="submit" className="primary">
        Ajouter la séance
      </button>
    </form>
  );
}

function Meeting({ meeting, group, name, act, myTraces }: { meeting: GeptMeetingView; group: GeptGroupView; name: Map<string, string>; act: (run: () => Promise<unknown>, done: string) => Promise<boolean>; myTraces: TraceSummary[] | null }) {
  const [traces, setTraces] = useState<GeptLinkedTraceView[] | null>(null);
  const [chosen, setChosen] = useState('');
  const title = `Séance du ${dateFr(meeting.heldOn)}`;
  const mark = (internId: string, present: boolean) =>
    void act(() => api.put(`/gept-meetings/${meeting.id}/attendance/${internId}`, { present }), `${name.get(internId)} : ${present ? 'présent' : 'absent'} le ${dateFr(meeting.heldOn)}.`);
  return (
    <article className="gept-meeting" aria-labelledby={`gept-${meeting.id}-title`}>
      <h3 id={`gept-${meeting.id}-title`}>{title}</h3>
      {meeting.cases.length > 0 ? (
        <ul className="gept-cases" aria-label={`Cas : ${title}`}>
          {meeting.cases.map((c, i) => (
            <li key={i}>{c}</li>
          ))}
        </ul>
      ) : (
        <p className="meta">Pas de cas saisis.</p>
      )}
      {group.canManage ? (
        <ul className="attendance-list" aria-label={`Présences : ${title}`}>
          {meeting.attendance.map((a) => (
            <li key={a.internId}>
              <span className="who">{name.get(a.internId)}</span>
              <span className="attendance-toggle" role="group" aria-label={`${name.get(a.internId)}, ${title}`}>
                <button type="button" className="present" aria-pressed={a.present === true} onClick={() => mark(a.internId, true)}>
                  Présent
                </button>
                <button type="button" className="absent" aria-pressed={a.present === false} onClick={() => mark(a.internId, false)}>
                  Absent
                </button>
              </span>
            </li>
          ))}
        </ul>
      ) : (
        meeting.attendance.map((a) => (
          <p key={a.internId}>Ma présence : {a.present === null ? 'non pointée' : a.present ? 'présent' : 'absent'}</p>
        ))
      )}
      {group.canManage && (
        <p>
          <button type="button" onClick={() => void api.get<{ items: GeptLinkedTraceView[] }>(`/gept-meetings/${meeting.id}/traces`).then((r) => setTraces(r.items))}>
            Lire les comptes rendus ({meeting.linkedTraces})<span className="visually-hidden"> : {title}</span>
          </button>
        </p>
      )}
      {traces && traces.length === 0 && <p>Aucun compte rendu rattaché à cette séance.</p>}
      {traces?.map((t) => (
        <div key={t.id} className="gept-trace">
          <h4>
            {t.title} — {t.intern.displayName} <span className="meta">({STATUS_LABELS[t.status] ?? t.status})</span>
          </h4>
          {docParagraphs(t.content).map((p, i) => (
            <p key={i}>{p}</p>
          ))}
          <p>
            <Link to={`/relectures/${t.id}`}>
              Commenter<span className="visually-hidden"> : {t.title}, {t.intern.displayName}</span>
            </Link>
          </p>
        </div>
      ))}
      {myTraces && (
        <form
          onSubmit={(e) => {
            e.preventDefault();
            if (chosen) void act(() => request('PUT', `/traces/${chosen}/gept-meeting`, { body: { meetingId: meeting.id } }), `Compte rendu rattaché à la ${title.toLowerCase()}.`);
          }}
        >
          <label htmlFor={`gept-${meeting.id}-trace`}>Rattacher mon compte rendu GEPT à cette séance</label>
          <select id={`gept-${meeting.id}-trace`} value={chosen} onChange={(e) => setChosen(e.target.value)}>
            <option value="">{myTraces.length ? 'Choisir une trace GEPT…' : 'Aucune trace GEPT écrite'}</option>
            {myTraces.map((t) => (
              <option key={t.id} value={t.id}>
                {t.title}
              </option>
            ))}
          </select>{' '}
          <button type="submit" disabled={!chosen}>
            Rattacher
          </button>
        </form>
      )}
    </article>
  );
}
