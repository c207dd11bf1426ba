import { CSSProperties, useEffect, useState } from 'react';
import { api } from '../api';
import { useRouter } from '../router';

export interface UniversityProvider {
  faculty: string;
  facultyName: string;
  protocol: 'cas' | 'oidc';
  label: string;
  loginUrl: string;
  internPasswordsAllowed: boolean;
}

/** What the API's `?universite=` codes mean, said to the person who just came back from their university. */
const MESSAGES: Record<string, string> = {
  'aucun-compte': 'Aucun compte Carnet ne correspond à votre compte universitaire : adressez-vous à votre DUMG.',
  'compte-desactive': 'Ce compte Carnet est désactivé : adressez-vous à votre DUMG.',
  'email-non-verifie': 'Votre université n’a pas vérifié l’adresse e-mail de votre compte : la liaison avec Carnet est impossible. Adressez-vous à votre DUMG.',
  echec: 'La connexion par votre université a échoué : recommencez.',
  expiree: 'La connexion par votre université a expiré ou a déjà servi : recommencez.',
  indisponible: 'Le service de connexion de votre université ne répond pas : réessayez plus tard, ou connectez-vous avec votre mot de passe.',
};

export const universitySignInMessage = (code: string | null) => (code ? (MESSAGES[code] ?? MESSAGES.echec) : null);

const buttonStyle: CSSProperties = {
  display: 'block',
  textAlign: 'center',
  padding: '.55rem .9rem',
  borderRadius: 4,
  border: '1px solid var(--accent)',
  background: '#fff',
  color: 'var(--accent)',
  fontWeight: 600,
  textDecoration: 'none',
  margin: '.4rem 0',
};

/**
 * The login page's university sign-in: one link per enabled faculty (a plain link, as the sign-in
 * leaves for the university's page), and why the last attempt came back, if it failed.
 */
export function UniversitySignInButtons() {
  const { path, search } = useRouter();
  const [providers, setProviders] = useState<UniversityProvider[]>([]);
  const message = universitySignInMessage(search.get('universite'));
  useEffect(() => {
    let live = true;
    api
      .get<{ providers: UniversityProvider[] }>('/auth/university')
      .then((answer) => live && setProviders(answer.providers))
      .catch(() => undefined);
    return () => {
      live = false;
    };
  }, []);
  // Back where the user was going, never to a page of this one's own answer.
  const returnTo = path === '/' || path === '/liaison-universitaire' ? '/' : path;
  if (!providers.length && !message) return null;
  return (
    <section aria-labelledby="university-sign-in-title" className="card">
      <h2 id="university-sign-in-title">Avec votre université</h2>
      {message && (
        <div className="alert error" role="alert">
          <p>{message}</p>
        </div>
      )}
      {providers.map((provider) => (
        <a key={provider.faculty} href={`${provider.loginUrl}?returnTo=${encodeURIComponent(returnTo)}`} style={buttonStyle}>
          {provider.label}
        </a>
      ))}
      {providers.length > 0 && <p className="meta">Les maîtres de stage universitaires se connectent avec leur adresse e-mail et leur mot de passe.</p>}
    </section>
  );
}
