import type { UniversitySignInView } from '@carnet/contracts';
import { Inject, Injectable, Logger } from '@nestjs/common';
import { CARNET_CONFIG } from '@carnet/config';
import { Faculty, FacultyRepository, Transactions, UniversityProtocol, UniversitySignInConfig, UniversitySignInRepository, User, UserRepository } from '@carnet/database';
import { DomainError, ErrorCode, FieldError, notFound } from '@carnet/domain';
import { ResolvedConfig } from '@carnet/infrastructure';
import { AuditService } from '../audit/audit.service';
import type { AuthContext, RequestOrigin } from '../auth/auth-context';
import { OpenedSession, SessionsService, UniversityOpening } from '../auth/sessions.service';
import { hashToken, newToken } from '../auth/tokens';
import { casLoginUrl, CasRefusal, CasUnavailable, validateServiceTicket } from './cas.client';
import { insecureAllowed, oidc, OidcConfigurations, oidcSettingsOf, OidcUnavailable } from './oidc.client';
import { seal } from './secret-box';
import type { UniversitySignInBody } from './university-sign-in.dto';

/** Today's only faculty, created by migration 24. */
export const FLOW_MINUTES = 10;
export const LINK_MINUTES = 10;
const CAS_TIMEOUT_MS = 5000;

/** Why a sign-in went back to the login page: the web app says each in French. */
export type RefusalReason = 'aucun-compte' | 'compte-desactive' | 'email-non-verifie' | 'echec' | 'expiree' | 'indisponible';

export type CallbackOutcome =
  | { kind: 'signed-in'; opened: OpenedSession; returnTo: string }
  | { kind: 'link'; token: string }
  | { kind: 'refused'; reason: RefusalReason };

export type { UniversitySignInView } from '@carnet/contracts';

export interface PublicProvider {
  faculty: string;
  facultyName: string;
  protocol: UniversityProtocol;
  label: string;
  loginUrl: string;
  internPasswordsAllowed: boolean;
}

export interface LinkPreview {
  subject: string;
  maskedEmail: string;
  facultyName: string;
}

/** Thrown inside the confirmation's transaction to roll it back and say why. */
class LinkRefused extends Error {
  constructor(readonly reason: 'expiree' | 'compte-desactive') {
    super(reason);
  }
}

interface Identity {
  subject: string;
  email: string | null;
  emailUnverified: boolean;
  /** How the university's single logout will name the session this sign-in opens. */
  logout: Omit<UniversityOpening, 'facultyId' | 'protocol'>;
}

/** The associated data an ID token is sealed with: it opens only for its faculty, and only as that. */
export const idTokenSealing = (facultyId: string) => `university-id-token:${facultyId}`;

/** `c•••@etu.univ.fr`: enough for its owner to recognise, not enough to learn the address. */
export const maskEmail = (email: string) => {
  const at = email.lastIndexOf('@');
  return at <= 0 ? '•••' : `${email[0]}•••${email.slice(at)}`;
};

/** Only a path of this site: `returnTo` must never send a signed-in user elsewhere. */
export const safeReturnTo = (value: unknown): string =>
  typeof value === 'string' && /^\/(?![/\\])[^\s]*$/.test(value) && value.length <= 500 ? value : '/';

/**
 * Sign-in through the university, CAS 3.0 or OpenID Connect, configured per faculty. It never
 * creates an account (accounts come from the import): a university identity is linked to the
 * Carnet account of the same e-mail once its owner confirms, then signs in directly.
 */
@Injectable()
export class UniversitySignInService {
  private readonly logger = new Logger(UniversitySignInService.name);

  constructor(
    @Inject(CARNET_CONFIG) private readonly config: ResolvedConfig,
    private readonly sessions: SessionsService,
    private readonly audit: AuditService,
    private readonly oidcConfigurations: OidcConfigurations,
    private readonly signIns: UniversitySignInRepository,
    private readonly faculties: FacultyRepository,
    private readonly users: UserRepository,
    private readonly transactions: Transactions,
  ) {}

