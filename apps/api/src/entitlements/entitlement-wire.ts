import {
  DomainError,
  Entitlement,
  EntitlementEvent,
  EntitlementRecord,
  FieldViolation,
} from '@app/domain';
import { COUNTRY_CODE_DESCRIPTION, isCountryCode } from '@app/domain/common/codes';
import { formatTimestamp } from '@app/domain/common/timestamp';
import { WireReader } from '@app/domain/common/wire-reader';
import { EntitlementDto, EntitlementEventDto } from './dto/entitlement.dto';

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

const UPSERT_FIELDS = ['project_id', 'user_id', 'offer_id', 'expiration_time', 'concurrency_limit', 'origin_country_code', 'source_id', 'source_type'];

/** Reads and validates the upsert body, reporting every offending field with its path. */
export function readUpsertEntitlement(body: unknown): UpsertEntitlementInput {
  const violations: FieldViolation[] = [];
  const r = WireReader.of(body, '', UPSERT_FIELDS, violations);
  if (!r) throw DomainError.invalidArgument([{ field: 'body', description: 'must be a JSON object' }]);
  const input: UpsertEntitlementInput = {
    projectId: r.string('project_id', { min: 1, max: 63, required: true }),
    userId: r.string('user_id', { min: 1, max: 256, required: true }),
    offerId: r.string('offer_id', { min: 1, max: 256, required: true }),
    expirationTime: r.timestamp('expiration_time'),
    concurrencyLimit: r.int64('concurrency_limit', { min: 1n }),
    sourceId: r.string('source_id', { max: 256 }) || undefined,
    sourceType: r.string('source_type', { max: 64 }) || undefined,
  };
  const country = r.string('origin_country_code', { max: 2 });
  if (country && !isCountryCode(country)) r.fail('origin_country_code', COUNTRY_CODE_DESCRIPTION);
  else if (country) input.originCountryCode = country;
  if (violations.length) throw DomainError.invalidArgument(violations);
  return input;
}

export function toEntitlementDto(e: Entitlement): EntitlementDto {
  const expiration = e.expiration();
  return {
    project_id: e.projectId,
    user_id: e.subjectId,
    offer_id: e.productId,
    expiration_time: expiration ? formatTimestamp(expiration) : null,
    concurrency_limit: e.concurrencyLimit ?? null,
    origin_country_code: e.originCountryCode ?? '',
    source_id: e.sourceId ?? '',
    source_type: e.sourceType ?? '',
    create_time: formatTimestamp(e.createdAt),
    update_time: formatTimestamp(e.updatedAt),
  };
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
