import type { MeetingsView, MeetingView } from '@carnet/contracts';
import { FormEvent, useCallback, useEffect, useState } from 'react';
import { api, request } from '../api';
import { dateFr } from '../labels';
import { ErrorMessage } from './ErrorMessage';
import { FieldError, fieldErrors } from './FieldError';

type Meeting = MeetingView;
type Meetings = MeetingsView;

const STATE_LABELS: Record<Meeting['state'], string> = {
  awaiting_intern: 'En attente de la confirmation de l’interne',
  awaiting_tutor: 'En attente de la confirmation du tuteur',
  co_signed: 'Cosignée',
};

/** Today in Paris, as a date input wants it: a meeting is never dated in the future. */
const todayInParis = () => new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Paris' }).format(new Date());

type Draft = Pick<Meeting, 'heldOn' | 'discussed' | 'nextObjectives'>;

/** The three fields of a meeting, for recording one or editing one (`prefix` keeps ids unique). */
function MeetingFields({ prefix, draft, onChange, error }: { prefix: string; draft: Draft; onChange: (draft: Draft) => void; error: unknown }) {
  const fields = [
    { key: 'discussed', label: 'Ce qui a été discuté' },
    { key: 'nextObjectives', label: 'Prochains objectifs' },
  ] as const;
  const dateErrors = fieldErrors(error, 'heldOn');
  return (
    <>
      <label htmlFor={`${prefix}-held-on`}>Date de la rencontre</label>
      <input
        id={`${prefix}-held-on`}
        type="date"
        required
        max={todayInParis()}
        value={draft.heldOn}
        onChange={(e) => onChange({ ...draft, heldOn: e.target.value })}
        aria-describedby={dateErrors.length ? `${prefix}-held-on-error` : undefined}
      />
      <FieldError id={`${prefix}-held-on-error`} messages={dateErrors} />
      {fields.map(({ key, label }) => {
        const messages = fieldErrors(error, key);
        return (
          <div key={key}>
            <label htmlFor={`${prefix}-${key}`}>{label}</label>
            <textarea
              id={`${prefix}-${key}`}
              rows={3}
              required
              maxLength={10000}
              value={draft[key]}
              onChange={(e) => onChange({ ...draft, [key]: e.target.value })}
              aria-describedby={messages.length ? `${prefix}-${key}-error` : undefined}
            />
            <FieldError id={`${prefix}-${key}-error`} messages={messages} />
          </div>
        );
      })}
    </>
  );
}

/**
 * « Rencontres de tutorat »: the tutorship's meetings, each co-signed by the intern and the
 * tutor. The one who records a meeting confirms it by doing so; the other confirms it here. Until
 * both have, either may correct it (the other then confirms the new text); after, it is final.
 */
