import { FormEvent, ReactNode, useCallback, useEffect, useRef, useState } from 'react';
import { ApiError, NewFaculty, OperatorFaculty, operatorFaculties } from '../../api';
import { ErrorMessage } from '../../components/ErrorMessage';
import { FieldError, fieldErrors } from '../../components/FieldError';
import { dateFr } from '../../labels';
import { useRouter } from '../../router';
import './faculties.css';

export const OPERATOR_HOME = '/operateur';

const COUNTS: [keyof OperatorFaculty['counts'], string][] = [
  ['interns', 'Internes'],
  ['tutors', 'Tuteurs'],
  ['juries', 'Jurys'],
  ['admins', 'Administrateurs'],
  ['traces', 'Traces'],
  ['exports', 'Exports'],
];

const number = (n: number) => n.toLocaleString('fr-FR');

/**
 * The national operator's one page: the deployment's faculties with their counts (never a
 * member's name or a trace), a new faculty with its first admin, a rename, a closing or a
 * reopening, each asked twice.
 */
export function OperatorPage() {
  const { path } = useRouter();
  const [faculties, setFaculties] = useState<OperatorFaculty[] | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [renaming, setRenaming] = useState<OperatorFaculty | null>(null);
  const [toggling, setToggling] = useState<OperatorFaculty | null>(null);

  // Whatever address the operator signed in at, their home is this page's.
  useEffect(() => {
    if (path !== OPERATOR_HOME) {
      window.history.replaceState(null, '', OPERATOR_HOME);
      window.dispatchEvent(new PopStateEvent('popstate'));
    }
  }, [path]);

  const load = useCallback(() => operatorFaculties.list().then(setFaculties, setError), []);
  useEffect(() => {
    void load();
  }, [load]);

  const replace = (updated: OperatorFaculty) => setFaculties((list) => (list ?? []).map((f) => (f.id === updated.id ? updated : f)));

  return (
    <>
      <h1>Facultés</h1>
      <p className="lead">Les facultés de ce déploiement et leurs effectifs. Leur contenu et les noms de leurs membres restent à elles.</p>
      <section className="card" aria-labelledby="faculties-title">
        <h2 id="faculties-title">Facultés du déploiement</h2>
        <ErrorMessage error={error} />
        <p className="meta" role="status">
          {notice ?? (faculties ? `${faculties.length} faculté${faculties.length > 1 ? 's' : ''}` : 'Chargement…')}
        </p>
        {faculties && faculties.length > 0 && (
          <div className="table-scroll">
            <table className="operator-faculties" aria-labelledby="faculties-title">
              <thead>
                <tr>
                  <th scope="col">Faculté</th>
                  <th scope="col">Code</th>
                  <th scope="col">État</th>
                  {COUNTS.map(([key, label]) => (
                    <th scope="col" key={key} className="count">
                      {label}
                    </th>
                  ))}
                  <th scope="col">Actions</th>
                </tr>
              </thead>
              <tbody>
                {faculties.map((faculty) => (
                  <tr key={faculty.id} className={faculty.active ? undefined : 'closed'}>
                    <th scope="row">
                      {faculty.name}
                      <span className="meta"> créée le {dateFr(faculty.createdAt)}</span>
                    </th>
                    <td>
                      <code>{faculty.code}</code>
                    </td>
                    <td>{faculty.active ? 'Ouverte' : 'Fermée'}</td>
                    {COUNTS.map(([key]) => (
                      <td key={key} className="count">
                        {number(faculty.counts[key])}
                      </td>
                    ))}
                    <td className="actions">
                      <button type="button" aria-label={`Renommer ${faculty.name}`} onClick={() => setRenaming(faculty)}>
                        Renommer
                      </button>
                      <button type="button" aria-label={`${faculty.active ? 'Fermer' : 'Rouvrir'} ${faculty.name}…`} onClick={() => setToggling(faculty)}>
                        {faculty.active ? 'Fermer…' : 'Rouvrir…'}
                      </button>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </section>
      <CreateFaculty
        onCreated={(faculty) => {
          setFaculties((list) => [...(list ?? []), faculty].sort((a, b) => a.name.localeCompare(b.name, 'fr')));
        }}
      />
      {renaming && (
        <RenameDialog
          faculty={renaming}
          onDone={(updated) => {
            setRenaming(null);
            if (!updated) return;
            replace(updated);
            setNotice(`La faculté s’appelle désormais « ${updated.name} ».`);
          }}
        />
      )}
      {toggling && (
        <ToggleDialog
          faculty={toggling}
          onDone={(updated) => {
            setToggling(null);
            if (!updated) return;
            replace(updated);
            setNotice(updated.active ? `« ${updated.name} » est rouverte : ses membres peuvent de nouveau se connecter.` : `« ${updated.name} » est fermée : ses membres ont été déconnectés.`);
          }}
        />
      )}
    </>
  );
}

const EMPTY: NewFaculty = { code: '', name: '', admin: { email: '', firstName: '', lastName: '' } };

function CreateFaculty({ onCreated }: { onCreated: (faculty: OperatorFaculty) => void }) {
  const [form, setForm] = useState<NewFaculty>(EMPTY);
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const [created, setCreated] = useState<{ name: string; admin: string; link?: string } | null>(null);
  const admin = (field: keyof NewFaculty['admin'], value: string) => setForm({ ...form, admin: { ...form.admin, [field]: value } });

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    setError(null);
    setCreated(null);
    try {
      const answer = await operatorFaculties.create(form);
      const { invitationLink, ...faculty } = answer;
      onCreated(faculty);
      setCreated({ name: faculty.name, admin: `${form.admin.firstName.trim()} ${form.admin.lastName.trim()}`, link: invitationLink });
      setForm(EMPTY);
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };

  const field = (id: string, path: string, label: string, input: ReactNode, hint?: string) => {
    const messages = fieldErrors(error, path);
    return (
      <div className="grow">
        <label htmlFor={id}>{label}</label>
        {hint && (
          <p className="meta" id={`${id}-hint`}>
            {hint}
          </p>
        )}
        {input}
        <FieldError id={`${id}-error`} messages={messages} />
      </div>
    );
  };
  const described = (id: string, path: string, hint = false) =>
    [hint ? `${id}-hint` : '', fieldErrors(error, path).length ? `${id}-error` : ''].filter(Boolean).join(' ') || undefined;

  return (
    <section className="card" aria-labelledby="new-faculty-title">
      <h2 id="new-faculty-title">Nouvelle faculté</h2>
      {created && (
        <div className="alert success" role="status">
          <p>La faculté « {created.name} » est créée.</p>
          {created.link ? (
            <>
              <p>Le courriel n’est pas configuré sur ce serveur : transmettez ce lien à {created.admin}, qui y choisira son mot de passe.</p>
              <label htmlFor="faculty-invitation-link">Lien d’invitation de {created.admin}</label>
              <input id="faculty-invitation-link" readOnly value={created.link} onFocus={(event) => event.currentTarget.select()} />
            </>
          ) : (
            <p>{created.admin} en est l’administrateur : invité par courriel, ou, déjà membre d’une autre faculté, avec son mot de passe actuel.</p>
          )}
        </div>
      )}
      <form onSubmit={submit} aria-labelledby="new-faculty-title" noValidate>
        <ErrorMessage error={error instanceof ApiError && error.problem.errors?.length ? new Error(error.problem.detail) : error} />
        <div className="row">
          {field(
            'faculty-name',
            'name',
            'Nom de la faculté',
            <input id="faculty-name" required value={form.name} aria-describedby={described('faculty-name', 'name')} onChange={(e) => setForm({ ...form, name: e.target.value })} />,
          )}
          {field(
            'faculty-code',
            'code',
            'Code',
            <input
              id="faculty-code"
              required
              pattern="[a-z0-9\-]{2,40}"
              value={form.code}
              aria-describedby={described('faculty-code', 'code', true)}
              onChange={(e) => setForm({ ...form, code: e.target.value })}
            />,
            'Lettres minuscules, chiffres et tirets : il figure dans les adresses de connexion.',
          )}
        </div>
        <fieldset className="first-admin">
          <legend>Premier administrateur</legend>
          <div className="row">
            {field(
              'faculty-admin-email',
              'admin.email',
              'E-mail',
              <input id="faculty-admin-email" type="email" autoComplete="off" required value={form.admin.email} aria-describedby={described('faculty-admin-email', 'admin.email')} onChange={(e) => admin('email', e.target.value)} />,
            )}
            {field(
              'faculty-admin-first-name',
              'admin.firstName',
              'Prénom',
              <input id="faculty-admin-first-name" required value={form.admin.firstName} aria-describedby={described('faculty-admin-first-name', 'admin.firstName')} onChange={(e) => admin('firstName', e.target.value)} />,
            )}
            {field(
              'faculty-admin-last-name',
              'admin.lastName',
              'Nom',
              <input id="faculty-admin-last-name" required value={form.admin.lastName} aria-describedby={described('faculty-admin-last-name', 'admin.lastName')} onChange={(e) => admin('lastName', e.target.value)} />,
            )}
          </div>
        </fieldset>
        <button type="submit" className="primary" disabled={busy}>
          {busy ? 'Création…' : 'Créer la faculté'}
        </button>
      </form>
    </section>
  );
}

/** A native modal dialog: focus moves in and stays, Échap cancels, focus returns to the opener. */
function Dialog({ title, onCancel, children }: { title: string; onCancel: () => void; children: ReactNode }) {
  const dialog = useRef<HTMLDialogElement>(null);
  useEffect(() => {
    const element = dialog.current;
    if (!element) return;
    const opener = document.activeElement as HTMLElement | null;
    if (!element.open) element.showModal();
    element.querySelector<HTMLElement>('[data-autofocus]')?.focus();
    return () => {
      if (element.open) element.close();
      opener?.focus();
    };
  }, []);
  return (
    <dialog
      ref={dialog}
      className="confirm-dialog"
      aria-labelledby="faculty-dialog-title"
      onCancel={(event) => {
        event.preventDefault();
        onCancel();
      }}
    >
      <h2 id="faculty-dialog-title">{title}</h2>
      {children}
    </dialog>
  );
}

function RenameDialog({ faculty, onDone }: { faculty: OperatorFaculty; onDone: (updated: OperatorFaculty | null) => void }) {
  const [name, setName] = useState(faculty.name);
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    setError(null);
    try {
      onDone(await operatorFaculties.update(faculty.id, { name }));
    } catch (e) {
      setError(e);
      setBusy(false);
    }
  };
  const messages = fieldErrors(error, 'name');
  return (
    <Dialog title={`Renommer « ${faculty.name} »`} onCancel={() => onDone(null)}>
      <form onSubmit={submit} aria-labelledby="faculty-dialog-title">
        {!messages.length && <ErrorMessage error={error} />}
        <label htmlFor="faculty-new-name">Nouveau nom</label>
        <input id="faculty-new-name" data-autofocus required value={name} aria-describedby={messages.length ? 'faculty-new-name-error' : undefined} onChange={(e) => setName(e.target.value)} />
        <FieldError id="faculty-new-name-error" messages={messages} />
        <div className="dialog-actions">
          <button type="button" onClick={() => onDone(null)}>
            Annuler
          </button>
          <button type="submit" className="primary" disabled={busy}>
            Renommer
          </button>
        </div>
      </form>
    </Dialog>
  );
}

function ToggleDialog({ faculty, onDone }: { faculty: OperatorFaculty; onDone: (updated: OperatorFaculty | null) => void }) {
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const closing = faculty.active;
  const confirm = async () => {
    setBusy(true);
    setError(null);
    try {
      onDone(await operatorFaculties.update(faculty.id, { active: !closing }));
    } catch (e) {
      setError(e);
      setBusy(false);
    }
  };
  return (
    <Dialog title={closing ? `Fermer « ${faculty.name} » ?` : `Rouvrir « ${faculty.name} » ?`} onCancel={() => onDone(null)}>
      <ErrorMessage error={error} />
      {closing ? (
        <p>Ses membres sont déconnectés sur-le-champ et ne pourront plus se connecter. Rien n’est supprimé : vous pourrez la rouvrir.</p>
      ) : (
        <p>Ses membres pourront de nouveau se connecter et retrouveront tout ce qu’elle contenait.</p>
      )}
      <div className="dialog-actions">
        <button type="button" data-autofocus onClick={() => onDone(null)}>
          Annuler
        </button>
        <button type="button" className="primary" disabled={busy} onClick={() => void confirm()}>
          {closing ? 'Fermer la faculté' : 'Rouvrir la faculté'}
        </button>
      </div>
    </Dialog>
  );
}
