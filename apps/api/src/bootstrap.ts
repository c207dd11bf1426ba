import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, NestFastifyApplication } from '@nestjs/platform-fastify';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import type { FastifyInstance } from 'fastify';
import { Logger } from 'nestjs-pino';
import fs from 'node:fs';
import path from 'node:path';
import { CARNET_METRICS, CarnetMetrics } from '@carnet/metrics';
import { AppModule } from './app.module';
import { ProblemFilter } from './common/problem.filter';
import { createValidationPipe } from './common/validation.pipe';
import { timeRequests } from './observability/http-metrics.hook';
import { mountQueueBoard } from './observability/queue-board';
import { ResolvedConfig } from '@carnet/infrastructure';

/** A trace's document is at most 2 MB of JSON (checked by the trace's own rules); bodies stop at 3 MB. */
const JSON_BODY_LIMIT = 3 * 1024 * 1024;
/** A CSV import of a whole faculty's users (a few thousand lines) fits well within 5 MB. */
const TEXT_BODY_LIMIT = 5 * 1024 * 1024;

/**
 * Builds the HTTP application (used by main and by the tests, so both run the same app), on
 * Fastify: the same lists cost 0.59–0.68 ms of CPU per request instead of 0.94–0.98 on
 * Express (README, « Fastify »).
 */
export async function createApiApp(config: ResolvedConfig): Promise<NestFastifyApplication> {
  const adapter = new FastifyAdapter({
    trustProxy: 'loopback, linklocal, uniquelocal',
    bodyLimit: JSON_BODY_LIMIT,
    // Node's own default, which Express kept and Fastify turns off: a client that never ends its
    // request is cut after 5 minutes (an attachment of 10 MB on a slow hospital line takes less).
    requestTimeout: 300_000,
    // As Express did: `/api/traces/` is `/api/traces`.
    routerOptions: { ignoreTrailingSlash: true },
  });
  // Fastify's own parsers stay (JSON, and text/plain replaced below); Nest adds none.
  const app = await NestFactory.create<NestFastifyApplication>(AppModule.forRoot(config), adapter, { bufferLogs: true, bodyParser: false });
  app.useLogger(app.get(Logger));
  const instance = app.getHttpAdapter().getInstance() as unknown as FastifyInstance;
  acceptBodies(instance);
  // API answers carry portfolios (narratives of real consultations): no browser or proxy keeps
  // them, downloads included (a shared computer in a hospital ward is common); the one place this
  // is said. Set on the Node response, so errors and 404s carry it too; a route's own header
  // (none today) would win. Fastify computes no ETag over bodies; traces keep their version ETag.
  instance.addHook('onRequest', (request, reply, done) => {
    if (isApiPath(request.url)) reply.raw.setHeader('Cache-Control', 'private, no-store');
    done();
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

/** `/api` and below (not `/apis`), with or without a query. */
export function isApiPath(url: string): boolean {
  return url.startsWith('/api') && (url.length === 4 || url[4] === '/' || url[4] === '?');
}

/**
 * The bodies the API reads: JSON (also `application/*+json`) up to 3 MB; CSV or plain text
 * (a users' import) up to 5 MB, as a string; multipart (an attachment) left unread, streamed by
 * its route. Any other type is refused with 415 before a route runs.
 */
function acceptBodies(instance: FastifyInstance): void {
  instance.addContentTypeParser(/^application\/[\w.+-]+\+json$/, { parseAs: 'string' }, instance.getDefaultJsonParser('error', 'error'));
  instance.removeContentTypeParser('text/plain');
  instance.addContentTypeParser(['text/csv', 'text/plain'], { parseAs: 'string', bodyLimit: TEXT_BODY_LIMIT }, (_request, body, done) => done(null, body));
  instance.addContentTypeParser('multipart/form-data', (_request, _payload, done) => done(null));
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
