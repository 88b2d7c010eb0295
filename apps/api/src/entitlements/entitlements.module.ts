import { DatabaseModule } from '@app/database';
import { Module } from '@nestjs/common';
import { ProjectsModule } from '../projects/projects.module';
import { EntitlementsController } from './entitlements.controller';
import { EntitlementsService } from './entitlements.service';

/** The Motto-style entitlements API, over the EntitlementStore that the CRM gateway shares. */
@Module({
  imports: [DatabaseModule, ProjectsModule],
  controllers: [EntitlementsController],
  providers: [EntitlementsService],
})
export class EntitlementsModule {}
