/**
 * Database tasks, run with the same options object as the service:
 *   npm run db:migrate               apply pending migrations (DATABASE_URL, else the embedded server in DATA_DIR)
 *   npm run db:check                 exit 1 when the entities changed without a migration (compares with the snapshot)
 *   npm run db:migration:create -- <name>   write a migration for the entity changes, and the new snapshot
 */
import 'reflect-metadata';
import { MikroORM } from '@mikro-orm/postgresql';
import { migrateDatabase, openDatabaseServer, ormOptions } from '@app/database';

async function main(): Promise<void> {
  const [command, name] = process.argv.slice(2);
  if (!['migrate', 'check', 'create'].includes(command)) {
    console.error('usage: db.ts migrate | check | create <name>');
    process.exit(2);
  }
  const db = await openDatabaseServer({
    databaseUrl: process.env.DATABASE_URL || undefined,
    dataDir: process.env.DATA_DIR || './.data',
  });
  try {
    if (command === 'migrate') {
      const { applied } = await migrateDatabase(db.url);
      console.log(applied.length ? `Applied: ${applied.join(', ')}` : 'Nothing to apply: the schema is up to date.');
      return;
    }
    // check and create compare the entities with the committed snapshot of the schema.
    const orm = await MikroORM.init(ormOptions({ clientUrl: db.url, poolMax: 1 }));
    try {
      const migrator = orm.getMigrator();
      if (command === 'check') {
        if (await migrator.checkMigrationNeeded()) {
          console.error(
            'The entities changed without a migration: run `npm run db:migration:create -- <name>` and commit it.',
          );
          process.exitCode = 1;
        } else {
          console.log('Migrations are up to date with the entities.');
        }
      } else {
        const result = await migrator.createMigration(undefined, false, false, name);
        console.log(result.fileName ? `Created ${result.fileName}` : 'No changes: no migration needed.');
      }
    } finally {
      await orm.close(true);
    }
  } finally {
    await db.stop();
  }
}
main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
