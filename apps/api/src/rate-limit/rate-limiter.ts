import fastifyRateLimit from '@fastify/rate-limit';
import { HttpException, Inject, Injectable, Logger, OnModuleDestroy, OnModuleInit } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import Redis from 'ioredis';
import { OperatorPrincipal, PlatformPrincipal } from '../auth/principal';
import { AppConfig, RateLimitConfig, RateLimitGroup } from '../config/app-config';
import { APP_CONFIG } from '../config/config.module';
import { CRM_PATH_PREFIX } from '../crm-gateway/crm-exception.filter';
import { Metrics } from '../observability/metrics';

export type LimitedRequest = FastifyRequest & {
  user?: unknown;
  tenant?: { id: string };
  rateLimitKey: string;
  rateLimitMax: number;
};

type Check = ReturnType<FastifyInstance['createRateLimit']>;
type Outcome = Awaited<ReturnType<Check>>;
type Counted = Extract<Outcome, { isAllowed: false }>;

/** The routes of the access group: decisions and playback sessions (the play path). */
const ACCESS_PREFIXES = ['/monetization/access-checks/', '/monetization/playback-sessions/'];

/** The route group of a route template and method: access checks, reads (GET), writes (the rest). */
export function rateLimitGroupOf(route: string, method: string): RateLimitGroup {
  if (ACCESS_PREFIXES.some((prefix) => route.startsWith(prefix))) return 'access';
  return method === 'GET' || method === 'HEAD' ? 'reads' : 'writes';
}

/**
 * The project a Motto-style request acts on (path, query or body `project_id`), counted only when the token
 * grants it: a caller cannot spend another project's budget by naming it. CRM: the tenant TenantGuard resolved.
 */
function projectOf(request: LimitedRequest, principal: PlatformPrincipal | OperatorPrincipal): string | undefined {
  if (principal instanceof OperatorPrincipal) return request.tenant?.id;
  const named =
    (request.params as Record<string, unknown> | undefined)?.project_id ??
    (request.query as Record<string, unknown> | undefined)?.project_id ??
    (request.body as Record<string, unknown> | null | undefined)?.project_id;
  return typeof named === 'string' && principal.canAccess(named) ? named : undefined;
}

/**
 * Counts requests with @fastify/rate-limit (its stores: Redis with REDIS_URL, so every instance shares the
 * counters; else this instance's memory) against two limits of the request's route group: per token subject,
 * and per project (CRM: tenant). Over either: 429 with Retry-After, rendered by the API's own filter (Motto
 * `resource_exhausted`, CRM 4290). Answers carry the draft standard RateLimit-Limit/-Remaining/-Reset headers
 * of the limit nearest to exhaustion.
 */
@Injectable()
export class RateLimiter implements OnModuleInit, OnModuleDestroy {
  private readonly logger = new Logger('RateLimit');
  private readonly config: RateLimitConfig;
  private redis?: Redis;
  private check!: Check;

  constructor(
    @Inject(APP_CONFIG) appConfig: AppConfig,
    private readonly adapterHost: HttpAdapterHost,
    private readonly metrics: Metrics,
  ) {
    this.config = appConfig.rateLimit!;
  }

  async onModuleInit(): Promise<void> {
    const fastify = this.adapterHost.httpAdapter.getInstance<FastifyInstance>();
    if (this.config.redisUrl) {
      this.redis = new Redis(this.config.redisUrl, {
        // Redis down: a command fails at once (no queue, no retry) and the request goes on uncounted, rather
        // than every request waiting for a reconnection; ioredis reconnects in the background.
        enableOfflineQueue: false,
        maxRetriesPerRequest: 0,
        commandTimeout: 500,
        connectTimeout: 2000,
      });
      this.redis.on('error', (err: Error) => this.logger.warn(`redis: ${err.message}`));
      const redis = this.redis;
      await new Promise<void>((resolve) => {
        const timer = setTimeout(() => {
          this.logger.warn('redis (REDIS_URL) not ready yet: requests go uncounted until it is');
          resolve();
        }, 2000);
        redis.once('ready', () => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
    fastify.decorateRequest('rateLimitKey', '');
    fastify.decorateRequest('rateLimitMax', 0);
    await fastify.register(fastifyRateLimit, {
      global: false,
      redis: this.redis,
      nameSpace: this.config.keyPrefix,
      timeWindow: this.config.windowMs,
      keyGenerator: (request) => (request as LimitedRequest).rateLimitKey,
      max: (request) => (request as LimitedRequest).rateLimitMax,
      // The counters unreachable (Redis down): the request goes on; availability before accounting.
      skipOnError: true,
    });
    this.check = fastify.createRateLimit();
  }

  async onModuleDestroy(): Promise<void> {
    await this.redis?.quit().catch(() => undefined);
  }

  /** Does this group have any limit? (No: the interceptor passes the request straight on.) */
  limits(group: RateLimitGroup): boolean {
    const l = this.config.limits[group];
    return l.subject !== undefined || l.project !== undefined;
  }

  /** Counts the request; throws the 429 when a limit is exceeded (headers already on the reply). */
  async consume(group: RateLimitGroup, request: LimitedRequest, reply: FastifyReply): Promise<void> {
    const principal = request.user;
    if (!(principal instanceof PlatformPrincipal || principal instanceof OperatorPrincipal)) return;
    const limits = this.config.limits[group];
    let nearest: Counted | undefined;
    if (limits.subject !== undefined) {
      request.rateLimitKey = `${group}:subject:${principal.kind}:${principal.subject}`;
      request.rateLimitMax = limits.subject;
      const outcome = await this.check(request);
      if (!outcome.isAllowed) {
        if (outcome.isExceeded) this.refuse(request, reply, group, 'subject', outcome);
        nearest = outcome;
      }
    }
    const project = limits.project !== undefined ? projectOf(request, principal) : undefined;
    if (project !== undefined) {
      request.rateLimitKey = `${group}:project:${principal.kind}:${project}`;
      request.rateLimitMax = limits.project!;
      const outcome = await this.check(request);
      if (!outcome.isAllowed) {
        if (outcome.isExceeded) this.refuse(request, reply, group, 'project', outcome);
        if (!nearest || outcome.remaining < nearest.remaining) nearest = outcome;
      }
    }
    if (nearest) this.headers(reply, nearest);
  }

  private headers(reply: FastifyReply, outcome: Counted): void {
    void reply
      .header('ratelimit-limit', outcome.max)
      .header('ratelimit-remaining', outcome.remaining)
      .header('ratelimit-reset', outcome.ttlInSeconds);
  }

  private refuse(
    request: LimitedRequest,
    reply: FastifyReply,
    group: RateLimitGroup,
    scope: 'subject' | 'project',
    outcome: Counted,
  ): never {
    const crm = request.url.startsWith(CRM_PATH_PREFIX);
    this.metrics.rateLimitHit(crm ? 'crm' : 'motto', group, scope);
    this.headers(reply, outcome);
    void reply.header('retry-after', outcome.ttlInSeconds);
    const who = scope === 'subject' ? 'token subject' : crm ? 'tenant' : 'project';
    throw new HttpException(
      `rate limit exceeded: at most ${outcome.max} ${group} requests per ${this.config.windowMs / 1000} s per ${who}; ` +
        `retry after ${outcome.ttlInSeconds} s`,
      429,
    );
  }
}
