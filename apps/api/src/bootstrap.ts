import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, NestFastifyApplication } from '@nestjs/platform-fastify';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import { errorCodes, type FastifyError, type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import { Logger, PinoLogger } from 'nestjs-pino';
import fs from 'node:fs';
import path from 'node:path';
import { CARNET_METRICS, CarnetMetrics } from '@carnet/metrics';
import { AppModule } from './app.module';
import { problem, ProblemException, ProblemFilter, replyProblem } from './common/problem.filter';
import { charsetOf } from './common/media-type';
import { jsonTooDeep, MAX_JSON_DEPTH } from './common/json-depth';
import { createValidationPipe } from './common/validation.pipe';
import { timeRequests } from './observability/http-metrics.hook';
import { logRequests } from './observability/request-log.hook';
import { mountQueueBoard } from './observability/queue-board';
import { requestIdOf } from './observability/request-id';
import { ResolvedConfig } from '@carnet/infrastructure';

/** A trace's document is at most 2 MB of JSON (checked by the trace's own rules); bodies stop at 3 MB. */
const JSON_BODY_LIMIT = 3 * 1024 * 1024;
/** A CSV import of a whole faculty's users (a few thousand lines) fits well within 5 MB. */
const TEXT_BODY_LIMIT = 5 * 1024 * 1024;

/**
 * Builds the HTTP application (used by main and by the tests, so both run the same app), on
 * Fastify: 5–35 % less CPU per request than on Express (README, « Fastify »).
 */
export async function createApiApp(config: ResolvedConfig): Promise<NestFastifyApplication> {
  const adapter = new FastifyAdapter({
    // X-Forwarded-For is believed only from the proxies the operator names (TRUSTED_PROXIES):
    // trusting any private address let anyone on the network pick their own address, and so
    // escape the sign-in limit per address.
    trustProxy: config.trustedProxies.length > 0 ? config.trustedProxies : false,
    bodyLimit: JSON_BODY_LIMIT,
    // Node's own default, which Express kept and Fastify turns off: a client that never ends its
    // request is cut after 5 minutes (an attachment of 10 MB on a slow hospital line takes less).
    requestTimeout: 300_000,
    genReqId: requestIdOf,
    // As Express did: `/api/traces/` and `/api/Traces` are `/api/traces`.
    routerOptions: { ignoreTrailingSlash: true, caseSensitive: false },
    // A URL Fastify cannot decode, refused before any hook: a problem like every other error.
    frameworkErrors: (error: FastifyError, _request: FastifyRequest, reply: FastifyReply) => {
      reply.raw.setHeader('Cache-Control', NO_STORE);
      replyProblem(reply, problem(400, error.code === 'FST_ERR_BAD_URL' ? 'Adresse mal formée.' : 'Requête invalide.'));
    },
  });
  // Fastify's own parsers stay (JSON, and text/plain replaced below); Nest adds none.
  const app = await NestFactory.create<NestFastifyApplication>(AppModule.forRoot(config), adapter, { bufferLogs: true, bodyParser: false });
  app.useLogger(app.get(Logger));
  const instance = app.getHttpAdapter().getInstance() as unknown as FastifyInstance;
  // The request log first, where Nest's middleware ran: what the hooks below refuse is logged too.
  logRequests(instance, await app.resolve(PinoLogger));
  acceptBodies(instance);
  // API answers carry portfolios (narratives of real consultations): no browser or proxy keeps
  // them, downloads included (a shared computer in a hospital ward is common); the one place this
  // is said. Set on every response, whatever path routed it (`/%61pi/me` is `/api/me`), errors
  // and 404s included; only the web app's page and its static files say otherwise. Fastify
  // computes no ETag over bodies; traces keep their version ETag.
  instance.addHook('onRequest', (request, reply, done) => {
    reply.raw.setHeader('Cache-Control', NO_STORE);
    // Bodies are read as sent: a compressed one is refused rather than misread.
    const encoding = request.headers['content-encoding']?.trim().toLowerCase();
    if (encoding && encoding !== 'identity') done(new ProblemException(415, `Corps de requête compressé (${encoding.slice(0, 40)}) non pris en charge : envoyez-le tel quel.`));
    else done();
  });
  timeRequests(instance, app.get<CarnetMetrics>(CARNET_METRICS));
  // helmet 8's headers and defaults, built into Nest.
  app.useSecurityHeaders({
    contentSecurityPolicy: {
      directives: {
        // Swagger UI needs inline styles; everything else is same-origin.
        'style-src': ["'self'", "'unsafe-inline'"],
        'img-src': ["'self'", 'data:', 'blob:'],
      },
    },
  });
  app.setGlobalPrefix('api', { exclude: ['metrics'] });
  app.useGlobalPipes(createValidationPipe());
  app.useGlobalFilters(new ProblemFilter());
  app.enableShutdownHooks();

  const document = SwaggerModule.createDocument(
    app,
    new DocumentBuilder()
      .setTitle('Carnet API')
      .setDescription('Portfolio du DES de médecine générale: traces, relecture par le tuteur, exports pour les jurys.')
      .setVersion('1')
      .addBearerAuth()
      .addCookieAuth('session')
      .build(),
  );
  SwaggerModule.setup('api/docs', app, document, { jsonDocumentUrl: 'api/docs-json' });

  await mountQueueBoard(app);
  serveWebApp(app, instance);
  return app;
}

const NO_STORE = 'private, no-store';
/** Where a university's single logout posts its form: a back-channel logout token, a CAS logoutRequest. */
const UNIVERSITY_LOGOUT_PATH = /^\/api\/auth\/university\/[a-z0-9-]{2,40}\/(callback|backchannel-logout)(\?|$)/;
const FORM_BODY_LIMIT = 64 * 1024;

/** `/api` and below (not `/apis`), with or without a query. */
function isApiPath(url: string): boolean {
  return url.startsWith('/api') && (url.length === 4 || url[4] === '/' || url[4] === '?');
}

/**
 * The bodies the API reads: JSON (also `application/*+json`) up to 3 MB; CSV or plain text
 * (a users' import) up to 5 MB, decoded from its declared charset (a spreadsheet's French CSV is
 * often Windows-1252); multipart (an attachment) left unread, streamed by its route. An empty
 * body is no body, whatever its announced type; any other type is refused with 415.
 */
function acceptBodies(instance: FastifyInstance): void {
  const json = instance.getDefaultJsonParser('error', 'error');
  // Depth is checked on the raw text, before JSON.parse and any transformation (see json-depth.ts).
  const parseJson = (request: FastifyRequest, body: string, done: (error: Error | null, body?: unknown) => void) =>
    body === ''
      ? done(null, undefined)
      : jsonTooDeep(body)
        ? done(new ProblemException(400, `Le corps de la requête JSON est trop imbriqué (${MAX_JSON_DEPTH} niveaux au plus).`))
        : json(request, body, done);
  instance.removeContentTypeParser('application/json');
  instance.addContentTypeParser('application/json', { parseAs: 'string' }, parseJson);
  instance.addContentTypeParser(/^application\/[\w.+-]+\+json\s*(;|$)/i, { parseAs: 'string' }, parseJson);
  instance.removeContentTypeParser('text/plain');
  instance.addContentTypeParser(['text/csv', 'text/plain'], { parseAs: 'buffer', bodyLimit: TEXT_BODY_LIMIT }, (request, body, done) => {
    try {
      done(null, decodeText(request, body as Buffer));
    } catch (error) {
      done(error as Error);
    }
  });
  instance.addContentTypeParser('multipart/form-data', (_request, _payload, done) => done(null));
  // A form body only where a university's servers post one (single logout); anywhere else it is
  // what a page of another site can send without asking (a sign-in CSRF), so refused there.
  instance.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string', bodyLimit: FORM_BODY_LIMIT }, (request, body, done) =>
    UNIVERSITY_LOGOUT_PATH.test(request.url)
      ? done(null, Object.fromEntries(new URLSearchParams(body as string)))
      : done(new errorCodes.FST_ERR_CTP_INVALID_MEDIA_TYPE(request.headers['content-type'])),
  );
  instance.addContentTypeParser('*', { parseAs: 'buffer' }, (request, body, done) =>
    (body as Buffer).length === 0 ? done(null, undefined) : done(new errorCodes.FST_ERR_CTP_INVALID_MEDIA_TYPE(request.headers['content-type'])),
  );
}

