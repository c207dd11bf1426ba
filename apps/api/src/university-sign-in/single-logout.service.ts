import { Inject, Injectable, Logger, OnModuleInit } from '@nestjs/common';
import { XMLParser } from 'fast-xml-parser';
import { createRemoteJWKSet, JWTPayload, jwtVerify } from 'jose';
import { CARNET_CONFIG } from '@carnet/config';
import { Faculty, FacultyRepository, SingleLogoutRepository, Transactions, UniversityProtocol, UniversitySignInConfig, UniversitySignInRepository } from '@carnet/database';
import { DomainError, ErrorCode } from '@carnet/domain';
import { ResolvedConfig } from '@carnet/infrastructure';
import { AuditService } from '../audit/audit.service';
import { SessionsService, UniversitySessionMatch } from '../auth/sessions.service';
import { SignOutRedirects } from '../auth/sign-out-redirects';
import { hashToken, newToken } from '../auth/tokens';
import { insecureAllowed, oidc, OidcConfigurations, oidcSettingsOf, OidcUnavailable } from './oidc.client';
import { open } from './secret-box';
import { idTokenSealing } from './university-sign-in.service';

/** OpenID Connect Back-Channel Logout 1.0: the event a logout token must carry. */
export const BACKCHANNEL_LOGOUT_EVENT = 'http://schemas.openid.net/event/backchannel-logout';
/** A logout token issued longer ago than this is refused: its `jti` is remembered as long, and a bit more. */
const LOGOUT_TOKEN_MAX_AGE_S = 300;
const CLOCK_TOLERANCE_S = 30;
/** Signed by the provider's key pair only: never `none`, never a MAC keyed by the client secret. */
const ASYMMETRIC = ['RS256', 'RS384', 'RS512', 'PS256', 'PS384', 'PS512', 'ES256', 'ES384', 'ES512', 'EdDSA', 'Ed25519'];
const MAX_LOGOUT_TOKEN = 16_000;
const MAX_LOGOUT_REQUEST = 10_000;
const TICKET = /^ST-[A-Za-z0-9._-]{1,500}$/;

const samlParser = new XMLParser({ removeNSPrefix: true, ignoreAttributes: true, parseTagValue: false, trimValues: true, processEntities: false });

/** Refused, with nothing changed: 400 (the specifications' answer), and a line in the log. */
class LogoutRefused extends Error {}

/**
 * Single logout with the university (ADR 0006), both ways: Carnet's sign-out sends the browser on
 * to the university's logout (OpenID RP-initiated logout, CAS `/logout`), and the university's
 * single logout (OpenID back-channel logout token, CAS SAML logoutRequest) revokes the sessions
 * its sign-in opened, and only those.
 */
@Injectable()
export class SingleLogoutService implements OnModuleInit {
  private readonly logger = new Logger(SingleLogoutService.name);
  /** Each provider's keys, fetched when a kid is unknown (jose's remote key set), by faculty and address. */
  private readonly keySets = new Map<string, { uri: string; keys: ReturnType<typeof createRemoteJWKSet> }>();

  constructor(
    @Inject(CARNET_CONFIG) private readonly config: ResolvedConfig,
    private readonly sessions: SessionsService,
    private readonly audit: AuditService,
    private readonly oidcConfigurations: OidcConfigurations,
    private readonly signOutRedirects: SignOutRedirects,
    private readonly logouts: SingleLogoutRepository,
    private readonly signIns: UniversitySignInRepository,
    private readonly faculties: FacultyRepository,
    private readonly transactions: Transactions,
  ) {}

  onModuleInit(): void {
    this.signOutRedirects.register((sessionId) => this.logoutUrl(sessionId));
  }

  /** Carnet's sign-in page: where the university sends the browser back after its logout. */
  private get signInPage(): string {
    return `${this.config.http.publicUrl}/`;
  }

  // ---- Carnet's sign-out, continued at the university ----

  /**
   * The university's logout address for a session it opened (already revoked here), or null:
   * a password session, a provider whose settings changed since, one without an end-session
   * endpoint, or one that does not answer its discovery.
   */
  async logoutUrl(sessionId: string): Promise<string | null> {
    const row = await this.logouts.universityOf(sessionId);
    if (!row) return null;
    const settings = await this.settingsOf(row.faculty_id);
    if (!settings || settings.protocol !== row.protocol) return null;
    if (settings.protocol === 'cas') return settings.casUrl ? `${settings.casUrl.replace(/\/+$/, '')}/logout?service=${encodeURIComponent(this.signInPage)}` : null;
    try {
      const configuration = await this.oidcConfigurations.get(row.faculty_id, oidcSettingsOf(row.faculty_id, settings, this.config.secretKey));
      const endpoint = configuration.serverMetadata().end_session_endpoint;
      if (!endpoint || !this.allowedAddress(endpoint)) return null;
      const parameters: Record<string, string> = { post_logout_redirect_uri: this.signInPage, state: newToken() };
      const idToken = row.id_token && this.config.secretKey ? this.openIdToken(row.id_token, row.faculty_id) : null;
      // Without the ID token (no CARNET_SECRET_KEY), the client id names Carnet to the provider.
      if (idToken) parameters.id_token_hint = idToken;
      return oidc.buildEndSessionUrl(configuration, parameters).toString();
    } catch (error) {
      this.logger.warn(`No university logout for session ${sessionId}: ${(error as Error).message}`);
      return null;
    }
  }

