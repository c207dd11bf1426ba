// A real OpenID provider (oidc-provider) for the sign-in tests, in a process of its own: the
// package is ES modules only, which Jest's loader does not run. Started by oidc-idp.ts; prints
// its issuer on the first line of stdout. Whoever "types their password" next is set by
// POST /test/sign-in-as { sub, claims } (the test's stand-in for the university's login form).
// Its signing key is the test's (JWKS, a private JWK set), so a test can also sign tokens the
// provider would; it offers RP-initiated logout and sends back-channel logout tokens to
// BACKCHANNEL_LOGOUT_URI when a session ends there.
import http from 'node:http';
import Provider from 'oidc-provider';

const { CLIENT_ID, CLIENT_SECRET, REDIRECT_URIS, POST_LOGOUT_REDIRECT_URIS, BACKCHANNEL_LOGOUT_URI, JWKS } = process.env;
const accounts = new Map();
let current;

const server = http.createServer();
await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
const issuer = `http://127.0.0.1:${server.address().port}`;

const provider = new Provider(issuer, {
  clients: [
    {
      client_id: CLIENT_ID,
      client_secret: CLIENT_SECRET,
      redirect_uris: REDIRECT_URIS.split(' '),
      grant_types: ['authorization_code'],
      response_types: ['code'],
      token_endpoint_auth_method: 'client_secret_basic',
      post_logout_redirect_uris: POST_LOGOUT_REDIRECT_URIS ? POST_LOGOUT_REDIRECT_URIS.split(' ') : [],
      ...(BACKCHANNEL_LOGOUT_URI ? { backchannel_logout_uri: BACKCHANNEL_LOGOUT_URI, backchannel_logout_session_required: true } : {}),
    },
  ],
  jwks: JSON.parse(JWKS),
  // Every authorization request must carry a S256 code challenge.
  pkce: { required: () => true },
  claims: { openid: ['sub'], email: ['email', 'email_verified'], profile: ['given_name', 'family_name'] },
  findAccount: (_ctx, sub) => (accounts.has(sub) ? { accountId: sub, claims: () => ({ sub, ...accounts.get(sub) }) } : undefined),
  features: {
    devInteractions: { enabled: false },
    backchannelLogout: { enabled: true },
    rpInitiatedLogout: {
      enabled: true,
      // The university asks before ending its session; the form is the provider's (with its xsrf).
      logoutSource: (ctx, form) => {
        ctx.body = `<!DOCTYPE html><html lang="fr"><head><meta charset="utf-8"><title>Déconnexion de l’université</title></head>
          <body><main><h1>Se déconnecter de l’université ?</h1>${form}
          <button autofocus type="submit" form="op.logoutForm" value="yes" name="logout">Oui, me déconnecter</button>
          <button type="submit" form="op.logoutForm">Non, rester connecté</button></main></body></html>`;
      },
      postLogoutSuccessSource: (ctx) => {
        ctx.body = '<!DOCTYPE html><html lang="fr"><head><meta charset="utf-8"><title>Déconnecté</title></head><body><h1>Vous êtes déconnecté de l’université</h1></body></html>';
      },
    },
  },
  interactions: { url: (_ctx, interaction) => `/interaction/${interaction.uid}` },
  // The university's consent is implied for its own service: no consent page.
  loadExistingGrant: async (ctx) => {
    const accountId = ctx.oidc.session?.accountId;
    if (!accountId) return undefined;
    const grant = new ctx.oidc.provider.Grant({ clientId: ctx.oidc.client.clientId, accountId });
    grant.addOIDCScope('openid email profile');
    await grant.save();
    return grant;
  },
  cookies: { keys: ['carnet-test-oidc-cookie-key'] },
  // Its outgoing requests (back-channel logout) go to Carnet on this machine, which the provider's
  // guard against requests to private addresses would refuse: a university's reaches a public address.
  fetch: (url, { dispatcher: _guard, ...options }) => globalThis.fetch(url, options),
});
// A back-channel logout Carnet did not take is the test's business: said on stderr.
provider.on('backchannel.error', (_ctx, error, client, accountId, sid) => process.stderr.write(`backchannel.error ${client.clientId} ${accountId} ${sid}: ${error.message}\n`));
const callback = provider.callback();

server.on('request', async (request, response) => {
  try {
    if (request.method === 'POST' && request.url === '/test/sign-in-as') {
      let body = '';
      for await (const chunk of request) body += chunk;
      const { sub, claims } = JSON.parse(body);
      accounts.set(sub, claims);
      current = sub;
      response.writeHead(204).end();
      return;
    }
    if (request.method === 'GET' && request.url?.startsWith('/interaction/')) {
      const details = await provider.interactionDetails(request, response);
      if (details.prompt.name !== 'login' || !current) {
        response.writeHead(400, { 'Content-Type': 'text/plain' }).end(`unexpected prompt ${details.prompt.name}`);
        return;
      }
      await provider.interactionFinished(request, response, { login: { accountId: current } }, { mergeWithLastSubmission: false });
      return;
    }
    callback(request, response);
  } catch (error) {
    response.writeHead(500, { 'Content-Type': 'text/plain' }).end(String(error?.stack ?? error));
  }
});

process.stdout.write(`${issuer}\n`);
process.on('SIGTERM', () => server.close(() => process.exit(0)));
