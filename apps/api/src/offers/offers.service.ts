import { ChangeContext, Condition, OfferField, OfferStore } from '@app/database';
import { DomainError, Offer, OfferFields, Visibility } from '@app/domain';
import { compileFilter, FilterSpec } from '../motto/wire/kql';
import { valueOrThrow } from '../motto/wire/wire';
import { applyOfferUpdate } from './offer-mask';
import { Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { ProjectsService } from '../projects/projects.service';
import { OfferCursor, withPriceIds } from './offer-wire';

/** The filter of GET /monetization/offers/v1 (KQL subset). */
export const OFFER_FILTER: FilterSpec = {
  visibility: { type: Object.values(Visibility) },
  name: { type: 'string' },
  cleeng_offer_id: { type: 'string' },
  applies_to_all: { type: 'boolean' },
  create_time: { type: 'timestamp' },
};

/** The Motto wire name of each filter field → the store's field. */
const FILTER_FIELDS: Readonly<Record<string, OfferField>> = {
  visibility: 'visibility',
  name: 'name',
  cleeng_offer_id: 'cleengOfferId',
  applies_to_all: 'appliesToAll',
  create_time: 'createdAt',
};

export interface OfferPage {
  offers: Offer[];
  /** True when more offers follow the last one. */
  more: boolean;
}

/** The query of one page: where it starts (after the cursor, or at the beginning) and how many rows. */
export interface OfferPageQuery {
  projectId: string;
  filter?: string;
  limit: number;
  after?: OfferCursor;
}

function offerNotFound(projectId: string, id: string): DomainError {
  return DomainError.notFound(`offer ${JSON.stringify(id)} does not exist in project ${JSON.stringify(projectId)}`);
}

function projectMissing(projectId: string): DomainError {
  return DomainError.invalidField('project_id', `project ${JSON.stringify(projectId)} does not exist`);
}

@Injectable()
export class OffersService {
  constructor(
    private readonly store: OfferStore,
    private readonly projects: ProjectsService,
  ) {}

  /** Stores a new offer and its offer_content rows in one transaction. The project must exist. */
  async create(fields: OfferFields, ctx: ChangeContext): Promise<Offer> {
    if (!(await this.projects.find(fields.projectId))) throw projectMissing(fields.projectId);
    const offer = new Offer({ ...fields, id: randomUUID(), offerPrices: withPriceIds(fields.offerPrices) });
    // False: the project was deleted meanwhile.
    if (!(await this.store.insert(offer, ctx))) throw projectMissing(fields.projectId);
    return offer;
  }

  /** The offer, when it belongs to the project; otherwise not_found. */
  async get(projectId: string, id: string): Promise<Offer> {
    const offer = await this.store.get(projectId, id);
    if (!offer) throw offerNotFound(projectId, id);
    return offer;
  }

  /** One page of the project's offers, by priority (highest first), then creation time, then id (keyset). */
  async list(q: OfferPageQuery): Promise<OfferPage> {
    const clauses = compileFilter(q.filter, OFFER_FILTER);
    await this.projects.requireExists(q.projectId);
    const conditions: Condition<OfferField>[] = clauses.map((c) => ({ ...c, field: FILTER_FIELDS[c.field] }));
    const page = await this.store.list({ projectId: q.projectId, conditions }, q.limit, q.after);
    return { offers: page.items, more: page.next !== undefined };
  }

  /**
   * Applies the update (only the paths of the mask) under the offer's row lock; offer_content follows the
   * target in the same transaction. A mask naming nothing changes nothing (update_time included).
   */
  async update(projectId: string, id: string, patch: OfferFields, mask: string[], ctx: ChangeContext): Promise<Offer> {
    const offer = await this.store.update(
      projectId,
      id,
      (existing) => {
        if (mask.length === 0) return;
        const next = valueOrThrow(applyOfferUpdate(existing, patch, mask, { pathPrefix: 'offer' }));
        Object.assign(existing, next, { offerPrices: withPriceIds(next.offerPrices) });
      },
      ctx,
    );
    if (!offer) throw offerNotFound(projectId, id);
    return offer;
  }

  /**
   * Deletes the offer (its offer_content rows go with it) unless live entitlements (ACTIVE, unexpired)
   * point at it: then failed_precondition saying how many.
   */
  async delete(projectId: string, id: string, ctx: ChangeContext): Promise<void> {
    const result = await this.store.deleteUnlessLive(projectId, id, new Date(), ctx);
    if (!result) throw offerNotFound(projectId, id);
    const { live } = result;
    if (live > 0) {
      throw DomainError.failedPrecondition(
        `offer ${JSON.stringify(id)} has ${live} live entitlement${live === 1 ? '' : 's'} (active and not expired); ` +
          'revoke them or let them expire before deleting it',
      );
    }
  }
}
