import type { FastifyRequest } from 'fastify';

/** The request body's media type, lower-cased and without parameters (`text/csv; charset=utf-8` → `text/csv`); '' without one. */
export function mediaTypeOf(request: FastifyRequest): string {
  return (request.headers['content-type'] ?? '').split(';')[0].trim().toLowerCase();
}

/** The charset the request body's Content-Type declares (`text/csv; charset=windows-1252` → `windows-1252`); undefined without one. */
export function charsetOf(request: FastifyRequest): string | undefined {
  return /;\s*charset\s*=\s*"?([\w.:-]{1,40})"?/i.exec(request.headers['content-type'] ?? '')?.[1];
}
