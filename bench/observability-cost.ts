/**
 * npm run bench:observability [-- --rows N] [--requests N] [--rounds R] [--connections C]
 *
 * What metrics and tracing cost on the access check, as CPU time of the service process per request (read from
 * /proc/<pid>/stat before and after a fixed number of checks): unlike throughput, it hardly moves when other
 * processes share the machine. The built service (npm run build) runs in production mode on one freshly loaded
 * database in three modes, interleaved round after round: off (no METRICS_TOKEN, no OTEL_EXPORTER_OTLP_ENDPOINT),
 * metrics (METRICS_TOKEN), metrics + tracing (spans exported over OTLP/HTTP to a sink in this process, which
 * counts them), and the same with one trace in ten sampled (OTEL_TRACES_SAMPLER=parentbased_traceidratio, 0.1). Prints CPU µs per request, median over the rounds, and each mode's ratio to off.
 */
import '../scripts/register-aliases';
import { execFileSync } from 'node:child_process';
import { chmodSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:http';
import { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import autocannon from 'autocannon';
import { freeLocalPort, migrateDatabase, openDatabaseServer } from '@app/database';
import { startAuth } from './auth';
import { dataSet, loadDataSet } from './load';
import { paths } from './paths';
import { ROOT, startNode } from './process';

function log(line: string): void {
  process.stdout.write(`[observability-cost ${new Date().toISOString().slice(11, 19)}] ${line}\n`);
}

/** User plus system CPU time of a process, in milliseconds (clock ticks of 10 ms). */
function cpuMsOf(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) * 10;
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      rows: { type: 'string', default: '100000' },
      requests: { type: 'string', default: '4000' },
      rounds: { type: 'string', default: '3' },
      connections: { type: 'string', default: '10' },
    },
  });
  const rows = Number(values.rows);
  const requests = Number(values.requests);
  const rounds = Number(values.rounds);
  const connections = Number(values.connections);
  const stops: (() => Promise<void>)[] = [];
  try {
    const dataDir = mkdtempSync(join(tmpdir(), 'entitlements-obs-cost-'));
    chmodSync(dataDir, 0o755);
    const db = await openDatabaseServer({ dataDir });
    stops.push(async () => {
      await db.stop();
      rmSync(dataDir, { recursive: true, force: true });
    });
    await migrateDatabase(db.url);
    const ds = dataSet(rows);
    await loadDataSet(db.url, rows, (line) => log(`load: ${line}`));
    log('building the service (npm run build)');
    execFileSync(process.execPath, [join(ROOT, 'scripts/build.js')], { cwd: ROOT, stdio: 'inherit' });
    const auth = await startAuth();
    stops.push(() => auth.close());
    const token = await auth.platformToken('playback', ['big']);

    let spans = 0;
    const sink = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (d: Buffer) => chunks.push(d));
      req.on('end', () => {
        spans += (
          Buffer.concat(chunks)
            .toString()
            .match(/"spanId"/g) ?? []
        ).length;
        res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
      });
    });
    await new Promise<void>((r) => sink.listen(0, '127.0.0.1', r));
    stops.push(() => new Promise<void>((r) => sink.close(() => r())));
    const sinkUrl = `http://127.0.0.1:${(sink.address() as AddressInfo).port}`;

    const check = paths(ds).find((p) => p.name === 'access check')!;
    const modes: { name: string; env: Record<string, string> }[] = [
      { name: 'off', env: {} },
      { name: 'metrics', env: { METRICS_TOKEN: 'observability-cost-token' } },
      {
        name: 'metrics + tracing',
        env: { METRICS_TOKEN: 'observability-cost-token', OTEL_EXPORTER_OTLP_ENDPOINT: sinkUrl },
      },
      {
        name: 'metrics + tracing 10%',
        env: {
          METRICS_TOKEN: 'observability-cost-token',
          OTEL_EXPORTER_OTLP_ENDPOINT: sinkUrl,
          OTEL_TRACES_SAMPLER: 'parentbased_traceidratio',
          OTEL_TRACES_SAMPLER_ARG: '0.1',
        },
      },
    ];
    const cpuPerRequest: Record<string, number[]> = {};
    const rps: Record<string, number[]> = {};
    let n = 0;
    for (let round = 1; round <= rounds; round++) {
      for (const mode of modes) {
        const port = await freeLocalPort();
        const service = await startNode({
          args: ['dist/apps/api/src/main.js'],
          env: {
            ...auth.env,
            NODE_ENV: 'production',
            HOST: '127.0.0.1',
            PORT: String(port),
            DATABASE_URL: db.url,
            LOG_LEVEL: 'info',
            ...mode.env,
          },
          port,
          readyPath: '/health/ready',
          logFile: join(dataDir, `service-${round}-${mode.name.replace(/\W+/g, '-')}.log`),
        });
        try {
          const drive = (amount: number) =>
            autocannon({
              url: service.url,
              connections,
              amount,
              requests: [
                {
                  setupRequest: (req) => {
                    const r = check.request(n++, '');
                    return {
                      ...req,
                      method: r.method,
                      path: r.path,
                      body: r.body,
                      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
                    };
                  },
                },
              ],
            });
          await drive(Math.ceil(requests / 4)); // warm-up: JIT, pool, caches
          const pid = service.child.pid!;
          const before = cpuMsOf(pid);
          const result = await drive(requests);
          const cpu = cpuMsOf(pid) - before;
          if (result.non2xx || result.errors)
            throw new Error(`${mode.name}: ${result.non2xx} non-2xx, ${result.errors} errors`);
          (cpuPerRequest[mode.name] ??= []).push((cpu * 1000) / requests);
          (rps[mode.name] ??= []).push(result.requests.average);
          log(
            `round ${round}/${rounds} ${mode.name.padEnd(21)}: ${((cpu * 1000) / requests).toFixed(0)} µs CPU per check, ` +
              `${Math.round(result.requests.average)} req/s`,
          );
        } finally {
          await service.stop();
        }
      }
    }
    const off = median(cpuPerRequest.off);
    log(`spans received by the OTLP sink: ${spans}`);
    log('| mode | CPU µs per access check (median) | vs off | req/s (median; noisy) |');
    for (const mode of modes) {
      const cpu = median(cpuPerRequest[mode.name]);
      log(`| ${mode.name} | ${cpu.toFixed(0)} | ${(cpu / off).toFixed(2)} | ${Math.round(median(rps[mode.name]))} |`);
    }
  } finally {
    for (const stop of stops.reverse()) await stop().catch(() => undefined);
  }
}

main().catch((err: unknown) => {
  process.stderr.write(`${err instanceof Error ? err.stack : String(err)}\n`);
  process.exit(1);
});
