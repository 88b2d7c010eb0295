import { ChangeContext, EntitlementStore } from '@app/database';
import { DomainError, Entitlement, EntitlementEvent } from '@app/domain';
import { compileFilter, FilterSpec } from '../motto/wire/kql';
import { EntityManager } from '@mikro-orm/postgresql';
import { Injectable } from '@nestjs/common';
import { kqlWhere } from '../common/kql-query';
import { ProjectsService } from '../projects/projects.service';
import { applyUpsert, newMottoEntitlement, UpsertEntitlementInput } from './entitlement-wire';

/** The filter of GET /monetization/entitlements/v1. */
export const ENTITLEMENT_FILTER: FilterSpec = {
  user_id: { type: 'string' },
  offer_id: { type: 'string' },
  source_type: { type: 'string' },
  source_id: { type: 'string' },
  expiration_time: { type: 'timestamp' },
};

/** What the Motto-style list shows as expiration_time: a revoked entitlement expired when revoked. */
const EXPIRATION_SQL = (a: string) =>
  `(case when ${a}.status = 'REVOKED' then least(${a}.valid_until, ${a}.revoked_at) else ${a}.valid_until end)`;

const FILTER_TARGETS = {
  user_id: 'subjectId',
  offer_id: 'productId',
  source_type: 'sourceType',
  source_id: 'sourceId',
  expiration_time: { sql: EXPIRATION_SQL },
};

export interface EntitlementPage {
  entitlements: Entitlement[];
  /** Sort key (create time, id) of the last row when more may follow. */
  next?: [string, string];
}

@Injectable()
export class EntitlementsService {
  constructor(
    private readonly store: EntitlementStore,
    private readonly projects: ProjectsService,
    private readonly em: EntityManager,
  ) {}

  /** Creates or updates the entitlement of (project, user, offer); the offer must exist in the project. */
  async upsert(input: UpsertEntitlementInput, ctx: ChangeContext): Promise<Entitlement> {
    await this.projects.get(input.projectId);
    const now = new Date();
    const { entitlement } = await this.store.upsertByKey(
      { projectId: input.projectId, subjectId: input.userId, productId: input.offerId },
      () => newMottoEntitlement(input, now),
      (e) => applyUpsert(e, input, now),
      ctx,
      // Inside the transaction, sharing the offer's row lock: a concurrent delete of the offer either
      // waits for this upsert (and then sees the live entitlement) or wins (and this answers not_found).
      async (em) => {
        if (!(await this.offerExists(em, input.projectId, input.offerId))) {
          throw DomainError.notFound(`offer ${JSON.stringify(input.offerId)} does not exist in project ${JSON.stringify(input.projectId)}`);
        }
      },
    );
    return entitlement;
  }

  /** Every entitlement of the project, whichever API created it, by creation time then id (keyset). */
  async list(projectId: string, filter: string | undefined, limit: number, after?: [string, string]): Promise<EntitlementPage> {
    await this.projects.get(projectId);
    const where: Record<string, unknown>[] = [{ projectId }, ...kqlWhere(compileFilter(filter, ENTITLEMENT_FILTER), FILTER_TARGETS)];
    if (after) {
      const at = new Date(after[0]);
      where.push({ $or: [{ createdAt: { $gt: at } }, { createdAt: at, id: { $gt: after[1] } }] });
    }
    const rows = await this.em.fork().find(Entitlement, { $and: where }, { orderBy: { createdAt: 'asc', id: 'asc' }, limit: limit + 1 });
    const more = rows.length > limit;
    const entitlements = rows.slice(0, limit);
    const last = entitlements[entitlements.length - 1];
    return { entitlements, next: more ? [last.createdAt.toISOString(), last.id] : undefined };
  }

  async history(q: { projectId: string; userId?: string; offerId?: string; beforeId?: string; limit: number }): Promise<EntitlementEvent[]> {
    await this.projects.get(q.projectId);
    return this.store.history({ projectId: q.projectId, subjectId: q.userId, productId: q.offerId, beforeId: q.beforeId, limit: q.limit });
  }

  private async offerExists(em: EntityManager, projectId: string, offerId: string): Promise<boolean> {
    const rows = await em.execute('select 1 from "offer" where "project_id" = ? and "id" = ? for share', [projectId, offerId]);
    return rows.length > 0;
  }
}
