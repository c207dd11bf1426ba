import type { ImportAnswer } from '@carnet/contracts';
import { useEffect, useRef, useState } from 'react';
import { request } from '../../api';
import { ErrorMessage } from '../../components/ErrorMessage';
import { FileInput } from '../../components/FileInput';
import { KIND_LABELS, dateFr } from '../../labels';
import { UserPicker, UserRow } from './UserPicker';

/** A fingerprint as people compare it: groups of four. */
const grouped = (hex: string) => hex.replace(/(.{4})(?=.)/g, '$1 ');

/**
 * « Importer un portfolio »: a ZIP exported by another Carnet, checked whole by the server
 * (a preview first), then imported once the admin confirmed the origin's key.
 */
export function PortfolioImportSection() {
  const [file, setFile] = useState<File | null>(null);
  const [intern, setIntern] = useState<UserRow | null>(null);
  const [preview, setPreview] = useState<ImportAnswer | null>(null);
  const [done, setDone] = useState<ImportAnswer | null>(null);
  const [typedKey, setTypedKey] = useState('');
  const [unsignedAccepted, setUnsignedAccepted] = useState(false);
  const [otherInternAccepted, setOtherInternAccepted] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [importing, setImporting] = useState(false);
  const previewTitle = useRef<HTMLHeadingElement>(null);
  const doneMessage = useRef<HTMLDivElement>(null);
  // Focus follows what the server answered: the preview's title, then the import's result (the import button is gone by then).
  useEffect(() => previewTitle.current?.focus(), [preview]);
  useEffect(() => doneMessage.current?.focus(), [done]);

  const send = async (dryRun: boolean) => {
    if (!file) return;
    setError(null);
    setBusy(true);
    setImporting(!dryRun);
    try {
      const form = new FormData();
      form.append('file', file);
      const query = new URLSearchParams({ dryRun: String(dryRun) });
      if (intern) query.set('internId', intern.id);
      // The fingerprint the admin read at the origin: the server compares it with the archive's key.
      if (!dryRun && preview?.signature.signed && typedKey.trim()) query.set('keyFingerprint', typedKey.trim());
      if (!dryRun && !preview?.signature.signed && unsignedAccepted) query.set('acceptUnsigned', 'true');
      if (!dryRun && preview && !preview.internMatches && otherInternAccepted) query.set('acceptOtherIntern', 'true');
      const { body } = await request<ImportAnswer>('POST', `/admin/portfolio-imports?${query}`, { raw: form });
      if (dryRun) setPreview(body);
      else {
        setDone(body);
        setPreview(null);
      }
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };

  const choose = (chosen: File) => {
    setFile(chosen);
    setPreview(null);
    setDone(null);
    setTypedKey('');
    setUnsignedAccepted(false);
    setOtherInternAccepted(false);
    setError(null);
  };

  // A key other than the one accepted for this deployment, no signature where one was accepted, or a key accepted for another deployment.
  const keyChanged = Boolean(preview && ((preview.signature.pinnedFingerprint && preview.signature.pinnedFingerprint !== preview.signature.fingerprint) || preview.signature.keyAcceptedFor));
  const confirmable = preview && preview.counts.imported > 0 && !keyChanged && (preview.signature.signed ? typedKey.trim() !== '' : unsignedAccepted) && (preview.internMatches || otherInternAccepted);

  return (
    <section className="card" aria-labelledby="portfolio-import-title">
      <h2 id="portfolio-import-title">Importer un portfolio</h2>
      <p className="meta">
        L’archive ZIP d’un portfolio exportée par un autre Carnet (jusqu’à 200 Mo). Chaque fichier est vérifié contre son empreinte SHA-256 du manifeste, chaque
        tampon de validation contre le contenu de sa trace ; une archive modifiée est refusée en nommant le fichier en cause, et rien n’est importé. Les traces
        importées apparaissent « validé à &lt;faculté d’origine&gt; », en lecture seule.
      </p>
      <FileInput id="portfolio-zip" label="Archive ZIP du portfolio" accept=".zip,application/zip" onFile={choose} />
      <UserPicker
        id="portfolio-import-intern"
        label="Interne destinataire (facultatif)"
        role="intern"
        hint="Par défaut, l’interne de votre faculté qui a l’adresse e-mail indiquée dans l’archive."
        onPick={(u) => {
          setIntern(u);
          setPreview(null);
          setOtherInternAccepted(false);
        }}
      />
      <button type="button" onClick={() => void send(true)} disabled={!file || busy}>
        Vérifier l’archive (sans importer)
      </button>
      {!preview && <ErrorMessage error={error} />}
      <p role="status">{busy ? (importing ? 'Import en cours…' : 'Vérification de l’archive…') : ''}</p>

      {preview && (
        <section className="alert info" aria-labelledby="portfolio-import-preview-title">
          <h3 id="portfolio-import-preview-title" ref={previewTitle} tabIndex={-1}>
            Aperçu : rien n’a encore été importé
          </h3>
          <dl className="import-origin">
            <dt>Origine annoncée par l’archive</dt>
            <dd>
              {preview.origin.faculty.name} ({preview.origin.deployment || 'adresse inconnue'}){preview.origin.exportedAt && `, export du ${dateFr(preview.origin.exportedAt)}`}
            </dd>
            <dt>Interne dans l’archive</dt>
            <dd>
              {preview.archiveIntern.displayName} ({preview.archiveIntern.email})
            </dd>
            <dt>Importé pour</dt>
            <dd>
              {preview.intern.displayName} ({preview.intern.email})
            </dd>
            <dt>Traces</dt>
            <dd>
              {preview.counts.imported} à importer, {preview.counts.alreadyImported} déjà importée(s), {preview.counts.skipped} non validée(s) ignorée(s)
            </dd>
            <dt>Empreinte de l’archive</dt>
            <dd>
              <code>{preview.archiveSha256}</code>
            </dd>
          </dl>
          {!preview.internMatches && (
            <p className="alert warning" role="alert">
              <label>
                <input type="checkbox" checked={otherInternAccepted} onChange={(e) => setOtherInternAccepted(e.target.checked)} /> Cette archive est le portfolio de{' '}
                {preview.archiveIntern.displayName} ({preview.archiveIntern.email}), pas de {preview.intern.displayName} ({preview.intern.email}). J’ai vérifié qu’il s’agit de
                la même personne (adresse e-mail changée) : ses traces validées deviendront celles de {preview.intern.displayName}.
              </label>
            </p>
          )}
          <table>
            <caption>Traces validées de l’archive</caption>
            <thead>
              <tr>
                <th scope="col">Titre</th>
                <th scope="col">Type</th>
                <th scope="col">Validée par</th>
                <th scope="col">Le</th>
                <th scope="col">Tampon (SHA-256 du contenu validé)</th>
                <th scope="col">Pièces jointes</th>
                <th scope="col">État</th>
              </tr>
            </thead>
            <tbody>
              {preview.traces.map((t) => (
                <tr key={t.originId}>
                  <th scope="row">{t.title}</th>
                  <td>{KIND_LABELS[t.kind as keyof typeof KIND_LABELS] ?? t.kind}</td>
                  <td>{t.validator ?? '—'}</td>
                  <td>{dateFr(t.validatedAt)}</td>
                  <td>
                    <code>{grouped(t.sha256)}</code>
                  </td>
                  <td>{t.attachments}</td>
                  <td>{t.alreadyImported ? 'déjà importée' : 'à importer'}</td>
                </tr>
              ))}
            </tbody>
          </table>
          {keyChanged && !preview.signature.signed ? (
            <p className="alert error" role="alert">
              Cette archive n’est pas signée, alors que votre faculté a déjà accepté la clé de signature de {preview.origin.deployment} : l’import est impossible. Demandez un
              export signé au Carnet d’origine.
            </p>
          ) : preview.signature.keyAcceptedFor ? (
            <p className="alert error" role="alert">
              La clé qui signe cette archive est celle que votre faculté a acceptée pour {preview.signature.keyAcceptedFor}, pas pour {preview.origin.deployment} : l’import est
              impossible.
            </p>
          ) : preview.signature.signed ? (
            keyChanged ? (
              <p className="alert error" role="alert">
                La clé qui signe cette archive (<code>{grouped(preview.signature.fingerprint!)}</code>) n’est pas celle que votre faculté a acceptée pour cette origine
                (<code>{grouped(preview.signature.pinnedFingerprint!)}</code>) : l’import est impossible. Vérifiez auprès du Carnet d’origine.
              </p>
            ) : (
              <div>
                <label htmlFor="portfolio-import-key">Empreinte de la clé publiée par le Carnet d’origine</label>
                <p id="portfolio-import-key-hint" className="meta">
                  L’archive est signée par la clé d’empreinte <code>{grouped(preview.signature.fingerprint!)}</code>. Recopiez ici celle que publie le Carnet d’origine
                  ({preview.origin.deployment}/api/deployment-key), obtenue par un autre moyen que l’archive : l’import n’a lieu que si elles sont identiques (espaces
                  ignorés).
                  {preview.signature.pinnedFingerprint && ' Clé déjà acceptée lors d’un import précédent.'}
                </p>
                <input
                  id="portfolio-import-key"
                  type="text"
                  value={typedKey}
                  onChange={(e) => setTypedKey(e.target.value)}
                  aria-describedby="portfolio-import-key-hint"
                  autoComplete="off"
                  spellCheck={false}
                />
              </div>
            )
          ) : (
            <p>
              <label>
                <input type="checkbox" checked={unsignedAccepted} onChange={(e) => setUnsignedAccepted(e.target.checked)} /> Cette archive n’est pas signée : ses empreintes prouvent qu’elle est intacte, pas qu’elle vient de {preview.origin.faculty.name}. Je l’importe quand même.
              </label>
            </p>
          )}
          <button type="button" className="primary" onClick={() => void send(false)} disabled={!confirmable || busy}>
            Importer {preview.counts.imported} trace(s)
          </button>
          <ErrorMessage error={error} />
        </section>
      )}

      {done && (
        <div role="status" className="alert success" ref={doneMessage} tabIndex={-1}>
          <p>
            {done.counts.imported > 0
              ? `Import effectué : ${done.counts.imported} trace(s) validée(s) à ${done.origin.faculty.name} ajoutée(s) au portfolio de ${done.intern.displayName}.`
              : `Rien de nouveau : les ${done.counts.alreadyImported} trace(s) de cette archive étaient déjà importées.`}
          </p>
        </div>
      )}
    </section>
  );
}
