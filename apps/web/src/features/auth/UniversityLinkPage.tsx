import { useEffect, useState } from 'react';
import { api } from '../../api';
import { ErrorMessage } from '../../components/ErrorMessage';
import { Link, useRouter } from '../../router';
import { useSession } from '../../session';

interface LinkPreview {
  subject: string;
  maskedEmail: string;
  facultyName: string;
}

/**
 * The first sign-in through the university: the account proposed by e-mail match is linked only
 * once its owner confirms here; the confirmation signs them in (the API opens the session).
 */
export function UniversityLinkPage() {
  const { search, navigate } = useRouter();
  const { refresh } = useSession();
  const token = search.get('jeton') ?? '';
  const [preview, setPreview] = useState<LinkPreview | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    api.post<LinkPreview>('/auth/university/link/preview', { token }).then(setPreview, setError);
  }, [token]);

  const confirm = async () => {
    setBusy(true);
    setError(null);
    try {
      const answer = await api.post<{ returnTo: string }>('/auth/university/link/confirm', { token });
      // The answer carries the session cookie: reading /me picks it up, with its CSRF token.
      await refresh();
      navigate(answer.returnTo || '/');
    } catch (e) {
      setError(e);
      setBusy(false);
    }
  };

  return (
    <main id="contenu" className="login">
      <h1>Lier votre compte universitaire</h1>
      <section className="card" aria-labelledby="link-title" aria-busy={!preview && !error}>
        <h2 id="link-title">Première connexion par votre université</h2>
        <ErrorMessage error={error} />
        {preview && (
          <>
            <p>
              Votre compte universitaire « <strong>{preview.subject}</strong> » sera lié au compte Carnet de <strong>{preview.maskedEmail}</strong> ({preview.facultyName}). Confirmer ?
            </p>
            <p className="meta">Ensuite, vous vous connecterez directement par votre université. Si ce compte Carnet n’est pas le vôtre, annulez et adressez-vous à votre DUMG.</p>
            <div className="row">
              <button type="button" className="primary" onClick={() => void confirm()} disabled={busy}>
                {busy ? 'Liaison…' : 'Confirmer la liaison'}
              </button>
              <Link to="/">Annuler</Link>
            </div>
          </>
        )}
        {!preview && !error && <p role="status">Chargement…</p>}
        {error !== null && !preview && (
          <p>
            <Link to="/">Revenir à la page de connexion</Link>
          </p>
        )}
      </section>
    </main>
  );
}
