import { FormEvent, useEffect, useRef, useState } from 'react';
import { api, Page, request } from '../../api';
import { useLatest } from '../../components/useLatest';
import { ErrorMessage, SuccessMessage } from '../../components/ErrorMessage';
import { AdminUser, dateFr, InvitationIssued, InvitationNotice, ofName, Role, ROLE_LABELS, ROLES, Upp, useDebounced, useUpps } from './people';
import { Pager } from '../../components/Pager';

const PAGE_SIZE = 25;

/** The directory of people: search as you type, filters, pages; one user created or edited at a time. */
export function UsersSection() {
  const { upps } = useUpps();
  const [q, setQ] = useState('');
  const [role, setRole] = useState('');
  const [upp, setUpp] = useState('');
  const [promotion, setPromotion] = useState('');
  const [page, setPage] = useState(1);
  // One panel at a time, so no two fields on the page share a label.
  const [panel, setPanel] = useState<{ kind: 'create' } | { kind: 'edit'; user: AdminUser } | null>(null);
  const query = useDebounced(q);
  const promotionQuery = useDebounced(promotion);

  useEffect(() => setPage(1), [query, role, upp, promotionQuery]);
  const params = new URLSearchParams({ page: String(page), pageSize: String(PAGE_SIZE) });
  if (query.trim()) params.set('q', query.trim());
  if (role) params.set('role', role);
  if (upp) params.set('upp', upp);
  if (/^\d{4}$/.test(promotionQuery)) params.set('promotion', promotionQuery);
  const { data: list, error, reload } = useLatest<Page<AdminUser>>(`/admin/users?${params}`);

  const pages = list ? Math.max(1, Math.ceil(list.total / list.pageSize)) : 1;
  const changed = (user: AdminUser) => {
    reload();
    setPanel((p) => (p?.kind === 'edit' ? { kind: 'edit', user } : p));
  };

  return (
    <>
      <section className="card" aria-labelledby="users-title">
        <div className="section-head">
          <h2 id="users-title">Utilisateurs</h2>
          <button type="button" className="primary" onClick={() => setPanel({ kind: 'create' })} aria-expanded={panel?.kind === 'create'}>
            Nouvel utilisateur
          </button>
        </div>
        <div className="filters" role="search" aria-label="Filtrer les utilisateurs">
          <div className="grow">
            <label htmlFor="users-q">Rechercher (nom ou e-mail)</label>
            <input id="users-q" type="search" value={q} onChange={(e) => setQ(e.target.value)} autoComplete="off" />
          </div>
          <div>
            <label htmlFor="users-role">Rôle</label>
            <select id="users-role" value={role} onChange={(e) => setRole(e.target.value)}>
              <option value="">Tous</option>
              {ROLES.map((r) => (
                <option key={r} value={r}>
                  {ROLE_LABELS[r]}
                </option>
              ))}
            </select>
          </div>
          <div>
            <label htmlFor="users-upp">UPP</label>
            <select id="users-upp" value={upp} onChange={(e) => setUpp(e.target.value)}>
              <option value="">Toutes</option>
              {upps.map((u) => (
                <option key={u.code} value={u.code}>
                  {u.name}
                </option>
              ))}
            </select>
          </div>
          <div>
            <label htmlFor="users-promotion">Promotion</label>
            <input id="users-promotion" inputMode="numeric" placeholder="ex. 2025" value={promotion} onChange={(e) => setPromotion(e.target.value.trim())} />
          </div>
        </div>
        <ErrorMessage error={error} />
        <p className="meta" role="status" aria-live="polite">
          {list ? `${list.total} utilisateur${list.total > 1 ? 's' : ''}${pages > 1 ? ` — page ${list.page} sur ${pages}` : ''}` : 'Chargement…'}
        </p>
        {list && list.items.length > 0 && (
          <table className="users">
            <caption className="visually-hidden">Utilisateurs trouvés</caption>
            <thead>
              <tr>
                <th scope="col">Nom</th>
                <th scope="col">E-mail</th>
                <th scope="col">Rôles</th>
                <th scope="col">UPP</th>
                <th scope="col">Promotion</th>
                <th scope="col">État</th>
                <th scope="col">
                  <span className="visually-hidden">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {list.items.map((user) => (
                <tr key={user.id} className={user.active ? undefined : 'inactive'}>
                  <td>{user.lastName.toUpperCase()} {user.firstName}</td>
                  <td>{user.email}</td>
                  <td>{user.roles.map((r) => ROLE_LABELS[r]).join(', ')}</td>
                  <td>{user.upp ?? '—'}</td>
                  <td>{user.promotion ?? '—'}</td>
                  <td>{user.active ? 'Actif' : 'Désactivé'}</td>
                  <td>
                    <button type="button" className="link" onClick={() => setPanel({ kind: 'edit', user })} aria-label={`Modifier ${user.displayName}`}>
                      Modifier
                    </button>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
        {list && <Pager label="utilisateurs" page={list.page} pageSize={list.pageSize} total={list.total} onPage={setPage} />}
      </section>
      {panel?.kind === 'create' && <CreateUser upps={upps} onClose={() => setPanel(null)} onCreated={() => reload()} />}
      {panel?.kind === 'edit' && <EditUser key={panel.user.id} user={panel.user} onClose={() => setPanel(null)} onChanged={changed} />}
    </>
  );
}

function RoleChoices({ legend, roles, onChange }: { legend: string; roles: Role[]; onChange: (roles: Role[]) => void }) {
  return (
    <fieldset className="roles">
      <legend>{legend}</legend>
      {ROLES.map((r) => (
        <label key={r} className="check">
          <input
            type="checkbox"
            checked={roles.includes(r)}
            onChange={(e) => onChange(e.target.checked ? [...roles, r] : roles.filter((x) => x !== r))}
          />
          {ROLE_LABELS[r]}
        </label>
      ))}
    </fieldset>
  );
}

/** Moves focus to a panel when it opens, as to a new page. */
function useFocusOnOpen<T extends HTMLElement>() {
  const ref = useRef<T>(null);
  useEffect(() => ref.current?.focus(), []);
  return ref;
}

function CreateUser({ upps, onClose, onCreated }: { upps: Upp[]; onClose: () => void; onCreated: () => void }) {
  const heading = useFocusOnOpen<HTMLHeadingElement>();
  const [form, setForm] = useState({ email: '', lastName: '', firstName: '', upp: '', promotion: String(new Date().getFullYear()) });
  const [roles, setRoles] = useState<Role[]>(['intern']);
  const [error, setError] = useState<unknown>(null);
  const [created, setCreated] = useState<(AdminUser & { invitation?: InvitationIssued }) | null>(null);
  const set = (key: keyof typeof form) => (e: { target: { value: string } }) => setForm({ ...form, [key]: e.target.value });
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setError(null);
    try {
      const user = await api.post<AdminUser & { invitation?: InvitationIssued }>('/admin/users', {
        email: form.email,
        lastName: form.lastName,
        firstName: form.firstName,
        roles,
        upp: form.upp || null,
        ...(roles.includes('intern') ? { promotion: Number(form.promotion) } : {}),
      });
      setCreated(user);
      setForm({ ...form, email: '', lastName: '', firstName: '' });
      onCreated();
    } catch (e) {
      setError(e);
    }
  };
  return (
    <form className="card panel" onSubmit={submit} aria-labelledby="user-new-title">
      <h2 id="user-new-title" tabIndex={-1} ref={heading}>
        Nouvel utilisateur
      </h2>
      <p className="meta">Sans mot de passe : la personne reçoit une invitation à choisir le sien.</p>
      <div className="row">
        <div className="grow">
          <label htmlFor="new-email">E-mail</label>
          <input id="new-email" type="email" required value={form.email} onChange={set('email')} />
        </div>
        <div className="grow">
          <label htmlFor="new-last-name">Nom</label>
          <input id="new-last-name" required maxLength={100} value={form.lastName} onChange={set('lastName')} />
        </div>
        <div className="grow">
          <label htmlFor="new-first-name">Prénom</label>
          <input id="new-first-name" required maxLength={100} value={form.firstName} onChange={set('firstName')} />
        </div>
      </div>
      <RoleChoices legend="Rôles" roles={roles} onChange={setRoles} />
      <div className="row">
        <div>
          <label htmlFor="new-upp">UPP de rattachement</label>
          <select id="new-upp" value={form.upp} onChange={set('upp')}>
            <option value="">Aucune</option>
            {upps.map((u) => (
              <option key={u.code} value={u.code}>
                {u.name}
              </option>
            ))}
          </select>
        </div>
        {roles.includes('intern') && (
          <div>
            <label htmlFor="new-promotion">Promotion (année d’entrée dans le DES)</label>
            <input id="new-promotion" inputMode="numeric" required pattern="\d{4}" value={form.promotion} onChange={set('promotion')} />
          </div>
        )}
      </div>
      <div className="actions">
        <button type="submit" className="primary" disabled={roles.length === 0}>
          Créer et inviter
        </button>
        <button type="button" onClick={onClose}>
          Fermer
        </button>
      </div>
      <ErrorMessage error={error} />
      {created && (
        <>
          <p role="status">{created.displayName} a été créé(e).</p>
          {created.invitation && <InvitationNotice person={created.displayName} issued={created.invitation} />}
        </>
      )}
    </form>
  );
}

function EditUser({ user, onClose, onChanged }: { user: AdminUser; onClose: () => void; onChanged: (user: AdminUser) => void }) {
  const heading = useFocusOnOpen<HTMLHeadingElement>();
  const [roles, setRoles] = useState<Role[]>(user.roles);
  const [promotion, setPromotion] = useState(String(user.promotion ?? new Date().getFullYear()));
  const [error, setError] = useState<unknown>(null);
  const [message, setMessage] = useState<string | null>(null);
  const [invitation, setInvitation] = useState<InvitationIssued | null>(null);
  const [anonymising, setAnonymising] = useState(false);
  const [reason, setReason] = useState('');

  const act = async (work: () => Promise<string>) => {
    setError(null);
    setMessage(null);
    try {
      setMessage(await work());
    } catch (e) {
      setError(e);
    }
  };
  const patch = (body: Record<string, unknown>) => request<AdminUser>('PATCH', `/admin/users/${user.id}`, { body }).then((r) => r.body);
  const saveRoles = () =>
    act(async () => {
      const updated = await patch({ roles, promotion: roles.includes('intern') ? Number(promotion) : null });
      onChanged(updated);
      return `Rôles ${ofName(updated.displayName)} enregistrés : ${updated.roles.map((r) => ROLE_LABELS[r]).join(', ')}.`;
    });
  const setActive = (active: boolean) =>
    act(async () => {
      const updated = await patch({ active });
      onChanged(updated);
      return active ? `${updated.displayName} peut de nouveau se connecter.` : `${updated.displayName} est désactivé(e) et déconnecté(e) partout.`;
    });
  const invite = () =>
    act(async () => {
      setInvitation(await api.post<InvitationIssued>(`/admin/users/${user.id}/invitation`));
      return 'Nouvelle invitation émise ; la précédente ne fonctionne plus.';
    });
  const anonymise = (event: FormEvent) => {
    event.preventDefault();
    void act(async () => {
      await api.post(`/admin/users/${user.id}/anonymise`, { reason });
      setAnonymising(false);
      onChanged(await api.get<AdminUser>(`/admin/users/${user.id}`));
      return `${user.displayName} a été anonymisé(e).`;
    });
  };

  return (
    <section className="card panel" aria-labelledby="user-edit-title">
      <div className="section-head">
        <h2 id="user-edit-title" tabIndex={-1} ref={heading}>
          {user.displayName}
        </h2>
        <button type="button" onClick={onClose}>
          Fermer
        </button>
      </div>
      <p className="meta">
        {user.email} — compte créé le {dateFr(user.createdAt)} — {user.active ? 'actif' : 'désactivé'}
      </p>
      <div className="row">
        <RoleChoices legend={`Rôles ${ofName(user.displayName)}`} roles={roles} onChange={setRoles} />
        {roles.includes('intern') && (
          <div>
            <label htmlFor="edit-promotion">Promotion (année d’entrée dans le DES)</label>
            <input id="edit-promotion" inputMode="numeric" pattern="\d{4}" value={promotion} onChange={(e) => setPromotion(e.target.value)} />
          </div>
        )}
      </div>
      <div className="actions">
        <button type="button" className="primary" onClick={() => void saveRoles()} disabled={roles.length === 0}>
          Enregistrer les rôles
        </button>
        {user.active ? (
          <>
            <button type="button" onClick={() => void invite()}>
              Envoyer une nouvelle invitation
            </button>
            <button type="button" onClick={() => void setActive(false)}>
              Désactiver le compte
            </button>
          </>
        ) : (
          <button type="button" onClick={() => void setActive(true)}>
            Réactiver le compte
          </button>
        )}
        <button type="button" className="danger" onClick={() => setAnonymising(true)} aria-expanded={anonymising}>
          Anonymiser…
        </button>
      </div>
      <ErrorMessage error={error} />
      <SuccessMessage message={message} />
      {invitation && <InvitationNotice person={user.displayName} issued={invitation} />}
      {anonymising && (
        <form className="alert error confirm" onSubmit={anonymise} aria-labelledby="anonymise-title">
          <h3 id="anonymise-title">Anonymiser {user.displayName} ?</h3>
          <p>
            <strong>Cette action est irréversible.</strong> Le nom et l’adresse sont effacés, le compte est fermé, ses tutorats en cours prennent fin et ses
            brouillons sont supprimés ; les traces validées restent, sans nom, jusqu’à la fin de la durée de conservation.
          </p>
          <label htmlFor="anonymise-reason">Motif (inscrit au journal d’audit)</label>
          <input id="anonymise-reason" required minLength={3} maxLength={500} value={reason} onChange={(e) => setReason(e.target.value)} />
          <div className="actions">
            <button type="submit" className="danger">
              Anonymiser définitivement
            </button>
            <button type="button" onClick={() => setAnonymising(false)}>
              Annuler
            </button>
          </div>
        </form>
      )}
    </section>
  );
}
