import type { AttendanceCodeView, AttendanceScanResult, TeachingSessionView } from '@carnet/contracts';
import { ATTENDANCE_STATUS_LABELS, ATTENDANCE_VIA_LABELS, PHASE_TITLES, PHASES, TEACHING_KIND_WORDS, TEACHING_KINDS, TeachingKind } from '@carnet/domain';
import { FormEvent, useCallback, useEffect, useRef, useState } from 'react';
import { api, Page, request } from '../../api';
import { ErrorMessage } from '../../components/ErrorMessage';
import { FieldError, fieldErrors } from '../../components/FieldError';
import { Link } from '../../router';
import { useSession } from '../../session';
import './teaching.css';

// The words of the codes are @carnet/domain's, so this page, the PDF and the CSV exports say the same.
const KINDS = TEACHING_KINDS.map((kind) => [kind, TEACHING_KIND_WORDS[kind].label] as const);
const kindLabel = (kind: string) => TEACHING_KIND_WORDS[kind as TeachingKind]?.label ?? kind;
const PHASE_OPTIONS = PHASES.map((phase) => [phase, PHASE_TITLES[phase]] as const);
/** An attendance status inside a sentence (« Relevé : absence justifiée. »). */
const statusWords = (status: keyof typeof ATTENDANCE_STATUS_LABELS) => ATTENDANCE_STATUS_LABELS[status].charAt(0).toLowerCase() + ATTENDANCE_STATUS_LABELS[status].slice(1);

const when = (s: { startsAt: string; endsAt: string }) => {
  const day = new Intl.DateTimeFormat('fr-FR', { timeZone: 'Europe/Paris', weekday: 'long', day: 'numeric', month: 'long', year: 'numeric' });
  const hour = new Intl.DateTimeFormat('fr-FR', { timeZone: 'Europe/Paris', hour: '2-digit', minute: '2-digit' });
  return `${day.format(new Date(s.startsAt))}, ${hour.format(new Date(s.startsAt))}–${hour.format(new Date(s.endsAt))}`;
};

/** The sessions the user may see: the admin publishes them, an intern registers, a lead opens their attendance page. */
export function TeachingSessionsPage() {
  const { me } = useSession();
  const [sessions, setSessions] = useState<TeachingSessionView[] | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const load = useCallback(() => api.get<Page<TeachingSessionView>>('/teaching-sessions?pageSize=200').then((p) => setSessions(p.items), setError), []);
  useEffect(() => void load(), [load]);
  const register = async (s: TeachingSessionView) => {
    setError(null);
    try {
      await api.post(`/teaching-sessions/${s.id}/registrations`);
      setNotice(`Inscription enregistrée : ${s.title}.`);
      await load();
    } catch (e) {
      setError(e);
    }
  };
  return (
    <>
      <h1>Enseignements</h1>
      {me?.roles.includes('admin') && <NewSessionForm onCreated={(s) => { setNotice(`Séance publiée : ${s.title}.`); void load(); }} />}
      {notice && <p className="alert ok" role="status">{notice}</p>}
      <ErrorMessage error={error} />
      <section className="card" aria-labelledby="teaching-list-title">
        <h2 id="teaching-list-title">Séances</h2>
        {sessions?.length === 0 && <p>Aucune séance pour vous.</p>}
        <ul className="teaching-list">
          {sessions?.map((s) => (
            <li key={s.id}>
              <Link to={`/enseignements/${s.id}`}>{s.title}</Link> — {kindLabel(s.kind)}{s.mandatory ? ', obligatoire' : ''} · {when(s)} · {s.place} ·{' '}
              {s.capacity === null ? `${s.registered} inscrit(s)` : `${s.registered} / ${s.capacity} places`}
              {s.mine?.registered && <strong> · inscrit(e)</strong>}
              {s.mine?.attendance && <> · {statusWords(s.mine.attendance.status)}</>}
              {s.canRegister && (
                <>
                  {' '}
                  <button type="button" onClick={() => void register(s)}>S’inscrire<span className="visually-hidden"> à {s.title}</span></button>
                </>
              )}
            </li>
          ))}
        </ul>
      </section>
    </>
  );
}

