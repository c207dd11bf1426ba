import type { Editor } from '@tiptap/react';
import { findPatientIdentifiers, IdentifierWarning } from '@carnet/domain';
import { documentRange, plainText, plainTextPositions } from '@carnet/editor';
import { useEffect, useState } from 'react';
import { api } from '../api';
import type { EditorJson } from './RichEditor';

const SCAN_DELAY_MS = 600;

export const IDENTIFIER_KIND_LABELS: Record<string, string> = {
  name: 'nom',
  birth_date: 'date de naissance',
  nir: 'numéro de sécurité sociale',
  phone: 'téléphone',
  email: 'adresse e-mail',
  address: 'adresse postale',
  hospital_id: 'identifiant hospitalier',
  age: 'âge très élevé',
};

/**
 * While the intern writes: what the identifier scan (the server's own module, run here) finds in
 * the text, each with « Remplacer par … » in one gesture. A replacement is an ordinary edit of the
 * editor, so autosave, revisions and undo (Ctrl+Z) work as for any other; only its kind is
 * recorded, for the tutor's review. Nothing is blocked: the intern decides.
 */
export function IdentifierPanel({ traceId, editor, content }: { traceId: string; editor: Editor | null; content: EditorJson }) {
  const [warnings, setWarnings] = useState<IdentifierWarning[]>([]);
  const [done, setDone] = useState<string | null>(null);
  useEffect(() => {
    if (!editor) return;
    const timer = window.setTimeout(() => setWarnings(findPatientIdentifiers(plainText(editor.state.doc))), SCAN_DELAY_MS);
    return () => window.clearTimeout(timer);
  }, [editor, content]);

  const replace = (warning: IdentifierWarning, replacement: string) => {
    if (!editor) return;
    const doc = editor.state.doc;
    // The text may have moved since the scan: act only if the passage is still where it was seen.
    const text = plainText(doc);
    const { from, to } = warning.replacementRange;
    if (text.slice(warning.from, warning.to) !== warning.excerpt) {
      setWarnings(findPatientIdentifiers(text));
      return;
    }
    const range = documentRange(plainTextPositions(doc), from, to);
    editor.view.dispatch(editor.state.tr.insertText(replacement, range.from, range.to).scrollIntoView());
    editor.commands.focus();
    setDone(`« ${warning.excerpt} » remplacé par « ${replacement} ».`);
    setWarnings(findPatientIdentifiers(plainText(editor.state.doc)));
    void api.post(`/traces/${traceId}/identifiers/replaced`, { kind: warning.kind }).catch(() => undefined);
  };

  const show = (warning: IdentifierWarning) => {
    if (!editor) return;
    const range = documentRange(plainTextPositions(editor.state.doc), warning.from, warning.to);
    editor.chain().focus().setTextSelection(range).scrollIntoView().run();
  };

  return (
    <section aria-labelledby="identifiers-title" className="identifier-panel">
      <h2 id="identifiers-title">Données identifiantes {warnings.length > 0 ? `(${warnings.length})` : ''}</h2>
      <p role="status" className="meta">
        {done ?? ''} {warnings.length === 0 ? 'Aucune donnée qui pourrait identifier un patient n’est repérée dans le texte.' : ''}
      </p>
      {warnings.length > 0 && (
        <ul>
          {warnings.map((w) => (
            <li key={`${w.kind}-${w.from}`} className="identifier-warning">
              <p>
                <strong>{IDENTIFIER_KIND_LABELS[w.kind] ?? w.kind}</strong> — {w.message}{' '}
                <button type="button" className="link" onClick={() => show(w)}>
                  Voir dans le texte
                </button>
              </p>
              <div className="actions">
                {w.replacements.slice(0, 3).map((r) => (
                  <button key={r} type="button" onClick={() => replace(w, r)}>
                    Remplacer par « {r} »
                  </button>
                ))}
              </div>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}

/** For the tutor: what the intern replaced before submitting, and what the scan still finds. */
export function IdentifierReview({ traceId }: { traceId: string }) {
  const [report, setReport] = useState<{ warnings: IdentifierWarning[]; replaced: Record<string, number> } | null>(null);
  useEffect(() => {
    api.get<{ warnings: IdentifierWarning[]; replaced: Record<string, number> }>(`/traces/${traceId}/identifiers`).then(setReport, () => setReport(null));
  }, [traceId]);
  if (!report) return null;
  const replaced = Object.entries(report.replaced);
  const total = replaced.reduce((sum, [, n]) => sum + n, 0);
  if (total === 0 && report.warnings.length === 0) return null;
  return (
    <section aria-labelledby="identifier-review-title" className="identifier-panel">
      <h2 id="identifier-review-title">Données identifiantes</h2>
      {total > 0 && (
        <p>
          Remplacées par l’interne : {total} ({replaced.map(([kind, n]) => `${n} ${IDENTIFIER_KIND_LABELS[kind] ?? kind}`).join(', ')}).
        </p>
      )}
      {report.warnings.length > 0 ? (
        <>
          <p>Laissées dans le texte, à vérifier avec l’interne :</p>
          <ul>
            {report.warnings.map((w) => (
              <li key={`${w.kind}-${w.from}`}>
                {IDENTIFIER_KIND_LABELS[w.kind] ?? w.kind} : « {w.excerpt} »
              </li>
            ))}
          </ul>
        </>
      ) : (
        <p>Le texte n’en contient plus.</p>
      )}
    </section>
  );
}
