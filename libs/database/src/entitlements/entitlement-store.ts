import { DomainError, DomainErrorCode, Entitlement, EntitlementEvent, MottoKey } from '@app/domain';
import { EntityManager } from '@mikro-orm/postgresql';
import { Condition, OrderKey, sqlOrderByOf, sqlWhereOf } from '../conditions';
import { directQuery, directTransaction, sqlState } from '../direct-query';
import { entitlementFromRow } from '../rows';
import { EntitlementSchema } from '../schema/entitlement.schema';
import { KeysetPage, keysetPage } from '../keyset-page';
import { ENTITLEMENT_FIELDS as FIELDS, EntitlementField, withIdTieBreaker } from './entitlement-fields';
import { countLive, entitledAt, findBlockingPurchase } from './entitlement-sql';
import { ChangeContext, EntitlementTx } from './entitlement-tx';

export { ChangeContext, EntitlementTx } from './entitlement-tx';
export { EntitlementField } from './entitlement-fields';

export interface ChangeResult {
  entitlement: Entitlement;
  /** Recorded fields whose value changed (empty: nothing changed, no event). */
  changed: string[];
}

export interface DuplicateRule {
  /** Refuse the purchase when the subject has an ACTIVE entitlement to the product with an overlapping window. */
  prohibitDuplicatePurchase: boolean;
  /** Tenant switch: with it on, an existing entitlement with a deviceId is device-specific and does not count. */
  deviceSpecificProducts: boolean;
}

export interface EntitlementListQuery {
  projectId: string;
  conditions?: readonly Condition<EntitlementField>[];
  limit: number;
  /** Sort key (creation time ISO 8601, id) of the last row of the previous page. */
  after?: [string, string];
}

/** One page by OFFSET of the entitlements of a project matching the conditions, and their count. */
export interface EntitlementOffsetQuery {
  projectId: string;
  conditions: readonly Condition<EntitlementField>[];
  /** Most significant first; `id` breaks ties (ascending, unless a key names it). */
  sort: readonly OrderKey<EntitlementField>[];
  /** 0: count only. */
  limit: number;
  offset: number;
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

/**
 * The one entitlement store behind both API styles. Every write is one transaction that takes a lock
 * (the row, or an advisory lock on the key it will create), applies the change, and appends an
 * EntitlementEvent with the before and after states. So retries and concurrent requests, from any number
 * of service instances, cannot create duplicates, and no change goes unrecorded.
 *
 * `em` is the injected EntityManager: inside a request it resolves to the request's context. Work outside
 * a request (start-up, tests, background) builds a store over `em.fork()`.
 */
export class EntitlementStore {
  constructor(private readonly em: EntityManager) {}

  /** Runs `work` in one transaction; its writes commit together with their events, or not at all. */
  transaction<T>(work: (tx: EntitlementTx) => Promise<T>): Promise<T> {
    return directTransaction(this.em, (db) => work(new EntitlementTx(db)));
  }

  /**
   * A transaction holding the advisory lock of the Motto-style upsert key (project, subject, product): the
   * writers of one key, on any instance, run one after the other, so the key never gets two rows.
   */
  withKeyLock<T>(key: MottoKey, work: (tx: EntitlementTx) => Promise<T>): Promise<T> {
    return this.transaction(async (tx) => {
      await tx.lockKey(`motto:${key.projectId}:${key.subjectId}:${key.productId}`);
      return work(tx);
    });
  }

  /**
   * Creates an entitlement (CRM gateway). A taken id answers already_exists; with the duplicate rule on,
   * an overlapping ACTIVE entitlement of the subject to the product answers DUPLICATE_PURCHASE.
   */
  async create(entitlement: Entitlement, rule: DuplicateRule, ctx: ChangeContext): Promise<Entitlement> {
    try {
      return await directTransaction(this.em, async (db) => {
        const tx = new EntitlementTx(db);
        if (rule.prohibitDuplicatePurchase) {
          await tx.lockKey(`purchase:${entitlement.projectId}:${entitlement.subjectId}:${entitlement.productId}`);
          const clash = await findBlockingPurchase(db, entitlement, rule.deviceSpecificProducts);
          if (clash) {
            throw new DomainError(
              DomainErrorCode.DuplicatePurchase,
              `account ${JSON.stringify(entitlement.subjectId)} already has the SUBSCRIBED entitlement ${JSON.stringify(clash.id)} ` +
                `to product ${JSON.stringify(entitlement.productId)} with an overlapping validity`,
            );
          }
        }
        return tx.insert(entitlement, ctx);
      });
    } catch (err) {
      // unique_violation: the statements of directTransaction raise node-postgres' own errors.
      if (sqlState(err) === '23505') {
        throw new DomainError(
          DomainErrorCode.AlreadyExists,
          `an entitlement with _id ${JSON.stringify(entitlement.id)} already exists`,
        );
      }
      throw err;
    }
  }

