import { defineConfig, Options } from '@mikro-orm/postgresql';
import { Migrator } from '@mikro-orm/migrations';
import { join } from 'node:path';
import { ENTITIES } from './entities';

export interface OrmOptionsInput {
  clientUrl: string;
  poolMax?: number;
  /** Log each SQL statement through this function (debug). */
  logger?: (message: string) => void;
}

/** The single MikroORM options object, shared by the service, the scripts and the tests. */
export function ormOptions(input: OrmOptionsInput): Options {
  return defineConfig({
    clientUrl: input.clientUrl,
    entities: ENTITIES,
    extensions: [Migrator],
    discovery: { warnWhenNoEntities: true },
    pool: { min: 0, max: input.poolMax ?? 10 },
    forceUtcTimezone: true,
    // Entities never leave the service as responses; no lazy serialisation surprises.
    serialization: { forceObject: true },
    debug: Boolean(input.logger),
    logger: input.logger,
    allowGlobalContext: false,
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
