import { defineConfig, Options } from '@mikro-orm/postgresql';
import { Migrator } from '@mikro-orm/migrations';
import { join } from 'node:path';
import { ENTITIES } from './entities';

export interface OrmOptionsInput {
  clientUrl: string;
  poolMax?: number;
  /**
   * Deadlines for the service's pool (absent for scripts and migrations): acquiring a pooled connection,
   * establishing a new one, and each statement (server-side statement_timeout; the client gives up 1 s later
   * in case the server cannot even answer, e.g. frozen).
   */
  timeouts?: { poolAcquireMs: number; connectMs: number; statementMs: number };
  /**
   * Where knex's own warnings go (default: console). It warns once per pooled connection lost, so an outage
   * would print a line per connection; the service routes them to its log at debug level.
   */
  driverLog?: (message: string) => void;
  /** Log each SQL statement through this function (debug). */
  logger?: (message: string) => void;
}

/** The single MikroORM options object, shared by the service, the scripts and the tests. */
export function ormOptions(input: OrmOptionsInput): Options {
  const t = input.timeouts;
  return defineConfig({
    clientUrl: input.clientUrl,
    entities: ENTITIES,
    extensions: [Migrator],
    discovery: { warnWhenNoEntities: true },
    pool: {
      min: 0,
      max: input.poolMax ?? 10,
      ...(t && { acquireTimeoutMillis: t.poolAcquireMs, createTimeoutMillis: t.connectMs + 1000 }),
    },
    ...(t && {
      driverOptions: {
        ...(input.driverLog && {
          log: { warn: input.driverLog, error: input.driverLog, deprecate: input.driverLog, debug: input.driverLog },
        }),
        connection: {
          connectionTimeoutMillis: t.connectMs,
          statement_timeout: t.statementMs,
          query_timeout: t.statementMs + 1000,
          // A dead peer (host gone, no RST) is noticed instead of waited on forever.
          keepAlive: true,
        },
      },
    }),
    forceUtcTimezone: true,
    // Entities never leave the service as responses; no lazy serialisation surprises.
    serialization: { forceObject: true },
    debug: Boolean(input.logger),
    logger: input.logger,
    allowGlobalContext: false,
    // No per-instance accessors on the domain classes: MikroORM would otherwise redefine every mapped property of
    // every Offer, Entitlement, ... built anywhere (the hot reads build them from rows) to track "touched" state,
    // which only bidirectional relations (none here) and auto-flush before a query need. Every write path of the
    // stores persists explicitly and flushes (em.transactional), so no query relies on an auto-flush.
    propagationOnPrototype: false,
    migrations: {
      tableName: 'mikro_orm_migrations',
      path: join(__dirname, 'migrations'),
      pathTs: join(__dirname, 'migrations'),
      glob: '!(*.d).{js,ts}',
      transactional: true,
      allOrNothing: true,
      snapshot: true,
      snapshotName: '.snapshot-entitlements',
      emit: 'ts',
      silent: true,
      fileName: (timestamp: string, name?: string) => `Migration${timestamp}${name ? `_${name}` : ''}`,
    },
  });
}