  /**
   * Changes one entitlement with `apply` (which may throw a DomainError: nothing is then changed; a status
   * change goes through Entitlement.setStatus, which keeps the revocation time).
   */
  async update(
    projectId: string,
    id: string,
    apply: (e: Entitlement) => void,
    ctx: ChangeContext,
  ): Promise<ChangeResult | null> {
    return this.transaction(async (tx) => {
      const existing = await tx.findByIdForUpdate(projectId, id);
      if (!existing) return null;
      apply(existing);
      return { entitlement: existing, changed: await tx.saveChange(existing, ctx) };
    });
  }

  /** Deletes one entitlement; the history keeps the deletion (and the last state). */
  async delete(projectId: string, id: string, ctx: ChangeContext): Promise<boolean> {
    return this.transaction(async (tx) => {
      const existing = await tx.findByIdForUpdate(projectId, id);
      if (existing) await tx.remove(existing, ctx);
      return existing !== null;
    });
  }

  async get(projectId: string, id: string): Promise<Entitlement | null> {
    return this.em.findOne(Entitlement, { projectId, id });
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
      .createQueryBuilder(Entitlement, 'e')
      .select('*')
      .where({ projectId, subjectId, ...entitledAt(at) })
      .orderBy({ createdAt: 'asc', id: 'asc' });
  }

  /** How many entitlements to the product are live at `at` (Entitlement.isLiveAt: they block deleting its offer). */
  async countLive(projectId: string, productId: string, at: Date = new Date()): Promise<number> {
    return countLive(this.em, projectId, productId, at);
  }

  /**
   * The first entitlement of the candidate's subject to its product that blocks buying it again
   * (Entitlement.blocksPurchaseOf: ACTIVE, validity overlapping the candidate's; with device-specific
   * products on, ones with a deviceId do not count).
   */
  findOverlapping(candidate: Entitlement, deviceSpecificProducts: boolean): Promise<Entitlement | null> {
    return findBlockingPurchase(this.em, candidate, deviceSpecificProducts);
  }

  /** Every entitlement of the project matching the conditions, by creation time then id (keyset). */
  async list(q: EntitlementListQuery): Promise<KeysetPage<Entitlement, [string, string]>> {
    const params: unknown[] = [q.projectId];
    const where = ['e.project_id = $1', ...sqlWhereOf(q.conditions ?? [], FIELDS, 'e', this.column, params)];
    if (q.after) {
      const at = `$${params.push(new Date(q.after[0]))}`;
      const id = `$${params.push(q.after[1])}`;
      where.push(`(e.created_at > ${at} or (e.created_at = ${at} and e.id > ${id}))`);
    }
    return keysetPage(
      q.limit,
      (take) =>
        this.read(
          `select e.* from entitlement e where ${where.join(' and ')} order by e.created_at asc, e.id asc limit $${params.push(take)}`,
          params,
        ),
      (last) => [last.createdAt.toISOString(), last.id],
    );
  }

  /** The project's entitlements matching the conditions, counted, and one page of them by OFFSET. */
  async countAndPage(q: EntitlementOffsetQuery): Promise<{ total: number; entitlements?: Entitlement[] }> {
    const params: unknown[] = [q.projectId];
    const where = ['e.project_id = $1', ...sqlWhereOf(q.conditions, FIELDS, 'e', this.column, params)].join(' and ');
    const [{ count }] = await directQuery(
      this.em,
      `select count(*)::int as count from entitlement e where ${where}`,
      params,
    );
    const total = Number(count);
    if (q.limit === 0) return { total };
    if (q.offset >= total) return { total, entitlements: [] };
    const order = sqlOrderByOf(withIdTieBreaker(q.sort), FIELDS, 'e', this.column).join(', ');
    const page = `limit $${params.push(q.limit)} offset $${params.push(q.offset)}`;
    return {
      total,
      entitlements: await this.read(`select e.* from entitlement e where ${where} order by ${order} ${page}`, params),
    };
  }

  /**
   * Lists read straight through the driver (rows become domain objects, never written back): the ORM's
   * hydration, identity map and change-tracking snapshots were most of a list's CPU.
   */
  private async read(sql: string, params: unknown[]): Promise<Entitlement[]> {
    return (await directQuery(this.em, sql, params)).map(entitlementFromRow);
  }

  /** The column of an entitlement property, from the ORM's metadata (one source of truth). */
  private readonly column = (property: string): string =>
    this.em.getMetadata().get(EntitlementSchema.meta.className).properties[property as never].fieldNames[0];

  /** Change events, newest first (keyset on the event id). */
  async history(q: HistoryQuery): Promise<KeysetPage<EntitlementEvent, string>> {
    const where: Record<string, unknown> = { projectId: q.projectId };
    if (q.subjectId !== undefined) where.subjectId = q.subjectId;
    if (q.productId !== undefined) where.productId = q.productId;
    if (q.entitlementId !== undefined) where.entitlementId = q.entitlementId;
    if (q.beforeId !== undefined) where.id = { $lt: q.beforeId };
    return keysetPage(
      q.limit,
      (take) => this.em.find(EntitlementEvent, where, { orderBy: { id: 'desc' }, limit: take }),
      (last) => String(last.id),
    );
  }
}
