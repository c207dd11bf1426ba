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
