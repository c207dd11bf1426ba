import { FormEvent, useState } from 'react';
import { api, ApiError, Page } from '../../api';
import { ErrorMessage, SuccessMessage } from '../../components/ErrorMessage';
import { UserPicker, UserRow } from './UserPicker';
import './organisation.css';
import { dateFr } from '../../labels';
import { fieldErrors, FieldError } from '../../components/FieldError';
import { Pager } from '../../components/Pager';
import { useLatest } from '../../components/useLatest';

interface Tutorship {
  id: string;
  promotion: number;
  active: boolean;
  startedAt: string;
  endedAt: string | null;
  endReason: string | null;
  tutor: { id: string; displayName: string };
  intern: { id: string; displayName: string };
}

const PAGE_SIZE = 20;

const explain = (error: unknown) => {
  if (error instanceof ApiError && error.problem.code === 'tutor_already_has_promotion_tutee') {
    return new Error(
      `${error.problem.detail} La règle vaut pendant tout le DES : choisissez un autre tuteur pour cet interne, ou mettez d’abord fin au tutorat en cours de ce MSU dans cette promotion (liste « En cours » ci-dessous).`,
    );
  }
  if (error instanceof ApiError && error.problem.code === 'intern_already_has_tutor') {
    return new Error(`${error.problem.detail} Un interne a un seul tuteur à la fois : l’historique est conservé quand il en change.`);
  }
  return error;
};

