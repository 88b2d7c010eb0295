import { ChildProcess, execFileSync, spawn } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { freeLocalPort } from '@app/database';

/**
 * The service as an operator runs it: `node dist/apps/api/src/main.js` (what `npm start` runs after
 * building), with an embedded PostgreSQL in DATA_DIR.
 */
const root = resolve(__dirname, '../..');
const outDir = join(root, 'dist-test');
const main = join(outDir, 'apps/api/src/main.js');

function build(): void {
  // What `npm run build` runs, into its own folder.
  execFileSync(process.execPath, [join(root, 'scripts/build.js'), outDir], { cwd: root, stdio: 'pipe' });
}

interface Running {
  child: ChildProcess;
  output: () => string;
  exited: Promise<number | null>;
}

function run(env: Record<string, string>): Running {
  const cleanEnv = { ...process.env };
  delete cleanEnv.DATABASE_URL;
  const child = spawn(process.execPath, [main], {
    cwd: root,
    env: { ...cleanEnv, LOG_LEVEL: 'info', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout.on('data', (d) => (out += d));
  child.stderr.on('data', (d) => (out += d));
  const exited = new Promise<number | null>((r) => child.on('exit', (code) => r(code)));
  return { child, output: () => out, exited };
}

async function waitReady(port: number, timeoutMs: number): Promise<number> {
  const start = Date.now();
  while (Date.now() - start < timeoutMs) {
    try {
      const res = await fetch(`http://127.0.0.1:${port}/health/ready`);
      if (res.status === 200) return Date.now() - start;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`not ready within ${timeoutMs} ms`);
}

function postgresProcessesUsing(dir: string): string[] {
  try {
    return execFileSync('pgrep', ['-af', `postgres.*${dir}`], { encoding: 'utf8' })
      .split('\n')
      .filter(Boolean);
  } catch {
    return []; // pgrep exits 1 when nothing matches
  }
}

describe('the service process', () => {
  let dataDir: string;
  beforeAll(() => {
    build();
    dataDir = mkdtempSync(join(tmpdir(), 'entitlements-service-'));
    chmodSync(dataDir, 0o755);
  });
  afterAll(() => {
    rmSync(dataDir, { recursive: true, force: true });
    rmSync(outDir, { recursive: true, force: true });
  });

  it('prints development tokens with npm run token (the README path), for every platform role', () => {
    const dir = mkdtempSync(join(tmpdir(), 'entitlements-token-'));
    try {
      for (const role of ['viewer', 'editor', 'admin', 'playback']) {
        const token = execFileSync('npm', ['run', '-s', 'token', '--', '--project', 'demo', '--role', role], {
          cwd: root,
          env: { ...process.env, DATA_DIR: dir, NODE_ENV: 'development' },
          encoding: 'utf8',
        }).trim();
        const claims = JSON.parse(Buffer.from(token.split('.')[1], 'base64url').toString('utf8'));
        expect(claims).toMatchObject({ projects: ['demo'], role });
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('refuses a bad configuration with one line naming the variable', async () => {
    const bad = run({ PORT: 'eighty', DATA_DIR: dataDir });
    expect(await bad.exited).toBe(1);
    expect(bad.output().trim().split('\n')).toEqual([
      'Invalid configuration: PORT must be an integer from 0 to 65535 (got "eighty")',
    ]);
  });

  it('starts on an empty DATA_DIR, refuses a second instance, stops on SIGTERM within 5 s, and keeps its data', async () => {
    const port = await freeLocalPort();
    const first = run({ PORT: String(port), DATA_DIR: dataDir });
    const readyMs = await waitReady(port, 30_000);
    expect(readyMs).toBeLessThan(15_000);

    const second = run({ PORT: String(await freeLocalPort()), DATA_DIR: dataDir });
    expect(await second.exited).toBe(1);
    expect(second.output()).toMatch(/DATA_DIR .* is in use by another running instance/);
    // The first one still serves.
    expect((await fetch(`http://127.0.0.1:${port}/health/ready`)).status).toBe(200);
    // Each API request is logged with its correlation id; the probes (polled above) never are.
    const api = await fetch(`http://127.0.0.1:${port}/iam/projects/v1`, {
      headers: { 'x-correlation-id': 'log-check-1' },
    });
    expect(api.status).toBe(401);
    for (let i = 0; i < 50 && !first.output().includes('log-check-1'); i++)
      await new Promise((r) => setTimeout(r, 100));
    const logged = first.output().split('\n');
    expect(
      logged.filter((l) => l.includes('"correlation_id":"log-check-1"') && l.includes('/iam/projects/v1')),
    ).not.toEqual([]);
    expect(logged.filter((l) => l.includes('"url":"/health/'))).toEqual([]);

    const t0 = Date.now();
    first.child.kill('SIGTERM');
    expect(await first.exited).toBe(0);
    expect(Date.now() - t0).toBeLessThan(5_000);
    expect(postgresProcessesUsing(dataDir)).toEqual([]);

    // Restart on the same folder: no initdb, the migrations are already applied.
    const again = run({ PORT: String(port), DATA_DIR: dataDir });
    await waitReady(port, 30_000);
    expect(again.output()).toMatch(/database schema up to date/);
    again.child.kill('SIGINT');
    expect(await again.exited).toBe(0);
    expect(postgresProcessesUsing(dataDir)).toEqual([]);
  });

  it('starts again at once on the DATA_DIR of a service killed with SIGKILL: stops its orphaned PostgreSQL, takes over its lock', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'entitlements-killed-'));
    chmodSync(dir, 0o755);
    try {
      const port = await freeLocalPort();
      const killed = run({ PORT: String(port), DATA_DIR: dir });
      await waitReady(port, 30_000);
      killed.child.kill('SIGKILL');
      await killed.exited;
      // Its PostgreSQL outlives it (reparented), holding the cluster.
      expect(postgresProcessesUsing(dir).length).toBeGreaterThan(0);

      const next = run({ PORT: String(port), DATA_DIR: dir });
      await waitReady(port, 30_000);
      expect(next.output()).toMatch(/DATA_DIR lock left by pid \d+, which no longer runs/);
      expect(next.output()).toMatch(/stopping PostgreSQL pid \d+, left running .* by an earlier run/);

      // The whole group killed (service and PostgreSQL), restarted within the lock's 15 s staleness: it starts.
      const postmaster = Number(readFileSync(join(dir, 'postgres', 'postmaster.pid'), 'utf8').split('\n')[0]);
      next.child.kill('SIGKILL');
      process.kill(postmaster, 'SIGKILL');
      await next.exited;
      const third = run({ PORT: String(port), DATA_DIR: dir });
      await waitReady(port, 30_000);
      expect(third.output()).not.toMatch(/in use by another running instance/);
      third.child.kill('SIGTERM');
      expect(await third.exited).toBe(0);
      expect(postgresProcessesUsing(dir)).toEqual([]);
    } finally {
      for (const line of postgresProcessesUsing(dir)) process.kill(Number(line.split(' ')[0]), 'SIGKILL');
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('as root, names the folder PostgreSQL (user postgres) cannot enter, and the fix', async () => {
    if (process.getuid?.() !== 0) return; // only root runs PostgreSQL as another user
    const parent = mkdtempSync(join(tmpdir(), 'entitlements-private-')); // mode 700, as mktemp -d
    try {
      const dataDir = join(parent, 'data');
      mkdirSync(dataDir);
      const refused = run({ PORT: String(await freeLocalPort()), DATA_DIR: dataDir });
      expect(await refused.exited).toBe(1);
      expect(refused.output()).toContain(`cannot enter ${parent} (mode 700); allow it (chmod o+x ${parent})`);
    } finally {
      rmSync(parent, { recursive: true, force: true });
    }
  });
});