  callbackUrl(facultyCode: string): string {
    return `${this.config.http.publicUrl}/api/auth/university/${facultyCode}/callback`;
  }

  private async faculty(code: string): Promise<Faculty | null> {
    return /^[a-z0-9-]{2,40}$/.test(code) ? this.faculties.findByCode(code) : null;
  }

  private async enabledConfig(code: string): Promise<{ faculty: Faculty; settings: UniversitySignInConfig } | null> {
    const faculty = await this.faculty(code);
    if (!faculty) return null;
    const settings = await this.signIns.enabledSettingsOf(faculty.id);
    return settings ? { faculty, settings } : null;
  }

  // ---- the faculty admin's settings ----

  private async ownFaculty(auth: AuthContext): Promise<Faculty> {
    const faculty = auth.facultyId ? await this.faculties.findById(auth.facultyId) : null;
    if (!faculty) throw notFound('Faculté');
    return faculty;
  }

  /** The admin's own faculty's settings (each faculty configures its university). */
  async view(auth: AuthContext): Promise<UniversitySignInView> {
    const faculty = await this.ownFaculty(auth);
    const settings = await this.signIns.settingsOf(faculty.id);
    return {
      faculty: { code: faculty.code, name: faculty.name },
      configured: Boolean(settings),
      protocol: settings?.protocol ?? 'cas',
      enabled: settings?.enabled ?? false,
      casUrl: settings?.casUrl ?? null,
      issuer: settings?.issuer ?? null,
      clientId: settings?.clientId ?? null,
      clientSecretSet: Boolean(settings?.clientSecret),
      emailAttribute: settings?.emailAttribute ?? 'mail',
      subjectAttribute: settings?.subjectAttribute ?? 'user',
      buttonLabel: settings?.buttonLabel ?? 'Se connecter avec l’ENT de l’université',
      internPasswordsAllowed: settings?.internPasswordsAllowed ?? true,
      callbackUrl: this.callbackUrl(faculty.code),
      updatedAt: settings?.updatedAt.toISOString() ?? null,
    };
  }

  async save(auth: AuthContext, body: UniversitySignInBody): Promise<UniversitySignInView> {
    const faculty = await this.ownFaculty(auth);
    const errors: FieldError[] = [];
    const checkUrl = (path: 'casUrl' | 'issuer', value: string | null | undefined, required: boolean) => {
      if (!value) {
        if (required) errors.push({ path, message: 'requis' });
        return;
      }
      let url: URL;
      try {
        url = new URL(value);
      } catch {
        return errors.push({ path, message: 'adresse invalide' });
      }
      if (url.protocol !== 'https:' && url.protocol !== 'http:') return errors.push({ path, message: 'doit commencer par https://' });
      if (url.search || url.hash) return errors.push({ path, message: 'sans paramètres ni ancre' });
      if (url.protocol === 'http:' && !insecureAllowed(url, this.config.env)) errors.push({ path, message: 'doit commencer par https://' });
    };
    checkUrl('casUrl', body.casUrl, body.protocol === 'cas');
    checkUrl('issuer', body.issuer, body.protocol === 'oidc');
    if (body.protocol === 'oidc' && !body.clientId) errors.push({ path: 'clientId', message: 'requis' });
    if (errors.length) throw new DomainError(ErrorCode.InvalidInput, 'Paramètres de connexion universitaire invalides.', errors);

    let clientSecret: Buffer | null | undefined;
    if (body.clientSecret !== undefined) {
      if (body.clientSecret === '') clientSecret = null;
      else if (!this.config.secretKey) {
        throw new DomainError(
          ErrorCode.InvalidInput,
          'Le secret ne peut pas être enregistré : la clé de chiffrement du serveur (variable CARNET_SECRET_KEY) n’est pas définie. Demandez à l’exploitant de la définir.',
          [{ path: 'clientSecret', message: 'clé de chiffrement absente sur le serveur' }],
        );
      } else clientSecret = seal(this.config.secretKey, body.clientSecret, faculty.id);
    }

    await this.transactions.run(async (tx) => {
      const values = {
        facultyId: faculty.id,
        protocol: body.protocol,
        enabled: body.enabled,
        casUrl: body.casUrl?.replace(/\/+$/, '') || null,
        issuer: body.issuer || null,
        clientId: body.clientId || null,
        emailAttribute: body.emailAttribute,
        subjectAttribute: body.subjectAttribute,
        buttonLabel: body.buttonLabel.trim(),
        internPasswordsAllowed: body.internPasswordsAllowed,
        updatedAt: new Date(),
        updatedBy: auth.userId,
        ...(clientSecret !== undefined ? { clientSecret } : {}),
      };
      await this.signIns.saveSettings(values, tx);
      const { clientSecret: _secret, ...shown } = body;
      await this.audit.record(
        auth,
        {
          action: 'admin.university_sign_in_updated',
          subjectType: 'faculty',
          subjectId: faculty.id,
          details: { ...shown, clientSecret: clientSecret === undefined ? 'unchanged' : clientSecret === null ? 'removed' : 'set' },
        },
        tx,
      );
    });
    return this.view(auth);
  }

