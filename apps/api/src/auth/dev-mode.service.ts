import { Inject, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { AppConfig } from '../config/app-config';
import { APP_CONFIG } from '../config/config.module';
import { DEMO_PROJECT_ID, DEV_SIGNING_KEY } from './auth.module-tokens';
import { DevSigningKey } from './dev-signing-key';

/** Development mode: start-up prints tokens to try the API with (DemoProjectService ensures the `demo` project). */
@Injectable()
export class DevModeService implements OnApplicationBootstrap {
  private readonly logger = new Logger('DevelopmentMode');

  constructor(
    @Inject(DEV_SIGNING_KEY) private readonly key: DevSigningKey,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    if (this.config.nodeEnv === 'test') return;
    const day = 24 * 3600;
    const admin = await this.key.platformToken({
      projects: ['*'],
      role: 'admin',
      audience: this.config.auth.platformAudience,
      ttlSeconds: day,
    });
    const operator = await this.key.keycloakToken({
      roles: ['operatorRole'],
      tenantsClaim: this.config.auth.keycloakTenantsClaim,
      ttlSeconds: day,
    });
    this.logger.warn(
      'Development mode: no token issuer is configured, so this service signs and trusts its own development tokens ' +
        '(never in production). More with `npm run token -- --help`.',
    );
    this.logger.log(`Platform admin token (all projects, 24 h): ${admin}`);
    this.logger.log(`CRM operator token (Keycloak-style, 24 h; send nv-tenant-id: ${DEMO_PROJECT_ID}): ${operator}`);
  }
}
