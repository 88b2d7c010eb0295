import { ArgumentsHost, HttpException, Logger } from '@nestjs/common';
import { FastifyReply } from 'fastify';
import { loggableError } from './redact-sql';
import { RETRY_AFTER_SECONDS, unavailableReason } from './unavailable';

/** An error as one API style answers it: the HTTP status and that style's error body. */
export interface RenderedError {
  status: number;
  body: object;
}

/** Turns any error into one API style's answer (each style has its own: Motto, CRM gateway). */
export type ErrorRenderer = (exception: unknown) => RenderedError;

/**
 * The HTTP status and a message safe to show of an error that is not a DomainError, for every API style:
 * an HttpException keeps its status and message; Fastify's own errors (malformed JSON, unsupported media
 * type, body too large) carry a 4xx statusCode; the database away (refused, reset, shutting down, pool or
 * statement timeout: see unavailable.ts) is 503; anything else is a bug, answered 500 without internals.
 */
export function httpStatusOf(exception: unknown): { status: number; message: string } {
  if (unavailableReason(exception)) {
    return { status: 503, message: `temporarily unavailable; retry with backoff (after ${RETRY_AFTER_SECONDS} s)` };
  }
  let status = 500;
  let message = 'internal error';
  if (exception instanceof HttpException) {
    status = exception.getStatus();
    const response = exception.getResponse();
    const given = typeof response === 'string' ? response : (response as { message?: unknown }).message;
    message = typeof given === 'string' ? given : Array.isArray(given) ? given.join(',') : exception.message;
  } else if (typeof (exception as { statusCode?: unknown })?.statusCode === 'number') {
    status = (exception as { statusCode: number }).statusCode;
    message = status < 500 ? (exception as Error).message : message;
  }
  if (status >= 500) message = 'internal error';
  return { status, message };
}

const logger = new Logger('Errors');

/** A database outage fails every request: one log line per burst (this long without one), not one per request. */
const BURST_MS = 10_000;
let burst = { lastAt: 0, suppressed: 0 };

function logUnavailable(reason: string): void {
  const now = Date.now();
  if (now - burst.lastAt < BURST_MS) {
    burst = { lastAt: now, suppressed: burst.suppressed + 1 };
    return;
  }
  logger.warn(`answering 503, the database is unavailable: ${reason} (further failures of this burst are not logged)`);
  burst = { lastAt: now, suppressed: 0 };
}

/**
 * What every exception filter does once its API style has rendered the error: a 503 (database away) gets
 * Retry-After and is logged once per burst without a stack; another 5xx is logged with its stack (the caller
 * sees no internals, the log no SQL values); the rendered body is sent.
 */
export function sendError(exception: unknown, host: ArgumentsHost, render: ErrorRenderer): void {
  const reply = host.switchToHttp().getResponse<FastifyReply>();
  const { status, body } = render(exception);
  const unavailable = unavailableReason(exception);
  if (unavailable) {
    logUnavailable(unavailable);
    void reply.header('retry-after', String(RETRY_AFTER_SECONDS));
  } else if (status === 503) {
    void reply.header('retry-after', String(RETRY_AFTER_SECONDS));
  } else if (status >= 500) logger.error(loggableError(exception));
  if (reply.sent) return; // the request deadline answered already, or the client has gone
  void reply.status(status).send(body);
}
