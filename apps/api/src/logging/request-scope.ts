import { EntityManager, RequestContext } from '@mikro-orm/core';
import { FastifyInstance, FastifyRequest } from 'fastify';
import { PinoLogger } from 'nestjs-pino';
// The AsyncLocalStorage nestjs-pino's Logger and PinoLogger read the request's logger from (not re-exported by its
// index; nestjs-pino is pinned, and test/process checks that lines logged inside a request carry its id).
import { storage, Store } from 'nestjs-pino/storage';
import type { Logger as Pino } from 'pino';

/** The probes: never logged, no request logger; and the routes whose stores never use the ORM's identity map. */
export interface RequestScopeRules {
  /** No request logger, no completion line (the health probes). */
  unlogged(method: string, url: string): boolean;
  /** No MikroORM request context (routes whose stores go straight through the driver). */
  withoutOrmContext(method: string, url: string): boolean;
}

/** A logged request's logger and start. */
interface Scope {
  log: Pino;
  started: number;
}

const scopes = new WeakMap<FastifyRequest, Scope>();

/**
 * What each request runs in, set up by one Fastify hook rather than Express-style middleware (Nest runs that
 * through @fastify/middie; middie, pino-http's two child loggers per request and the ORM's fork were about 15 % of
 * an offer get's CPU):
 * - its logger, a pino child carrying `correlation_id`, put where nestjs-pino's Logger finds it, so every line
 *   logged while serving the request carries the id; one line when it completes (level error from 500 on), or
 *   when the client goes away first — the lines pino-http wrote, with the same fields;
 * - MikroORM's request context (a fork of the EntityManager with its own identity map), except on the routes
 *   that never use it.
 * Both hold through the reading of the body and the handler's awaits (request-scope.spec.ts: a body sent in pieces).
 */
export function installRequestScope(
  fastify: FastifyInstance,
  em: EntityManager | undefined,
  rules: RequestScopeRules,
): void {
  fastify.addHook('onRequest', (request, reply, done) => {
    const log = rules.unlogged(request.method, request.url)
      ? undefined
      : (PinoLogger.root as Pino).child({ correlation_id: request.id });
    const withOrm = em !== undefined && !rules.withoutOrmContext(request.method, request.url);
    if (!log && !withOrm) return done();
    const enter = () => {
      if (log) scopes.set(request, { log, started: performance.now() });
      done();
    };
    const withLogger = log ? () => storage.run(new Store(log), enter) : enter;
    if (withOrm) RequestContext.create(em, withLogger);
    else withLogger();
  });
  fastify.addHook('onResponse', (request, reply, done) => {
    const scope = scopes.get(request);
    if (scope) {
      const line = completion(request, reply.statusCode, scope.started);
      if (reply.statusCode >= 500) scope.log.error(line, 'request errored');
      else scope.log.info(line, 'request completed');
    }
    done();
  });
  fastify.addHook('onRequestAbort', (request, done) => {
    const scope = scopes.get(request);
    if (scope) scope.log.warn(completion(request, undefined, scope.started), 'request aborted');
    done();
  });
}

function completion(request: FastifyRequest, statusCode: number | undefined, started: number) {
  return {
    req: { method: request.method, url: request.url },
    ...(statusCode !== undefined && { res: { statusCode } }),
    responseTime: Math.round(performance.now() - started),
  };
}
