import { Entitlement, EntitlementStatus } from '@app/domain';
import { EntityManager } from '@mikro-orm/postgresql';
import { Db, directQuery } from '../direct-query';
import { entitlementFromRow } from '../rows';

/**
 * The entitlement rules that must also run in SQL, as filters over many rows. Each is the SQL of a domain
 * method (libs/domain/src/entitlements: entitlement.ts, validity-window.ts), named beside it;
 * test/database/rules-agree.spec.ts runs both on one table of cases against PostgreSQL.
 */

/** SQL of `!entitlement.validity().hasEndedAt(at)`: the validity has not ended at `at` (an open end never does). */
export function notExpiredAt(at: Date) {
  return { $or: [{ validUntil: null }, { validUntil: { $gt: at } }] };
}

/** SQL of `entitlement.validity().hasStartedAt(at)`. */
function startedAt(at: Date) {
  return { $or: [{ validFrom: null }, { validFrom: { $lte: at } }] };
}

/**
 * SQL of `entitlement.isEntitledAt(at)` (no rental end, no device): ACTIVE and `validity().contains(at)`.
 * Served by the partial index entitlement_active_subject_idx (status = 'ACTIVE').
 */
export function entitledAt(at: Date) {
  return { status: EntitlementStatus.Active, $and: [notExpiredAt(at), startedAt(at)] };
}

/** SQL of `entitlement.isLiveAt(at)`: ACTIVE and not expired (it may not have begun). */
export function liveAt(at: Date) {
  return { status: EntitlementStatus.Active, ...notExpiredAt(at) };
}

/**
 * SQL of `existing.blocksPurchaseOf(candidate, deviceSpecificProducts)` over the candidate's subject and
 * product: the first entitlement that refuses buying it again (ACTIVE, its validity overlapping the
 * candidate's — `validity().overlaps(window)`: half-open windows, open bounds —, and with device-specific
 * products on, no deviceId), on `db` (the CRM create's transaction).
 */
export async function findBlockingPurchase(
  db: Db,
  candidate: Entitlement,
  deviceSpecificProducts: boolean,
): Promise<Entitlement | null> {
  const values: unknown[] = [candidate.projectId, candidate.subjectId, candidate.productId];
  const where = ['project_id = $1', 'subject_id = $2', 'product_id = $3', `status = '${EntitlementStatus.Active}'`];
  const window = candidate.validity();
  if (window.from) where.push(`(valid_until is null or valid_until > $${values.push(window.from)})`);
  if (window.until) where.push(`(valid_from is null or valid_from < $${values.push(window.until)})`);
  if (deviceSpecificProducts) where.push('device_id is null');
  const [row] = await directQuery(
    db,
    `select * from entitlement where ${where.join(' and ')} order by created_at asc, id asc limit 1`,
    values,
  );
  return row ? entitlementFromRow(row) : null;
}

/**
 * SQL of `entitlement.expiration()`, what the Motto-style API shows as expiration_time: valid_until; when
 * revoked, the earlier of valid_until and revoked_at (least() skips NULLs), else the last update.
 */
export const EXPIRATION_SQL = (a: string) =>
  `(case when ${a}.status = 'REVOKED' then coalesce(least(${a}.valid_until, ${a}.revoked_at), ${a}.updated_at) else ${a}.valid_until end)`;

/** How many entitlements to the product are live at `at` (they keep its offer from being deleted), on `em`'s connection. */
export function countLive(em: EntityManager, projectId: string, productId: string, at: Date): Promise<number> {
  return em.count(Entitlement, { projectId, productId, ...liveAt(at) });
}