/** Tutorships: assign a tutor, list current and past ones, end one with its reason. */
export function TutorshipsSection() {
  const [tutor, setTutor] = useState<UserRow | null>(null);
  const [intern, setIntern] = useState<UserRow | null>(null);
  const [message, setMessage] = useState<string | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [active, setActive] = useState(true);
  const [filterTutor, setFilterTutor] = useState<UserRow | null>(null);
  const [filterIntern, setFilterIntern] = useState<UserRow | null>(null);
  const [promotion, setPromotion] = useState('');
  const [page, setPage] = useState(1);
  const [ending, setEnding] = useState<Tutorship | null>(null);
  const [reason, setReason] = useState('');
  const [endError, setEndError] = useState<unknown>(null);

  const query = new URLSearchParams({ active: String(active), page: String(page), pageSize: String(PAGE_SIZE) });
  if (filterTutor) query.set('tutorId', filterTutor.id);
  if (filterIntern) query.set('internId', filterIntern.id);
  if (/^\d{4}$/.test(promotion)) query.set('promotion', promotion);
  const { data: list, error: listError, reload: load } = useLatest<Page<Tutorship>>(`/tutorships?${query}`);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setMessage(null);
    setError(null);
    if (!tutor || !intern) return setError(new Error('Choisissez un tuteur et un interne dans les listes proposées.'));
    try {
      await api.post('/tutorships', { tutorId: tutor.id, internId: intern.id });
      setMessage(`${tutor.displayName} est désormais tuteur de ${intern.displayName}.`);
      setActive(true);
      setPage(1);
      load();
    } catch (e) {
      setError(explain(e));
    }
  };

  const end = async (event: FormEvent) => {
    event.preventDefault();
    if (!ending) return;
    setEndError(null);
    try {
      await api.post(`/tutorships/${ending.id}/end`, { reason });
      setError(null);
      setMessage(`Le tutorat de ${ending.intern.displayName} par ${ending.tutor.displayName} est terminé. Il reste dans l’historique.`);
      setEnding(null);
      setReason('');
      load();
    } catch (e) {
      setEndError(e);
    }
  };

  return (
    <>
      <form className="card" onSubmit={submit} aria-labelledby="tutorship-title">
        <h2 id="tutorship-title">Attribuer un tuteur</h2>
        <p className="meta">Un MSU suit au plus un interne par promotion ; un interne a un seul tuteur à la fois.</p>
        <div className="org-grid">
          <UserPicker id="tutorship-tutor" label="Tuteur (MSU)" role="tutor" onPick={setTutor} required />
          <UserPicker id="tutorship-intern" label="Interne" role="intern" onPick={setIntern} required />
        </div>
        <div className="org-actions">
          <button type="submit" className="primary">
            Attribuer
          </button>
        </div>
        <ErrorMessage error={error} />
        <SuccessMessage message={message} />
      </form>

      <section className="card" aria-labelledby="tutorships-list-title">
        <h2 id="tutorships-list-title">Tutorats</h2>
        <div className="org-tabs" role="group" aria-label="Tutorats affichés">
          <button type="button" aria-pressed={active} onClick={() => (setActive(true), setPage(1))}>
            En cours
          </button>
          <button type="button" aria-pressed={!active} onClick={() => (setActive(false), setPage(1))}>
            Terminés
          </button>
        </div>
        <div className="org-grid">
          <UserPicker id="tutorship-filter-tutor" label="Filtrer par tuteur" role="tutor" onPick={(u) => (setFilterTutor(u), setPage(1))} hint="Videz le champ pour voir tous les tuteurs." />
          <UserPicker id="tutorship-filter-intern" label="Filtrer par interne" role="intern" onPick={(u) => (setFilterIntern(u), setPage(1))} hint="Videz le champ pour voir tous les internes." />
          <div>
            <label htmlFor="tutorship-filter-promotion">Filtrer par promotion</label>
            <input id="tutorship-filter-promotion" inputMode="numeric" pattern="\d{4}" placeholder="ex. 2025" value={promotion} onChange={(e) => (setPromotion(e.target.value.trim()), setPage(1))} />
          </div>
        </div>
        <ErrorMessage error={listError} />
        {list && (
          <>
            <table className="org-table">
              <caption>
                {active ? 'Tutorats en cours' : 'Tutorats terminés'} : {list.total}
              </caption>
              <thead>
                <tr>
                  <th scope="col">Tuteur</th>
                  <th scope="col">Interne</th>
                  <th scope="col">Promotion</th>
                  <th scope="col">Début</th>
                  {active ? <th scope="col">Action</th> : (
                    <>
                      <th scope="col">Fin</th>
                      <th scope="col">Motif</th>
                    </>
                  )}
                </tr>
              </thead>
              <tbody>
                {list.items.map((t) => (
                  <tr key={t.id}>
                    <td>{t.tutor.displayName}</td>
                    <td>{t.intern.displayName}</td>
                    <td>{t.promotion}</td>
                    <td>{dateFr(t.startedAt)}</td>
                    {active ? (
                      <td>
                        <button type="button" onClick={() => (setEnding(t), setReason(''), setEndError(null))} aria-label={`Mettre fin au tutorat de ${t.intern.displayName} par ${t.tutor.displayName}`}>
                          Mettre fin
                        </button>
                      </td>
                    ) : (
                      <>
                        <td>{dateFr(t.endedAt)}</td>
                        <td>{t.endReason}</td>
                      </>
                    )}
                  </tr>
                ))}
                {!list.items.length && (
                  <tr>
                    <td colSpan={5}>Aucun tutorat {active ? 'en cours' : 'terminé'} pour ces critères.</td>
                  </tr>
                )}
              </tbody>
            </table>
            <Pager label="tutorats" page={page} pageSize={PAGE_SIZE} total={list.total} onPage={setPage} />
          </>
        )}
        {ending && (
          <form className="confirm" onSubmit={end} aria-labelledby="tutorship-end-title">
            <h3 id="tutorship-end-title">
              Mettre fin au tutorat de {ending.intern.displayName} par {ending.tutor.displayName} ?
            </h3>
            <p>L’interne pourra recevoir un autre tuteur ; le tuteur garde la lecture de ce qu’il a relu. Le tutorat reste dans l’historique.</p>
            <label htmlFor="tutorship-end-reason">Motif de la fin du tutorat</label>
            <textarea id="tutorship-end-reason" rows={2} required minLength={3} maxLength={500} value={reason} onChange={(e) => setReason(e.target.value)} aria-describedby={fieldErrors(endError, 'reason').length ? 'tutorship-end-reason-error' : undefined} />
            <FieldError id="tutorship-end-reason-error" messages={fieldErrors(endError, 'reason')} />
            <div className="org-actions">
              <button type="submit" className="primary">
                Confirmer la fin du tutorat
              </button>
              <button type="button" onClick={() => setEnding(null)}>
                Annuler
              </button>
            </div>
            <ErrorMessage error={endError} />
          </form>
        )}
      </section>
    </>
  );
}
