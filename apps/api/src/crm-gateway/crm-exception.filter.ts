import { ArgumentsHost, Catch, ExceptionFilter } from '@nestjs/common';
import { sendError } from '../common/error-reply';
import { renderCrmError } from './crm-error';

/**
 * Every route of the CRM gateway is under this prefix: an error that no controller's filter sees (unknown
 * route, body parsing, Fastify's pre-routing errors) is rendered by the CRM gateway when its URL starts with it.
 */
export const CRM_PATH_PREFIX = '/crm-gateway/';

/**
 * The CRM gateway controller's filter (applied by @CrmApi()): every error, the guards' included, answers
 * `{code, errorCode, message}`. Anything not a DomainError or an HTTP error is a bug: logged, answered
 * 500 (5000) without internals.
 */
@Catch()
export class CrmExceptionFilter implements ExceptionFilter {
  catch(exception: unknown, host: ArgumentsHost): void {
    sendError(exception, host, renderCrmError);
  }
}
