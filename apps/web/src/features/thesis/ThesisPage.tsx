import type { DirectorLinkIssued, ThesisView } from '@carnet/contracts';
import { FormEvent, useCallback, useEffect, useState } from 'react';
import { api, ApiError, request } from '../../api';
import { ErrorMessage } from '../../components/ErrorMessage';
import { FieldError, fieldErrors } from '../../components/FieldError';
import { FileInput } from '../../components/FileInput';
import { dateFr } from '../../labels';
import { useSession } from '../../session';
import { directorText, ThesisComments, ThesisSteps } from './ThesisPanel';
import './thesis.css';

type DirectorKind = 'none' | 'account' | 'external';
type Step = ThesisView['steps'][number];

const LINK_STATES: Record<NonNullable<ThesisView['directorLink']>['state'], string> = {
  live: 'valable',
  used: 'utilisé',
  expired: 'expiré',
  revoked: 'révoqué',
};

/** The intern's thesis: subject and director, then each step's dates and documents, the director's comments and link. */
export function ThesisPage() {
  const { me } = useSession();
  const [thesis, setThesis] = useState<ThesisView | null | undefined>(undefined);
  const [error, setError] = useState<unknown>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [editing, setEditing] = useState(false);
  const [issued, setIssued] = useState<DirectorLinkIssued | null>(null);
  // The step last saved, so that its faults show under it and not under every step.
  const [activeStep, setActiveStep] = useState<string | null>(null);
  const internId = me!.id;

  const load = useCallback(
    () =>
      api.get<ThesisView>(`/portfolios/${internId}/thesis`).then(setThesis, (e: unknown) => {
        if (e instanceof ApiError && e.status === 404) setThesis(null);
        else setError(e);
      }),
    [internId],
  );
  useEffect(() => void load(), [load]);

  const act = async (run: () => Promise<ThesisView | void>, done: string) => {
    setError(null);
    setNotice(null);
    try {
      const result = await run();
      if (result) setThesis(result);
      else await load();
      setNotice(done);
      return true;
    } catch (e) {
      setError(e);
      return false;
    }
  };

  if (thesis === undefined) return error ? <ErrorMessage error={error} /> : <p role="status">Chargement…</p>;
  return (
    <>
      <h1>Ma thèse</h1>
      <p role="status">{notice}</p>
      {(!thesis || editing) && (
        <ThesisForm
          thesis={thesis}
          error={error}
          onCancel={thesis ? () => setEditing(false) : undefined}
          onSubmit={async (body) => {
            if (await act(() => api.put<ThesisView>(`/portfolios/${internId}/thesis`, body), thesis ? 'Thèse mise à jour.' : 'Thèse déclarée : ses étapes sont celles de votre faculté.')) setEditing(false);
          }}
        />
      )}
      {!editing && <ErrorMessage error={error} />}
      {thesis && !editing && (
        <>
          <section className="card" aria-labelledby="thesis-subject-title">
            <h2 id="thesis-subject-title">Sujet et direction</h2>
            <p>
              <strong>Sujet :</strong> {thesis.subject}
            </p>
            <p>
              <strong>Directeur :</strong> {directorText(thesis)}
            </p>
            <button type="button" onClick={() => setEditing(true)}>
              Modifier le sujet ou le directeur
            </button>
            {thesis.director?.kind === 'external' && (
              <div className="director-link">
                <h3>Lien de commentaire du directeur</h3>
                <p className="meta">Votre directeur n’a pas de compte Carnet : il reçoit par e-mail un lien, valable un mois, qui lui permet de lire votre thèse et d’y laisser un commentaire, une fois.</p>
                {thesis.directorLink && (
                  <p>
                    Dernier lien envoyé à {thesis.directorLink.email} le {dateFr(thesis.directorLink.createdAt)} : {LINK_STATES[thesis.directorLink.state]}
                    {thesis.directorLink.state === 'live' && ` jusqu’au ${dateFr(thesis.directorLink.expiresAt)}`}.
                  </p>
                )}
                <button
                  type="button"
                  className="primary"
                  onClick={() =>
                    void act(async () => {
                      setIssued(await api.post<DirectorLinkIssued>(`/theses/${thesis.id}/director-link`));
                    }, 'Lien envoyé à votre directeur.')
                  }
                >
                  Envoyer un lien à mon directeur
                </button>{' '}
                {thesis.directorLink?.state === 'live' && (
                  <button type="button" onClick={() => void act(() => request('DELETE', `/theses/${thesis.id}/director-link`).then(() => setIssued(null)), 'Lien révoqué : il ne fonctionne plus.')}>
                    Révoquer le lien
                  </button>
                )}
                {issued?.url && (
                  <p className="alert info">
                    Aucun e-mail ne part de ce serveur : transmettez vous-même ce lien à votre directeur. <br />
                    <a href={issued.url}>{issued.url}</a>
                  </p>
                )}
              </div>
            )}
          </section>
          <section className="card" aria-labelledby="thesis-steps-title">
            <h2 id="thesis-steps-title">Étapes</h2>
            <ThesisSteps steps={thesis.steps} />
            {thesis.steps.map((step) => (
              <StepForm key={`${step.id}:${step.plannedOn}:${step.doneOn}:${step.note}`} step={step} error={activeStep === step.id ? error : null} act={(run, done) => (setActiveStep(step.id), act(run, done))} />
            ))}
          </section>
          <section className="card" aria-labelledby="thesis-comments-title">
            <h2 id="thesis-comments-title">Commentaires du directeur</h2>
            <ThesisComments comments={thesis.comments} />
          </section>
        </>
      )}
    </>
  );
}

