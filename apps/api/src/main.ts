// First: tracing (when configured) must instrument http, fastify and pg before anything requires them.
import { tracing } from './observability/tracing-preload';
import 'reflect-metadata';
import { migrateDatabase, openDatabaseServer } from '@app/database';
import pino from 'pino';
import { createApp } from './bootstrap';
import { AppConfig, ConfigError, loadConfig } from './config/app-config';

async function main(): Promise<void> {
  let config: AppConfig;
  try {
    config = loadConfig();
  } catch (err) {
    if (err instanceof ConfigError) {
      process.stderr.write(`${err.message}\n`);
      process.exit(1);
    }
    throw err;
  }
  const log = pino({ level: config.logLevel, base: { context: 'Main' } });

  const db = await openDatabaseServer({
    databaseUrl: config.databaseUrl,
    dataDir: config.dataDir,
    onLog: (line) => log.debug({ postgres: line }, 'embedded postgres'),
    onWarning: (message) => log.warn(message),
  });
  log.info({ embedded: db.embedded, dataDir: db.embedded ? config.dataDir : undefined }, 'database server ready');

  let stopping = false;
  const shutdown = async (signal: string): Promise<void> => {
    if (stopping) return;
    stopping = true;
    log.info({ signal }, 'shutting down: finishing requests in flight');
    const force = setTimeout(() => {
      log.error('shutdown took too long; exiting');
      void db.stop().finally(() => process.exit(1));
    }, config.shutdownTimeoutMs);
    force.unref();
    try {
      await app?.close();
    } catch (err) {
      log.error({ err }, 'error while closing the application');
    }
    await db.stop();
    await tracing?.shutdown().catch(() => undefined);
    log.info('stopped');
    process.exit(0);
  };
  process.once('SIGINT', () => void shutdown('SIGINT'));
  process.once('SIGTERM', () => void shutdown('SIGTERM'));

  let app: Awaited<ReturnType<typeof createApp>> | undefined;
  try {
    if (config.migrateOnStart) {
      const { applied } = await migrateDatabase(db.url);
      log.info({ applied }, applied.length ? 'migrations applied' : 'database schema up to date');
    }
    app = await createApp(config, db.url);
    await app.listen({ port: config.port, host: config.host });
    log.info(`listening on http://${config.host}:${config.port}`);
  } catch (err) {
    log.fatal({ err }, 'start-up failed');
    await app?.close().catch(() => undefined);
    await db.stop();
    process.exit(1);
  }
}

main().catch((err: unknown) => {
  process.stderr.write(`${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