  async publicProviders(): Promise<PublicProvider[]> {
    const rows = await this.signIns.enabledProviders();
    return rows.map((row) => ({
      faculty: row.code,
      facultyName: row.name,
      protocol: row.protocol,
      label: row.button_label,
      loginUrl: `/api/auth/university/${row.code}/login`,
      internPasswordsAllowed: row.intern_passwords_allowed,
    }));
  }

  // ---- signing in ----

  /**
   * Starts a sign-in: a flow row bound to this browser (the returned cookie holds its id and a
   * secret whose hash the row keeps), and the address of the university's login page.
   */
  async start(code: string, returnTo: unknown, origin: RequestOrigin): Promise<{ kind: 'redirect'; location: string; cookie: string } | { kind: 'refused'; reason: RefusalReason } | null> {
    const found = await this.enabledConfig(code);
    if (!found) return null;
    const { faculty, settings } = found;
    const secret = newToken();
    const flow = {
      facultyId: faculty.id,
      protocol: settings.protocol,
      bindingHash: hashToken(secret),
      returnTo: safeReturnTo(returnTo),
      expiresAt: new Date(Date.now() + FLOW_MINUTES * 60_000),
      state: null as string | null,
      nonce: null as string | null,
      codeVerifier: null as string | null,
    };
    let location: string;
    if (settings.protocol === 'cas') {
      location = casLoginUrl(settings.casUrl!, this.callbackUrl(faculty.code));
    } else {
      let configuration: oidc.Configuration;
      try {
        configuration = await this.oidcConfigurations.get(faculty.id, this.oidcSettings(faculty, settings));
      } catch (error) {
        return this.refuse(origin, faculty, settings.protocol, 'indisponible', { error: (error as Error).message });
      }
      flow.state = oidc.randomState();
      flow.nonce = oidc.randomNonce();
      flow.codeVerifier = oidc.randomPKCECodeVerifier();
      location = oidc
        .buildAuthorizationUrl(configuration, {
          redirect_uri: this.callbackUrl(faculty.code),
          scope: 'openid email profile',
          response_type: 'code',
          state: flow.state,
          nonce: flow.nonce,
          code_challenge: await oidc.calculatePKCECodeChallenge(flow.codeVerifier),
          code_challenge_method: 'S256',
        })
        .toString();
    }
    const flowId = await this.signIns.insertFlow(flow);
    // Now and then, the flows nobody finished.
    if (Math.random() < 0.05) await this.signIns.deleteStaleFlows();
    return { kind: 'redirect', location, cookie: `${flowId}.${secret}` };
  }

