import { CallHandler, ExecutionContext, Injectable, NestInterceptor } from '@nestjs/common';
import { Observable, throwError, timeout } from 'rxjs';
import { RequestDeadlineExceeded } from './unavailable';

/**
 * The per-request deadline (REQUEST_DEADLINE_MS): a handler that has not answered by then fails with
 * RequestDeadlineExceeded, which both API styles answer 503 with Retry-After (see unavailable.ts). The pool
 * acquire, connect and statement timeouts bound each database call below it; this bounds the request as a whole.
 */
@Injectable()
export class RequestDeadlineInterceptor implements NestInterceptor {
  constructor(private readonly deadlineMs: number) {}

  intercept(_context: ExecutionContext, next: CallHandler): Observable<unknown> {
    return next
      .handle()
      .pipe(
        timeout({ first: this.deadlineMs, with: () => throwError(() => new RequestDeadlineExceeded(this.deadlineMs)) }),
      );
  }
}
