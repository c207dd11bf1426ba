import { FormEvent, useState } from 'react';
import { api, ApiError, Page, request } from '../api';
import { ErrorMessage } from '../components/ErrorMessage';

interface ImportReport {
  created: number;
  updated: number;
  unchanged: number;
  errors: { line: number; message: string }[];
  applied: boolean;
}
interface UserRow {
  id: string;
  displayName: string;
  email: string;
  promotion: number | null;
}

export function AdminPage() {
  return (
    <>
      <h1>Administration du DUMG</h1>
      <ImportSection />
      <TutorshipSection />
      <JurySessionSection />
      <section className="card" aria-labelledby="queues-title">
        <h2 id="queues-title">Tâches en arrière-plan</h2>
        <p>
          Envois de courriels, exports et relances : leur état, les échecs et leur relance.{' '}
          <a href="/api/admin/queue-board/">Ouvrir le tableau des files (en anglais)</a>
        </p>
      </section>
    </>
  );
}

/** CSV import: a preview first (dry run), errors by line, then the import itself. */
function ImportSection() {
  const [csv, setCsv] = useState('');
  const [report, setReport] = useState<ImportReport | null>(null);
  const [error, setError] = useState<unknown>(null);
  const send = async (dryRun: boolean) => {
    setError(null);
    try {
      const response = await request<ImportReport>('POST', `/admin/users/import?dryRun=${dryRun}`, { raw: csv, headers: { 'Content-Type': 'text/csv' } });
      setReport(response.body);
    } catch (e) {
      setError(e);
    }
  };
  return (
    <section className="card" aria-labelledby="import-title">
      <h2 id="import-title">Importer des utilisateurs (CSV)</h2>
      <p className="meta">Colonnes : email, lastName, firstName, role, upp, promotion — séparateur « ; » ou « , », export Excel accepté.</p>
      <label htmlFor="csv-file">Fichier CSV</label>
      <input id="csv-file" type="file" accept=".csv,text/csv" onChange={async (e) => setCsv((await e.target.files?.[0]?.text()) ?? '')} />
      <label htmlFor="csv-text">Ou collez le contenu</label>
      <textarea id="csv-text" rows={6} value={csv} onChange={(e) => setCsv(e.target.value)} />
      <button type="button" onClick={() => void send(true)} disabled={!csv.trim()}>
        Vérifier (sans importer)
      </button>{' '}
      <button type="button" className="primary" onClick={() => void send(false)} disabled={!csv.trim()}>
        Importer
      </button>
      <ErrorMessage error={error} />
      {report && (
        <div role="status" className={`alert ${report.errors.length ? 'error' : report.applied ? 'success' : 'info'}`}>
          <p>
            {report.applied ? 'Import effectué' : report.errors.length ? 'Rien n’a été importé : corrigez les lignes ci-dessous' : 'Aperçu (rien n’a encore été importé)'} —{' '}
            {report.created} création(s), {report.updated} mise(s) à jour, {report.unchanged} inchangé(s).
          </p>
          {report.errors.length > 0 && (
            <table>
              <caption>Erreurs par ligne</caption>
              <thead>
                <tr>
                  <th scope="col">Ligne</th>
                  <th scope="col">Erreur</th>
                </tr>
              </thead>
              <tbody>
                {report.errors.map((e) => (
                  <tr key={e.line}>
                    <td>{e.line}</td>
                    <td>{e.message}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </div>
      )}
    </section>
  );
}

function UserPicker({ id, label, role, onPick }: { id: string; label: string; role: string; onPick: (user: UserRow | null) => void }) {
  const [q, setQ] = useState('');
  const [options, setOptions] = useState<UserRow[]>([]);
  const search = async (value: string) => {
    setQ(value);
    if (value.trim().length < 2) return setOptions([]);
    const page = await api.get<Page<UserRow>>(`/admin/users?role=${role}&q=${encodeURIComponent(value)}&pageSize=10`).catch(() => null);
    setOptions(page?.items ?? []);
  };
  return (
    <div>
      <label htmlFor={`${id}-search`}>{label} (nom ou e-mail)</label>
      <input id={`${id}-search`} value={q} onChange={(e) => void search(e.target.value)} />
      <label htmlFor={id} className="visually-hidden">
        {label} : choix
      </label>
      <select id={id} onChange={(e) => onPick(options.find((o) => o.id === e.target.value) ?? null)} defaultValue="">
        <option value="">— choisir —</option>
        {options.map((o) => (
          <option key={o.id} value={o.id}>
            {o.displayName} ({o.email}{o.promotion ? `, promotion ${o.promotion}` : ''})
          </option>
        ))}
      </select>
    </div>
  );
}

function TutorshipSection() {
  const [tutor, setTutor] = useState<UserRow | null>(null);
  const [intern, setIntern] = useState<UserRow | null>(null);
  const [message, setMessage] = useState<string | null>(null);
  const [error, setError] = useState<unknown>(null);
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setMessage(null);
    setError(null);
    if (!tutor || !intern) return setError(new Error('Choisissez un tuteur et un interne.'));
    try {
      await api.post('/tutorships', { tutorId: tutor.id, internId: intern.id });
      setMessage(`${tutor.displayName} est désormais tuteur de ${intern.displayName}.`);
    } catch (e) {
      if (e instanceof ApiError && e.problem.code === 'tutor_already_has_promotion_tutee') {
        setError(new Error(`${e.problem.detail} Chaque MSU suit au plus un interne par promotion, tout au long du DES : choisissez un autre tuteur, ou mettez fin au tutorat en cours.`));
      } else setError(e);
    }
  };
  return (
    <form className="card" onSubmit={submit} aria-labelledby="tutorship-title">
      <h2 id="tutorship-title">Attribuer un tuteur</h2>
      <div className="row">
        <UserPicker id="tutor" label="Tuteur (MSU)" role="tutor" onPick={setTutor} />
        <UserPicker id="intern" label="Interne" role="intern" onPick={setIntern} />
      </div>
      <button type="submit" className="primary">
        Attribuer
      </button>
      <ErrorMessage error={error} />
      {message && <p role="status">{message}</p>}
    </form>
  );
}

/** A jury session: its phase, window, members (jury role) and interns, chosen by search. */
function JurySessionSection() {
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
