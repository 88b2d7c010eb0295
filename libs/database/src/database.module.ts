import { EntityManager } from '@mikro-orm/postgresql';
import { Module } from '@nestjs/common';
import { AccessStore } from './access/access-store';
import { PlaybackStore } from './access/playback-store';
import { EntitlementStore } from './entitlements/entitlement-store';
import { NotificationStore } from './notifications/notification-store';
import { OfferStore } from './offers/offer-store';
import { ProjectStore } from './projects/project-store';

const store = <T>(Store: new (em: EntityManager) => T) => ({
  provide: Store,
  inject: [EntityManager],
  useFactory: (em: EntityManager) => new Store(em),
});

/**
 * Every store, over the injected EntityManager (MikroOrmModule.forRoot provides it; inside a request it
 * resolves to the request's context). Feature modules import this module and never build a store.
 */
@Module({
  providers: [
    store(EntitlementStore),
    store(OfferStore),
    store(ProjectStore),
    store(AccessStore),
    store(PlaybackStore),
    store(NotificationStore),
  ],
  exports: [EntitlementStore, OfferStore, ProjectStore, AccessStore, PlaybackStore, NotificationStore],
})
export class DatabaseModule {}