  private openIdToken(sealed: Buffer, facultyId: string): string | null {
    try {
      return open(this.config.secretKey!, sealed, idTokenSealing(facultyId));
    } catch {
      return null; // sealed under a key since replaced
    }
  }

  // ---- the university's single logout ----

  /**
   * OpenID Connect Back-Channel Logout 1.0: a logout token signed by this faculty's provider
   * (its JWKS), issued by it, for Carnet's client, recent, with the logout event, a sid or sub,
   * no nonce (an ID token is no logout token) and a jti never seen, revokes the sessions that
   * provider opened for that sid or sub. Anything else is refused with nothing changed.
   */
  async backChannelLogout(code: string, body: unknown): Promise<{ revoked: number }> {
    const found = await this.facultySettings(code);
    const token = (body as { logout_token?: unknown } | undefined)?.logout_token;
    try {
      if (!found || found.settings.protocol !== 'oidc' || !found.settings.issuer || !found.settings.clientId) throw new LogoutRefused('no OpenID provider for this faculty');
      if (typeof token !== 'string' || !token || token.length > MAX_LOGOUT_TOKEN) throw new LogoutRefused('no logout_token');
      const { faculty, settings } = found;
      const claims = await this.verifyLogoutToken(faculty.id, settings, token);
      const match: UniversitySessionMatch = {};
      if (typeof claims.sid === 'string') match.sid = claims.sid;
      if (typeof claims.sub === 'string') match.sub = claims.sub;
      const revoked = await this.transactions.run(async (tx) => {
        // Remembered past the oldest token still accepted: a replay later is refused by its age.
        const fresh = await this.logouts.rememberLogoutToken(faculty.id, claims.jti, 2 * (LOGOUT_TOKEN_MAX_AGE_S + CLOCK_TOLERANCE_S), tx);
        if (!fresh) throw new LogoutRefused('logout token replayed (jti already seen)');
        if (Math.random() < 0.05) await this.logouts.deleteExpiredLogoutTokens(tx);
        const ended = await this.sessions.revokeOpenedBy(faculty.id, 'oidc', match, tx);
        await this.audit.record(
          { userId: null, ip: null, requestId: null, userAgent: null },
          { action: 'auth.university_logout', subjectType: 'faculty', subjectId: faculty.id, details: { faculty: faculty.code, provider: 'oidc', ...match, sessions: ended.map((s) => s.id) } },
          tx,
        );
        return ended;
      });
      return { revoked: revoked.length };
    } catch (error) {
      throw this.refusal(code, 'oidc', error);
    }
  }

  private async verifyLogoutToken(facultyId: string, settings: UniversitySignInConfig, token: string): Promise<JWTPayload & { jti: string }> {
    // The provider's own metadata (issuer, keys), as its sign-in was checked against.
    const configuration = await this.oidcConfigurations.get(facultyId, oidcSettingsOf(facultyId, settings, this.config.secretKey));
    const metadata = configuration.serverMetadata();
    if (!metadata.jwks_uri || !this.allowedAddress(metadata.jwks_uri)) throw new LogoutRefused('provider publishes no usable jwks_uri');
    let known = this.keySets.get(facultyId);
    if (known?.uri !== metadata.jwks_uri) {
      known = { uri: metadata.jwks_uri, keys: createRemoteJWKSet(new URL(metadata.jwks_uri), { timeoutDuration: 5000 }) };
      this.keySets.set(facultyId, known);
    }
    let payload: JWTPayload;
    let typ: string | undefined;
    try {
      ({ payload, protectedHeader: { typ } } = await jwtVerify(token, known.keys, {
        issuer: metadata.issuer,
        audience: settings.clientId!,
        algorithms: ASYMMETRIC,
        clockTolerance: CLOCK_TOLERANCE_S,
        maxTokenAge: LOGOUT_TOKEN_MAX_AGE_S,
        requiredClaims: ['iss', 'aud', 'iat', 'jti', 'events'],
      }));
    } catch (error) {
      throw new LogoutRefused(`logout token not verified: ${(error as Error).message}`);
    }
    if (typ !== undefined && !/^(application\/)?(logout\+jwt|jwt)$/i.test(typ)) throw new LogoutRefused(`logout token of type ${typ}`);
    const events = payload.events as Record<string, unknown> | undefined;
    const event = events && typeof events === 'object' ? events[BACKCHANNEL_LOGOUT_EVENT] : undefined;
    if (!event || typeof event !== 'object' || Array.isArray(event)) throw new LogoutRefused('logout token without the back-channel logout event');
    if ('nonce' in payload) throw new LogoutRefused('logout token with a nonce (an ID token?)');
    const named = (value: unknown) => typeof value === 'string' && value.length > 0 && value.length <= 500;
    if (!named(payload.sid) && !named(payload.sub)) throw new LogoutRefused('logout token names neither sid nor sub');
    if ((payload.sid !== undefined && !named(payload.sid)) || (payload.sub !== undefined && !named(payload.sub))) throw new LogoutRefused('logout token with a malformed sid or sub');
    if (!named(payload.jti)) throw new LogoutRefused('logout token without a usable jti');
    return payload as JWTPayload & { jti: string };
  }

