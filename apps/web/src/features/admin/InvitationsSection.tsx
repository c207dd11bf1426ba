import { useEffect, useState } from 'react';
import { api, Page } from '../../api';
import { useLatest } from '../../components/useLatest';
import { ErrorMessage } from '../../components/ErrorMessage';
import { dateFr, InvitationIssued, InvitationNotice, ofName, Role, ROLE_LABELS, useDebounced } from './people';
import { Pager } from '../../components/Pager';

type Status = 'sent' | 'accepted' | 'expired';
const STATUS_LABELS: Record<Status, string> = { sent: 'Envoyée', accepted: 'Acceptée', expired: 'Expirée' };

interface Invitation {
  userId: string;
  email: string;
  displayName: string;
  roles: Role[];
  status: Status;
  sentAt: string;
  expiresAt: string;
  acceptedAt: string | null;
}

const PAGE_SIZE = 25;

/** Each person's latest invitation; « Renvoyer » issues a new link, the old one stops working. */
export function InvitationsSection() {
  const [q, setQ] = useState('');
  const [status, setStatus] = useState('');
  const [page, setPage] = useState(1);
  const [actionError, setActionError] = useState<unknown>(null);
  const [issued, setIssued] = useState<{ person: string; issued: InvitationIssued } | null>(null);
  const query = useDebounced(q);

  useEffect(() => setPage(1), [query, status]);
  const params = new URLSearchParams({ page: String(page), pageSize: String(PAGE_SIZE) });
  if (query.trim()) params.set('q', query.trim());
  if (status) params.set('status', status);
  const { data: list, error: listError, reload } = useLatest<Page<Invitation> & { mailConfigured: boolean }>(`/admin/invitations?${params}`);
  const error = actionError ?? listError;

  const resend = async (invitation: Invitation) => {
    setActionError(null);
    try {
      const result = await api.post<InvitationIssued>(`/admin/users/${invitation.userId}/invitation`);
      setIssued({ person: invitation.displayName, issued: result });
      reload();
    } catch (e) {
      setActionError(e);
    }
  };
  const pages = list ? Math.max(1, Math.ceil(list.total / list.pageSize)) : 1;

  return (
    <section className="card" aria-labelledby="invitations-title">
      <h2 id="invitations-title">Invitations</h2>
      {list && !list.mailConfigured && (
        <p className="alert warning">
          Le courriel n’est pas configuré sur ce serveur (pas de SMTP) : les invitations ne partent pas. « Renvoyer » affiche un nouveau lien, à remettre vous-même à
          la personne ; il ne sert qu’une fois et annule le précédent.
        </p>
      )}
      <div className="filters" role="search" aria-label="Filtrer les invitations">
        <div className="grow">
          <label htmlFor="invitations-q">Rechercher une personne</label>
          <input id="invitations-q" type="search" value={q} onChange={(e) => setQ(e.target.value)} autoComplete="off" />
        </div>
        <div>
          <label htmlFor="invitations-status">État</label>
          <select id="invitations-status" value={status} onChange={(e) => setStatus(e.target.value)}>
            <option value="">Tous</option>
            {(Object.keys(STATUS_LABELS) as Status[]).map((s) => (
              <option key={s} value={s}>
                {STATUS_LABELS[s]}
              </option>
            ))}
          </select>
        </div>
      </div>
      <ErrorMessage error={error} />
      {issued && <InvitationNotice key={issued.issued.expiresAt + (issued.issued.link ?? '')} person={issued.person} issued={issued.issued} />}
      <p className="meta" role="status" aria-live="polite">
        {list ? `${list.total} invitation${list.total > 1 ? 's' : ''}${pages > 1 ? ` — page ${list.page} sur ${pages}` : ''}` : 'Chargement…'}
      </p>
      {list && list.items.length > 0 && (
        <table>
          <caption className="visually-hidden">Invitations</caption>
          <thead>
            <tr>
              <th scope="col">Personne</th>
              <th scope="col">Rôles</th>
              <th scope="col">État</th>
              <th scope="col">Envoyée le</th>
              <th scope="col">Acceptée ou expire le</th>
              <th scope="col">
                <span className="visually-hidden">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {list.items.map((invitation) => (
              <tr key={invitation.userId}>
                <td>
                  {invitation.displayName}
                  <br />
                  <span className="meta">{invitation.email}</span>
                </td>
                <td>{invitation.roles.map((r) => ROLE_LABELS[r]).join(', ')}</td>
                <td>
                  <span className={`badge invitation-${invitation.status}`}>{STATUS_LABELS[invitation.status]}</span>
                </td>
                <td>{dateFr(invitation.sentAt)}</td>
                <td>{invitation.acceptedAt ? `acceptée le ${dateFr(invitation.acceptedAt)}` : `${invitation.status === 'expired' ? 'expirée le' : 'expire le'} ${dateFr(invitation.expiresAt)}`}</td>
                <td>
                  {invitation.status !== 'accepted' && (
                    <button type="button" onClick={() => void resend(invitation)} aria-label={`Renvoyer l’invitation ${ofName(invitation.displayName)}`}>
                      Renvoyer
                    </button>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {list && <Pager label="invitations" page={list.page} pageSize={list.pageSize} total={list.total} onPage={setPage} />}
    </section>
  );
}
