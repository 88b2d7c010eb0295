import { randomUUID } from 'node:crypto';
import { IncomingMessage } from 'node:http';

export const CORRELATION_ID_HEADER = 'x-correlation-id';

/** A caller's id is kept when it is a plain token of at most 128 characters; otherwise a new one is made. */
const ACCEPTABLE = /^[\w.:@-]{1,128}$/;

type WithCorrelationId = IncomingMessage & { correlationId?: string };

/**
 * The request's correlation id: the caller's `x-correlation-id` when acceptable, else a new UUID.
 * Computed once per request and kept on the raw request, so Fastify's request id, the log lines
 * and the response header all carry the same value.
 */
export function correlationIdOf(raw: IncomingMessage): string {
  const req = raw as WithCorrelationId;
  if (!req.correlationId) {
    const given = req.headers[CORRELATION_ID_HEADER];
    const value = Array.isArray(given) ? given[0] : given;
    req.correlationId = value && ACCEPTABLE.test(value) ? value : randomUUID();
  }
  return req.correlationId;
}
