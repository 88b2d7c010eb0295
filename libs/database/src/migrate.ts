import { MikroORM } from '@mikro-orm/postgresql';
import { ormOptions } from './orm-options';

export interface MigrationResult {
  applied: string[];
}

/** Applies every pending migration to the database at `clientUrl`. */
export async function migrateDatabase(clientUrl: string): Promise<MigrationResult> {
  const orm = await MikroORM.init(ormOptions({ clientUrl, poolMax: 1 }));
  try {
    const applied = await orm.getMigrator().up();
    return { applied: applied.map((m) => m.name) };
  } finally {
    await orm.close(true);
  }
}
