import { EmbeddedPostgresServer, migrateDatabase } from '@app/database';
import { chmodSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { databaseUrl, withAdminClient } from './test-database';

/**
 * One PostgreSQL for the whole run: the server of DATABASE_URL when set, otherwise an embedded one in a
 * temporary folder. A template database is migrated once; each test file clones it (test-app.ts).
 */
export default async function globalSetup(): Promise<void> {
  let adminUrl = process.env.DATABASE_URL;
  if (!adminUrl) {
    const dir = mkdtempSync(join(tmpdir(), 'entitlements-test-'));
    chmodSync(dir, 0o755); // as root, PostgreSQL runs as user postgres and must reach the folder
    const server = new EmbeddedPostgresServer({ dataDir: dir });
    await server.start();
    adminUrl = server.url('postgres');
    Object.assign(globalThis, { __embeddedPostgres: server, __embeddedPostgresDir: dir });
  }
  const template = `ent_test_${process.pid}_${Date.now().toString(36)}`;
  await withAdminClient(adminUrl, (client) => client.query(`CREATE DATABASE ${client.escapeIdentifier(template)}`));
  await migrateDatabase(databaseUrl(adminUrl, template));
  process.env.TEST_PG_ADMIN_URL = adminUrl;
  process.env.TEST_TEMPLATE_DB = template;
}