  private oidcSettings(faculty: Faculty, settings: UniversitySignInConfig) {
    return oidcSettingsOf(faculty.id, settings, this.config.secretKey);
  }

  /**
   * The university sent the browser back. The flow is consumed first (once, unexpired, from the
   * browser that started it), then the ticket or code is redeemed at the university, then the
   * identity signs in if linked, or a link is proposed to the account of the same e-mail.
   */
  async callback(code: string, query: Record<string, string | undefined>, currentUrl: URL, cookie: string | undefined, origin: RequestOrigin): Promise<CallbackOutcome | null> {
    const found = await this.enabledConfig(code);
    if (!found) return null;
    const { faculty, settings } = found;
    const protocol = settings.protocol;
    const flow = await this.consumeFlow(faculty.id, protocol, cookie);
    if (!flow) return this.refuse(origin, faculty, protocol, 'expiree', { step: 'flow' });

    let identity: Identity;
    try {
      identity = protocol === 'cas' ? await this.casIdentity(faculty, settings, query) : await this.oidcIdentity(faculty, settings, flow, currentUrl);
    } catch (error) {
      if (error instanceof CasUnavailable || error instanceof OidcUnavailable) {
        this.logger.warn(`University sign-in of ${faculty.code} unavailable: ${error.message}`);
        return this.refuse(origin, faculty, protocol, 'indisponible', { error: error.message });
      }
      if (error instanceof CasRefusal) return this.refuse(origin, faculty, protocol, 'echec', { casCode: error.code });
      if (error instanceof IdentityMissing) return this.refuse(origin, faculty, protocol, 'echec', { error: error.message });
      // openid-client's refusals: state, nonce, PKCE, signature, the provider's error answers.
      return this.refuse(origin, faculty, protocol, 'echec', { error: (error as Error).message?.slice(0, 300) ?? String(error) });
    }

    const linked = await this.signIns.linkedAccount(faculty.id, protocol, identity.subject);
    if (linked) {
      if (!linked.active) return this.refuse(origin, faculty, protocol, 'compte-desactive', { subject: identity.subject }, linked.userId);
      const opened = await this.sessions.open(linked.userId, origin, undefined, { facultyId: faculty.id, protocol, ...identity.logout });
      await this.audit.record({ ...origin, userId: linked.userId }, { action: 'auth.university_login', subjectType: 'user', subjectId: linked.userId, details: { faculty: faculty.code, provider: protocol, subject: identity.subject } });
      return { kind: 'signed-in', opened, returnTo: flow.returnTo };
    }

    if (identity.emailUnverified) return this.refuse(origin, faculty, protocol, 'email-non-verifie', { subject: identity.subject });
    const email = identity.email?.trim().toLowerCase();
    // The account this faculty's university vouches for is the person's membership of this faculty, never another's.
    const userId = email ? await this.signIns.activeMemberId(email, faculty.id) : null;
    if (!userId) return this.refuse(origin, faculty, protocol, 'aucun-compte', { subject: identity.subject, email: email ?? null });

    const token = newToken();
    await this.transactions.run(async (tx) => {
      // An earlier proposal for the same identity is void: only the newest link works.
      await this.signIns.proposeLink(
        {
          tokenHash: hashToken(token), bindingHash: flow.bindingHash, facultyId: faculty.id, provider: protocol, subject: identity.subject, userId,
          returnTo: flow.returnTo, expiresAt: new Date(Date.now() + LINK_MINUTES * 60_000),
          universitySub: identity.logout.sub ?? null, universitySid: identity.logout.sid ?? null, universityTicketHash: identity.logout.ticketHash ?? null, universityIdToken: identity.logout.idToken ?? null,
        },
        tx,
      );
      await this.audit.record({ ...origin, userId: null }, { action: 'auth.identity_link_proposed', subjectType: 'user', subjectId: userId, details: { faculty: faculty.code, provider: protocol, subject: identity.subject } }, tx);
    });
    return { kind: 'link', token };
  }

