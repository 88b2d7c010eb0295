import {
  changedFields,
  DomainError,
  DomainErrorCode,
  Entitlement,
  EntitlementEvent,
  EntitlementEventKind,
  EntitlementOrigin,
  entitlementRecord,
  EntitlementRecord,
  EntitlementStatus,
} from '@app/domain';
import { EntityManager, LockMode, UniqueConstraintViolationException } from '@mikro-orm/postgresql';

/** Who changes an entitlement, through which API, in which request: recorded with every change. */
export interface ChangeContext {
  actor: string;
  api: EntitlementOrigin;
  correlationId: string;
}

export interface ChangeResult {
  entitlement: Entitlement;
  created: boolean;
  /** Recorded fields whose value changed (empty: nothing changed, no event). */
  changed: string[];
}

export interface DuplicateRule {
  /** Refuse the purchase when the subject has an ACTIVE entitlement to the product with an overlapping window. */
  prohibitDuplicatePurchase: boolean;
  /** Tenant switch: with it on, an existing entitlement with a deviceId is device-specific and does not count. */
  deviceSpecificProducts: boolean;
}

export interface HistoryQuery {
  projectId: string;
  subjectId?: string;
  productId?: string;
  entitlementId?: string;
  /** Id of the last event of the previous page (events come newest first). */
  beforeId?: string;
  limit: number;
}

/** The entitlement's validity has not ended at `at` (an open end never does). */
function notExpiredAt(at: Date) {
  return { $or: [{ validUntil: null }, { validUntil: { $gt: at } }] };
}

/**
 * The one entitlement store behind both API styles. Every write is one transaction that takes a lock
 * (the row, or an advisory lock on the key it will create), applies the change, and appends an
 * EntitlementEvent with the before and after states. So retries and concurrent requests, from any number
 * of service instances, cannot create duplicates, and no change goes unrecorded.
 */
export class EntitlementStore {
  constructor(private readonly em: EntityManager) {}

  /**
   * The Motto-style API's upsert, keyed by (project, subject, product) among the entitlements it created:
   * creates the entitlement or changes the existing one with `apply`.
   */
  async upsertByKey(
    key: { projectId: string; subjectId: string; productId: string },
    create: () => Entitlement,
    apply: (e: Entitlement) => void,
    ctx: ChangeContext,
    /** Checked inside the transaction, before anything is written (may throw a DomainError). */
    precondition?: (em: EntityManager) => Promise<void>,
  ): Promise<ChangeResult> {
    return this.em.transactional(async (em) => {
      await precondition?.(em);
      await this.lockKey(em, `motto:${key.projectId}:${key.subjectId}:${key.productId}`);
      const existing = await em.findOne(Entitlement, { ...key, origin: EntitlementOrigin.Motto }, { lockMode: LockMode.PESSIMISTIC_WRITE });
      if (!existing) {
        const entitlement = create();
        em.persist(entitlement);
        em.persist(this.event(entitlement, EntitlementEventKind.Created, null, entitlementRecord(entitlement), ctx));
        return { entitlement, created: true, changed: [] };
      }
      return { ...this.applyChange(em, existing, apply, ctx), created: false };
    });
  }

  /**
   * Creates an entitlement (CRM gateway). A taken id answers already_exists; with the duplicate rule on,
   * an overlapping ACTIVE entitlement of the subject to the product answers DUPLICATE_PURCHASE.
   */
  async create(entitlement: Entitlement, rule: DuplicateRule, ctx: ChangeContext): Promise<Entitlement> {
    try {
      return await this.em.transactional(async (em) => {
        if (rule.prohibitDuplicatePurchase) {
          await this.lockKey(em, `purchase:${entitlement.projectId}:${entitlement.subjectId}:${entitlement.productId}`);
          const clash = await this.overlapping(em, entitlement, rule.deviceSpecificProducts);
          if (clash) {
            throw new DomainError(
              DomainErrorCode.DuplicatePurchase,
              `account ${JSON.stringify(entitlement.subjectId)} already has the SUBSCRIBED entitlement ${JSON.stringify(clash.id)} ` +
                `to product ${JSON.stringify(entitlement.productId)} with an overlapping validity`,
            );
          }
        }
        em.persist(entitlement);
        em.persist(this.event(entitlement, EntitlementEventKind.Created, null, entitlementRecord(entitlement), ctx));
        await em.flush();
        return entitlement;
      });
    } catch (err) {
      if (err instanceof UniqueConstraintViolationException) {
        throw new DomainError(DomainErrorCode.AlreadyExists, `an entitlement with _id ${JSON.stringify(entitlement.id)} already exists`);
      }
      throw err;
    }
  }

  /** Changes one entitlement with `apply` (which may throw a DomainError: nothing is then changed). */
  async update(projectId: string, id: string, apply: (e: Entitlement) => void, ctx: ChangeContext): Promise<ChangeResult | null> {
    return this.em.transactional(async (em) => {
      const existing = await em.findOne(Entitlement, { projectId, id }, { lockMode: LockMode.PESSIMISTIC_WRITE });
      if (!existing) return null;
      return { ...this.applyChange(em, existing, apply, ctx), created: false };
    });
  }

