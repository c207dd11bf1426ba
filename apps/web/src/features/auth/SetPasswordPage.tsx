import { FormEvent, useState } from 'react';
import { api } from '../../api';
import { ErrorMessage } from '../../components/ErrorMessage';
import { Link, useRouter } from '../../router';
import { useSession } from '../../session';

/** The page of an invitation or reset link: the chosen password signs its owner in (the API opens the session). */
export function SetPasswordPage() {
  const { search, navigate } = useRouter();
  const { refresh } = useSession();
  const token = search.get('jeton') ?? '';
  const [password, setPassword] = useState('');
  const [confirm, setConfirm] = useState('');
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const [done, setDone] = useState(false);
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setError(null);
    if (password !== confirm) return setError(new Error('Les deux mots de passe diffèrent.'));
    setBusy(true);
    try {
      await api.post('/auth/password', { token, password });
    } catch (e) {
      setBusy(false);
      return setError(e);
    }
    // The answer carries the new session's cookie: reading /me picks it up, with its CSRF token.
    const signedIn = await refresh().then(
      () => true,
      () => false,
    );
    setBusy(false);
    // Off the link's address: the token is spent and should not stay in the history.
    if (signedIn) navigate('/');
    setDone(true);
  };
  return (
    <main id="contenu" className="login">
      <h1>Choisir un mot de passe</h1>
      {!token ? (
        <p className="alert error" role="alert">
          Ce lien est incomplet : ouvrez celui de votre e-mail d’invitation en entier, ou demandez-en un nouveau depuis la page de connexion.
        </p>
      ) : done ? (
        <p role="status">
          Mot de passe enregistré. <Link to="/">Se connecter</Link>
        </p>
      ) : (
        <form onSubmit={submit} className="card">
          <p className="meta">Une fois enregistré, vous êtes connecté : ce mot de passe servira aux connexions suivantes.</p>
          <ErrorMessage error={error} />
          <label htmlFor="new-password">Nouveau mot de passe (12 caractères au moins)</label>
          <input id="new-password" type="password" autoComplete="new-password" minLength={12} required value={password} onChange={(e) => setPassword(e.target.value)} />
          <label htmlFor="confirm-password">Confirmer le mot de passe</label>
          <input id="confirm-password" type="password" autoComplete="new-password" required value={confirm} onChange={(e) => setConfirm(e.target.value)} />
          <button type="submit" className="primary" disabled={busy}>
            Enregistrer et me connecter
          </button>
        </form>
      )}
    </main>
  );
}
