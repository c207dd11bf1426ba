import { FormEvent, useState } from 'react';
import { api } from '../api';
import { ErrorMessage } from '../components/ErrorMessage';
import { Link, useRouter } from '../router';

export function SetPasswordPage() {
  const { search } = useRouter();
  const token = search.get('jeton') ?? '';
  const [password, setPassword] = useState('');
  const [confirm, setConfirm] = useState('');
  const [error, setError] = useState<unknown>(null);
  const [done, setDone] = useState(false);
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (password !== confirm) return setError(new Error('Les deux mots de passe diffèrent.'));
    try {
      await api.post('/auth/password', { token, password });
      setDone(true);
    } catch (e) {
      setError(e);
    }
  };
  return (
    <main id="contenu" className="login">
      <h1>Choisir un mot de passe</h1>
      {done ? (
        <p role="status">
          Mot de passe enregistré. <Link to="/">Se connecter</Link>
        </p>
      ) : (
        <form onSubmit={submit} className="card">
          <ErrorMessage error={error} />
          <label htmlFor="new-password">Nouveau mot de passe (12 caractères au moins)</label>
          <input id="new-password" type="password" autoComplete="new-password" minLength={12} required value={password} onChange={(e) => setPassword(e.target.value)} />
          <label htmlFor="confirm-password">Confirmer</label>
          <input id="confirm-password" type="password" autoComplete="new-password" required value={confirm} onChange={(e) => setConfirm(e.target.value)} />
          <button type="submit" className="primary">Enregistrer</button>
        </form>
      )}
    </main>
  );
}
