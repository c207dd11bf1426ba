import type { FastifyRequest } from 'fastify';

/** The request body's media type, lower-cased and without parameters (`text/csv; charset=utf-8` → `text/csv`); '' without one. */
export function mediaTypeOf(request: FastifyRequest): string {
  return (request.headers['content-type'] ?? '').split(';')[0].trim().toLowerCase();
}
