import { randomBytes } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface CasAccount {
  /** The CAS user name (cas:user): the university's stable uid. */
  user: string;
  attributes: Record<string, string | string[]>;
}

export interface CasServer {
  url: string;
  /** Whom the next /login signs in, as a user typing their password at the university would. */
  signInAs(account: CasAccount): void;
  /** A service ticket for `service`, as /login would issue it (for other services, or already expired). */
  issueTicket(service: string, account: CasAccount, options?: { expired?: boolean }): string;
  /** Validation requests answered so far. */
  validations: number;
  /** The SAML LogoutRequest CAS posts (as `logoutRequest`) to a service to end the session its ticket opened. */
  logoutRequest(ticket: string): string;
  /** Single logouts sent by /logout so far: the service, the ticket, and the service's answer. */
  singleLogouts: { service: string; ticket: string; status: number }[];
  close(): Promise<void>;
}

const escape = (text: string) => text.replace(/[<>&'"]/g, (c) => `&#${c.charCodeAt(0)};`);

export interface CasServerOptions {
  ticketSeconds?: number;
  /** How a logoutRequest reaches a service (a real server POSTs to it; a test may hand it to its app); answers the status. */
  deliver?: (service: string, body: URLSearchParams) => Promise<number>;
}

/**
 * A CAS 3.0 server that behaves as Apereo CAS does for a service: /login issues a service
 * ticket (ST-…) bound to the service URL and redirects there with ?ticket=; /p3/serviceValidate
 * answers the protocol's XML (cas:authenticationSuccess with cas:user and cas:attributes, or
 * cas:authenticationFailure with INVALID_REQUEST, INVALID_TICKET or INVALID_SERVICE). A ticket
 * is consumed by its first validation, whatever its outcome, and expires after `ticketSeconds`.
 *
 * /logout ends the CAS session as Apereo CAS does: it posts a SAML LogoutRequest, naming the
 * service ticket as SessionIndex, to every service that got a ticket in that session, then
 * redirects to `service`.
 */
export async function startCasServer(options: CasServerOptions = {}): Promise<CasServer> {
  const tickets = new Map<string, { service: string; account: CasAccount; expiresAt: number }>();
  let current: CasAccount | undefined;
  const ticketMs = (options.ticketSeconds ?? 10) * 1000;
  const issue = (service: string, account: CasAccount, issued: { expired?: boolean } = {}) => {
    const ticket = `ST-${tickets.size + 1}-${randomBytes(16).toString('base64url')}-cas`;
    tickets.set(ticket, { service, account, expiresAt: issued.expired ? 0 : Date.now() + ticketMs });
    return ticket;
  };
  const state = { validations: 0 };
  /** The tickets the current CAS session (the last /login) issued, for /logout to end. */
  let sessionTickets: { service: string; ticket: string }[] = [];
  const singleLogouts: { service: string; ticket: string; status: number }[] = [];
  const deliver = options.deliver ?? (async (service: string, body: URLSearchParams) => (await fetch(service, { method: 'POST', body, redirect: 'manual' })).status);
  const logoutRequest = (ticket: string) =>
    `<samlp:LogoutRequest xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol" xmlns:saml="urn:oasis:names:tc:SAML:2.0:assertion" ID="LR-${randomBytes(8).toString('hex')}" Version="2.0" IssueInstant="${new Date().toISOString()}"><saml:NameID>@NOT_USED@</saml:NameID><samlp:SessionIndex>${escape(ticket)}</samlp:SessionIndex></samlp:LogoutRequest>`;

  const xml = (body: string) => `<cas:serviceResponse xmlns:cas="http://www.yale.edu/tp/cas">\n${body}\n</cas:serviceResponse>\n`;
  const failure = (code: string, message: string) => xml(`    <cas:authenticationFailure code="${code}">\n        ${escape(message)}\n    </cas:authenticationFailure>`);
  const success = (account: CasAccount) => {
    const attributes = Object.entries(account.attributes).flatMap(([name, value]) => (Array.isArray(value) ? value : [value]).map((v) => `            <cas:${name}>${escape(v)}</cas:${name}>`));
    // Apereo CAS adds these authentication attributes to every answer.
    attributes.unshift(`            <cas:authenticationDate>${new Date().toISOString()}</cas:authenticationDate>`, '            <cas:isFromNewLogin>true</cas:isFromNewLogin>', '            <cas:longTermAuthenticationRequestTokenUsed>false</cas:longTermAuthenticationRequestTokenUsed>');
    return xml(`    <cas:authenticationSuccess>\n        <cas:user>${escape(account.user)}</cas:user>\n        <cas:attributes>\n${attributes.join('\n')}\n        </cas:attributes>\n    </cas:authenticationSuccess>`);
  };

  const server = http.createServer((request, response) => {
    const url = new URL(request.url ?? '/', 'http://cas.invalid');
    const service = url.searchParams.get('service');
    if (url.pathname === '/cas/login') {
      if (!service) {
        response.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8' }).end('<p>Connexion CAS</p>');
        return;
      }
      if (!current) {
        response.writeHead(401, { 'Content-Type': 'text/html; charset=utf-8' }).end('<p>Identifiant ou mot de passe incorrect</p>');
        return;
      }
      const target = new URL(service);
      const ticket = issue(service, current);
      sessionTickets.push({ service, ticket });
      target.searchParams.set('ticket', ticket);
      response.writeHead(302, { Location: target.toString() }).end();
      return;
    }
    if (url.pathname === '/cas/logout') {
      const ended = sessionTickets;
      sessionTickets = [];
      current = undefined;
      void (async () => {
        for (const { service: to, ticket } of ended) {
          const status = await deliver(to, new URLSearchParams({ logoutRequest: logoutRequest(ticket) })).catch(() => 0);
          singleLogouts.push({ service: to, ticket, status });
        }
      })();
      if (service) response.writeHead(302, { Location: service }).end();
      else response.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8' }).end('<p>Déconnexion CAS réussie</p>');
      return;
    }
    if (url.pathname === '/cas/p3/serviceValidate') {
      state.validations++;
      const ticket = url.searchParams.get('ticket');
      response.setHeader('Content-Type', 'application/xml;charset=UTF-8');
      if (!service || !ticket) return response.end(failure('INVALID_REQUEST', 'service and ticket parameters are both required'));
      const found = tickets.get(ticket);
      // Consumed by this validation, whatever follows: a ticket never validates twice.
      tickets.delete(ticket);
      if (!found || found.expiresAt <= Date.now()) return response.end(failure('INVALID_TICKET', `Ticket '${ticket}' not recognized`));
      if (found.service !== service) return response.end(failure('INVALID_SERVICE', `Ticket '${ticket}' does not match supplied service. The original service was '${found.service}' and the supplied service was '${service}'.`));
      return response.end(success(found.account));
    }
    response.writeHead(404).end();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/cas`,
    signInAs: (account) => {
      current = account;
    },
    issueTicket: issue,
    get validations() {
      return state.validations;
    },
    logoutRequest,
    singleLogouts,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
