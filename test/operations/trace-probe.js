// Run by tracing.spec.ts in a process of its own (Jest's module registry bypasses the require hooks that
// instrument pg and fastify): starts tracing with the SDK's in-memory exporter, then the built application
// (dist), sends one request with a W3C traceparent and prints the finished spans as JSON.
//   node test/operations/trace-probe.js <dist dir> <database url> <data dir> <traceparent>
/* global fetch, setTimeout -- Node 20's */
'use strict';
const { join } = require('node:path');
const { InMemorySpanExporter } = require('@opentelemetry/sdk-trace-node');

const [dist, databaseUrl, dataDir, traceparent] = process.argv.slice(2);
const src = join(dist, 'apps/api/src');
const exporter = new InMemorySpanExporter();
// Before the application (and so http, fastify and pg) is required, as tracing-preload.ts does.
const tracing = require(join(src, 'observability/tracing.js')).startTracing({
  exporter,
  serviceName: 'trace-probe',
  batch: false,
});
const { createApp } = require(join(src, 'bootstrap.js'));
const { loadConfig } = require(join(src, 'config/app-config.js'));
const { DEV_SIGNING_KEY } = require(join(src, 'auth/auth.module-tokens.js'));

async function main() {
  const config = loadConfig({
    NODE_ENV: 'test',
    DATABASE_URL: databaseUrl,
    DATA_DIR: dataDir,
    DB_MIGRATE_ON_START: 'false',
    LOG_LEVEL: 'silent',
    HOST: '127.0.0.1',
    PORT: '0',
  });
  const app = await createApp(config, databaseUrl);
  await app.listen({ port: 0, host: '127.0.0.1' });
  const { port } = app.getHttpServer().address();
  const token = await app
    .get(DEV_SIGNING_KEY)
    .platformToken({ projects: ['*'], role: 'admin', audience: config.auth.platformAudience });
  // Set up without tracing context: only the traced request below is of interest.
  exporter.reset();
  const res = await fetch(`http://127.0.0.1:${port}/iam/projects/v1`, {
    headers: { authorization: `Bearer ${token}`, traceparent, 'x-correlation-id': 'trace-probe-1' },
  });
  await res.text();
  // The server span ends when the response has been written; wait for it (no time limit but Jest's).
  const isServer = (s) => s.kind === 1 && s.instrumentationScope.name.includes('instrumentation-http');
  while (!exporter.getFinishedSpans().some(isServer)) await new Promise((r) => setTimeout(r, 20));
  const spans = exporter.getFinishedSpans().map((s) => ({
    name: s.name,
    kind: s.kind,
    scope: s.instrumentationScope.name,
    traceId: s.spanContext().traceId,
    spanId: s.spanContext().spanId,
    parentSpanId: s.parentSpanContext?.spanId,
    attributes: s.attributes,
  }));
  await app.close();
  await tracing.shutdown();
  process.stdout.write(`${JSON.stringify({ status: res.status, spans })}\n`);
}

main().then(
  () => process.exit(0),
  (err) => {
    process.stderr.write(`${err.stack}\n`);
    process.exit(1);
  },
);
