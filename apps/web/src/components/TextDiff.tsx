import type { diff } from '../editor/text-diff';

/**
 * A line diff as a reader hears it too: insertions in <ins>, deletions in <del>, each announced
 * (« ajouté », « supprimé ») since screen readers do not voice the elements themselves.
 */
export function TextDiff({ lines, label }: { lines: ReturnType<typeof diff>; label: string }) {
  const changed = lines.filter((l) => l.kind !== 'same').length;
  return (
    <div className="diff" role="region" aria-label={label}>
      {changed === 0 && <p>Aucune différence dans le texte.</p>}
      {lines.map((l, i) => (
        <p key={i} className={l.kind}>
          {l.kind === 'added' ? (
            <ins>
              <span className="visually-hidden">ajouté : </span>
              <span aria-hidden="true">+ </span>
              {l.text}
            </ins>
          ) : l.kind === 'removed' ? (
            <del>
              <span className="visually-hidden">supprimé : </span>
              <span aria-hidden="true">− </span>
              {l.text}
            </del>
          ) : (
            l.text
          )}
        </p>
      ))}
    </div>
  );
}
