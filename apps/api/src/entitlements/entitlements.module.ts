import { EntitlementStore } from '@app/database';
import { EntityManager } from '@mikro-orm/postgresql';
import { Module } from '@nestjs/common';

/**
 * The Motto-style entitlements API, and the one EntitlementStore that the CRM gateway shares.
 */
@Module({
  providers: [{ provide: EntitlementStore, inject: [EntityManager], useFactory: (em: EntityManager) => new EntitlementStore(em) }],
  exports: [EntitlementStore],
})
export class EntitlementsModule {}
