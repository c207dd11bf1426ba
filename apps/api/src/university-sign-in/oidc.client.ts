import * as oidc from 'openid-client';
import { open } from './secret-box';

/** The provider could not be reached (discovery or token call timed out, refused, failed). */
export class OidcUnavailable extends Error {}

export interface OidcSettings {
  issuer: string;
  clientId: string;
  clientSecret: string | null;
  /** Changes whenever the admin saves: a new configuration is discovered again. */
  version: string;
}

/** A faculty's OpenID settings as discovery needs them, its client secret opened. */
export function oidcSettingsOf(facultyId: string, settings: { issuer: string | null; clientId: string | null; clientSecret?: Buffer | null; updatedAt: Date }, secretKey: Buffer | undefined): OidcSettings {
  return {
    issuer: settings.issuer!,
    clientId: settings.clientId!,
    clientSecret: settings.clientSecret && secretKey ? open(secretKey, settings.clientSecret, facultyId) : null,
    version: settings.updatedAt.toISOString(),
  };
}

const TIMEOUT_SECONDS = 5;
const loopback = new Set(['127.0.0.1', 'localhost', '[::1]']);

/**
 * Plain http is allowed for a provider on this machine outside production only (the tests'
 * oidc-provider); a production issuer must be https, checked when saved and again here.
 */
export function insecureAllowed(issuer: URL, env: string): boolean {
  return env !== 'production' && issuer.protocol === 'http:' && loopback.has(issuer.hostname);
}

/** Discovered configurations by faculty, rediscovered when the admin saves new settings. */
export class OidcConfigurations {
  private readonly known = new Map<string, { version: string; configuration: Promise<oidc.Configuration> }>();

  constructor(private readonly env: string) {}

  get(facultyId: string, settings: OidcSettings): Promise<oidc.Configuration> {
    const cached = this.known.get(facultyId);
    if (cached && cached.version === settings.version) return cached.configuration;
    const configuration = this.discover(settings);
    this.known.set(facultyId, { version: settings.version, configuration });
    // A failed discovery (provider down) is tried again on the next sign-in.
    configuration.catch(() => {
      if (this.known.get(facultyId)?.configuration === configuration) this.known.delete(facultyId);
    });
    return configuration;
  }

  private async discover(settings: OidcSettings): Promise<oidc.Configuration> {
    const issuer = new URL(settings.issuer);
    const insecure = insecureAllowed(issuer, this.env);
    if (issuer.protocol !== 'https:' && !insecure) throw new OidcUnavailable(`Issuer ${settings.issuer} is not https`);
    const auth = settings.clientSecret ? oidc.ClientSecretBasic(settings.clientSecret) : oidc.None();
    try {
      return await oidc.discovery(issuer, settings.clientId, undefined, auth, {
        timeout: TIMEOUT_SECONDS,
        execute: insecure ? [oidc.allowInsecureRequests] : [],
      });
    } catch (error) {
      throw new OidcUnavailable(`Discovery of ${settings.issuer} failed: ${(error as Error).message}`);
    }
  }
}

export { oidc };
