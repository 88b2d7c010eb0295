import { FastifyInstance, FastifyRequest } from 'fastify';
import { ErrorRenderer } from './error-reply';
import { RETRY_AFTER_SECONDS, RequestDeadlineExceeded } from './unavailable';

type WithDeadline = FastifyRequest & { deadline?: NodeJS.Timeout };

/**
 * The per-request deadline (REQUEST_DEADLINE_MS): a request not answered by then gets 503 with Retry-After in its
 * API's error body (RequestDeadlineExceeded, as a database outage; see unavailable.ts), and whatever the handler
 * sends later is dropped (a sent reply stays sent). The pool acquire, connect and statement timeouts bound each
 * database call below it; this bounds the request as a whole, guards included.
 *
 * A timer per request in Fastify's hooks rather than a Nest interceptor: an interceptor puts an rxjs pipeline on
 * every route (measured: ~15 % of the CPU of a health probe), a timer costs next to nothing.
 */
export function installRequestDeadline(
  fastify: FastifyInstance,
  deadlineMs: number,
  renderFor: (url: string) => ErrorRenderer,
): void {
  fastify.addHook('onRequest', (request, reply, done) => {
    (request as WithDeadline).deadline = setTimeout(() => {
      // The client gone is its socket closed: the request stream itself is destroyed as soon as its body is read.
      if (reply.sent || request.raw.socket?.destroyed !== false) return;
      const { status, body } = renderFor(request.url)(new RequestDeadlineExceeded(deadlineMs));
      void reply.header('retry-after', String(RETRY_AFTER_SECONDS)).code(status).send(body);
    }, deadlineMs);
    done();
  });
  const clear = (request: FastifyRequest, _reply: unknown, done: () => void) => {
    clearTimeout((request as WithDeadline).deadline);
    done();
  };
  fastify.addHook('onResponse', clear);
  fastify.addHook('onRequestAbort', (request, done) => clear(request, undefined, done));
}
