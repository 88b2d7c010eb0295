import { DomainError, Entitlement, EntitlementEvent, EntitlementOrigin, EntitlementRecord, EntitlementStatus, FieldViolation } from '@app/domain';
import { randomUUID } from 'node:crypto';
import { formatTimestamp } from '../common/rfc3339';
import { readableNames, readFields, writeFields } from '../motto/wire/wire-fields';
import { WireReader } from '../motto/wire/wire-reader';
import { EntitlementEventDto } from './dto/entitlement.dto';
import { ENTITLEMENT_FIELDS, EntitlementWire } from './fields/entitlement.fields';

/** The Motto-style upsert, read from the wire: the key and the fields it sets. */
export interface UpsertEntitlementInput {
  projectId: string;
  userId: string;
  offerId: string;
  expirationTime?: Date;
  concurrencyLimit?: string;
  originCountryCode?: string;
  sourceId?: string;
  sourceType?: string;
}

/** Reads and validates the upsert body, reporting every offending field with its path. */
export function readUpsertEntitlement(body: unknown): UpsertEntitlementInput {
  const violations: FieldViolation[] = [];
  const r = WireReader.of(body, '', readableNames(ENTITLEMENT_FIELDS), violations);
  if (!r) throw DomainError.invalidArgument([{ field: 'body', description: 'must be a JSON object' }]);
  const e = readFields(r, ENTITLEMENT_FIELDS, true);
  if (violations.length) throw DomainError.invalidArgument(violations);
  return {
    projectId: e.projectId!,
    userId: e.subjectId!,
    offerId: e.productId!,
    expirationTime: e.validUntil,
    concurrencyLimit: e.concurrencyLimit,
    originCountryCode: e.originCountryCode,
    sourceId: e.sourceId,
    sourceType: e.sourceType,
  };
}

/**
 * The Motto-managed fields of an entitlement from an upsert. The upsert carries the whole resource: a
 * field left out returns to its default (absent expiration: never expires). An expiration in the past
 * revokes.
 */
export function applyUpsert(e: Entitlement, input: UpsertEntitlementInput, now: Date): void {
  e.validUntil = input.expirationTime;
  e.status = input.expirationTime && input.expirationTime <= now ? EntitlementStatus.Revoked : EntitlementStatus.Active;
  e.concurrencyLimit = input.concurrencyLimit;
  e.originCountryCode = input.originCountryCode;
  e.sourceId = input.sourceId;
  e.sourceType = input.sourceType;
}

export function newMottoEntitlement(input: UpsertEntitlementInput, now: Date): Entitlement {
  const e = new Entitlement({
    id: randomUUID(),
    projectId: input.projectId,
    subjectId: input.userId,
    productId: input.offerId,
    status: EntitlementStatus.Active,
    origin: EntitlementOrigin.Motto,
    createdAt: now,
  });
  applyUpsert(e, input, now);
  if (e.status === EntitlementStatus.Revoked) e.revokedAt = now;
  return e;
}

/**
 * What the Motto-style API shows of any entitlement of the shared store, whichever API created it:
 * account = user, product = offer; a revoked entitlement expires when it was revoked (or earlier).
 */
export function expirationOf(e: Entitlement): Date | undefined {
  if (e.status !== EntitlementStatus.Revoked) return e.validUntil;
  if (e.revokedAt && (!e.validUntil || e.revokedAt < e.validUntil)) return e.revokedAt;
  return e.validUntil ?? e.updatedAt;
}

export function toEntitlementDto(e: Entitlement): EntitlementWire {
  return writeFields(e, ENTITLEMENT_FIELDS);
}

const snake = (key: string) => key.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);

function snakeRecord(record: EntitlementRecord | null): Record<string, unknown> | null {
  return record ? Object.fromEntries(Object.entries(record).map(([k, v]) => [snake(k), v])) : null;
}

export function toEntitlementEventDto(event: EntitlementEvent): EntitlementEventDto {
  return {
    id: String(event.id),
    entitlement_id: event.entitlementId,
    user_id: event.subjectId,
    offer_id: event.productId,
    kind: event.kind,
    before: snakeRecord(event.before),
    after: snakeRecord(event.after),
    changed_fields: event.changedFields.map(snake),
    actor: event.actor,
    api: event.api,
    correlation_id: event.correlationId,
    time: formatTimestamp(event.occurredAt),
  };
}
