import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';

/**
 * A request's id: the caller's `X-Request-Id` when it is a plain token (an ingress's), else a
 * new UUID. Fastify gives it to the request, pino-http's log lines and the audit entries take it
 * from there, so one id ties them together across replicas.
 */
export function requestIdOf(request: IncomingMessage): string {
  const given = request.headers['x-request-id'];
  return typeof given === 'string' && /^[\w.-]{1,100}$/.test(given) ? given : randomUUID();
}
