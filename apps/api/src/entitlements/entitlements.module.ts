import { EntitlementStore } from '@app/database';
import { EntityManager } from '@mikro-orm/postgresql';
import { Module } from '@nestjs/common';
import { ProjectsModule } from '../projects/projects.module';
import { EntitlementsController } from './entitlements.controller';
import { EntitlementsService } from './entitlements.service';

/**
 * The Motto-style entitlements API, and the one EntitlementStore that the CRM gateway shares.
 */
@Module({
  imports: [ProjectsModule],
  controllers: [EntitlementsController],
  providers: [
    EntitlementsService,
    { provide: EntitlementStore, inject: [EntityManager], useFactory: (em: EntityManager) => new EntitlementStore(em) },
  ],
  exports: [EntitlementStore],
})
export class EntitlementsModule {}
