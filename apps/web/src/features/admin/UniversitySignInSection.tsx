import type { UniversitySignInView } from '@carnet/contracts';
import { FormEvent, useEffect, useState } from 'react';
import { api } from '../../api';
import { ErrorMessage } from '../../components/ErrorMessage';

type Settings = UniversitySignInView;

/** What each protocol's attributes are usually called, offered when the admin switches. */
const DEFAULTS = {
  cas: { emailAttribute: 'mail', subjectAttribute: 'user' },
  oidc: { emailAttribute: 'email', subjectAttribute: 'sub' },
} as const;

/**
 * The faculty admin's university sign-in: CAS 3.0 or OpenID Connect, the attributes that carry
 * the e-mail and the stable identifier, the button's label. The client secret is write-only.
 */
export function UniversitySignInSection() {
  const [settings, setSettings] = useState<Settings | null>(null);
  const [secret, setSecret] = useState('');
  const [removeSecret, setRemoveSecret] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [saved, setSaved] = useState(false);
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    api.get<Settings>('/admin/university-sign-in').then(setSettings, setError);
  }, []);

  if (!settings) {
    return (
      <section className="card" aria-labelledby="sso-title">
        <h2 id="sso-title">Connexion universitaire</h2>
        <ErrorMessage error={error} />
        {!error && <p role="status">Chargement…</p>}
      </section>
    );
  }

  const set = <K extends keyof Settings>(key: K, value: Settings[K]) => {
    setSaved(false);
    setSettings({ ...settings, [key]: value });
  };
  const switchProtocol = (protocol: Settings['protocol']) => {
    const attributes = settings.emailAttribute === DEFAULTS[settings.protocol].emailAttribute && settings.subjectAttribute === DEFAULTS[settings.protocol].subjectAttribute ? DEFAULTS[protocol] : {};
    setSaved(false);
    setSettings({ ...settings, protocol, ...attributes });
  };

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    setError(null);
    setSaved(false);
    try {
      const body: Record<string, unknown> = {
        protocol: settings.protocol,
        enabled: settings.enabled,
        casUrl: settings.protocol === 'cas' ? settings.casUrl || null : null,
        issuer: settings.protocol === 'oidc' ? settings.issuer || null : null,
        clientId: settings.protocol === 'oidc' ? settings.clientId || null : null,
        emailAttribute: settings.emailAttribute.trim(),
        subjectAttribute: settings.subjectAttribute.trim(),
        buttonLabel: settings.buttonLabel,
        internPasswordsAllowed: settings.internPasswordsAllowed,
      };
      // Absent: the stored secret stays; empty: it is removed.
      if (removeSecret) body.clientSecret = '';
      else if (secret) body.clientSecret = secret;
      setSettings(await api.put<Settings>('/admin/university-sign-in', body));
      setSecret('');
      setRemoveSecret(false);
      setSaved(true);
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };

  const oidc = settings.protocol === 'oidc';
  return (
    <form className="card" onSubmit={submit} aria-labelledby="sso-title" noValidate>
      <h2 id="sso-title">Connexion universitaire ({settings.faculty.name})</h2>
      <p className="meta">
        Les comptes ne sont pas créés par cette connexion : ils viennent de l’import. À la première connexion, Carnet propose le compte de même adresse e-mail, que son
        titulaire confirme.
      </p>

      <label className="check">
        <input type="checkbox" checked={settings.enabled} onChange={(e) => set('enabled', e.target.checked)} />
        Proposer la connexion par l’université sur la page de connexion
      </label>

      <fieldset style={{ border: '1px solid var(--line)', borderRadius: 8, margin: '.8rem 0' }}>
        <legend style={{ fontWeight: 700, padding: '0 .3rem' }}>Protocole</legend>
        <label className="check">
          <input type="radio" name="sso-protocol" value="cas" checked={!oidc} onChange={() => switchProtocol('cas')} />
          CAS 3.0 (serveur CAS de l’université)
        </label>
        <label className="check">
          <input type="radio" name="sso-protocol" value="oidc" checked={oidc} onChange={() => switchProtocol('oidc')} />
          OpenID Connect
        </label>
      </fieldset>

      {oidc ? (
        <>
          <label htmlFor="sso-issuer">Émetteur (issuer)</label>
          <input id="sso-issuer" type="url" required aria-describedby="sso-issuer-help" value={settings.issuer ?? ''} onChange={(e) => set('issuer', e.target.value)} />
          <p id="sso-issuer-help" className="meta">
            Par exemple <code>https://login.univ-exemple.fr/realms/etudiants</code> : Carnet y lit <code>/.well-known/openid-configuration</code>.
          </p>
          <label htmlFor="sso-client-id">Identifiant du client</label>
          <input id="sso-client-id" required autoComplete="off" value={settings.clientId ?? ''} onChange={(e) => set('clientId', e.target.value)} />
          <label htmlFor="sso-client-secret">Secret du client</label>
          <input
            id="sso-client-secret"
            type="password"
            autoComplete="new-password"
            aria-describedby="sso-secret-help"
            value={secret}
            disabled={removeSecret}
            onChange={(e) => {
              setSaved(false);
              setSecret(e.target.value);
            }}
          />
          <p id="sso-secret-help" className="meta">
            {settings.clientSecretSet ? 'Un secret est enregistré (chiffré) ; il n’est jamais réaffiché. Laissez vide pour le conserver.' : 'Aucun secret enregistré.'}
          </p>
          {settings.clientSecretSet && (
            <label className="check">
              <input type="checkbox" checked={removeSecret} onChange={(e) => setRemoveSecret(e.target.checked)} />
              Supprimer le secret enregistré
            </label>
          )}
        </>
      ) : (
        <>
          <label htmlFor="sso-cas-url">Adresse du serveur CAS</label>
          <input id="sso-cas-url" type="url" required aria-describedby="sso-cas-help" value={settings.casUrl ?? ''} onChange={(e) => set('casUrl', e.target.value)} />
          <p id="sso-cas-help" className="meta">
            Par exemple <code>https://cas.univ-exemple.fr/cas</code> : Carnet y ajoute <code>/login</code> et <code>/p3/serviceValidate</code>.
          </p>
        </>
      )}

      <p className="meta">
        Adresse de retour à déclarer auprès de l’université ({oidc ? 'redirect URI' : 'service'}) : <code>{settings.callbackUrl}</code>
      </p>

      <div className="row">
        <div className="grow">
          <label htmlFor="sso-email-attribute">{oidc ? 'Revendication (claim) de l’adresse e-mail' : 'Attribut CAS de l’adresse e-mail'}</label>
          <input id="sso-email-attribute" required value={settings.emailAttribute} onChange={(e) => set('emailAttribute', e.target.value)} />
        </div>
        <div className="grow">
          <label htmlFor="sso-subject-attribute">{oidc ? 'Revendication de l’identifiant stable' : 'Attribut CAS de l’identifiant stable'}</label>
          <input id="sso-subject-attribute" required aria-describedby="sso-subject-help" value={settings.subjectAttribute} onChange={(e) => set('subjectAttribute', e.target.value)} />
        </div>
      </div>
      <p id="sso-subject-help" className="meta">
        {oidc ? <><code>sub</code> est l’identifiant stable d’OpenID Connect.</> : <><code>user</code> désigne l’identifiant CAS (uid) ; un autre nom, un attribut (ex. <code>supannEtuId</code>).</>}
      </p>

      <label htmlFor="sso-label">Libellé du bouton</label>
      <input id="sso-label" required minLength={3} maxLength={120} value={settings.buttonLabel} onChange={(e) => set('buttonLabel', e.target.value)} />

      <label className="check">
        <input type="checkbox" checked={settings.internPasswordsAllowed} onChange={(e) => set('internPasswordsAllowed', e.target.checked)} />
        Les internes peuvent aussi se connecter avec un mot de passe (les maîtres de stage le peuvent toujours)
      </label>

      <ErrorMessage error={error} />
      {saved && (
        <p role="status" className="alert success">
          Paramètres enregistrés.
        </p>
      )}
      <button type="submit" className="primary" disabled={busy}>
        {busy ? 'Enregistrement…' : 'Enregistrer'}
      </button>
    </form>
  );
}
