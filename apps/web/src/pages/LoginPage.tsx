import { FormEvent, useState } from 'react';
import { api } from '../api';
import { ErrorMessage } from '../components/ErrorMessage';
import { useSession } from '../session';

export function LoginPage() {
  const { signIn } = useSession();
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const [resetSent, setResetSent] = useState(false);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    setError(null);
    try {
      await signIn(email, password);
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };
  const forgot = async () => {
    if (!email) return setError(new Error('Indiquez d’abord votre adresse e-mail.'));
    await api.post('/auth/password-reset', { email }).catch(() => undefined);
    setResetSent(true);
  };

  return (
    <main id="contenu" className="login">
      <h1>Carnet</h1>
      <p className="lead">Le portfolio du DES de médecine générale.</p>
      <form onSubmit={submit} className="card" aria-labelledby="login-title">
        <h2 id="login-title">Connexion</h2>
        <ErrorMessage error={error} />
        <label htmlFor="email">Adresse e-mail</label>
        <input id="email" type="email" autoComplete="username" required value={email} onChange={(e) => setEmail(e.target.value)} />
        <label htmlFor="password">Mot de passe</label>
        <input id="password" type="password" autoComplete="current-password" required value={password} onChange={(e) => setPassword(e.target.value)} />
        <button type="submit" className="primary" disabled={busy}>
          {busy ? 'Connexion…' : 'Se connecter'}
        </button>
        <button type="button" className="link" onClick={() => void forgot()}>
          Mot de passe oublié ?
        </button>
        {resetSent && <p role="status">Si un compte existe pour cette adresse, un lien vient d’y être envoyé.</p>}
      </form>
    </main>
  );
}
