import { execFileSync, spawn } from 'node:child_process';
import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createDatabaseFromTemplate, databaseUrl, dropDatabase } from '../support/test-database';

const root = resolve(__dirname, '../..');
const outDir = join(root, 'dist-trace-test');

interface ProbeSpan {
  name: string;
  kind: number;
  scope: string;
  traceId: string;
  spanId: string;
  parentSpanId?: string;
  attributes: Record<string, unknown>;
}

function probe(url: string, dataDir: string, traceparent: string): Promise<{ status: number; spans: ProbeSpan[] }> {
  return new Promise((done, fail) => {
    const child = spawn(process.execPath, [join(__dirname, 'trace-probe.js'), outDir, url, dataDir, traceparent], {
      cwd: root,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    let err = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (err += d));
    child.on('exit', (code) => {
      if (code !== 0) return fail(new Error(`trace probe exited ${code}: ${err}`));
      done(JSON.parse(out.trim().split('\n').pop()!));
    });
  });
}

/**
 * Tracing as `main.ts` starts it (observability/tracing.ts, before the application is required), with the SDK's
 * in-memory exporter, in a process of its own on the built service: one request's spans.
 */
describe('OpenTelemetry traces', () => {
  const adminUrl = process.env.TEST_PG_ADMIN_URL!;
  let name: string;
  let dataDir: string;

  beforeAll(async () => {
    execFileSync(process.execPath, [join(root, 'scripts/build.js'), outDir], { cwd: root, stdio: 'pipe' });
    name = await createDatabaseFromTemplate(adminUrl, process.env.TEST_TEMPLATE_DB!);
    dataDir = mkdtempSync(join(tmpdir(), 'entitlements-trace-'));
    chmodSync(dataDir, 0o755);
  });
  afterAll(async () => {
    await dropDatabase(adminUrl, name);
    rmSync(dataDir, { recursive: true, force: true });
    rmSync(outDir, { recursive: true, force: true });
  });

  it("one request: the server span continues the caller's trace, with Fastify and pg child spans", async () => {
    const traceId = '4bf92f3577b34da6a3ce929d0e0e4736';
    const callerSpan = '00f067aa0ba902b7';
    const { status, spans } = await probe(databaseUrl(adminUrl, name), dataDir, `00-${traceId}-${callerSpan}-01`);
    expect(status).toBe(200);
    const servers = spans.filter((s) => s.kind === 1 && s.scope.includes('instrumentation-http'));
    expect(servers).toHaveLength(1);
    const server = servers[0];
    // The caller's trace continues: same trace id, the caller's span as parent.
    expect(server.traceId).toBe(traceId);
    expect(server.parentSpanId).toBe(callerSpan);
    expect(server.attributes.correlation_id).toBe('trace-probe-1');
    expect(server.attributes['http.route'] ?? server.name).toBeTruthy();
    expect(spans.every((s) => s.traceId === traceId)).toBe(true);

    const byId = new Map(spans.map((s) => [s.spanId, s]));
    const descendsFromServer = (span: ProbeSpan): boolean => {
      for (let p = span.parentSpanId; p; p = byId.get(p)?.parentSpanId) if (p === server.spanId) return true;
      return false;
    };
    const fastify = spans.filter((s) => s.scope === '@fastify/otel');
    expect(fastify.length).toBeGreaterThan(0);
    expect(fastify.every(descendsFromServer)).toBe(true);
    const queries = spans.filter((s) => s.scope.includes('instrumentation-pg') && s.kind === 2);
    expect(queries.length).toBeGreaterThan(0);
    expect(queries.every(descendsFromServer)).toBe(true);
    expect(
      queries.some((q) => /select/i.test(String(q.attributes['db.statement'] ?? q.attributes['db.query.text']))),
    ).toBe(true);
  });
});
