/* eslint-disable @typescript-eslint/no-require-imports -- loaded only when tracing is on, before anything else */
import type { Tracing } from './tracing';

/**
 * The first import of main.ts. With OTEL_EXPORTER_OTLP_ENDPOINT set, starts the OpenTelemetry SDK (spans sent
 * over OTLP/HTTP to `<endpoint>/v1/traces`) before `http`, `fastify` and `pg` are required, so they are
 * instrumented. Unset: the SDK is not even loaded (no cost).
 */
export const tracing: Tracing | undefined = process.env.OTEL_EXPORTER_OTLP_ENDPOINT ? start() : undefined;

function start(): Tracing {
  const { startTracing } = require('./tracing') as typeof import('./tracing');
  const { OTLPTraceExporter } =
    require('@opentelemetry/exporter-trace-otlp-http') as typeof import('@opentelemetry/exporter-trace-otlp-http');
  return startTracing({
    exporter: new OTLPTraceExporter(),
    serviceName: process.env.OTEL_SERVICE_NAME || 'entitlements-service',
    batch: true,
  });
}