  /** Deletes one entitlement; the history keeps the deletion (and the last state). */
  async delete(projectId: string, id: string, ctx: ChangeContext): Promise<boolean> {
    return this.em.transactional(async (em) => {
      const existing = await em.findOne(Entitlement, { projectId, id }, { lockMode: LockMode.PESSIMISTIC_WRITE });
      if (!existing) return false;
      em.persist(this.event(existing, EntitlementEventKind.Deleted, entitlementRecord(existing), null, ctx));
      em.remove(existing);
      return true;
    });
  }

  async get(projectId: string, id: string): Promise<Entitlement | null> {
    return this.em.fork().findOne(Entitlement, { projectId, id });
  }

  /**
   * The lookup an access decision runs per playback: the ACTIVE entitlements of one subject in one
   * project whose window contains `at`. Served by the partial index entitlement_active_subject_idx
   * from that subject's rows alone.
   */
  async activeForSubject(projectId: string, subjectId: string, at: Date = new Date()): Promise<Entitlement[]> {
    return this.activeForSubjectQuery(projectId, subjectId, at).getResultList();
  }

  /** The query activeForSubject runs (exposed so its plan can be checked). */
  activeForSubjectQuery(projectId: string, subjectId: string, at: Date = new Date()) {
    return this.em
      .fork()
      .createQueryBuilder(Entitlement, 'e')
      .select('*')
      .where({
        projectId,
        subjectId,
        status: EntitlementStatus.Active,
        $and: [notExpiredAt(at), { $or: [{ validFrom: null }, { validFrom: { $lte: at } }] }],
      })
      .orderBy({ createdAt: 'asc', id: 'asc' });
  }

  /** How many ACTIVE entitlements to the product are not yet expired at `at` (they block deleting its offer). */
  async countLive(projectId: string, productId: string, at: Date = new Date(), em?: EntityManager): Promise<number> {
    // Inside the caller's transaction when given: a second connection from the pool could wait forever
    // behind writers that wait for this transaction's locks.
    return (em ?? this.em.fork()).count(Entitlement, {
      projectId,
      productId,
      status: EntitlementStatus.Active,
      ...notExpiredAt(at),
    });
  }

  /** Change events, newest first. */
  async history(q: HistoryQuery): Promise<EntitlementEvent[]> {
    const where: Record<string, unknown> = { projectId: q.projectId };
    if (q.subjectId !== undefined) where.subjectId = q.subjectId;
    if (q.productId !== undefined) where.productId = q.productId;
    if (q.entitlementId !== undefined) where.entitlementId = q.entitlementId;
    if (q.beforeId !== undefined) where.id = { $lt: q.beforeId };
    return this.em.fork().find(EntitlementEvent, where, { orderBy: { id: 'desc' }, limit: q.limit });
  }

  private applyChange(em: EntityManager, existing: Entitlement, apply: (e: Entitlement) => void, ctx: ChangeContext): Omit<ChangeResult, 'created'> {
    const before = entitlementRecord(existing);
    const wasActive = existing.status === EntitlementStatus.Active;
    apply(existing);
    if (wasActive && existing.status === EntitlementStatus.Revoked) existing.revokedAt = new Date();
    if (existing.status === EntitlementStatus.Active) existing.revokedAt = undefined;
    const after = entitlementRecord(existing);
    const changed = changedFields(before, after);
    if (changed.length === 0) return { entitlement: existing, changed };
    existing.updatedAt = new Date();
    const kind = wasActive && existing.status === EntitlementStatus.Revoked ? EntitlementEventKind.Revoked : EntitlementEventKind.Updated;
    em.persist(this.event(existing, kind, before, entitlementRecord(existing), ctx, changed));
    return { entitlement: existing, changed };
  }

  private async overlapping(em: EntityManager, e: Entitlement, deviceSpecificProducts: boolean): Promise<Entitlement | null> {
    const window: Record<string, unknown>[] = [];
    if (e.validFrom) window.push({ $or: [{ validUntil: null }, { validUntil: { $gt: e.validFrom } }] });
    if (e.validUntil) window.push({ $or: [{ validFrom: null }, { validFrom: { $lt: e.validUntil } }] });
    if (deviceSpecificProducts) window.push({ deviceId: null });
    return em.findOne(
      Entitlement,
      { projectId: e.projectId, subjectId: e.subjectId, productId: e.productId, status: EntitlementStatus.Active, $and: window },
      { orderBy: { createdAt: 'asc' } },
    );
  }

  /** A transaction-scoped advisory lock on a key: serialises writers of the same key across instances. */
  private async lockKey(em: EntityManager, key: string): Promise<void> {
    await em.execute('select pg_advisory_xact_lock(hashtextextended(?, 0))', [key]);
  }

  private event(
    e: Entitlement,
    kind: EntitlementEventKind,
    before: EntitlementRecord | null,
    after: EntitlementRecord | null,
    ctx: ChangeContext,
    changed?: string[],
  ): EntitlementEvent {
    const event = new EntitlementEvent();
    Object.assign(event, {
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
    return event;
  }
}