export function TutorMeetings({ internId, canRecord }: { internId: string; canRecord: boolean }) {
  const [meetings, setMeetings] = useState<Meetings | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [draft, setDraft] = useState<Draft>({ heldOn: todayInParis(), discussed: '', nextObjectives: '' });
  const [editing, setEditing] = useState<{ id: string; draft: Draft } | null>(null);
  const [notice, setNotice] = useState<string | null>(null);

  const load = useCallback(() => api.get<Meetings>(`/portfolios/${internId}/meetings`).then(setMeetings, setError), [internId]);
  useEffect(() => void load(), [load]);

  const act = async (run: () => Promise<unknown>, done: string) => {
    setError(null);
    setNotice(null);
    try {
      await run();
      setNotice(done);
      await load();
      return true;
    } catch (e) {
      setError(e);
      return false;
    }
  };
  const record = async (event: FormEvent) => {
    event.preventDefault();
    if (await act(() => api.post(`/portfolios/${internId}/meetings`, draft), 'Rencontre enregistrée : elle attend la confirmation de l’autre partie.')) {
      setDraft({ heldOn: todayInParis(), discussed: '', nextObjectives: '' });
    }
  };
  const save = async (event: FormEvent) => {
    event.preventDefault();
    if (!editing) return;
    if (await act(() => request('PATCH', `/meetings/${editing.id}`, { body: editing.draft }), 'Rencontre modifiée : l’autre partie doit la confirmer à nouveau.')) setEditing(null);
  };

  return (
    <section aria-labelledby="meetings-title" className="card">
      <h2 id="meetings-title">Rencontres de tutorat</h2>
      {meetings && (
        <p>
          {meetings.last12Months} rencontre{meetings.last12Months > 1 ? 's' : ''} cosignée{meetings.last12Months > 1 ? 's' : ''} au cours des 12 derniers mois
          {meetings.coSigned !== meetings.last12Months && ` (${meetings.coSigned} en tout)`}.
        </p>
      )}
      <ErrorMessage error={error} />
      <p role="status">{notice}</p>
      {meetings?.items.length === 0 && <p>Aucune rencontre enregistrée.</p>}
      {meetings && meetings.items.length > 0 && (
        <ol className="meetings">
          {meetings.items.map((m) => (
            <li key={m.id}>
              <article aria-labelledby={`meeting-${m.id}-title`}>
                <h3 id={`meeting-${m.id}-title`}>Rencontre du {dateFr(m.heldOn)}</h3>
                <p>
                  <strong>{STATE_LABELS[m.state]}</strong>
                </p>
                {editing?.id === m.id ? (
                  <form onSubmit={save} aria-label={`Modifier la rencontre du ${dateFr(m.heldOn)}`}>
                    <MeetingFields prefix="edit-meeting" draft={editing.draft} onChange={(d) => setEditing({ id: m.id, draft: d })} error={error} />
                    <button type="submit" className="primary">
                      Enregistrer les modifications
                    </button>{' '}
                    <button type="button" onClick={() => setEditing(null)}>
                      Annuler
                    </button>
                  </form>
                ) : (
                  <dl>
                    <dt>Ce qui a été discuté</dt>
                    <dd style={{ whiteSpace: 'pre-wrap' }}>{m.discussed}</dd>
                    <dt>Prochains objectifs</dt>
                    <dd style={{ whiteSpace: 'pre-wrap' }}>{m.nextObjectives}</dd>
                    <dt>Confirmations</dt>
                    <dd>
                      Interne ({m.intern.displayName}) : {m.internConfirmedAt ? `confirmé le ${dateFr(m.internConfirmedAt)}` : 'pas encore'}
                      <br />
                      Tuteur ({m.tutor.displayName}) : {m.tutorConfirmedAt ? `confirmé le ${dateFr(m.tutorConfirmedAt)}` : 'pas encore'}
                    </dd>
                  </dl>
                )}
                {editing?.id !== m.id && (m.canConfirm || m.canEdit) && (
                  <p>
                    {m.canConfirm && (
                      <button type="button" className="primary" onClick={() => void act(() => api.post(`/meetings/${m.id}/confirm`), `Rencontre du ${dateFr(m.heldOn)} confirmée.`)}>
                        Confirmer<span className="visually-hidden"> la rencontre du {dateFr(m.heldOn)}</span>
                      </button>
                    )}{' '}
                    {m.canEdit && (
                      <button type="button" onClick={() => setEditing({ id: m.id, draft: { heldOn: m.heldOn, discussed: m.discussed, nextObjectives: m.nextObjectives } })}>
                        Modifier<span className="visually-hidden"> la rencontre du {dateFr(m.heldOn)}</span>
                      </button>
                    )}
                  </p>
                )}
              </article>
            </li>
          ))}
        </ol>
      )}
      {canRecord && !editing && (
        <form onSubmit={record} aria-labelledby="new-meeting-title">
          <h3 id="new-meeting-title">Nouvelle rencontre</h3>
          <MeetingFields prefix="new-meeting" draft={draft} onChange={setDraft} error={error} />
          <button type="submit" className="primary">
            Enregistrer la rencontre
          </button>
        </form>
      )}
    </section>
  );
}
