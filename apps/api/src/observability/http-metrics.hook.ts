import type { FastifyInstance } from 'fastify';
import type { CarnetMetrics } from '@carnet/metrics';

/**
 * Times every request, labelled by its route pattern (not its URL: ids would explode the
 * series), from Fastify's own clock (started as the request arrived).
 */
export function timeRequests(instance: FastifyInstance, metrics: CarnetMetrics): void {
  instance.addHook('onResponse', (request, reply, done) => {
    const route = request.routeOptions.url ?? 'unmatched';
    metrics.httpDuration.observe({ method: request.method, route, status: String(reply.statusCode) }, reply.elapsedTime / 1000);
    done();
  });
}
