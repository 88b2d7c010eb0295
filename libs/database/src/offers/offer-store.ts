import { ChangeEventType, Offer, offerSnapshot } from '@app/domain';
import { EntityManager, ForeignKeyConstraintViolationException, LockMode, QueryBuilder } from '@mikro-orm/postgresql';
import { Condition, FieldMapping, propertyOf, whereOf } from '../conditions';
import { countLive } from '../entitlements/entitlement-sql';
import { KeysetPage, keysetPage } from '../keyset-page';
import { ChangeContext, outboxEvent } from '../notifications/outbox';
import { OfferContent, OfferContentKind, OfferSchema } from '../schema/offer.schema';
import { directQuery } from '../direct-query';
import { offerFromRow } from '../rows';

/** The fields offer conditions may name. */
export type OfferField = 'visibility' | 'name' | 'cleengOfferId' | 'appliesToAll' | 'createdAt';

const FIELDS: Readonly<Record<OfferField, FieldMapping>> = {
  visibility: propertyOf(OfferSchema, 'visibility'),
  name: propertyOf(OfferSchema, 'name'),
  cleengOfferId: propertyOf(OfferSchema, 'cleengOfferId'),
  appliesToAll: propertyOf(OfferSchema, 'appliesToAll'),
  createdAt: propertyOf(OfferSchema, 'createdAt'),
};

/** The sort key of an offer in the list: priority (int64 string, highest first), creation time, id. */
export interface OfferKey {
  priority: string;
  createdAt: Date;
  id: string;
}

/** Which offers a list shows: the project's, matching the conditions. */
export interface OfferScope {
  projectId: string;
  conditions?: readonly Condition<OfferField>[];
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

const contentKey = (offer: Offer) =>
  offerContentRows(offer)
    .map((r) => `${r.kind}\u0000${r.contentId}`)
    .sort()
    .join('\u0001');

/** Offer get: one row through the primary key (test/offers/offers-list-plan.spec.ts checks the plan). */
export const OFFER_BY_ID_SQL = 'select * from offer where project_id = $1 and id = $2';

/**
 * Offers and their offer_content rows (kept in step with the target in the offer's transaction). `em` is
 * the injected EntityManager (the request's context inside a request; see EntitlementStore).
 */
export class OfferStore {
  constructor(private readonly em: EntityManager) {}

  /**
   * Stores a new offer, its offer_content rows and its offer.created event in one transaction; false when
   * the project does not exist.
   */
  async insert(offer: Offer, ctx: ChangeContext): Promise<boolean> {
    try {
      await this.em.transactional(async (em) => {
        em.persist(offer);
        em.persist(offerEvent(ChangeEventType.OfferCreated, offer, null, offerSnapshot(offer), ctx));
        await em.flush();
        await insertContent(em, offer);
      });
      return true;
    } catch (err) {
      // The project does not exist (or was deleted meanwhile).
      if (err instanceof ForeignKeyConstraintViolationException) return false;
      throw err;
    }
  }

  /**
   * The offer, when it belongs to the project. Straight through the driver: a read whose offer is never written
   * back (updates lock and re-read it).
   */
  async get(projectId: string, id: string): Promise<Offer | null> {
    const [row] = await directQuery(this.em, OFFER_BY_ID_SQL, [projectId, id]);
    return row ? offerFromRow(row) : null;
  }

  /**
   * One page of the scope's offers, by priority (highest first), then creation time, then id. Keyset
   * pagination on the index offer_project_priority_idx (project_id, priority desc, created_at, id): after a
   * key, the rest of the key's priority (a range on (created_at, id)), then the lower priorities (a range on
   * priority), each an index range scan that starts at the key: page N costs what page 1 costs.
   */
  async list(scope: OfferScope, limit: number, after?: OfferKey): Promise<KeysetPage<Offer, OfferKey>> {
    const fetch = async (take: number) => {
      const rows: Offer[] = [];
      for (const qb of this.pageQueries(scope, after)) {
        rows.push(...(await qb.limit(take - rows.length).getResultList()));
        if (rows.length >= take) break;
      }
      return rows;
    };
    return keysetPage(limit, fetch, ({ priority, createdAt, id }) => ({ priority, createdAt, id }));
  }

  /** The queries list() runs in turn (exposed so that their plans can be checked). */
  pageQueries(scope: OfferScope, after?: OfferKey): QueryBuilder<Offer>[] {
    const qb = () =>
      this.em
        .createQueryBuilder(Offer, 'o')
        .select('*')
        .where({ $and: [{ projectId: scope.projectId }, ...whereOf(scope.conditions ?? [], FIELDS)] });
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
   * Changes the offer with `change` (pure: it may throw a DomainError, and then nothing changes) under its
   * row lock, and rewrites offer_content in the same transaction when the content ids changed (renaming
   * an offer of 3,000 ids rewrites nothing). An offer.updated event goes with a change (none when nothing
   * changed). Null when the offer is not in the project.
   */
  async update(
    projectId: string,
    id: string,
    change: (offer: Offer) => void,
    ctx: ChangeContext,
  ): Promise<Offer | null> {
    return this.em.transactional(async (em) => {
      const existing = await em.findOne(
        Offer,
        { id, projectId },
        { lockMode: LockMode.PESSIMISTIC_WRITE, refresh: true },
      );
      if (!existing) return null;
      const before = contentKey(existing);
      const snapshot = offerSnapshot(existing);
      change(existing);
      const after = offerSnapshot(existing);
      if (JSON.stringify(after) !== JSON.stringify(snapshot)) {
        em.persist(offerEvent(ChangeEventType.OfferUpdated, existing, snapshot, after, ctx));
      }
      await em.flush();
      if (contentKey(existing) !== before) {
        await em.nativeDelete(OfferContent, { offerId: existing.id });
        await insertContent(em, existing);
      }
      return existing;
    });
  }

  /**
   * Deletes the offer (its offer_content rows with it) unless entitlements to it are live at `at`: then
   * nothing changes. The count runs inside the delete's transaction, behind the offer's row lock (a second
   * pool connection could wait forever behind writers waiting for this lock). Null: no such offer.
   */
  async deleteUnlessLive(
    projectId: string,
    id: string,
    at: Date,
    ctx: ChangeContext,
  ): Promise<{ live: number } | null> {
    return this.em.transactional(async (em) => {
      const existing = await em.findOne(
        Offer,
        { id, projectId },
        { lockMode: LockMode.PESSIMISTIC_WRITE, refresh: true },
      );
      if (!existing) return null;
      const live = await countLive(em, projectId, id, at);
      if (live > 0) return { live };
      await em.nativeDelete(OfferContent, { offerId: id });
      await em.nativeDelete(Offer, { id, projectId });
      em.persist(offerEvent(ChangeEventType.OfferDeleted, existing, offerSnapshot(existing), null, ctx));
      await em.flush();
      return { live };
    });
  }
}

async function insertContent(em: EntityManager, offer: Offer): Promise<void> {
  const rows = offerContentRows(offer);
  if (rows.length > 0) await em.insertMany(OfferContent, rows);
}

function offerEvent(
  type: ChangeEventType,
  offer: Offer,
  before: ReturnType<typeof offerSnapshot> | null,
  after: ReturnType<typeof offerSnapshot> | null,
  ctx: ChangeContext,
) {
  return outboxEvent(type, { kind: 'offer', id: offer.id, projectId: offer.projectId }, before, after, ctx);
}