  /** The flow behind the cookie, marked used in the same statement: a second callback finds none. */
  private async consumeFlow(facultyId: string, protocol: UniversityProtocol, cookie: string | undefined) {
    const [id, secret] = cookie?.split('.') ?? [];
    if (!id || !secret || !/^[0-9a-f-]{36}$/.test(id)) return null;
    return this.signIns.consumeFlow(id, hashToken(secret), facultyId, protocol);
  }

  private async casIdentity(faculty: Faculty, settings: UniversitySignInConfig, query: Record<string, string | undefined>): Promise<Identity> {
    const ticket = query.ticket;
    if (!ticket || ticket.length > 1024) throw new IdentityMissing('no ticket in the callback');
    const principal = await validateServiceTicket(settings.casUrl!, this.callbackUrl(faculty.code), ticket, CAS_TIMEOUT_MS);
    const subject = settings.subjectAttribute === 'user' ? principal.user : principal.attributes[settings.subjectAttribute]?.[0];
    if (!subject) throw new IdentityMissing(`CAS attribute ${settings.subjectAttribute} missing`);
    // CAS's single logout names the session by the ticket that opened it.
    return { subject, email: principal.attributes[settings.emailAttribute]?.[0] ?? null, emailUnverified: false, logout: { ticketHash: hashToken(ticket) } };
  }

  private async oidcIdentity(faculty: Faculty, settings: UniversitySignInConfig, flow: { state: string | null; nonce: string | null; codeVerifier: string | null }, currentUrl: URL): Promise<Identity> {
    if (!flow.state || !flow.nonce || !flow.codeVerifier) throw new IdentityMissing('flow without state, nonce or verifier');
    // Checked before any call to the provider: a state from another browser's sign-in stops here.
    if (currentUrl.searchParams.get('state') !== flow.state) throw new IdentityMissing('state does not match the flow');
    const configuration = await this.oidcConfigurations.get(faculty.id, this.oidcSettings(faculty, settings));
    let tokens: Awaited<ReturnType<typeof oidc.authorizationCodeGrant>>;
    try {
      tokens = await oidc.authorizationCodeGrant(configuration, currentUrl, { pkceCodeVerifier: flow.codeVerifier, expectedState: flow.state, expectedNonce: flow.nonce, idTokenExpected: true });
    } catch (error) {
      if (isNetworkFailure(error)) throw new OidcUnavailable((error as Error).message);
      throw error;
    }
    const claims: Record<string, unknown> = { ...tokens.claims() };
    if (claims[settings.emailAttribute] === undefined || claims[settings.subjectAttribute] === undefined) {
      // Providers that keep the ID token small give the other claims at the userinfo endpoint.
      Object.assign(claims, await oidc.fetchUserInfo(configuration, tokens.access_token, String(claims.sub)), { sub: claims.sub });
    }
    const subject = claims[settings.subjectAttribute];
    if (typeof subject !== 'string' || !subject) throw new IdentityMissing(`claim ${settings.subjectAttribute} missing`);
    const email = claims[settings.emailAttribute];
    // Back-channel logout names the session by the ID token's sub and sid; Carnet's sign-out
    // hands the ID token back as id_token_hint, so it is kept, sealed (or not at all without the key).
    const idToken = tokens.id_token && this.config.secretKey ? seal(this.config.secretKey, tokens.id_token, idTokenSealing(faculty.id)) : null;
    const sid = tokens.claims()?.sid;
    const logout = { sub: String(claims.sub), sid: typeof sid === 'string' ? sid : null, idToken };
    return { subject, email: typeof email === 'string' ? email : null, emailUnverified: claims.email_verified === false, logout };
  }

