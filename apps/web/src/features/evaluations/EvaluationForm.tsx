import type { StageEvaluationForm } from '@carnet/contracts';
import { FormEvent, useState } from 'react';
import { FieldError, fieldErrors } from '../../components/FieldError';
import './evaluations.css';

export interface EvaluationDraft {
  levels: Record<string, string>;
  comment: string;
  validationProposed: boolean | null;
}

/**
 * The faculty's form, the same signed in and through a mailed link: a level per competence (or
 * not seen during the stage), a free comment, and whether the evaluator proposes validation.
 * Radio buttons, one per line on a phone, large enough for a thumb.
 */
export function EvaluationForm({ form, prefix, error, onSubmit, busy }: { form: StageEvaluationForm; prefix: string; error: unknown; busy: boolean; onSubmit: (draft: EvaluationDraft) => void }) {
  const [draft, setDraft] = useState<EvaluationDraft>({ levels: {}, comment: '', validationProposed: null });
  const submit = (event: FormEvent) => {
    event.preventDefault();
    onSubmit(draft);
  };
  const validationErrors = fieldErrors(error, 'validationProposed');
  return (
    <form className="evaluation-form" onSubmit={submit} aria-labelledby={`${prefix}-title`}>
      <h2 id={`${prefix}-title`}>Évaluation de fin de stage</h2>
      {form.competences.map((competence) => {
        const messages = fieldErrors(error, `levels.${competence.code}`);
        return (
          <fieldset key={competence.code} aria-describedby={messages.length ? `${prefix}-${competence.code}-error` : undefined}>
            <legend>{competence.label}</legend>
            <div className="choices">
              {form.levels.map((level) => (
                <label className="check" key={level.code}>
                  <input
                    type="radio"
                    name={`${prefix}-${competence.code}`}
                    value={level.code}
                    checked={draft.levels[competence.code] === level.code}
                    onChange={() => setDraft({ ...draft, levels: { ...draft.levels, [competence.code]: level.code } })}
                  />
                  {level.label}
                </label>
              ))}
            </div>
            <FieldError id={`${prefix}-${competence.code}-error`} messages={messages} />
          </fieldset>
        );
      })}
      <label htmlFor={`${prefix}-comment`}>Commentaire libre</label>
      <textarea id={`${prefix}-comment`} rows={5} maxLength={5000} value={draft.comment} onChange={(e) => setDraft({ ...draft, comment: e.target.value })} />
      <FieldError id={`${prefix}-comment-error`} messages={fieldErrors(error, 'comment')} />
      <fieldset aria-describedby={validationErrors.length ? `${prefix}-validation-error` : undefined}>
        <legend>Proposez-vous la validation du stage ?</legend>
        <div className="choices">
          {[
            [true, 'Oui, je propose la validation'],
            [false, 'Non, je ne la propose pas'],
          ].map(([value, label]) => (
            <label className="check" key={String(value)}>
              <input type="radio" name={`${prefix}-validation`} checked={draft.validationProposed === value} onChange={() => setDraft({ ...draft, validationProposed: value as boolean })} />
              {label}
            </label>
          ))}
        </div>
        <FieldError id={`${prefix}-validation-error`} messages={validationErrors} />
      </fieldset>
      <button type="submit" className="primary" disabled={busy}>
        Envoyer l’évaluation
      </button>
    </form>
  );
}

/** The body the API expects; a missing answer is left out, so the API names it in French. */
export const evaluationBody = (draft: EvaluationDraft) => ({
  levels: draft.levels,
  comment: draft.comment,
  ...(draft.validationProposed === null ? {} : { validationProposed: draft.validationProposed }),
});
