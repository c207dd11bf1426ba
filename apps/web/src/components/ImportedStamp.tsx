import type { ImportedFromView } from '@carnet/contracts';
import { dateFr } from '../labels';

/**
 * A trace imported from another Carnet: « validé à <faculté d'origine> », with its original stamp
 * (validator, date, SHA-256). It is read-only for ever; the stamp is the origin's, re-checked at import.
 */
export function ImportedStamp({ from, short = false }: { from: ImportedFromView | null | undefined; short?: boolean }) {
  if (!from) return null;
  if (short) return <span className="badge imported">validé à {from.faculty}</span>;
  return (
    <p className="imported-stamp" role="note">
      <span className="badge imported">validé à {from.faculty}</span> par {from.validator ?? 'le tuteur d’origine'} le {dateFr(from.validatedAt)} · empreinte SHA-256 du
      contenu validé : <code>{from.sha256}</code>
      <br />
      <span className="meta">
        Trace importée d’un autre Carnet ({from.deployment}
        {from.relayedBy ? `, transmise par ${from.relayedBy.faculty}, qui l’avait elle-même importée : la validation est celle qu’il en rapporte` : ''}), en lecture seule.{' '}
        {from.signed ? 'Archive signée par le Carnet d’origine (clé confirmée à l’import).' : 'Archive non signée : son intégrité a été vérifiée, pas son origine.'}
      </span>
    </p>
  );
}
