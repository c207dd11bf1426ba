import type { FastifyInstance } from 'fastify';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { PinoLogger } from 'nestjs-pino';

/** What a Nest logger bound to a request logs through (pino's, from nestjs-pino's root). */
type RequestLogger = PinoLogger['logger'];

/**
 * The request log, as a Fastify hook rather than Nest middleware: the same line per request as
 * pino-http's (`req`, `res`, `responseTime`, « request completed », « request aborted » or
 * « request errored » with `err`, through the root logger's serializers and redaction), and a
 * logging context for what the request's own code logs (its lines carry `reqId`), without the
 * middleware bridge (@fastify/middie and Nest's wrapper around each middleware, which matched the
 * path twice and copied the request's address, host and query onto Node's request).
 *
 * Logged: the paths Nest's middleware covered, `/api` and below (after the router's own
 * normalisation: `/API/me/` and `/%61pi/me` are `/api/me`) and `/metrics`; the web app's page
 * and its files are not. `/api/health` and its probes (`/live`, `/ready`) keep their context but write no line.
 */
export function logRequests(instance: FastifyInstance, logger: PinoLogger): void {
  instance.addHook('onRequest', (request, reply, done) => {
    if (!isLogged(request.raw.url ?? '/')) return done();
    const raw = request.raw as IncomingMessage & { id?: unknown; query?: unknown };
    // What the request serializer reads: Fastify's id (requestIdOf) and its parsed query.
    raw.id = request.id;
    raw.query = request.query;
    logger.runInContext(() => {
      // What the request's own code logs carries its id (pino-http's `quietReqLogger`): the
      // request itself, headers and all, is serialized once, on the request's own line.
      logger.assign({ reqId: request.id });
      logCompletion(raw, reply.raw, logger.logger, !HEALTH_PATH.test(raw.url ?? ''));
      done();
    });
  });
}

const LOGGED_PATH = /^\/(?:api(?:\/|$)|metrics\/?$)/;
/** The probes' paths (`/api/health`, `/live`, `/ready`): context, no line. */
const HEALTH_PATH = /^\/api\/health(?:[/?]|$)/;

/** The path as the router matches it: without the query, decoded (not `%2F` and the like), lower-cased. */
function isLogged(url: string): boolean {
  const query = url.indexOf('?');
  let path = query >= 0 ? url.slice(0, query) : url;
  // An absolute-form target (`GET http://host/api/me`) is routed by its path.
  if (path[0] !== '/') path = path.replace(/^[a-z][a-z0-9+.-]*:\/\/[^/]*/i, '');
  if (path.includes('%')) {
    try {
      path = decodeURI(path);
    } catch {
      // Not a URL the router takes (refused before any hook): left as sent.
    }
  }
  return LOGGED_PATH.test(path.toLowerCase());
}

/** pino-http's ending: one line when the response finishes, is cut short or fails. */
function logCompletion(request: IncomingMessage, response: ServerResponse, log: RequestLogger, autoLog: boolean): void {
  const startedAt = Date.now();
  const complete = (err?: Error) => {
    response.removeListener('close', complete);
    response.removeListener('finish', complete);
    response.removeListener('error', complete);
    const responseTime = Date.now() - startedAt;
    if (err || response.statusCode >= 500) {
      log.info({ req: request, res: response, err: err ?? new Error(`failed with status code ${response.statusCode}`), responseTime }, 'request errored');
      return;
    }
    log.info({ req: request, res: response, responseTime }, !request.readableAborted && response.writableEnded ? 'request completed' : 'request aborted');
  };
  if (autoLog) {
    response.on('close', complete);
    response.on('finish', complete);
  }
  response.on('error', complete);
}
