import {
  changedFields,
  Entitlement,
  EntitlementEvent,
  EntitlementEventKind,
  EntitlementOrigin,
  entitlementRecord,
  EntitlementRecord,
  EntitlementStatus,
  entitlementSnapshot,
  ENTITLEMENT_EVENT_TYPES,
  MottoKey,
  ResourceSnapshot,
} from '@app/domain';
import { EntityManager, FilterQuery, LockMode } from '@mikro-orm/postgresql';
import { ChangeContext, outboxEvent } from '../notifications/outbox';

export { ChangeContext } from '../notifications/outbox';

/**
 * The operations of one entitlement write transaction (EntitlementStore.transaction / withKeyLock): the
 * caller decides what to do between them; whatever it writes commits together with its history events, or
 * not at all (a thrown error rolls everything back).
 */
export class EntitlementTx {
  /** The recorded state of each entitlement as read under its lock: the "before" of its change event. */
  private readonly loaded = new WeakMap<Entitlement, EntitlementRecord>();
  /** The same, with its timestamps: the "before" of its outbox event. */
  private readonly snapshots = new WeakMap<Entitlement, ResourceSnapshot>();

  constructor(protected readonly em: EntityManager) {}

  /**
   * Does the offer exist in the project? Takes a FOR SHARE lock on its row until the transaction ends, so
   * a concurrent delete of the offer either waits for this transaction (and then sees what it wrote) or
   * has won (and the offer is gone).
   */
  async offerExists(projectId: string, offerId: string): Promise<boolean> {
    const rows = await this.em.execute('select 1 from "offer" where "project_id" = ? and "id" = ? for share', [
      projectId,
      offerId,
    ]);
    return rows.length > 0;
  }

  /** The entitlement the Motto-style API created for the key, locked for update. */
  findMottoForUpdate(key: MottoKey): Promise<Entitlement | null> {
    return this.findForUpdate({ ...key, origin: EntitlementOrigin.Motto });
  }

  /** One entitlement of the project, locked for update. */
  findByIdForUpdate(projectId: string, id: string): Promise<Entitlement | null> {
    return this.findForUpdate({ projectId, id });
  }

  /** Stores a new entitlement and its CREATED event. */
  insert(e: Entitlement, ctx: ChangeContext): Entitlement {
    this.em.persist(e);
    this.em.persist(changeEvent(e, EntitlementEventKind.Created, null, entitlementRecord(e), ctx));
    this.em.persist(notification(e, EntitlementEventKind.Created, null, entitlementSnapshot(e), ctx));
    return e;
  }

  /**
   * Saves the changes made to an entitlement found here (under its lock) with an UPDATED event, REVOKED
   * when it went from active to revoked. Returns the recorded fields that changed: none, no event and
   * update_time unchanged.
   */
  saveChange(e: Entitlement, ctx: ChangeContext): string[] {
    const before = this.loaded.get(e);
    if (!before) throw new Error('saveChange: the entitlement was not found for update in this transaction');
    const changed = changedFields(before, entitlementRecord(e));
    if (changed.length === 0) return changed;
    e.updatedAt = new Date();
    const revoked = before.status === EntitlementStatus.Active && e.status === EntitlementStatus.Revoked;
    const kind = revoked ? EntitlementEventKind.Revoked : EntitlementEventKind.Updated;
    this.em.persist(changeEvent(e, kind, before, entitlementRecord(e), ctx, changed));
    const after = entitlementSnapshot(e);
    this.em.persist(notification(e, kind, this.snapshots.get(e) ?? null, after, ctx));
    this.loaded.set(e, entitlementRecord(e));
    this.snapshots.set(e, after);
    return changed;
  }

  /** Deletes an entitlement; its DELETED event keeps the last state. */
  remove(e: Entitlement, ctx: ChangeContext): void {
    this.em.persist(changeEvent(e, EntitlementEventKind.Deleted, entitlementRecord(e), null, ctx));
    this.em.persist(notification(e, EntitlementEventKind.Deleted, entitlementSnapshot(e), null, ctx));
    this.em.remove(e);
  }

  /** A transaction-scoped advisory lock on a key: serialises writers of the same key across instances. */
  async lockKey(key: string): Promise<void> {
    await this.em.execute('select pg_advisory_xact_lock(hashtextextended(?, 0))', [key]);
  }

  private async findForUpdate(where: FilterQuery<Entitlement>): Promise<Entitlement | null> {
    // refresh: the request's identity map may hold the row as read before the lock.
    const e = await this.em.findOne(Entitlement, where, { lockMode: LockMode.PESSIMISTIC_WRITE, refresh: true });
    if (e) {
      this.loaded.set(e, entitlementRecord(e));
      this.snapshots.set(e, entitlementSnapshot(e));
    }
    return e;
  }
}

function changeEvent(
  e: Entitlement,
  kind: EntitlementEventKind,
  before: EntitlementRecord | null,
  after: EntitlementRecord | null,
  ctx: ChangeContext,
  changed?: string[],
): EntitlementEvent {
  return Object.assign(new EntitlementEvent(), {
    projectId: e.projectId,
    entitlementId: e.id,
    subjectId: e.subjectId,
    productId: e.productId,
    kind,
    before,
    after,
    changedFields: changed ?? Object.keys(after ?? before ?? {}),
    actor: ctx.actor,
    api: ctx.api,
    correlationId: ctx.correlationId,
    occurredAt: new Date(),
  });
}

/** The outbox event of a change (the same transaction as the change and its history event). */
function notification(
  e: Entitlement,
  kind: EntitlementEventKind,
  before: ResourceSnapshot | null,
  after: ResourceSnapshot | null,
  ctx: ChangeContext,
) {
  return outboxEvent(
    ENTITLEMENT_EVENT_TYPES[kind],
    { kind: 'entitlement', id: e.id, projectId: e.projectId },
    before,
    after,
    ctx,
  );
}
