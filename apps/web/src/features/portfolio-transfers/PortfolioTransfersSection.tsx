import { FormEvent, useEffect, useState } from 'react';
import type { PortfolioTransferView } from '@carnet/contracts';
import { api, Page } from '../../api';
import { ErrorMessage, SuccessMessage } from '../../components/ErrorMessage';
import { FieldError, fieldErrors } from '../../components/FieldError';
import { Pager } from '../../components/Pager';
import { useLatest } from '../../components/useLatest';
import { dateFr } from '../../labels';
import { UserPicker, UserRow } from '../admin/UserPicker';
import '../admin/organisation.css';
import './portfolio-transfers.css';

const PAGE_SIZE = 20;
/** Sent by the release form so the lists below show the new transfer. */
const CHANGED = 'portfolio-transfers-changed';

const STATUS_LABELS: Record<PortfolioTransferView['status'], string> = {
  pending: 'En attente',
  accepted: 'Accepté',
  refused: 'Refusé',
  cancelled: 'Annulé',
};

/** What the portfolio holds, in counts: all the receiving faculty sees before accepting. */
const countsText = (c: PortfolioTransferView['counts']) =>
  `${c.traces} trace${c.traces > 1 ? 's' : ''} (dont ${c.validatedTraces} validée${c.validatedTraces > 1 ? 's' : ''}), ${c.attachments} pièce${c.attachments > 1 ? 's' : ''} jointe${c.attachments > 1 ? 's' : ''}, ${c.assessments} évaluation${c.assessments > 1 ? 's' : ''}, ${c.stages} stage${c.stages > 1 ? 's' : ''}, ${c.juryDecisions} décision${c.juryDecisions > 1 ? 's' : ''} de jury, ${c.tutorMeetings} rencontre${c.tutorMeetings > 1 ? 's' : ''} tuteur`;

/**
 * « Transferts de portfolio »: an intern moves to another faculty of the deployment. This
 * faculty releases a portfolio (and may cancel while it waits); the other faculty accepts it
 * onto its own account of the same person, or refuses it.
 */
export function PortfolioTransfersSection() {
  return (
    <>
      <ReleaseForm />
      <IncomingList />
      <OutgoingList />
    </>
  );
}

function ReleaseForm() {
  const { data: destinations } = useLatest<{ code: string; name: string }[]>('/admin/portfolio-transfers/destinations');
  const [intern, setIntern] = useState<UserRow | null>(null);
  const [code, setCode] = useState('');
  const [confirming, setConfirming] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [message, setMessage] = useState<string | null>(null);
  const destination = destinations?.find((d) => d.code === code);

  const ask = (event: FormEvent) => {
    event.preventDefault();
    setMessage(null);
    setError(null);
    if (!intern) return setError(new Error('Choisissez un interne dans la liste proposée.'));
    setConfirming(true);
  };

  const release = async () => {
    if (!intern || !destination) return;
    try {
      await api.post('/admin/portfolio-transfers', { internId: intern.id, toFacultyCode: destination.code });
      setMessage(`Le portfolio de ${intern.displayName} est proposé à ${destination.name}. Il partira quand cette faculté l’acceptera ; vous pouvez annuler d’ici là.`);
      setConfirming(false);
      window.dispatchEvent(new Event(CHANGED));
    } catch (e) {
      setConfirming(false);
      setError(e);
    }
  };

  return (
    <form className="card" onSubmit={ask} aria-labelledby="transfer-release-title">
      <h2 id="transfer-release-title">Transférer un portfolio vers une autre faculté</h2>
      <p className="meta">
        Quand un interne change de faculté, sa nouvelle faculté crée ou importe son compte (même adresse e-mail), puis accepte le transfert : traces, validations, évaluations, stages et
        décisions de jury partent avec lui, et votre faculté n’y a plus accès.
      </p>
      <div className="org-grid">
        <UserPicker id="transfer-intern" label="Interne" role="intern" onPick={(u) => (setIntern(u), setConfirming(false))} required />
        <div>
          <label htmlFor="transfer-faculty">Faculté d’accueil</label>
          <select id="transfer-faculty" required value={code} onChange={(e) => (setCode(e.target.value), setConfirming(false))} aria-describedby={fieldErrors(error, 'toFacultyCode').length ? 'transfer-faculty-error' : undefined}>
            <option value="">Choisir une faculté…</option>
            {destinations?.map((d) => (
              <option key={d.code} value={d.code}>
                {d.name}
              </option>
            ))}
          </select>
          <FieldError id="transfer-faculty-error" messages={fieldErrors(error, 'toFacultyCode')} />
        </div>
      </div>
      {!confirming && (
        <div className="org-actions">
          <button type="submit" className="primary">
            Proposer le transfert…
          </button>
        </div>
      )}
      {confirming && intern && destination && (
        <div className="confirm" role="group" aria-labelledby="transfer-release-confirm">
          <h3 id="transfer-release-confirm">
            Transférer le portfolio de {intern.displayName} vers {destination.name} ?
          </h3>
          <p>Une fois accepté, le portfolio quitte votre faculté : ses tuteurs, jurys et administrateurs ici n’y auront plus accès, et le compte de l’interne ici sera fermé.</p>
          <div className="org-actions">
            <button type="button" className="primary" onClick={release}>
              Confirmer le transfert
            </button>
            <button type="button" onClick={() => setConfirming(false)}>
              Ne pas transférer
            </button>
          </div>
        </div>
      )}
      <ErrorMessage error={error} />
      <SuccessMessage message={message} />
    </form>
  );
}