  private async refuse(origin: RequestOrigin, faculty: Faculty, provider: UniversityProtocol, reason: RefusalReason, details: Record<string, unknown>, userId: string | null = null): Promise<{ kind: 'refused'; reason: RefusalReason }> {
    await this.audit.record({ ...origin, userId }, { action: 'auth.university_login_failed', subjectType: 'faculty', subjectId: faculty.id, details: { faculty: faculty.code, provider, reason, ...details } });
    return { kind: 'refused', reason };
  }

  // ---- confirming a proposed link ----

  async preview(token: string, cookie: string | undefined): Promise<LinkPreview> {
    const row = await this.signIns.previewProposal(hashToken(token), hashToken(bindingSecret(cookie)));
    if (!row) throw new DomainError(ErrorCode.InvalidToken, 'Ce lien de liaison n’est plus valable : reconnectez-vous avec votre université.');
    return { subject: row.subject, maskedEmail: maskEmail(row.email), facultyName: row.name };
  }

  /**
   * Links the identity and signs its owner in, once: the token is spent in the same transaction,
   * and only from the browser that came back from the university (its flow cookie).
   */
  async confirm(token: string, cookie: string | undefined, origin: RequestOrigin): Promise<OpenedSession & { user: User; returnTo: string }> {
    try {
      return await this.transactions.run(async (tx) => {
        const proposal = await this.signIns.spendProposal(hashToken(token), hashToken(bindingSecret(cookie)), tx);
        if (!proposal) throw new LinkRefused('expiree');
        const user = await this.users.byId(proposal.user_id, tx);
        if (!user?.active) throw new LinkRefused('compte-desactive');
        const faculty = await this.faculties.findById(proposal.faculty_id, tx);
        if (!faculty) throw new Error(`Faculty ${proposal.faculty_id} of a link proposal not found`);
        // One university account per Carnet account and provider: a newer link replaces the older.
        const owner = await this.signIns.linkIdentity(faculty.id, proposal.provider, proposal.subject, user.id, tx);
        // Linked to someone else meanwhile (two accounts matched the same identity): refused.
        if (owner !== user.id) throw new LinkRefused('expiree');
        const who = { ...origin, userId: user.id };
        const details = { faculty: faculty.code, provider: proposal.provider, subject: proposal.subject };
        await this.audit.record(who, { action: 'auth.identity_linked', subjectType: 'user', subjectId: user.id, details }, tx);
        const opened = await this.sessions.open(user.id, origin, tx, {
          facultyId: faculty.id,
          protocol: proposal.provider,
          sub: proposal.university_sub,
          sid: proposal.university_sid,
          ticketHash: proposal.university_ticket_hash,
          idToken: proposal.university_id_token,
        });
        await this.audit.record(who, { action: 'auth.university_login', subjectType: 'user', subjectId: user.id, details }, tx);
        return { ...opened, user, returnTo: proposal.return_to };
      });
    } catch (error) {
      if (!(error instanceof LinkRefused)) throw error;
      await this.audit.record({ ...origin, userId: null }, { action: 'auth.identity_link_refused', details: { reason: error.reason } });
      throw error.reason === 'compte-desactive'
        ? new DomainError(ErrorCode.Forbidden, 'Ce compte Carnet est désactivé : adressez-vous à votre DUMG.')
        : new DomainError(ErrorCode.InvalidToken, 'Ce lien de liaison n’est plus valable : reconnectez-vous avec votre université.');
    }
  }
}

/** The university's answer lacks the identifier or attribute the settings name. */
class IdentityMissing extends Error {}

const bindingSecret = (cookie: string | undefined) => cookie?.split('.')[1] ?? '';

function isNetworkFailure(error: unknown): boolean {
  const name = (error as { name?: string; cause?: { name?: string } })?.name;
  const cause = (error as { cause?: { name?: string; code?: string } })?.cause;
  return name === 'TimeoutError' || name === 'AbortError' || (error instanceof TypeError && /fetch failed/.test(error.message)) || cause?.name === 'TimeoutError' || Boolean(cause?.code?.startsWith('ECONN'));
}
