import { FastifyOtelInstrumentation } from '@fastify/otel';
import { Span } from '@opentelemetry/api';
import { registerInstrumentations } from '@opentelemetry/instrumentation';
import { HttpInstrumentation } from '@opentelemetry/instrumentation-http';
import { PgInstrumentation } from '@opentelemetry/instrumentation-pg';
import { resourceFromAttributes } from '@opentelemetry/resources';
import {
  BatchSpanProcessor,
  NodeTracerProvider,
  SimpleSpanProcessor,
  SpanExporter,
} from '@opentelemetry/sdk-trace-node';
import { ClientRequest, IncomingMessage } from 'node:http';
import { correlationIdOf } from '../logging/correlation-id';

export interface Tracing {
  /** Exports the spans still buffered and stops. */
  shutdown(): Promise<void>;
}

/** Not traced: probes and scrapes (a span each, every few seconds, would drown the traces that matter). */
function ignored(request: IncomingMessage): boolean {
  const url = request.url ?? '';
  return url.startsWith('/health/') || url === '/metrics';
}

/**
 * The OpenTelemetry SDK with the HTTP server (W3C traceparent honoured: a caller's trace continues), Fastify
 * (routing, hooks, handler) and pg (each query, a child of the request's span) instrumentations. Must run before
 * `http`, `fastify` and `pg` are first required: observability/tracing-preload.ts, the first import of main.ts.
 */
export function startTracing(options: { exporter: SpanExporter; serviceName: string; batch: boolean }): Tracing {
  const provider = new NodeTracerProvider({
    resource: resourceFromAttributes({ 'service.name': options.serviceName }),
    spanProcessors: [
      options.batch ? new BatchSpanProcessor(options.exporter) : new SimpleSpanProcessor(options.exporter),
    ],
  });
  // The global tracer provider, the AsyncLocalStorage context manager and the W3C trace context propagator.
  provider.register();
  const unregister = registerInstrumentations({
    tracerProvider: provider,
    instrumentations: [
      new HttpInstrumentation({
        ignoreIncomingRequestHook: ignored,
        // The request's correlation id (the one its log lines and x-correlation-id carry) on its server span.
        requestHook: (span: Span, request: ClientRequest | IncomingMessage) => {
          if (request instanceof IncomingMessage) span.setAttribute('correlation_id', correlationIdOf(request));
        },
      }),
      new FastifyOtelInstrumentation({
        registerOnInitialization: true,
        // The request and handler spans, not one per lifecycle hook (Nest and this service add several per request).
        instrumentHooks: false,
        ignorePaths: ({ url }) => url.startsWith('/health/') || url === '/metrics',
      }),
      // Queries outside a request (the playback clean-up timer) make no orphan traces.
      // Query spans; not the pool's connect spans (a connection is checked out for every query).
      new PgInstrumentation({ requireParentSpan: true, ignoreConnectSpans: true }),
    ],
  });
  return {
    shutdown: async () => {
      unregister();
      await provider.shutdown();
    },
  };
}
