import { MikroOrmMiddleware, MikroOrmModule } from '@mikro-orm/nestjs';
import { ormOptions } from '@app/database';
import { DynamicModule, Logger, MiddlewareConsumer, Module, NestModule, RequestMethod } from '@nestjs/common';
import { AppConfig } from './config/app-config';
import { AccessModule } from './access/access.module';
import { AuthModule } from './auth/auth.module';
import { AppConfigModule } from './config/config.module';
import { CrmGatewayModule } from './crm-gateway/crm-gateway.module';
import { EntitlementsModule } from './entitlements/entitlements.module';
import { HealthModule } from './health/health.module';
import { LoggingModule } from './logging/logging.module';
import { ObservabilityModule } from './observability/observability.module';
import { NotificationsModule } from './notifications/notifications.module';
import { OffersModule } from './offers/offers.module';
import { ProjectsModule } from './projects/projects.module';
import { RateLimitModule } from './rate-limit/rate-limit.module';

/**
 * Routes that never touch the ORM's request context: the health probes, and the access decision, whose reads go
 * straight through the driver (AccessStore). A context (an EntityManager fork) per request is pure cost there.
 */
const WITHOUT_ORM_CONTEXT = [
  'health/{*rest}',
  'monetization/access-checks/v1',
  'monetization/access-checks/v1/{*rest}',
];

/** knex's warnings (one per pooled connection lost in an outage, which the error filters report once per burst). */
const driverLogger = new Logger('Database');

@Module({})
export class AppModule implements NestModule {
  configure(consumer: MiddlewareConsumer): void {
    consumer
      .apply(MikroOrmMiddleware)
      .exclude(...WITHOUT_ORM_CONTEXT.map((path) => ({ path, method: RequestMethod.ALL })))
      .forRoutes({ path: '{*all}', method: RequestMethod.ALL });
  }

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
          // Registered below, on the routes that use the ORM's identity map (see configure).
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
