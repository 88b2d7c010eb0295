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
import { Db, directQuery } from '../direct-query';
import { deleteRow, insertRow, rowValues, updateRow } from '../direct-write';
import { ChangeContext, outboxEvent } from '../notifications/outbox';
import { entitlementFromRow } from '../rows';

export { ChangeContext } from '../notifications/outbox';

/**
 * The operations of one entitlement write transaction (EntitlementStore.transaction / withKeyLock): the
 * caller decides what to do between them; whatever it writes commits together with its history events, or
 * not at all (a thrown error rolls everything back). Each operation is its statements, sent at once on the
 * transaction's connection with bound parameters (direct-write.ts): no unit of work between the rules and the
 * database on these paths, which run per purchase and per playback start.
 */
export class EntitlementTx {
  /** The recorded state of each entitlement as read under its lock: the "before" of its change event. */
  private readonly loaded = new WeakMap<Entitlement, EntitlementRecord>();
  /** The same, with its timestamps: the "before" of its outbox event. */
  private readonly snapshots = new WeakMap<Entitlement, ResourceSnapshot>();
  /** Its columns' values as read: an update writes the columns that changed. */
  private readonly rows = new WeakMap<Entitlement, Map<string, string>>();

  constructor(protected readonly db: Db) {}

  /**
   * Does the offer exist in the project? Takes a FOR SHARE lock on its row until the transaction ends, so
   * a concurrent delete of the offer either waits for this transaction (and then sees what it wrote) or
   * has won (and the offer is gone).
   */
  async offerExists(projectId: string, offerId: string): Promise<boolean> {
    const rows = await directQuery(this.db, 'select 1 from offer where project_id = $1 and id = $2 for share', [
      projectId,
      offerId,
    ]);
    return rows.length > 0;
  }

  /** The entitlement the Motto-style API created for the key, locked for update. */
  findMottoForUpdate(key: MottoKey): Promise<Entitlement | null> {
    return this.findForUpdate(
      `select * from entitlement where project_id = $1 and subject_id = $2 and product_id = $3 and origin = '${EntitlementOrigin.Motto}' for update`,
      [key.projectId, key.subjectId, key.productId],
    );
  }

  /** One entitlement of the project, locked for update. */
  findByIdForUpdate(projectId: string, id: string): Promise<Entitlement | null> {
    return this.findForUpdate('select * from entitlement where project_id = $1 and id = $2 for update', [
      projectId,
      id,
    ]);
  }

  /** Stores a new entitlement and its CREATED event. */
  async insert(e: Entitlement, ctx: ChangeContext): Promise<Entitlement> {
    await insertRow(this.db, e);
    await this.record(e, EntitlementEventKind.Created, null, entitlementRecord(e), null, entitlementSnapshot(e), ctx);
    return e;
  }

  /**
   * Saves the changes made to an entitlement found here (under its lock) with an UPDATED event, REVOKED
   * when it went from active to revoked. Returns the recorded fields that changed: none, no event and
   * update_time unchanged.
   */
  async saveChange(e: Entitlement, ctx: ChangeContext): Promise<string[]> {
    const before = this.loaded.get(e);
    const row = this.rows.get(e);
    if (!before || !row) throw new Error('saveChange: the entitlement was not found for update in this transaction');
    const changed = changedFields(before, entitlementRecord(e));
    if (changed.length === 0) return changed;
    e.updatedAt = new Date();
    const revoked = before.status === EntitlementStatus.Active && e.status === EntitlementStatus.Revoked;
    const kind = revoked ? EntitlementEventKind.Revoked : EntitlementEventKind.Updated;
    await updateRow(this.db, e, row);
    const after = entitlementSnapshot(e);
    await this.record(e, kind, before, entitlementRecord(e), this.snapshots.get(e) ?? null, after, ctx, changed);
    this.remember(e);
    return changed;
  }

  /** Deletes an entitlement; its DELETED event keeps the last state. */
  async remove(e: Entitlement, ctx: ChangeContext): Promise<void> {
    await deleteRow(this.db, e);
    await this.record(e, EntitlementEventKind.Deleted, entitlementRecord(e), null, entitlementSnapshot(e), null, ctx);
  }

  /** A transaction-scoped advisory lock on a key: serialises writers of the same key across instances. */
  async lockKey(key: string): Promise<void> {
    await directQuery(this.db, 'select pg_advisory_xact_lock(hashtextextended($1, 0))', [key]);
  }

  private async findForUpdate(sql: string, values: unknown[]): Promise<Entitlement | null> {
    const [row] = await directQuery(this.db, sql, values);
    if (!row) return null;
    const e = entitlementFromRow(row);
    this.remember(e);
    return e;
  }

  /** The state of `e` now is what the database holds (read under the lock, or just written). */
  private remember(e: Entitlement): void {
    this.loaded.set(e, entitlementRecord(e));
    this.snapshots.set(e, entitlementSnapshot(e));
    this.rows.set(e, rowValues(this.db, e));
  }

  /** A change's history event and outbox event, in this transaction. */
  private async record(
    e: Entitlement,
    kind: EntitlementEventKind,
    before: EntitlementRecord | null,
    after: EntitlementRecord | null,
    beforeSnapshot: ResourceSnapshot | null,
    afterSnapshot: ResourceSnapshot | null,
    ctx: ChangeContext,
    changed?: string[],
  ): Promise<void> {
    await insertRow(this.db, changeEvent(e, kind, before, after, ctx, changed));
    await insertRow(this.db, notification(e, kind, beforeSnapshot, afterSnapshot, ctx));
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
