import { FormEvent, useState } from 'react';
import { api, ApiError, Page, request } from '../../api';
import { ErrorMessage } from '../../components/ErrorMessage';
interface ImportReport {
  created: number;
  updated: number;
  unchanged: number;
  errors: { line: number; message: string }[];
  applied: boolean;
}
export /** CSV import: a preview first (dry run), errors by line, then the import itself. */
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

