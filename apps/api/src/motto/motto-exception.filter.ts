import { ArgumentsHost, Catch, ExceptionFilter } from '@nestjs/common';
import { sendError } from '../common/error-reply';
import { renderMottoError } from './motto-error';

/**
 * The Motto-style controllers' filter (applied by @MottoApi()): every error, the guards' included, answers
 * the Connect body `{code, message, details}`. Anything not a DomainError or an HTTP error is a bug:
 * logged, answered 500 `internal` without internals.
 */
@Catch()
export class MottoExceptionFilter implements ExceptionFilter {
  catch(exception: unknown, host: ArgumentsHost): void {
    sendError(exception, host, renderMottoError);
  }
}
