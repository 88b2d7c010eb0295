import { DomainError } from '@app/domain';
import { ArgumentsHost, Catch, ExceptionFilter, HttpException, Logger } from '@nestjs/common';
import { FastifyReply, FastifyRequest } from 'fastify';
import { crmErrorFromDomain, crmErrorFromStatus } from '../crm-gateway/crm-error';
import { mottoErrorFromDomain, mottoErrorFromStatus } from './motto-error';

export const CRM_PATH_PREFIX = '/crm-gateway/';

/**
 * Turns every error into the error body of the API style the request came through: the CRM gateway's
 * `{code, errorCode, message}` under /crm-gateway/, the Connect-style `{code, message, details}` elsewhere.
 * Anything not a DomainError or an HTTP error is a bug: logged, answered 500 without internals.
 */
export function errorResponse(exception: unknown, url: string): { status: number; body: object } {
  const crm = url.startsWith(CRM_PATH_PREFIX);
  if (exception instanceof DomainError) return crm ? crmErrorFromDomain(exception) : mottoErrorFromDomain(exception);
  let status = 500;
  let message = 'internal error';
  if (exception instanceof HttpException) {
    status = exception.getStatus();
    const response = exception.getResponse();
    // eslint-disable-next-line @typescript-eslint/no-base-to-string -- Nest's message: a string or a string[] (joined)
    message = typeof response === 'string' ? response : String((response as { message?: unknown }).message ?? exception.message);
  } else if (typeof (exception as { statusCode?: unknown })?.statusCode === 'number') {
    // Fastify's own errors (malformed JSON, unsupported media type, body too large) carry a 4xx statusCode.
    status = (exception as { statusCode: number }).statusCode;
    message = status < 500 ? (exception as Error).message : message;
  }
  if (status >= 500) message = 'internal error';
  return crm ? crmErrorFromStatus(status, message) : mottoErrorFromStatus(status, message);
}

@Catch()
export class ApiExceptionFilter implements ExceptionFilter {
  private readonly logger = new Logger('Errors');

  catch(exception: unknown, host: ArgumentsHost): void {
    const request = host.switchToHttp().getRequest<FastifyRequest>();
    const reply = host.switchToHttp().getResponse<FastifyReply>();
    const { status, body } = errorResponse(exception, request.url);
    if (status >= 500) this.logger.error(exception instanceof Error ? exception.stack : String(exception));
    void reply.status(status).send(body);
  }
}
