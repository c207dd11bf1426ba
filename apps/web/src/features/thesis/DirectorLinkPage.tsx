import type { ThesisDirectorPageView } from '@carnet/contracts';
import { FormEvent, useEffect, useState } from 'react';
import { api } from '../../api';
import { ErrorMessage } from '../../components/ErrorMessage';
import { FieldError, fieldErrors } from '../../components/FieldError';
import { HeaderBrand } from '../auth/LoginPage';
import { dateFr } from '../../labels';
import { STEP_STATE_LABELS, ThesisComments } from './ThesisPanel';
import './thesis.css';

/** The link's token, from the address's fragment (never sent to the server with the page). */
const tokenOfLocation = () => new URLSearchParams(window.location.hash.replace(/^#/, '')).get('jeton') ?? '';

/**
 * The page a thesis director without an account opens from their mail: the thesis, read-only,
 * and one comment. Nothing else of the intern's portfolio is reachable from here.
 */
export function DirectorLinkPage() {
  const [token] = useState(tokenOfLocation);
  const [page, setPage] = useState<ThesisDirectorPageView | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [body, setBody] = useState('');
  const [sent, setSent] = useState(false);

  useEffect(() => {
    if (!token) return;
    api.post<ThesisDirectorPageView>('/thesis-director/view', { token }).then(setPage, setError);
  }, [token]);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setError(null);
    try {
      setPage(await api.post<ThesisDirectorPageView>('/thesis-director/comments', { token, body }));
      setSent(true);
    } catch (e) {
      setError(e);
    }
  };

  return (
    <>
      <header className="top">
        <HeaderBrand />
      </header>
      <main id="contenu" className="director-page">
        <h1>Direction de thèse</h1>
        {!token && <p className="alert error">Ce lien est incomplet : ouvrez-le depuis l’e-mail reçu.</p>}
        <ErrorMessage error={error} />
        {page && (
          <>
            <p>
              Bonjour {page.directorName}, voici la thèse de <strong>{page.internName}</strong>.
            </p>
            <section className="card" aria-labelledby="director-thesis-title">
              <h2 id="director-thesis-title">{page.subject}</h2>
              <table className="thesis-steps">
                <caption>Étapes</caption>
                <thead>
                  <tr>
                    <th scope="col">Étape</th>
                    <th scope="col">Prévue le</th>
                    <th scope="col">Franchie le</th>
                    <th scope="col">État</th>
                  </tr>
                </thead>
                <tbody>
                  {page.steps.map((s) => (
                    <tr key={s.position}>
                      <th scope="row">{s.label}</th>
                      <td>{dateFr(s.plannedOn)}</td>
                      <td>{dateFr(s.doneOn)}</td>
                      <td>
                        <span className={`step-state ${s.state}`}>{STEP_STATE_LABELS[s.state]}</span>
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </section>
            <section className="card" aria-labelledby="director-comments-title">
              <h2 id="director-comments-title">Commentaires</h2>
              <ThesisComments comments={page.comments} />
            </section>
            {sent ? (
              <p className="alert success" role="status">
                Merci : votre commentaire est transmis à {page.internName}. Ce lien a servi ; l’interne pourra vous en envoyer un autre.
              </p>
            ) : (
              <form className="card" onSubmit={submit} aria-labelledby="director-form-title">
                <h2 id="director-form-title">Votre commentaire</h2>
                <p className="meta">Ce lien permet un commentaire, jusqu’au {dateFr(page.expiresAt)}.</p>
                <label htmlFor="director-comment">Commentaire pour {page.internName}</label>
                <textarea id="director-comment" rows={6} required maxLength={10000} value={body} onChange={(e) => setBody(e.target.value)} aria-describedby={fieldErrors(error, 'body').length ? 'director-comment-error' : undefined} />
                <FieldError id="director-comment-error" messages={fieldErrors(error, 'body')} />
                <button type="submit" className="primary">
                  Envoyer le commentaire
                </button>
              </form>
            )}
          </>
        )}
      </main>
    </>
  );
}
