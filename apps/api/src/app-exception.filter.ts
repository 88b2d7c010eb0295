import { ArgumentsHost, Catch, ExceptionFilter } from '@nestjs/common';
import { FastifyRequest } from 'fastify';
import { ErrorRenderer, sendError } from './common/error-reply';
import { ParameterRules } from './common/request-input';
import { renderCrmError } from './crm-gateway/crm-error';
import { CRM_PATH_PREFIX } from './crm-gateway/crm-exception.filter';
import { renderMottoError } from './motto/motto-error';

/**
 * The one place that picks an API style by URL, for errors that no controller's filter sees: Fastify's
 * pre-routing errors (a malformed URL), unknown routes (404), body parsing (malformed JSON, 415, 413:
 * Fastify parses the body before Nest runs the handler, so these reach only the global filters), and
 * routes outside both APIs (health, docs, the development JWKS), which answer the Motto-style body.
 * Inside a controller, @MottoApi() and @CrmApi() render with their own filter.
 */
export function errorRendererFor(url: string): ErrorRenderer {
  return url.startsWith(CRM_PATH_PREFIX) ? renderCrmError : renderMottoError;
}

const API_PATH_PREFIXES = ['/monetization/', '/iam/', CRM_PATH_PREFIX];

/**
 * How each API's path and query parameters are checked at the boundary (common/request-input.ts): the CRM
 * gateway names its `{id}` `_id`, and refuses a repeated parameter itself (errorCode 4001 on the list);
 * undefined outside both APIs (health, docs), whose parameters are not read.
 */
export function parameterRulesFor(url: string): ParameterRules | undefined {
  if (!API_PATH_PREFIXES.some((prefix) => url.startsWith(prefix))) return undefined;
  return url.startsWith(CRM_PATH_PREFIX)
    ? { names: { id: '_id' }, refuseRepeated: false }
    : { names: {}, refuseRepeated: true };
}

/** The global filter (bootstrap.ts): renders with the API style of the URL. */
@Catch()
export class AppExceptionFilter implements ExceptionFilter {
  catch(exception: unknown, host: ArgumentsHost): void {
    const request = host.switchToHttp().getRequest<FastifyRequest>();
    sendError(exception, host, errorRendererFor(request.url));
  }
}
