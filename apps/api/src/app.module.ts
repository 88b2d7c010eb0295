import { MikroOrmModule } from '@mikro-orm/nestjs';
import { ormOptions } from '@app/database';
import { DynamicModule, Logger, Module } from '@nestjs/common';
import { AppConfig } from './config/app-config';
import { AccessModule } from './access/access.module';
import { AuthModule } from './auth/auth.module';
import { AppConfigModule } from './config/config.module';
import { CrmGatewayModule } from './crm-gateway/crm-gateway.module';
import { EntitlementsModule } from './entitlements/entitlements.module';
import { HealthModule } from './health/health.module';
import { LoggingModule } from './logging/logging.module';
import { RequestScopeRules } from './logging/request-scope';
import { ObservabilityModule } from './observability/observability.module';
import { NotificationsModule } from './notifications/notifications.module';
import { OffersModule } from './offers/offers.module';
import { ProjectsModule } from './projects/projects.module';
import { RateLimitModule } from './rate-limit/rate-limit.module';

/** The health probes: never logged, no ORM context. */
const isProbe = (url: string) => url.startsWith('/health/');

/**
 * The routes whose stores never use the ORM's identity map (their reads and writes go straight through the driver:
 * AccessStore, PlaybackStore, the entitlement lists and writes, offer get): no MikroORM request context (an
 * EntityManager fork per request) for them either (request-scope.ts).
 */
const WITHOUT_ORM_CONTEXT: readonly [method: string | null, path: RegExp][] = [
  [null, /^\/monetization\/access-checks\/v1(\/|\?|$)/],
  [null, /^\/monetization\/playback-sessions\/v1(\/|\?|$)/],
  ['GET', /^\/monetization\/entitlements\/v1(\?|$)/],
  ['POST', /^\/monetization\/entitlements\/v1(\?|$)/],
  ['GET', /^\/monetization\/offers\/v1\/[^/?]+(\?|$)/],
  ['GET', /^\/crm-gateway\/v1\/rmg\/v1\/entitlements(\?|$)/],
  ['POST', /^\/crm-gateway\/v1\/rmg\/v1\/entitlements(\?|$)/],
];

export const REQUEST_SCOPE_RULES: RequestScopeRules = {
  // The probes are never logged: no request logger (a child logger per request) for them at all.
  unlogged: (method, url) => isProbe(url),
  withoutOrmContext: (method, url) =>
    isProbe(url) || WITHOUT_ORM_CONTEXT.some(([m, path]) => (m === null || m === method) && path.test(url)),
};

/** knex's warnings (one per pooled connection lost in an outage, which the error filters report once per burst). */
const driverLogger = new Logger('Database');

@Module({})
export class AppModule {
  /** `databaseUrl` is where the database actually is (the embedded server's URL when DATABASE_URL is unset). */
  static forRoot(config: AppConfig, databaseUrl: string, connectDatabase = true): DynamicModule {
    return {
      module: AppModule,
      imports: [
        AppConfigModule.forRoot(config),
        LoggingModule,
        MikroOrmModule.forRoot({
          ...ormOptions({
            clientUrl: databaseUrl,
            poolMax: config.dbPoolMax,
            timeouts: config.timeouts,
            driverLog: (message) => driverLogger.debug(message),
          }),
          // Entered per request where needed (REQUEST_SCOPE_RULES, logging/request-scope.ts).
          registerRequestContext: false,
          // false only to build the OpenAPI document without a database (npm run openapi).
          connect: connectDatabase,
        }),
        ObservabilityModule,
        AuthModule.forRoot(config),
        HealthModule,
        ProjectsModule,
        OffersModule,
        EntitlementsModule,
        CrmGatewayModule,
        AccessModule,
        RateLimitModule.forRoot(config),
        NotificationsModule,
      ],
    };
  }
}