/** Reloads a list when the other parts of the section changed something. */
function useTransfers(direction: 'incoming' | 'outgoing', page: number) {
  const latest = useLatest<Page<PortfolioTransferView>>(`/admin/portfolio-transfers?direction=${direction}&page=${page}&pageSize=${PAGE_SIZE}`);
  const { reload } = latest;
  useEffect(() => {
    window.addEventListener(CHANGED, reload);
    return () => window.removeEventListener(CHANGED, reload);
  }, [reload]);
  return latest;
}

function IncomingList() {
  const [page, setPage] = useState(1);
  const { data, error, reload } = useTransfers('incoming', page);
  const [deciding, setDeciding] = useState<{ transfer: PortfolioTransferView; how: 'accept' | 'refuse' } | null>(null);
  const [reason, setReason] = useState('');
  const [decideError, setDecideError] = useState<unknown>(null);
  const [message, setMessage] = useState<string | null>(null);

  const decide = async (event: FormEvent) => {
    event.preventDefault();
    if (!deciding) return;
    const { transfer, how } = deciding;
    setDecideError(null);
    try {
      if (how === 'accept') await api.post(`/admin/portfolio-transfers/${transfer.id}/accept`, {});
      else await api.post(`/admin/portfolio-transfers/${transfer.id}/refuse`, reason.trim() ? { reason: reason.trim() } : {});
      setMessage(
        how === 'accept'
          ? `Le portfolio de ${transfer.intern.displayName} est arrivé dans votre faculté. Attribuez-lui un tuteur ici.`
          : `Le transfert du portfolio de ${transfer.intern.displayName} est refusé ; ${transfer.fromFaculty.name} en est informée.`,
      );
      setDeciding(null);
      setReason('');
      reload();
    } catch (e) {
      setDecideError(e);
    }
  };

  return (
    <section className="card" aria-labelledby="transfers-incoming-title">
      <h2 id="transfers-incoming-title">Portfolios proposés à votre faculté</h2>
      <ErrorMessage error={error} />
      <SuccessMessage message={message} />
      {data && (
        <>
          <table className="org-table">
            <caption>Transferts reçus : {data.total}</caption>
            <thead>
              <tr>
                <th scope="col">Interne</th>
                <th scope="col">Faculté d’origine</th>
                <th scope="col">Contenu</th>
                <th scope="col">Proposé le</th>
                <th scope="col">État</th>
              </tr>
            </thead>
            <tbody>
              {data.items.map((t) => (
                <tr key={t.id}>
                  <td>
                    {t.intern.displayName}
                    <br />
                    <span className="meta">
                      {t.intern.email}
                      {t.intern.promotion ? ` · promotion ${t.intern.promotion}` : ''}
                    </span>
                  </td>
                  <td>{t.fromFaculty.name}</td>
                  <td>{countsText(t.counts)}</td>
                  <td className="nowrap">{dateFr(t.releasedAt)}</td>
                  <td>
                    {t.status !== 'pending' ? (
                      <>
                        {STATUS_LABELS[t.status]} le {dateFr(t.decidedAt)}
                      </>
                    ) : t.toInternId ? (
                      <span className="org-actions">
                        <button type="button" className="primary" onClick={() => (setDeciding({ transfer: t, how: 'accept' }), setDecideError(null))} aria-label={`Accepter le portfolio de ${t.intern.displayName}`}>
                          Accepter…
                        </button>
                        <button type="button" onClick={() => (setDeciding({ transfer: t, how: 'refuse' }), setReason(''), setDecideError(null))} aria-label={`Refuser le portfolio de ${t.intern.displayName}`}>
                          Refuser…
                        </button>
                      </span>
                    ) : (
                      <>
                        <p className="alert warning">Aucun interne de votre faculté n’a l’adresse {t.intern.email} : créez ou importez son compte, puis revenez ici.</p>
                        <button type="button" onClick={() => (setDeciding({ transfer: t, how: 'refuse' }), setReason(''), setDecideError(null))} aria-label={`Refuser le portfolio de ${t.intern.displayName}`}>
                          Refuser…
                        </button>
                      </>
                    )}
                  </td>
                </tr>
              ))}
              {!data.items.length && (
                <tr>
                  <td colSpan={5}>Aucun portfolio ne vous a été proposé.</td>
                </tr>
              )}
            </tbody>
          </table>
          <Pager label="transferts reçus" page={page} pageSize={PAGE_SIZE} total={data.total} onPage={setPage} />
        </>
      )}
      {deciding && (
        <form className="confirm" onSubmit={decide} aria-labelledby="transfer-decide-title">
          <h3 id="transfer-decide-title">
            {deciding.how === 'accept' ? 'Accepter' : 'Refuser'} le portfolio de {deciding.transfer.intern.displayName} ({deciding.transfer.fromFaculty.name}) ?
          </h3>
          {deciding.how === 'accept' ? (
            <p>
              Le portfolio rejoint le compte de {deciding.transfer.intern.email} dans votre faculté : {countsText(deciding.transfer.counts)}. Ce qui a été validé là-bas restera marqué « validé à{' '}
              {deciding.transfer.fromFaculty.name} ». Le tuteur d’origine n’y aura plus accès : attribuez ensuite un tuteur ici.
            </p>
          ) : (
            <>
              <p>Le portfolio reste dans sa faculté d’origine, qui verra votre motif.</p>
              <label htmlFor="transfer-refuse-reason">Motif du refus (facultatif)</label>
              <textarea id="transfer-refuse-reason" rows={2} maxLength={1000} value={reason} onChange={(e) => setReason(e.target.value)} aria-describedby={fieldErrors(decideError, 'reason').length ? 'transfer-refuse-reason-error' : undefined} />
              <FieldError id="transfer-refuse-reason-error" messages={fieldErrors(decideError, 'reason')} />
            </>
          )}
          <div className="org-actions">
            <button type="submit" className="primary">
              {deciding.how === 'accept' ? 'Confirmer : accepter le portfolio' : 'Confirmer le refus'}
            </button>
            <button type="button" onClick={() => setDeciding(null)}>
              Revenir
            </button>
          </div>
          <ErrorMessage error={decideError} />
        </form>
      )}
    </section>
  );
}