function NewSessionForm({ onCreated }: { onCreated: (s: TeachingSessionView) => void }) {
  const [error, setError] = useState<unknown>(null);
  const [leads, setLeads] = useState<{ id: string; displayName: string }[]>([]);
  useEffect(() => {
    api.get<Page<{ id: string; firstName: string; lastName: string }>>('/admin/users?role=tutor&pageSize=200').then((p) => setLeads(p.items.map((u) => ({ id: u.id, displayName: `${u.firstName} ${u.lastName}` }))), () => setLeads([]));
  }, []);
  const submit = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const text = (name: string) => String(form.get(name) ?? '');
    const instant = (name: string) => (text(name) ? new Date(text(name)).toISOString() : text(name));
    const list = (name: string) => text(name).split(',').map((v) => v.trim()).filter(Boolean);
    setError(null);
    try {
      const created = await api.post<TeachingSessionView>('/teaching-sessions', {
        title: text('title'),
        kind: text('kind'),
        startsAt: instant('startsAt'),
        endsAt: instant('endsAt'),
        place: text('place'),
        promotions: list('promotions').map(Number),
        uppCodes: list('uppCodes'),
        capacity: text('capacity') ? Number(text('capacity')) : null,
        mandatory: form.get('mandatory') === 'on',
        phase: text('phase') || null,
        leadId: text('leadId'),
      });
      (event.target as HTMLFormElement).reset();
      onCreated(created);
    } catch (e) {
      setError(e);
    }
  };
  const field = (name: string) => ({ 'aria-describedby': fieldErrors(error, name).length ? `${name}-error` : undefined });
  return (
    <section className="card" aria-labelledby="teaching-new-title">
      <h2 id="teaching-new-title">Publier une séance</h2>
      <ErrorMessage error={error} />
      <form className="teaching-form" onSubmit={(e) => void submit(e)}>
        <label>Titre<input name="title" required {...field('title')} /></label>
        <FieldError id="title-error" messages={fieldErrors(error, 'title')} />
        <label>Type<select name="kind">{KINDS.map(([k, l]) => <option key={k} value={k}>{l}</option>)}</select></label>
        <label>Début<input name="startsAt" type="datetime-local" required {...field('startsAt')} /></label>
        <FieldError id="startsAt-error" messages={fieldErrors(error, 'startsAt')} />
        <label>Fin<input name="endsAt" type="datetime-local" required {...field('endsAt')} /></label>
        <FieldError id="endsAt-error" messages={fieldErrors(error, 'endsAt')} />
        <label>Lieu<input name="place" required {...field('place')} /></label>
        <label>Promotions attendues (années séparées par des virgules, vide : toutes)<input name="promotions" inputMode="numeric" /></label>
        <label>UPP attendues (codes séparés par des virgules, vide : toutes)<input name="uppCodes" {...field('uppCodes')} /></label>
        <FieldError id="uppCodes-error" messages={fieldErrors(error, 'uppCodes')} />
        <label>Places (vide : sans limite)<input name="capacity" type="number" min={1} /></label>
        <label><input name="mandatory" type="checkbox" /> Obligatoire</label>
        <label>Compte pour<select name="phase"><option value="">Aucune phase</option>{PHASE_OPTIONS.map(([k, l]) => <option key={k} value={k}>{l}</option>)}</select></label>
        <FieldError id="phase-error" messages={fieldErrors(error, 'phase')} />
        <label>Responsable (relève les présences)<select name="leadId" required>{leads.map((l) => <option key={l.id} value={l.id}>{l.displayName}</option>)}</select></label>
        <button type="submit" className="primary">Publier la séance</button>
      </form>
    </section>
  );
}

/** One session: for its lead, the roll to tick and the room's QR code; for an intern, their registration and absence. */
export function TeachingSessionPage({ sessionId }: { sessionId: string }) {
  const [session, setSession] = useState<TeachingSessionView | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const load = useCallback(() => api.get<TeachingSessionView>(`/teaching-sessions/${sessionId}`).then(setSession, setError), [sessionId]);
  useEffect(() => void load(), [load]);
  const act = async (run: () => Promise<unknown>, done: string) => {
    setError(null);
    setNotice(null);
    try {
      await run();
      await load();
      setNotice(done);
    } catch (e) {
      setError(e);
    }
  };
  if (!session) return error ? <ErrorMessage error={error} /> : <p role="status">Chargement…</p>;
  return (
    <>
      <h1>{session.title}</h1>
      <p>
        {kindLabel(session.kind)}{session.mandatory ? ', obligatoire' : ''} · {when(session)} · {session.place} · responsable : {session.lead.displayName}
      </p>
      {notice && <p className="alert ok" role="status">{notice}</p>}
      <ErrorMessage error={error} />
      {session.canTakeAttendance && <AttendanceCode sessionId={session.id} />}
      {session.roll && (
        <section className="card" aria-labelledby="teaching-roll-title">
          <h2 id="teaching-roll-title">Présences ({session.roll.filter((r) => r.attendance?.status === 'present').length} / {session.roll.length})</h2>
          <ul className="teaching-roll">
            {session.roll.map((r) => (
              <li key={r.intern.id}>
                <span className="who">
                  {r.intern.displayName}
                  {r.attendance?.via === 'code' && ` (${ATTENDANCE_VIA_LABELS.code})`}
                  {r.attendance?.status === 'excused' && ` — ${statusWords('excused')} : ${r.attendance.reason}`}
                </span>
                {session.canTakeAttendance && (
                  <span className="teaching-toggle" role="group" aria-label={r.intern.displayName}>
                    <button type="button" className="present" aria-pressed={r.attendance?.status === 'present'} onClick={() => void act(() => api.put(`/teaching-sessions/${session.id}/attendance/${r.intern.id}`, { present: true }), `${r.intern.displayName} : ${statusWords('present')}.`)}>
                      Présent
                    </button>
                    <button type="button" className="absent" aria-pressed={r.attendance?.status === 'absent'} onClick={() => void act(() => api.put(`/teaching-sessions/${session.id}/attendance/${r.intern.id}`, { present: false }), `${r.intern.displayName} : ${statusWords('absent')}.`)}>
                      Absent
                    </button>
                  </span>
                )}
              </li>
            ))}
          </ul>
          <p><a href={`/api/teaching-sessions/${session.id}/attendance.csv`} download>Exporter les présences (CSV)</a></p>
        </section>
      )}
      {session.mine && <MyAttendance session={session} act={act} />}
    </>
  );
}

