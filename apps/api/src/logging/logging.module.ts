import { Module, RequestMethod } from '@nestjs/common';
import { LoggerModule } from 'nestjs-pino';
import { AppConfig } from '../config/app-config';
import { APP_CONFIG } from '../config/config.module';
import { correlationIdOf } from './correlation-id';

/**
 * Structured JSON logs (pino). Every line logged while serving a request carries its
 * `correlation_id`, which is also returned as the `x-correlation-id` response header.
 */
@Module({
  imports: [
    LoggerModule.forRootAsync({
      inject: [APP_CONFIG],
      useFactory: (config: AppConfig) => ({
        // The probes are never logged: no request logger (a child logger per request) for them at all.
        exclude: [{ method: RequestMethod.ALL, path: 'health/{*rest}' }],
        pinoHttp: {
          level: config.logLevel,
          transport: config.logPretty ? { target: 'pino-pretty', options: { singleLine: true } } : undefined,
          // Fastify already set req.id to the correlation id (see bootstrap.ts); this is a fallback.
          genReqId: (req) => correlationIdOf(req),
          // Bind the id to every line logged while serving the request, not only to its summary line.
          quietReqLogger: true,
          customAttributeKeys: { reqId: 'correlation_id' },
          // Method and URL only: headers (tokens among them) never reach the logs.
          serializers: {
            req: (req: { id: string; method: string; url: string }) => ({ method: req.method, url: req.url }),
          },
        },
      }),
    }),
  ],
})
export class LoggingModule {}
