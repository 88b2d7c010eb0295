import { MikroOrmModule } from '@mikro-orm/nestjs';
import { ormOptions } from '@app/database';
import { DynamicModule, Module } from '@nestjs/common';
import { AppConfig } from './config/app-config';
import { AccessModule } from './access/access.module';
import { AuthModule } from './auth/auth.module';
import { AppConfigModule } from './config/config.module';
import { CrmGatewayModule } from './crm-gateway/crm-gateway.module';
import { EntitlementsModule } from './entitlements/entitlements.module';
import { HealthModule } from './health/health.module';
import { LoggingModule } from './logging/logging.module';
import { NotificationsModule } from './notifications/notifications.module';
import { OffersModule } from './offers/offers.module';
import { ProjectsModule } from './projects/projects.module';

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
          ...ormOptions({ clientUrl: databaseUrl, poolMax: config.dbPoolMax }),
          registerRequestContext: true,
          // false only to build the OpenAPI document without a database (npm run openapi).
          connect: connectDatabase,
        }),
        AuthModule.forRoot(config),
        HealthModule,
        ProjectsModule,
        OffersModule,
        EntitlementsModule,
        CrmGatewayModule,
        AccessModule,
        NotificationsModule,
      ],
    };
  }
}
