import { EmbeddedPostgresServer, ensureDatabase, freeLocalPort, migrateDatabase } from '@app/database';
import { execFileSync } from 'node:child_process';
import { chmodSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';

/**
 * A PostgreSQL of the test's own (embedded, in a temporary folder, on a fixed free port), which the test may
 * stop, restart and freeze: the run's shared server, and the machine's, are never touched.
 */
export class PrivatePostgres {
  private constructor(
    private readonly server: EmbeddedPostgresServer,
    private readonly dir: string,
    readonly url: string,
  ) {}

  static async start(): Promise<PrivatePostgres> {
    const dir = mkdtempSync(join(tmpdir(), 'entitlements-outage-'));
    chmodSync(dir, 0o755); // as root, PostgreSQL runs as user postgres and must reach the folder
    const server = new EmbeddedPostgresServer({ dataDir: dir, port: await freeLocalPort() });
    await server.start();
    await ensureDatabase(server.url(), 'outage');
    const url = server.url('outage');
    await migrateDatabase(url);
    return new PrivatePostgres(server, dir, url);
  }

  /** Fast shutdown: sessions are terminated (57P01), new connections refused. */
  stop(): Promise<void> {
    return this.server.stop();
  }

  /** Starts again on the same port and data. */
  restart(): Promise<void> {
    return this.server.start();
  }

  /** The postmaster and every process it forked (backends, checkpointer, ...). */
  private pids(): number[] {
    const postmaster = Number(readFileSync(join(this.server.clusterDir, 'postmaster.pid'), 'utf8').split('\n')[0]);
    let children: number[] = [];
    try {
      children = execFileSync('pgrep', ['-P', String(postmaster)], { encoding: 'utf8' })
        .split('\n')
        .filter(Boolean)
        .map(Number);
    } catch {
      // pgrep exits 1 when there are none
    }
    return [postmaster, ...children];
  }

  private frozen: number[] = [];

  /** SIGSTOP: the server accepts TCP connections (the kernel does) and answers nothing. */
  freeze(): void {
    this.frozen = this.pids();
    for (const pid of this.frozen) process.kill(pid, 'SIGSTOP');
  }

  thaw(): void {
    for (const pid of this.frozen) {
      try {
        process.kill(pid, 'SIGCONT');
      } catch {
        // gone
      }
    }
    this.frozen = [];
  }

  async query<R extends Record<string, unknown>>(text: string, params: unknown[] = []): Promise<R[]> {
    const client = new Client({ connectionString: this.url });
    await client.connect();
    try {
      return (await client.query<R>(text, params)).rows;
    } finally {
      await client.end();
    }
  }

  async destroy(): Promise<void> {
    this.thaw();
    await this.server.stop().catch(() => undefined);
    rmSync(this.dir, { recursive: true, force: true });
  }
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
