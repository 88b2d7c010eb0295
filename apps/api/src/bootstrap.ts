import { MikroORM } from '@mikro-orm/core';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, NestFastifyApplication } from '@nestjs/platform-fastify';
import { FastifyReply, FastifyRequest } from 'fastify';
import { Logger } from 'nestjs-pino';
import { AppExceptionFilter, errorRendererFor, parameterRulesFor } from './app-exception.filter';
import { AppModule, REQUEST_SCOPE_RULES } from './app.module';
import { installRequestDeadline } from './common/request-deadline';
import { clientErrorHandler, installRequestInput } from './common/request-input';
import { AppConfig } from './config/app-config';
import { securityHeaders } from './common/security-headers';
import { CORRELATION_ID_HEADER, correlationIdOf } from './logging/correlation-id';
import { installRequestScope } from './logging/request-scope';
import { buildOpenApiDocument, setupDocs } from './openapi/openapi-document';
import { installMetrics } from './observability/http-metrics';

/**
 * Builds the whole HTTP application (adapter, modules, pipes, filters, docs): the service's
 * `main.ts` and the HTTP-level tests both start exactly this.
 */
export async function createApp(
  config: AppConfig,
  databaseUrl: string,
  options: { connectDatabase?: boolean } = {},
): Promise<NestFastifyApplication> {
  const adapter = new FastifyAdapter({
    logger: false,
    // No Express-style middleware layer (@fastify/middie): what each request runs in is set up by Fastify hooks
    // (installRequestScope).
    skipMiddie: true,
    genReqId: correlationIdOf,
    // On shutdown: idle keep-alive sockets close at once, requests in flight finish, new ones get 503.
    forceCloseConnections: 'idle',
    // The 503s while closing answer in the API's error body instead (installRequestInput).
    return503OnClosing: false,
    bodyLimit: 1024 * 1024,
    // Slow or idle clients cannot hold connections (README, "Configuration", HTTP_*): headers and body must
    // arrive within requestTimeout (checked every second, not Node's 30 s), an idle socket is closed.
    requestTimeout: config.http.requestTimeoutMs,
    connectionTimeout: config.http.idleTimeoutMs,
    keepAliveTimeout: config.http.keepAliveTimeoutMs,
    http: {
      requestTimeout: config.http.requestTimeoutMs,
      headersTimeout: Math.min(config.http.requestTimeoutMs, 60_000),
      connectionsCheckingInterval: Math.min(1000, config.http.requestTimeoutMs),
    },
    // Path parameters up to 1024 characters (Fastify's default is 100): ids of up to 128 (CRM `_id`) or
    // 256 characters stay addressable, and longer ones reach the handlers, which answer 400 naming the field.
    routerOptions: { maxParamLength: 1024 },
    // Errors Fastify raises before routing (a malformed URL encoding, say) answer in the API's error body too.
    frameworkErrors: (error: Error, request: FastifyRequest, reply: FastifyReply) => {
      const { status, body } = errorRendererFor(request.url)(error);
      void reply.header(CORRELATION_ID_HEADER, request.id).code(status).send(body);
    },
    // Requests Node cannot parse (URL or headers over 16 KiB: 431, a malformed header: 400) too.
    clientErrorHandler: clientErrorHandler(errorRendererFor),
  });
  const app = await NestFactory.create<NestFastifyApplication>(
    AppModule.forRoot(config, databaseUrl, options.connectDatabase ?? true),
    adapter,
    {
      bufferLogs: true,
      abortOnError: false,
      // The JSON body parser is ours (installRequestInput): depth limit, refused keys, storable text.
      bodyParser: false,
    },
  );
  // At most this many open connections: further ones are closed at once, before they use a file descriptor
  // the database pool needs.
  app.getHttpServer().maxConnections = config.http.maxConnections;
  // Every response, errors and 404s included, returns the request's correlation id and helmet's security
  // headers (computed once); API answers are not cached.
  const fastify = app.getHttpAdapter().getInstance();
  const headers = securityHeaders();
  const apiHeaders = { ...headers, 'cache-control': 'no-store' };
  fastify.addHook('onRequest', (request, reply, done) => {
    void reply.headers(request.url.startsWith('/docs') ? headers : apiHeaders);
    void reply.header(CORRELATION_ID_HEADER, request.id);
    done();
  });
  installRequestScope(fastify, app.get(MikroORM).em, REQUEST_SCOPE_RULES);
  installRequestDeadline(fastify, config.timeouts.requestDeadlineMs, errorRendererFor);
  // Bad input refused at the boundary, in each API's error body (JSON parser, path and query parameters).
  installRequestInput(fastify, errorRendererFor, parameterRulesFor);
  installMetrics(app, config.metricsToken);
  app.useLogger(app.get(Logger));
  // Errors outside any controller; each API style's controllers render their own (@MottoApi, @CrmApi).
  app.useGlobalFilters(new AppExceptionFilter());
  setupDocs(app, buildOpenApiDocument(app));
  app.flushLogs();
  return app;
}