function ThesisForm({ thesis, error, onSubmit, onCancel }: { thesis: ThesisView | null; error: unknown; onSubmit: (body: unknown) => Promise<void>; onCancel?: () => void }) {
  const [subject, setSubject] = useState(thesis?.subject ?? '');
  const [kind, setKind] = useState<DirectorKind>(thesis?.director?.kind ?? 'none');
  const [name, setName] = useState(thesis?.director?.kind === 'external' ? thesis.director.name : '');
  const [email, setEmail] = useState(thesis?.director?.kind === 'external' ? thesis.director.email : '');
  const submit = (event: FormEvent) => {
    event.preventDefault();
    const director = kind === 'none' ? null : kind === 'account' ? (thesis?.director?.kind === 'account' && !email ? { kind, userId: thesis.director.id } : { kind, email }) : { kind, name, email };
    void onSubmit({ subject, director });
  };
  const described = (id: string, path: string) => (fieldErrors(error, path).length ? `${id}-error` : undefined);
  return (
    <form className="card" onSubmit={submit} aria-labelledby="thesis-form-title">
      <h2 id="thesis-form-title">{thesis ? 'Modifier ma thèse' : 'Déclarer ma thèse'}</h2>
      <ErrorMessage error={error} />
      <label htmlFor="thesis-subject">Sujet</label>
      <textarea id="thesis-subject" rows={2} required maxLength={500} value={subject} onChange={(e) => setSubject(e.target.value)} aria-describedby={described('thesis-subject', 'subject')} />
      <FieldError id="thesis-subject-error" messages={fieldErrors(error, 'subject')} />
      <fieldset>
        <legend>Directeur de thèse</legend>
        {(
          [
            ['none', 'Pas encore choisi'],
            ['account', 'Un MSU inscrit sur Carnet'],
            ['external', 'Un autre médecin, sans compte Carnet'],
          ] as const
        ).map(([value, label]) => (
          <div key={value}>
            <input type="radio" id={`director-${value}`} name="director-kind" value={value} checked={kind === value} onChange={() => setKind(value)} />
            <label htmlFor={`director-${value}`} className="inline">
              {label}
            </label>
          </div>
        ))}
      </fieldset>
      {kind === 'external' && (
        <>
          <label htmlFor="director-name">Nom du directeur</label>
          <input id="director-name" required maxLength={200} value={name} onChange={(e) => setName(e.target.value)} aria-describedby={described('director-name', 'director.name')} />
          <FieldError id="director-name-error" messages={fieldErrors(error, 'director.name')} />
        </>
      )}
      {kind !== 'none' && (
        <>
          <label htmlFor="director-email">{kind === 'account' ? 'Adresse e-mail de son compte Carnet' : 'Adresse e-mail du directeur'}</label>
          <input
            id="director-email"
            type="email"
            required={kind === 'external' || thesis?.director?.kind !== 'account'}
            maxLength={320}
            value={email}
            placeholder={kind === 'account' && thesis?.director?.kind === 'account' ? thesis.director.displayName : undefined}
            onChange={(e) => setEmail(e.target.value)}
            aria-describedby={described('director-email', kind === 'account' ? 'director.userId' : 'director.email')}
          />
          <FieldError id="director-email-error" messages={fieldErrors(error, kind === 'account' ? 'director.userId' : 'director.email')} />
        </>
      )}
      <button type="submit" className="primary">
        {thesis ? 'Enregistrer' : 'Déclarer ma thèse'}
      </button>{' '}
      {onCancel && (
        <button type="button" onClick={onCancel}>
          Annuler
        </button>
      )}
    </form>
  );
}

