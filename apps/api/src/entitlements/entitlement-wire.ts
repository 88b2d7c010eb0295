import {
  DomainError,
  Entitlement,
  EntitlementEvent,
  EntitlementRecord,
  FieldViolation,
  MottoKey,
  MottoTerms,
} from '@app/domain';
import { formatTimestamp } from '../common/rfc3339';
import { readableNames, readFields, writeFields } from '../motto/wire/wire-fields';
import { WireReader } from '../motto/wire/wire-reader';
import { EntitlementEventDto } from './dto/entitlement.dto';
import { ENTITLEMENT_FIELDS, EntitlementWire } from './fields/entitlement.fields';

/** The Motto-style upsert, read from the wire: the key and the terms it sets (the whole resource). */
export interface MottoUpsert {
  key: MottoKey;
  terms: MottoTerms;
}

/** Reads and validates the upsert body, reporting every offending field with its path. */
export function readUpsertEntitlement(body: unknown): MottoUpsert {
  const violations: FieldViolation[] = [];
  const r = WireReader.of(body, '', readableNames(ENTITLEMENT_FIELDS), violations);
  if (!r) throw DomainError.invalidArgument([{ field: 'body', description: 'must be a JSON object' }]);
  const e = readFields(r, ENTITLEMENT_FIELDS, true);
  if (violations.length) throw DomainError.invalidArgument(violations);
  return {
    key: { projectId: e.projectId!, subjectId: e.subjectId!, productId: e.productId! },
    terms: {
      validUntil: e.validUntil,
      concurrencyLimit: e.concurrencyLimit,
      originCountryCode: e.originCountryCode,
      sourceId: e.sourceId,
      sourceType: e.sourceType,
    },
  };
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
