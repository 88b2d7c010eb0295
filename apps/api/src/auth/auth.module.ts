import { DynamicModule, Module, Provider } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { PassportModule } from '@nestjs/passport';
import { AppConfig } from '../config/app-config';
import { AccessGuard } from './access.guard';
import { DEV_SIGNING_KEY } from './auth.module-tokens';
import { DEV_KEYCLOAK_ISSUER, DEV_PLATFORM_ISSUER, DevSigningKey } from './dev-signing-key';
import { DevModeService } from './dev-mode.service';
import { JwksController } from './jwks.controller';
import { KEYCLOAK_KEYS, KeycloakJwtStrategy, PLATFORM_KEYS, PlatformJwtStrategy } from './jwt-strategies';
import { KeyResolver } from './key-resolver';

/**
 * Authentication (bearer JWTs verified with passport-jwt against the trusted issuers' JWKS) and the
 * global AccessGuard. In development mode the service trusts a local key of its own instead.
 */
@Module({})
export class AuthModule {
  static forRoot(config: AppConfig): DynamicModule {
    const dev = config.auth.devMode;
    const providers: Provider[] = [
      PlatformJwtStrategy,
      KeycloakJwtStrategy,
      { provide: APP_GUARD, useClass: AccessGuard },
      {
        provide: DEV_SIGNING_KEY,
        useFactory: () => (dev ? DevSigningKey.loadOrCreate(config.dataDir) : null),
      },
      {
        provide: PLATFORM_KEYS,
        inject: [DEV_SIGNING_KEY],
        useFactory: (key: DevSigningKey | null) =>
          new KeyResolver(config.auth.platformIssuers, key ? { issuer: DEV_PLATFORM_ISSUER, key } : undefined),
      },
      {
        provide: KEYCLOAK_KEYS,
        inject: [DEV_SIGNING_KEY],
        useFactory: (key: DevSigningKey | null) =>
          new KeyResolver(config.auth.keycloakIssuers, key ? { issuer: DEV_KEYCLOAK_ISSUER, key } : undefined),
      },
    ];
    if (dev) providers.push(DevModeService);
    return {
      module: AuthModule,
      imports: [PassportModule],
      controllers: dev ? [JwksController] : [],
      providers,
      exports: [DEV_SIGNING_KEY],
    };
  }
}