  /**
   * CAS single logout: CAS posts a SAML `logoutRequest` to the service address, naming the
   * session by its service ticket; the session this faculty's CAS opened with that ticket is
   * revoked. A ticket that opened no session here (another faculty's, another service's, made
   * up) is refused with nothing changed; a session already ended is no error (CAS may retry).
   */
  async casSingleLogout(code: string, body: unknown): Promise<{ revoked: number }> {
    const found = await this.facultySettings(code);
    const request = (body as { logoutRequest?: unknown } | undefined)?.logoutRequest;
    try {
      if (!found || found.settings.protocol !== 'cas') throw new LogoutRefused('no CAS server for this faculty');
      if (typeof request !== 'string' || !request || request.length > MAX_LOGOUT_REQUEST) throw new LogoutRefused('no logoutRequest');
      const ticket = sessionIndexOf(request);
      const { faculty } = found;
      const ticketHash = hashToken(ticket);
      const ended = await this.transactions.run(async (tx) => {
        const revoked = await this.sessions.revokeOpenedBy(faculty.id, 'cas', { ticketHash }, tx);
        if (!revoked.length) {
          if (!(await this.logouts.casTicketKnown(faculty.id, ticketHash, tx))) throw new LogoutRefused('no session of this faculty was opened with that ticket');
          return revoked;
        }
        await this.audit.record(
          { userId: null, ip: null, requestId: null, userAgent: null },
          { action: 'auth.university_logout', subjectType: 'faculty', subjectId: faculty.id, details: { faculty: faculty.code, provider: 'cas', sessions: revoked.map((s) => s.id) } },
          tx,
        );
        return revoked;
      });
      return { revoked: ended.length };
    } catch (error) {
      throw this.refusal(code, 'cas', error);
    }
  }

  private refusal(code: string, protocol: UniversityProtocol, error: unknown): Error {
    // A provider whose discovery fails leaves the token unverifiable: refused as well.
    if (!(error instanceof LogoutRefused || error instanceof OidcUnavailable)) return error as Error;
    this.logger.warn(`University logout refused for ${code} (${protocol}): ${(error as Error).message}`);
    return new DomainError(ErrorCode.InvalidToken, 'Demande de déconnexion universitaire refusée : elle n’a pas pu être vérifiée.');
  }

  private async facultySettings(code: string): Promise<{ faculty: Faculty; settings: UniversitySignInConfig } | null> {
    if (!/^[a-z0-9-]{2,40}$/.test(code)) return null;
    const faculty = await this.faculties.findByCode(code);
    const settings = faculty ? await this.settingsOf(faculty.id) : null;
    return faculty && settings ? { faculty, settings } : null;
  }

  /** Whether or not sign-in is on today: sessions opened before it was turned off still end. */
  private settingsOf(facultyId: string): Promise<UniversitySignInConfig | null> {
    return this.signIns.settingsOf(facultyId);
  }

  /** https, or plain http on this machine outside production, as for the issuer itself. */
  private allowedAddress(address: string): boolean {
    try {
      const url = new URL(address);
      return url.protocol === 'https:' || insecureAllowed(url, this.config.env);
    } catch {
      return false;
    }
  }
}

/** The service ticket a CAS SAML logoutRequest names (`<samlp:SessionIndex>`). */
export function sessionIndexOf(logoutRequest: string): string {
  // No document type: no entity of the sender's making is ever expanded.
  if (/<!DOCTYPE|<!ENTITY/i.test(logoutRequest)) throw new LogoutRefused('logoutRequest with a document type');
  let parsed: unknown;
  try {
    parsed = samlParser.parse(logoutRequest, true);
  } catch (error) {
    throw new LogoutRefused(`logoutRequest is not XML: ${(error as Error).message}`);
  }
  const index = (parsed as { LogoutRequest?: { SessionIndex?: unknown } }).LogoutRequest?.SessionIndex;
  if (typeof index !== 'string' || !TICKET.test(index)) throw new LogoutRefused('logoutRequest without one service ticket as SessionIndex');
  return index;
}