function StepForm({ step, error, act }: { step: Step; error: unknown; act: (run: () => Promise<ThesisView | void>, done: string) => Promise<boolean> }) {
  const [plannedOn, setPlannedOn] = useState(step.plannedOn ?? '');
  const [doneOn, setDoneOn] = useState(step.doneOn ?? '');
  const [note, setNote] = useState(step.note);
  const prefix = `step-${step.position}`;
  const save = (event: FormEvent) => {
    event.preventDefault();
    void act(() => request<ThesisView>('PATCH', `/thesis-steps/${step.id}`, { body: { plannedOn: plannedOn || null, doneOn: doneOn || null, note } }).then((r) => r.body), `Étape « ${step.label} » enregistrée.`);
  };
  const upload = (file: File) => {
    const form = new FormData();
    form.append('file', file);
    void act(() => request<ThesisView>('POST', `/thesis-steps/${step.id}/documents`, { raw: form }).then((r) => r.body), `Document ajouté à l’étape « ${step.label} ».`);
  };
  return (
    <form onSubmit={save} aria-labelledby={`${prefix}-title`}>
      <h3 id={`${prefix}-title`}>{step.label}</h3>
      <div className="thesis-step-form">
        <div>
          <label htmlFor={`${prefix}-planned`}>Prévue le</label>
          <input id={`${prefix}-planned`} type="date" value={plannedOn} onChange={(e) => setPlannedOn(e.target.value)} />
        </div>
        <div>
          <label htmlFor={`${prefix}-done`}>Franchie le</label>
          <input id={`${prefix}-done`} type="date" value={doneOn} onChange={(e) => setDoneOn(e.target.value)} aria-describedby={fieldErrors(error, 'doneOn').length ? `${prefix}-done-error` : undefined} />
        </div>
        <textarea aria-label={`Note : ${step.label}`} rows={2} maxLength={2000} value={note} placeholder="Note (facultative)" onChange={(e) => setNote(e.target.value)} />
        <div>
          <button type="submit">
            Enregistrer<span className="visually-hidden"> l’étape « {step.label} »</span>
          </button>
        </div>
        <FileInput id={`${prefix}-file`} label={`Ajouter un document (PDF, PNG, JPEG) : ${step.label}`} accept="application/pdf,image/png,image/jpeg" onFile={upload} />
      </div>
      <FieldError id={`${prefix}-done-error`} messages={fieldErrors(error, 'doneOn')} />
    </form>
  );
}
