import { ChangeContext, Condition, EntitlementField, EntitlementStore } from '@app/database';
import { DomainError, Entitlement, EntitlementEvent } from '@app/domain';
import { compileFilter, FilterSpec } from '../motto/wire/kql';
import { Injectable } from '@nestjs/common';
import { ProjectsService } from '../projects/projects.service';
import { MottoUpsert } from './entitlement-wire';

/** The filter of GET /monetization/entitlements/v1. */
export const ENTITLEMENT_FILTER: FilterSpec = {
  user_id: { type: 'string' },
  offer_id: { type: 'string' },
  source_type: { type: 'string' },
  source_id: { type: 'string' },
  expiration_time: { type: 'timestamp' },
};

/** The Motto wire name of each filter field → the store's field (expiration: Entitlement.expiration()). */
const FILTER_FIELDS: Readonly<Record<string, EntitlementField>> = {
  user_id: 'subjectId',
  offer_id: 'productId',
  source_type: 'sourceType',
  source_id: 'sourceId',
  expiration_time: 'expiration',
};

export interface EntitlementPage {
  entitlements: Entitlement[];
  /** Sort key (create time, id) of the last row when more may follow. */
  next?: [string, string];
}

export interface HistoryPage {
  events: EntitlementEvent[];
  /** Id of the last event when more may follow. */
  next?: string;
}

@Injectable()
export class EntitlementsService {
  constructor(
    private readonly store: EntitlementStore,
    private readonly projects: ProjectsService,
  ) {}

  /** Creates or updates the entitlement of (project, user, offer); the offer must exist in the project. */
  async upsert({ key, terms }: MottoUpsert, ctx: ChangeContext): Promise<Entitlement> {
    await this.projects.requireExists(key.projectId);
    const now = new Date();
    return this.store.withKeyLock(key, async (tx) => {
      // Sharing the offer's row lock: a concurrent delete of the offer either waits for this upsert (and
      // then sees the live entitlement) or wins (and this answers not_found).
      if (!(await tx.offerExists(key.projectId, key.productId))) {
        throw DomainError.notFound(
          `offer ${JSON.stringify(key.productId)} does not exist in project ${JSON.stringify(key.projectId)}`,
        );
      }
      const existing = await tx.findMottoForUpdate(key);
      if (!existing) return tx.insert(Entitlement.forMotto(key, terms, now), ctx);
      existing.applyMottoTerms(terms, now);
      await tx.saveChange(existing, ctx);
      return existing;
    });
  }

  /** Every entitlement of the project, whichever API created it, by creation time then id (keyset). */
  async list(
    projectId: string,
    filter: string | undefined,
    limit: number,
    after?: [string, string],
  ): Promise<EntitlementPage> {
    await this.projects.requireExists(projectId);
    const conditions: Condition<EntitlementField>[] = compileFilter(filter, ENTITLEMENT_FILTER).map((c) => ({
      ...c,
      field: FILTER_FIELDS[c.field],
    }));
    const page = await this.store.list({ projectId, conditions, limit, after });
    return { entitlements: page.items, next: page.next };
  }

  async history(q: {
    projectId: string;
    userId?: string;
    offerId?: string;
    beforeId?: string;
    limit: number;
  }): Promise<HistoryPage> {
    await this.projects.requireExists(q.projectId);
    const page = await this.store.history({
      projectId: q.projectId,
      subjectId: q.userId,
      productId: q.offerId,
      beforeId: q.beforeId,
      limit: q.limit,
    });
    return { events: page.items, next: page.next };
  }
}
