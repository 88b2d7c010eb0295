import { MikroORM } from '@mikro-orm/postgresql';
import { Controller, Get, Res, ServiceUnavailableException } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { HealthCheck, HealthCheckResult, HealthCheckService, HealthIndicatorService } from '@nestjs/terminus';
import { FastifyReply } from 'fastify';
import { Client } from 'pg';
import { Public } from '../auth/auth.decorators';
import { jsonObject, RepliesJsonText } from '../common/json-text';

/**
 * The liveness answer (terminus' form of a check of no indicator), written once: a probe hit every few seconds by
 * every orchestrator and load balancer has nothing to compute. It stays 200 while the process drains at shutdown
 * (alive, finishing its requests); readiness is what answers 503 then.
 */
const LIVE = jsonObject({ status: 'ok', info: {}, error: {}, details: {} }).text;

/** The readiness ping's own deadline: a probe answers within it whatever the database does. */
const PING_TIMEOUT_MS = 2000;

interface TarnPool {
  max: number;
  numUsed(): number;
  numFree(): number;
  numPendingAcquires(): number;
  numPendingCreates(): number;
}

@ApiTags('Health')
@Public()
@Controller('health')
export class HealthController {
  constructor(
    private readonly health: HealthCheckService,
    private readonly indicator: HealthIndicatorService,
    private readonly orm: MikroORM,
  ) {}

  /** The process is up and serving HTTP. */
  @Get('live')
  @HealthCheck()
  @ApiOperation({
    summary: 'Liveness',
    description: 'The process is up and serves HTTP. No token needed.',
    security: [],
  })
  @RepliesJsonText()
  getLiveness(): string {
    return LIVE;
  }

  /**
   * The service can take traffic: its database answers. The ping uses a connection of its own, not the
   * request pool: a pool saturated by ordinary load must not pull every instance out of the load balancer
   * at peak. The pool's state is reported beside it (`pool`: used, free, pending), never as a failure.
   */
  @Get('ready')
  @HealthCheck()
  @ApiOperation({
    summary: 'Readiness',
    description:
      'The service can take traffic: its database answers a ping on a connection of its own, within 2 s (503 otherwise). ' +
      '`details.pool` reports the request pool (used, free, pending acquires): busy is not down. No token needed.',
    security: [],
  })
  async getReadiness(@Res({ passthrough: true }) reply: FastifyReply): Promise<HealthCheckResult> {
    try {
      return await this.health.check([() => this.ping(), () => this.poolState()]);
    } catch (err) {
      if (!(err instanceof ServiceUnavailableException)) throw err;
      void reply.status(503);
      return err.getResponse() as HealthCheckResult;
    }
  }

  private async ping() {
    const session = this.indicator.check('database');
    const client = new Client({
      connectionString: this.orm.config.getClientUrl(),
      connectionTimeoutMillis: PING_TIMEOUT_MS,
      query_timeout: PING_TIMEOUT_MS,
      statement_timeout: PING_TIMEOUT_MS,
    });
    client.on('error', () => undefined); // a connection lost after the answer is of no interest here
    try {
      await client.connect();
      await client.query('SELECT 1');
      return session.up();
    } catch (err) {
      return session.down({ message: (err as Error).message.split('\n')[0] });
    } finally {
      void client.end().catch(() => undefined);
    }
  }

  private poolState() {
    const session = this.indicator.check('pool');
    const knex = this.orm.em.getConnection().getKnex() as unknown as { client: { pool?: TarnPool } };
    const pool = knex.client.pool;
    if (!pool) return session.up({ used: 0, free: 0, pending: 0, max: 0 });
    return session.up({
      used: pool.numUsed(),
      free: pool.numFree(),
      pending: pool.numPendingAcquires() + pool.numPendingCreates(),
      max: pool.max,
    });
  }
}
