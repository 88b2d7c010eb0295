import { Client } from 'pg';
import { EmbeddedPostgresServer } from './embedded-postgres-server';

export const EMBEDDED_DATABASE_NAME = 'entitlements';

/** Where the service's data lives: a given server (DATABASE_URL) or an embedded one it runs itself. */
export interface DatabaseServer {
  readonly url: string;
  readonly embedded: boolean;
  stop(): Promise<void>;
}

export interface OpenDatabaseOptions {
  databaseUrl?: string;
  dataDir: string;
  onLog?: (line: string) => void;
  /** What the embedded server found and did on start (a stale lock, an orphaned PostgreSQL stopped). */
  onWarning?: (message: string) => void;
}

export async function openDatabaseServer(options: OpenDatabaseOptions): Promise<DatabaseServer> {
  if (options.databaseUrl) {
    return { url: options.databaseUrl, embedded: false, stop: () => Promise.resolve() };
  }
  const server = new EmbeddedPostgresServer({
    dataDir: options.dataDir,
    onLog: options.onLog,
    onWarning: options.onWarning,
  });
  await server.start();
  try {
    await ensureDatabase(server.url(), EMBEDDED_DATABASE_NAME);
  } catch (err) {
    await server.stop();
    throw err;
  }
  return { url: server.url(EMBEDDED_DATABASE_NAME), embedded: true, stop: () => server.stop() };
}

/** Creates the database if it does not exist yet (connecting through `adminUrl`). */
export async function ensureDatabase(adminUrl: string, name: string): Promise<void> {
  const client = new Client({ connectionString: adminUrl });
  await client.connect();
  try {
    const found = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
    if (found.rowCount === 0) await client.query(`CREATE DATABASE ${client.escapeIdentifier(name)}`);
  } finally {
    await client.end();
  }
}
