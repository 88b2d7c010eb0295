import { EmbeddedPostgresServer } from '@app/database';
import { rmSync } from 'node:fs';
import { withAdminClient } from './test-database';

export default async function globalTeardown(): Promise<void> {
  const adminUrl = process.env.TEST_PG_ADMIN_URL;
  const template = process.env.TEST_TEMPLATE_DB;
  const server = (globalThis as { __embeddedPostgres?: EmbeddedPostgresServer }).__embeddedPostgres;
  if (server) {
    await server.stop();
    rmSync((globalThis as { __embeddedPostgresDir?: string }).__embeddedPostgresDir!, { recursive: true, force: true });
  } else if (adminUrl && template) {
    // A shared server: drop only what this run created (the template and its clones).
    await withAdminClient(adminUrl, async (client) => {
      const left = await client.query<{ datname: string }>(
        `SELECT datname FROM pg_database WHERE datname = $1 OR starts_with(datname, $1 || '_')`,
        [template],
      );
      for (const { datname } of left.rows) {
        await client.query(`DROP DATABASE IF EXISTS ${client.escapeIdentifier(datname)} WITH (FORCE)`);
      }
    });
  }
}
