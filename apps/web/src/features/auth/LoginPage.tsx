import { UniversitySignInButtons } from '../../components/UniversitySignInButtons';
import { FormEvent, useEffect, useState } from 'react';
import { api } from '../../api';
import { ErrorMessage } from '../../components/ErrorMessage';
import { useSession } from '../../session';

export interface Branding {
  title: string;
  department: string;
  logoUrl: string | null;
}

/** Until /api/branding answers, the product's own name (the department's comes from the server). */
const PRODUCT_TITLE = 'Carnet — DES de médecine générale';

/** Who the sign-in page belongs to: the department's name (DUMG_NAME) and logo (CARNET_DEPARTMENT_LOGO). */
export function useBranding(): Branding | null {
  const [branding, setBranding] = useState<Branding | null>(null);
  useEffect(() => {
    let current = true;
    void api
      .get<Branding>('/branding')
      .then((b) => current && setBranding(b))
      .catch(() => undefined);
    return () => {
      current = false;
    };
  }, []);
  return branding;
}

export function LoginPage() {
  const branding = useBranding();
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
      <div style={{ display: 'flex', alignItems: 'center', gap: '1rem' }}>
        {branding?.logoUrl && <img src={branding.logoUrl} alt="" style={{ maxHeight: '4.5rem', maxWidth: '9rem' }} />}
        <div>
          <h1 style={{ margin: 0 }}>{branding?.title ?? PRODUCT_TITLE}</h1>
          {branding && <p className="lead" style={{ margin: '.2rem 0 0' }}>{branding.department}</p>}
        </div>
      </div>
      <p className="lead">Le portfolio des internes, de leurs tuteurs et des jurys.</p>
      <UniversitySignInButtons />
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

/** The header's brand: the product, the department and its logo (on white: a logo is drawn for paper). */
export function HeaderBrand() {
  const branding = useBranding();
  return (
    <div className="brand" style={{ display: 'flex', alignItems: 'center', gap: '.5rem' }}>
      {branding?.logoUrl && <img src={branding.logoUrl} alt="" style={{ height: '1.8rem', background: '#fff', borderRadius: '4px', padding: '2px' }} />}
      Carnet
      {branding && <span style={{ fontWeight: 400, fontSize: '.95rem' }}>{branding.department}</span>}
    </div>
  );
}
