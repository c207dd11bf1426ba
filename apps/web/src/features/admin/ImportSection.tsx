import { useState } from 'react';
import { api, request } from '../../api';
import { ErrorMessage } from '../../components/ErrorMessage';
import { Link } from '../../router';

interface ImportReport {
  created: number;
  updated: number;
  unchanged: number;
  errors: { line: number; message: string }[];
  applied: boolean;
}
/** The UPP codes the file names and nobody created yet, read from the import's line errors. */
const missingUpps = (report: ImportReport) =>
  [...new Set(report.errors.flatMap((e) => [...e.message.matchAll(/UPP inconnue « ([^»]+) »/g)].map((m) => m[1].trim())))].sort();

/** CSV import: a preview first (dry run), errors by line, then the import itself. */
export function ImportSection() {
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
      {report && missingUpps(report).length > 0 && <MissingUpps codes={missingUpps(report)} onCreated={() => void send(true)} />}
      {report && (
        <div role="status" className={`alert ${report.errors.length ? 'error' : report.applied ? 'success' : 'info'}`}>
          <p>
            {report.applied ? 'Import effectué' : report.errors.length ? 'Rien n’a été importé : corrigez les lignes ci-dessous' : 'Aperçu (rien n’a encore été importé)'} —{' '}
            {report.created} création(s), {report.updated} mise(s) à jour, {report.unchanged} inchangé(s).
          </p>
          {report.applied && report.created > 0 && (
            <p>
              Chaque nouveau compte a reçu une invitation à choisir son mot de passe : suivez-les dans la page <Link to="/administration/invitations">Invitations</Link>{' '}
              (sans courriel configuré, c’est là que vous obtenez les liens à remettre).
            </p>
          )}
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

/**
 * The file's unknown UPP, each created here in one step (its name prefilled from the code), so
 * the file checked again without leaving the page.
 */
function MissingUpps({ codes, onCreated }: { codes: string[]; onCreated: () => void }) {
  return (
    <section className="alert warning missing-upps" aria-labelledby="missing-upps-title">
      <h3 id="missing-upps-title">UPP à créer avant l’import</h3>
      <p>
        Le fichier cite {codes.length === 1 ? 'une UPP qui n’existe pas encore' : `${codes.length} UPP qui n’existent pas encore`} : {codes.join(', ')}. Créez-les ici
        (vérifiez le nom), ou dans la page <Link to="/administration/upp">UPP</Link> ; le fichier est ensuite vérifié à nouveau.
      </p>
      <ul>
        {codes.map((code) => (
          <MissingUpp key={code} code={code} onCreated={onCreated} />
        ))}
      </ul>
    </section>
  );
}

const nameFromCode = (code: string) => code.replace(/[-_]+/g, ' ').replace(/(^|\s)\p{L}/gu, (letter) => letter.toUpperCase());

function MissingUpp({ code, onCreated }: { code: string; onCreated: () => void }) {
  const [name, setName] = useState(() => nameFromCode(code));
  const [error, setError] = useState<unknown>(null);
  const create = async () => {
    setError(null);
    try {
      await api.post('/admin/upps', { code, name });
      onCreated();
    } catch (e) {
      setError(e);
    }
  };
  return (
    <li>
      <div className="row">
        <div className="grow">
          <label htmlFor={`missing-upp-${code}`}>Nom de l’UPP {code}</label>
          <input id={`missing-upp-${code}`} value={name} onChange={(e) => setName(e.target.value)} />
        </div>
        <button type="button" className="primary" onClick={() => void create()} disabled={!name.trim()}>
          Créer l’UPP {code}
        </button>
      </div>
      <ErrorMessage error={error} />
    </li>
  );
}
