import { useEffect, useRef } from 'react';
import type { Warning } from '../api';

interface Props {
  /** The active tutor, who receives the trace; null when none is assigned yet. */
  tutorName: string | null;
  warnings: Warning[];
  busy: boolean;
  onConfirm: () => void;
  onCancel: () => void;
}

/**
 * Submitting asks first, and says to whom it goes, with the patient-identifier warnings of the
 * scan if any. A native modal <dialog>: focus moves in, stays in, Échap closes, and returns to
 * the button that opened it.
 */
export function SubmitDialog({ tutorName, warnings, busy, onConfirm, onCancel }: Props) {
  const dialog = useRef<HTMLDialogElement>(null);
  const first = useRef<HTMLButtonElement>(null);
  useEffect(() => {
    const element = dialog.current;
    if (!element) return;
    const opener = document.activeElement as HTMLElement | null;
    if (!element.open) element.showModal();
    first.current?.focus();
    return () => {
      if (element.open) element.close();
      opener?.focus();
    };
  }, []);
  const question = tutorName ? `Soumettre à ${tutorName}, qui assure votre tutorat ?` : 'Soumettre cette trace ?';
  return (
    <dialog
      ref={dialog}
      className="confirm-dialog"
      aria-labelledby="submit-dialog-title"
      aria-describedby="submit-dialog-desc"
      onCancel={(event) => {
        event.preventDefault();
        onCancel();
      }}
    >
      <h2 id="submit-dialog-title">{question}</h2>
      <p id="submit-dialog-desc">
        {tutorName
          ? `${tutorName} sera prévenu·e par e-mail et relira cette version. Vous ne pourrez plus la modifier pendant la relecture.`
          : 'Aucun tuteur ne vous est attribué pour l’instant : la trace attendra son attribution. Vous ne pourrez plus la modifier pendant la relecture.'}
      </p>
      {warnings.length > 0 && (
        <section className="alert warning" aria-labelledby="warnings-title">
          <h3 id="warnings-title">Données qui pourraient identifier un patient</h3>
          <ul>
            {warnings.map((w, i) => (
              <li key={i}>{w.message}</li>
            ))}
          </ul>
        </section>
      )}
      <div className="dialog-actions">
        {warnings.length > 0 ? (
          <>
            <button type="button" ref={first} onClick={onCancel}>
              Corriger
            </button>
            <button type="button" className="primary" disabled={busy} onClick={onConfirm}>
              Soumettre quand même
            </button>
          </>
        ) : (
          <>
            <button type="button" onClick={onCancel}>
              Annuler
            </button>
            <button type="button" ref={first} className="primary" disabled={busy} onClick={onConfirm}>
              Soumettre
            </button>
          </>
        )}
      </div>
    </dialog>
  );
}