function MyAttendance({ session, act }: { session: TeachingSessionView; act: (run: () => Promise<unknown>, done: string) => Promise<void> }) {
  const mine = session.mine!;
  const [reason, setReason] = useState(mine.attendance?.reason ?? '');
  const file = useRef<HTMLInputElement>(null);
  const justify = (event: FormEvent) => {
    event.preventDefault();
    void act(async () => {
      await api.put(`/teaching-sessions/${session.id}/absence`, { reason });
      const chosen = file.current?.files?.[0];
      if (chosen) {
        const body = new FormData();
        body.append('file', chosen);
        await request('POST', `/teaching-sessions/${session.id}/absence/document`, { raw: body });
      }
    }, 'Absence justifiée.');
  };
  return (
    <section className="card" aria-labelledby="teaching-mine-title">
      <h2 id="teaching-mine-title">Ma présence</h2>
      <p>
        {mine.registered ? 'Vous êtes inscrit(e).' : 'Vous n’êtes pas inscrit(e).'} {mine.attendance ? `Relevé : ${statusWords(mine.attendance.status)}.` : 'Pas encore relevée.'}
        {mine.attendance?.document && ` Justificatif : ${mine.attendance.document.filename}.`}
      </p>
      {session.canRegister && <button type="button" onClick={() => void act(() => api.post(`/teaching-sessions/${session.id}/registrations`), 'Inscription enregistrée.')}>S’inscrire</button>}
      {mine.attendance?.status !== 'present' && (
        <form className="teaching-form" onSubmit={justify}>
          <label>Motif de l’absence<textarea value={reason} onChange={(e) => setReason(e.target.value)} required /></label>
          <label>Justificatif (PDF, PNG ou JPEG)<input ref={file} type="file" accept="application/pdf,image/png,image/jpeg" /></label>
          <button type="submit">Justifier mon absence</button>
        </form>
      )}
    </section>
  );
}

/** The room's QR code, fetched again as it rotates. */
function AttendanceCode({ sessionId }: { sessionId: string }) {
  const [code, setCode] = useState<AttendanceCodeView | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [shown, setShown] = useState(false);
  useEffect(() => {
    if (!shown) return;
    let timer: ReturnType<typeof setTimeout> | undefined;
    let stopped = false;
    const fetchCode = () =>
      api.get<AttendanceCodeView>(`/teaching-sessions/${sessionId}/attendance-code`).then(
        (c) => {
          if (stopped) return;
          setCode(c);
          setError(null);
          timer = setTimeout(() => void fetchCode(), Math.max(1000, new Date(c.rotatesAt).getTime() - Date.now() + 200));
        },
        (e: unknown) => !stopped && setError(e),
      );
    void fetchCode();
    return () => {
      stopped = true;
      clearTimeout(timer);
    };
  }, [sessionId, shown]);
  return (
    <section className="card" aria-labelledby="teaching-qr-title">
      <h2 id="teaching-qr-title">QR code de présence</h2>
      {!shown && <button type="button" className="primary" onClick={() => setShown(true)}>Afficher le QR code</button>}
      <ErrorMessage error={error} />
      {shown && code && (
        <div className="teaching-qr">
          <img src={`data:image/svg+xml;charset=utf-8,${encodeURIComponent(code.svg)}`} alt="QR code de présence à scanner par les internes" data-url={code.url} />
          <p>Il change toutes les 30 secondes : chaque interne le scanne une fois, connecté(e).</p>
        </div>
      )}
    </section>
  );
}

/** Where the room's QR code leads: the signed-in intern's presence is recorded at once. */
export function ScanPage({ code }: { code: string }) {
  const [result, setResult] = useState<AttendanceScanResult | null>(null);
  const [error, setError] = useState<unknown>(null);
  const sent = useRef(false);
  useEffect(() => {
    if (sent.current) return;
    sent.current = true;
    api.post<AttendanceScanResult>('/attendance-scans', { code }).then(setResult, setError);
  }, [code]);
  return (
    <>
      <h1>Présence</h1>
      {!result && !error && <p role="status">Enregistrement de votre présence…</p>}
      {result && (
        <p className="alert ok" role="status">
          Présence enregistrée : {result.session.title}, {when(result.session)}, {result.session.place}.
        </p>
      )}
      <ErrorMessage error={error} />
      <p><Link to="/enseignements">Mes enseignements</Link></p>
    </>
  );
}
