import { Inject, Injectable, OnApplicationBootstrap } from '@nestjs/common';
import { DEMO_PROJECT_ID } from '../auth/auth.module-tokens';
import { AppConfig } from '../config/app-config';
import { APP_CONFIG } from '../config/config.module';
import { ProjectsService } from './projects.service';

/** Development mode (see AuthModule): a `demo` project exists, for the tokens the start-up log prints. */
@Injectable()
export class DemoProjectService implements OnApplicationBootstrap {
  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly projects: ProjectsService,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    if (this.config.auth.devMode) await this.projects.ensure(DEMO_PROJECT_ID, 'Demo project');
  }
}
