import { ArgumentsHost, HttpException, Logger } from '@nestjs/common';
import { FastifyReply } from 'fastify';

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
 * type, body too large) carry a 4xx statusCode; anything else is a bug, answered 500 without internals.
 */
export function httpStatusOf(exception: unknown): { status: number; message: string } {
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

/**
 * What every exception filter does once its API style has rendered the error: a 5xx is logged with its
 * stack (the caller sees no internals), and the rendered body is sent.
 */
export function sendError(exception: unknown, host: ArgumentsHost, render: ErrorRenderer): void {
  const reply = host.switchToHttp().getResponse<FastifyReply>();
  const { status, body } = render(exception);
  if (status >= 500) logger.error(exception instanceof Error ? exception.stack : String(exception));
  void reply.status(status).send(body);
}
