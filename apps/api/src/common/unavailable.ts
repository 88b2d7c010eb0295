/**
 * Which failures mean "the database (or this instance) cannot serve right now, retry later" rather than a bug:
 * both API styles answer them 503 (Motto `unavailable`, CRM 5030) with Retry-After, and log them once per
 * burst without a stack. Errors are recognised by code, class name or the fixed message of the library that
 * raised them (pg, knex/tarn, MikroORM, Node), following `cause` chains; MikroORM's DriverException copies the
 * driver error's own properties (`code` among them) and message, so both the raw and the wrapped error match.
 */

/** Node socket errors, and SQLSTATEs meaning the server is going away, refusing, or cancelled the statement. */
const UNAVAILABLE_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ECONNABORTED',
  'EPIPE',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EAI_AGAIN',
  'EMFILE',
  'ENFILE',
  '57P01', // admin_shutdown
  '57P02', // crash_shutdown
  '57P03', // cannot_connect_now (starting up, shutting down)
  '57014', // query_canceled (statement_timeout)
  '53300', // too_many_connections
  '53400', // configuration_limit_exceeded
]);

/** Error names (own `name`, or the class) of pool and connection failures. */
const UNAVAILABLE_NAMES = new Set([
  'KnexTimeoutError',
  'TimeoutError',
  'ConnectionException',
  'RequestDeadlineExceeded',
]);

/** Fixed messages of pg, knex and tarn for a lost, refused or timed-out connection. */
const UNAVAILABLE_MESSAGES = [
  /^Knex: Timeout acquiring a connection/,
  /^Connection terminated/, // unexpectedly; due to connection timeout
  /^timeout expired/,
  /^Query read timeout/,
  /^Client has encountered a connection error and is not queryable/,
  /^Client was closed and is not queryable/,
  /the database system is (shutting down|starting up|in recovery mode)/,
  /terminating connection due to administrator command/,
  /^canceling statement due to statement timeout/,
  /^connect ECONNREFUSED/,
  /^read ECONNRESET/,
  /^aborted$/, // knex: a pool being destroyed
  // knex: the rollback of a transaction whose connection was lost (MikroORM throws the rollback's error)
  /^Transaction query already complete/,
];

/** Thrown by the request deadline (see request-deadline.ts): answered 503 like a database outage. */
export class RequestDeadlineExceeded extends Error {
  constructor(readonly deadlineMs: number) {
    super(`the request did not complete within ${deadlineMs} ms`);
    this.name = 'RequestDeadlineExceeded';
  }
}

/** A short label for the log line, or undefined when the error is not a "temporarily unavailable" one. */
export function unavailableReason(exception: unknown): string | undefined {
  let error: unknown = exception;
  for (let depth = 0; error && typeof error === 'object' && depth < 5; depth++) {
    const e = error as { code?: unknown; name?: unknown; message?: unknown; cause?: unknown };
    const code = typeof e.code === 'string' ? e.code : undefined;
    if (code && (UNAVAILABLE_CODES.has(code) || code.startsWith('08'))) return code;
    const names = [typeof e.name === 'string' ? e.name : undefined, error.constructor?.name];
    const name = names.find((n) => n && UNAVAILABLE_NAMES.has(n));
    if (name) return name;
    // knex prefixes the driver's message with the statement: `<sql> - Query read timeout`.
    const message = typeof e.message === 'string' ? e.message.split('\n')[0] : '';
    const driverMessage = message.slice(message.lastIndexOf(' - ') + 3 || 0);
    if (UNAVAILABLE_MESSAGES.some((m) => m.test(driverMessage) || m.test(message))) return driverMessage.slice(0, 120);
    error = e.cause;
  }
  return undefined;
}

/** Seconds a client should wait before retrying a 503 (Retry-After). */
export const RETRY_AFTER_SECONDS = 2;
