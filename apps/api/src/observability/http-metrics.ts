import { NestFastifyApplication } from '@nestjs/platform-fastify';
import { timingSafeEqual } from 'node:crypto';
import { FastifyReply, FastifyRequest } from 'fastify';
import { Metrics, UNMATCHED_ROUTE } from './metrics';

export const METRICS_PATH = '/metrics';

function sameSecret(given: string | undefined, expected: Buffer): boolean {
  if (!given) return false;
  const buffer = Buffer.from(given);
  return buffer.length === expected.length && timingSafeEqual(buffer, expected);
}

/**
 * With METRICS_TOKEN set: every answered request is counted by route template (never the raw URL: ids would
 * make a series each; requests that matched no route share one label), and `GET /metrics` answers the
 * Prometheus text format to `Authorization: Bearer <METRICS_TOKEN>` (401 otherwise). It is a plain Fastify
 * route, outside both APIs: no JWT, no rate limit, not in openapi.yaml. Without the token nothing is added.
 */
export function installMetrics(app: NestFastifyApplication, token: string | undefined): void {
  if (!token) return;
  const metrics = app.get(Metrics);
  const fastify = app.getHttpAdapter().getInstance();
  fastify.addHook('onResponse', (request: FastifyRequest, reply: FastifyReply, done: () => void) => {
    metrics.observeHttp(
      request.routeOptions.url ?? UNMATCHED_ROUTE,
      request.method,
      reply.statusCode,
      reply.elapsedTime / 1000,
    );
    done();
  });
  const expected = Buffer.from(`Bearer ${token}`);
  fastify.get(METRICS_PATH, async (request, reply) => {
    if (!sameSecret(request.headers.authorization, expected)) {
      return reply
        .code(401)
        .header('www-authenticate', 'Bearer realm="metrics"')
        .send({ code: 'unauthenticated', message: 'GET /metrics needs Authorization: Bearer <METRICS_TOKEN>' });
    }
    const { contentType, body } = await metrics.exposition();
    return reply.header('content-type', contentType).header('cache-control', 'no-store').send(body);
  });
}
