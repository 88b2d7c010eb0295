import { Module } from '@nestjs/common';
import { LoggerModule } from 'nestjs-pino';
import { AppConfig } from '../config/app-config';
import { APP_CONFIG } from '../config/config.module';

/**
 * Structured JSON logs (pino). Every line logged while serving a request carries its
 * `correlation_id`, which is also returned as the `x-correlation-id` response header.
 */
@Module({
  imports: [
    LoggerModule.forRootAsync({
      inject: [APP_CONFIG],
      useFactory: (config: AppConfig) => ({
        // No Express-style middleware: the request's logger and its completion line come from one Fastify hook
        // (request-scope.ts, installed by bootstrap.ts); these options configure the root logger it derives from.
        forRoutes: [],
        pinoHttp: {
          level: config.logLevel,
          transport: config.logPretty ? { target: 'pino-pretty', options: { singleLine: true } } : undefined,
        },
      }),
    }),
  ],
})
export class LoggingModule {}