function OutgoingList() {
  const [page, setPage] = useState(1);
  const { data, error, reload } = useTransfers('outgoing', page);
  const [actionError, setActionError] = useState<unknown>(null);
  const [message, setMessage] = useState<string | null>(null);

  const cancel = async (transfer: PortfolioTransferView) => {
    setActionError(null);
    try {
      await api.post(`/admin/portfolio-transfers/${transfer.id}/cancel`, {});
      setMessage(`Le transfert du portfolio de ${transfer.intern.displayName} vers ${transfer.toFaculty.name} est annulé.`);
      reload();
    } catch (e) {
      setActionError(e);
      reload();
    }
  };

  return (
    <section className="card" aria-labelledby="transfers-outgoing-title">
      <h2 id="transfers-outgoing-title">Portfolios transférés par votre faculté</h2>
      <ErrorMessage error={error ?? actionError} />
      <SuccessMessage message={message} />
      {data && (
        <>
          <table className="org-table">
            <caption>Transferts envoyés : {data.total}</caption>
            <thead>
              <tr>
                <th scope="col">Interne</th>
                <th scope="col">Faculté d’accueil</th>
                <th scope="col">Proposé le</th>
                <th scope="col">État</th>
              </tr>
            </thead>
            <tbody>
              {data.items.map((t) => (
                <tr key={t.id}>
                  <td>
                    {t.intern.displayName}
                    <br />
                    <span className="meta">{t.intern.email}</span>
                  </td>
                  <td>{t.toFaculty.name}</td>
                  <td className="nowrap">{dateFr(t.releasedAt)}</td>
                  <td>
                    {STATUS_LABELS[t.status]}
                    {t.decidedAt && ` le ${dateFr(t.decidedAt)}`}
                    {t.reason && (
                      <>
                        <br />
                        <span className="meta">Motif : {t.reason}</span>
                      </>
                    )}
                    {t.status === 'pending' && (
                      <>
                        {' '}
                        <button type="button" onClick={() => cancel(t)} aria-label={`Annuler le transfert du portfolio de ${t.intern.displayName}`}>
                          Annuler le transfert
                        </button>
                      </>
                    )}
                  </td>
                </tr>
              ))}
              {!data.items.length && (
                <tr>
                  <td colSpan={4}>Votre faculté n’a transféré aucun portfolio.</td>
                </tr>
              )}
            </tbody>
          </table>
          <Pager label="transferts envoyés" page={page} pageSize={PAGE_SIZE} total={data.total} onPage={setPage} />
        </>
      )}
    </section>
  );
}
