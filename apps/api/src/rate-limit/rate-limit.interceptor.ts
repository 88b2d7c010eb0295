import { CallHandler, ExecutionContext, Injectable, NestInterceptor } from '@nestjs/common';
import { FastifyReply } from 'fastify';
import { from, Observable, switchMap } from 'rxjs';
import { RateLimitGroup } from '../config/app-config';
import { LimitedRequest, RateLimiter, rateLimitGroupOf } from './rate-limiter';

/**
 * Applies the rate limits to every controller route, after the guards (so the token is verified and the CRM
 * tenant resolved: keys are never taken from an unverified token) and before the handler. Public routes
 * (health, docs, JWKS) have no principal and are not counted; /metrics is not a Nest route.
 * Registered only when a limit is configured (RateLimitModule).
 */
@Injectable()
export class RateLimitInterceptor implements NestInterceptor {
  /** The group of each handler, found once. */
  private readonly groups = new Map<unknown, RateLimitGroup | null>();

  constructor(private readonly limiter: RateLimiter) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const http = context.switchToHttp();
    const request = http.getRequest<LimitedRequest>();
    const handler = context.getHandler();
    let group = this.groups.get(handler);
    if (group === undefined) {
      const candidate = rateLimitGroupOf(request.routeOptions.url ?? '', request.method);
      group = this.limiter.limits(candidate) ? candidate : null;
      this.groups.set(handler, group);
    }
    if (group === null || request.user === undefined) return next.handle();
    return from(this.limiter.consume(group, request, http.getResponse<FastifyReply>())).pipe(
      switchMap(() => next.handle()),
    );
  }
}
