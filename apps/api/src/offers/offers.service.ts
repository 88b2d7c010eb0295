import { EntitlementStore } from '@app/database';
import { OfferContent, OfferContentKind } from '@app/database/schema/offer.schema';
import { DomainError, Offer, OfferFields, Visibility } from '@app/domain';
import { valueOrThrow } from '../motto/wire/wire';
import { applyOfferUpdate } from './offer-mask';
import { compileFilter, FilterSpec } from '../motto/wire/kql';
import { EntityManager, ForeignKeyConstraintViolationException, LockMode, QueryBuilder } from '@mikro-orm/postgresql';
import { Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { kqlWhere } from '../common/kql-query';
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

const FILTER_TARGETS = {
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

/** The offer_content rows of an offer: one per distinct content id its target names. */
export function offerContentRows(offer: Pick<Offer, 'id' | 'projectId' | 'target'>): OfferContent[] {
  const rows: OfferContent[] = [];
  const add = (kind: OfferContentKind, ids: string[]) => {
    for (const contentId of new Set(ids)) rows.push({ projectId: offer.projectId, kind, contentId, offerId: offer.id });
  };
  add(OfferContentKind.Entity, offer.target.entityIds);
  add(OfferContentKind.Event, offer.target.eventIds);
  add(OfferContentKind.CreativeWork, offer.target.creativeWorkIds);
  return rows;
}

const contentKey = (rows: OfferContent[]) =>
  rows
    .map((r) => `${r.kind}\u0000${r.contentId}`)
    .sort()
    .join('\u0001');

@Injectable()
export class OffersService {
  constructor(
    private readonly em: EntityManager,
    private readonly projects: ProjectsService,
    private readonly entitlements: EntitlementStore,
  ) {}

  /** Stores a new offer and its offer_content rows in one transaction. The project must exist. */
  async create(fields: OfferFields): Promise<Offer> {
    if (!(await this.projects.find(fields.projectId))) throw projectMissing(fields.projectId);
    const offer = new Offer({ ...fields, id: randomUUID(), offerPrices: withPriceIds(fields.offerPrices) });
    try {
      await this.em.fork().transactional(async (em) => {
        em.persist(offer);
        await em.flush();
        await this.insertContent(em, offer);
      });
    } catch (err) {
      // The project was deleted meanwhile.
      if (err instanceof ForeignKeyConstraintViolationException) throw projectMissing(fields.projectId);
      throw err;
    }
    return offer;
  }

  /** The offer, when it belongs to the project; otherwise not_found. */
  async get(projectId: string, id: string): Promise<Offer> {
    const offer = await this.em.fork().findOne(Offer, { id, projectId });
    if (!offer) throw offerNotFound(projectId, id);
    return offer;
  }

  /**
   * One page of the project's offers, by priority (highest first), then creation time, then id. Keyset
   * pagination on the index offer_project_priority_idx (project_id, priority desc, created_at, id): after a
   * cursor, the rest of the cursor's priority (a range on (created_at, id)), then the lower priorities (a
   * range on priority), each an index range scan that starts at the cursor: page N costs what page 1 costs.
   */
  async list(q: OfferPageQuery): Promise<OfferPage> {
    const clauses = compileFilter(q.filter, OFFER_FILTER);
    await this.projects.get(q.projectId);
    const where = { $and: [{ projectId: q.projectId }, ...kqlWhere(clauses, FILTER_TARGETS)] };
    const em = this.em.fork();
    const want = q.limit + 1;
    const rows: Offer[] = [];
    for (const qb of this.pageQueries(em, where, q.after)) {
      rows.push(...(await qb.limit(want - rows.length).getResultList()));
      if (rows.length >= want) break;
    }
    return { offers: rows.slice(0, q.limit), more: rows.length > q.limit };
  }

  /** The queries list() runs in turn (exposed so that their plans can be checked). */
  pageQueries(em: EntityManager, where: object, after?: OfferCursor): QueryBuilder<Offer>[] {
    const qb = () => em.createQueryBuilder(Offer, 'o').select('*').where(where);
    if (!after) return [qb().orderBy({ priority: 'desc', createdAt: 'asc', id: 'asc' })];
    return [
      qb()
        .andWhere({ priority: after.priority })
        .andWhere('(o.created_at, o.id) > (?, ?)', [after.createdAt, after.id])
        .orderBy({ createdAt: 'asc', id: 'asc' }),
      qb()
        .andWhere({ priority: { $lt: after.priority } })
        .orderBy({ priority: 'desc', createdAt: 'asc', id: 'asc' }),
    ];
  }

  /**
   * Applies the update (only the paths of the mask) under a row lock, and keeps offer_content in step
   * with the target in the same transaction. A mask naming nothing changes nothing (update_time included).
   */
  async update(projectId: string, id: string, patch: OfferFields, mask: string[]): Promise<Offer> {
    return this.em.fork().transactional(async (em) => {
      const existing = await em.findOne(Offer, { id, projectId }, { lockMode: LockMode.PESSIMISTIC_WRITE });
      if (!existing) throw offerNotFound(projectId, id);
      if (mask.length === 0) return existing;
      const next = valueOrThrow(applyOfferUpdate(existing, patch, mask, { pathPrefix: 'offer' }));
      const before = contentKey(offerContentRows(existing));
      Object.assign(existing, next, { offerPrices: withPriceIds(next.offerPrices) });
      await em.flush();
      // Rewritten only when the content ids changed (renaming an offer of 3,000 ids rewrites nothing).
      if (contentKey(offerContentRows(existing)) !== before) {
        await em.nativeDelete(OfferContent, { offerId: existing.id });
        await this.insertContent(em, existing);
      }
      return existing;
    });
  }

  /**
   * Deletes the offer (its offer_content rows go with it) unless live entitlements (ACTIVE, unexpired)
   * point at it: then failed_precondition saying how many.
   */
  async delete(projectId: string, id: string): Promise<void> {
    await this.em.fork().transactional(async (em) => {
      const existing = await em.findOne(Offer, { id, projectId }, { lockMode: LockMode.PESSIMISTIC_WRITE });
      if (!existing) throw offerNotFound(projectId, id);
      const live = await this.entitlements.countLive(projectId, id, new Date(), em);
      if (live > 0) {
        throw DomainError.failedPrecondition(
          `offer ${JSON.stringify(id)} has ${live} live entitlement${live === 1 ? '' : 's'} (active and not expired); ` +
            'revoke them or let them expire before deleting it',
        );
      }
      await em.nativeDelete(OfferContent, { offerId: id });
      await em.nativeDelete(Offer, { id, projectId });
    });
  }

  private async insertContent(em: EntityManager, offer: Offer): Promise<void> {
    const rows = offerContentRows(offer);
    if (rows.length > 0) await em.insertMany(OfferContent, rows);
  }
}

function projectMissing(projectId: string): DomainError {
  return DomainError.invalidField('project_id', `project ${JSON.stringify(projectId)} does not exist`);
}