/** A text body in the charset its Content-Type declares (UTF-8 when it declares none). */
function decodeText(request: FastifyRequest, body: Buffer): string {
  const charset = charsetOf(request) ?? 'utf-8';
  let decoder: InstanceType<typeof TextDecoder>;
  try {
    decoder = new TextDecoder(charset, { fatal: true });
  } catch {
    throw new ProblemException(415, `Jeu de caractères inconnu : ${charset}. Envoyez le fichier en UTF-8 (ou en Windows-1252, ISO-8859-1).`);
  }
  try {
    return decoder.decode(body);
  } catch {
    throw new ProblemException(400, `Le fichier n’est pas du texte valide en ${charset} : enregistrez-le en UTF-8, ou indiquez son jeu de caractères (charset).`);
  }
}

/** The web app is built into apps/web/dist; before its build exists a placeholder page answers. */
function serveWebApp(app: NestFastifyApplication, instance: FastifyInstance): void {
  // From apps/api/src (jest) the repository is three levels up; from dist/apps/api/src, four.
  const roots = [path.resolve(__dirname, '../../..'), path.resolve(__dirname, '../../../..')];
  const directory = roots
    .flatMap((root) => [path.join(root, 'apps/web/dist'), path.join(root, 'apps/web/public')])
    .find((candidate) => fs.existsSync(path.join(candidate, 'index.html')));
  if (!directory) return;
  // Built assets have content hashes in their names: cached for good. Served under /assets
  // only, so API requests never pay a file-system lookup.
  app.useStaticAssets({ root: path.join(directory, 'assets'), prefix: '/assets/', index: false, immutable: true, maxAge: '365d', decorateReply: false });
  const index = path.join(directory, 'index.html');
  // Client-side routes: any GET outside /api answers the app's page; under /api (and
  // /metrics), a path no route serves is Nest's 404 problem.
  instance.get('/*', (request, reply) => {
    if (isApiPath(request.url) || request.url === '/metrics' || request.url.startsWith('/metrics?')) return reply.callNotFound();
    return reply.header('Cache-Control', 'no-cache').type('text/html; charset=utf-8').send(fs.createReadStream(index));
  });
}
