import { COUNTRY_CODE_DESCRIPTION, Entitlement, isCountryCode } from '@app/domain';
import { formatTimestamp } from '../../common/rfc3339';
import { documentFields, WireField, WireShape } from '../../motto/wire/wire-fields';
import { WireReader } from '../../motto/wire/wire-reader';

/**
 * The entitlement on the Motto-style wire, each field described once (see WireField): the upsert reader,
 * the response mapper and the request and response schemas derive from this table. The upsert carries the
 * whole resource: a field left out (or null) returns to its default.
 */

const TIME = { type: String, format: 'date-time', example: '2026-11-23T12:00:00Z' } as const;
const OFFER_ID_EXAMPLE = '0f5c2a1e-6a8b-4a71-9a53-0c1b8a0e2d11';

/** Empty strings read as absent: the protobuf default of an optional text. */
const optionalText = (max: number) => (r: WireReader, wire: string) => r.string(wire, { max }) || undefined;

function readCountry(r: WireReader, wire: string): string | undefined {
  const country = r.string(wire, { max: 2 });
  if (country && !isCountryCode(country)) r.fail(wire, COUNTRY_CODE_DESCRIPTION);
  else if (country) return country;
  return undefined;
}

export const ENTITLEMENT_FIELDS = {
  project_id: {
    key: 'projectId',
    read: (r, wire) => r.string(wire, { min: 1, max: 63, required: true }),
    write: (e) => e.projectId,
    request: { type: String, required: true, example: 'rtt-show' },
    response: { type: String, example: 'rtt-show' },
  },
  user_id: {
    key: 'subjectId',
    read: (r, wire) => r.string(wire, { min: 1, max: 256, required: true }),
    write: (e) => e.subjectId,
    request: {
      type: String,
      required: true,
      example: 'user-8d2f',
      minLength: 1,
      maxLength: 256,
      description: "The user id carried in the end user's JWT on the content-delivery side.",
    },
    response: { type: String, example: 'user-8d2f' },
  },
  offer_id: {
    key: 'productId',
    read: (r, wire) => r.string(wire, { min: 1, max: 256, required: true }),
    write: (e) => e.productId,
    request: {
      type: String,
      required: true,
      example: OFFER_ID_EXAMPLE,
      description: 'The offer the user is entitled to; must exist in the project.',
    },
    response: { type: String, example: OFFER_ID_EXAMPLE },
  },
  expiration_time: {
    key: 'validUntil',
    read: (r, wire) => r.timestamp(wire),
    write: (e) => {
      const expiration = e.expiration();
      return expiration ? formatTimestamp(expiration) : null;
    },
    request: {
      type: String,
      example: '2027-01-01T00:00:00Z',
      format: 'date-time',
      description: 'Absent: never expires. In the past: revokes the entitlement.',
    },
    response: {
      type: String,
      format: 'date-time',
      nullable: true,
      example: '2027-01-01T00:00:00Z',
      description: 'null: never expires. For a revoked entitlement: when it was revoked (or its earlier expiry).',
    },
  },
  concurrency_limit: {
    key: 'concurrencyLimit',
    read: (r, wire) => r.int64(wire, { min: 1n }),
    write: (e) => e.concurrencyLimit ?? null,
    request: {
      type: String,
      format: 'int64',
      example: '2',
      description:
        "Devices that may stream at once; overrides the offer's limit. At least 1. Absent: the offer's limit.",
    },
    response: {
      type: String,
      format: 'int64',
      nullable: true,
      example: '2',
      description: "null: the offer's limit applies.",
    },
  },
  origin_country_code: {
    key: 'originCountryCode',
    read: readCountry,
    write: (e) => e.originCountryCode ?? '',
    request: {
      type: String,
      example: 'DE',
      description: 'ISO 3166-1 alpha-2 country where the user obtained the entitlement (EU portability).',
    },
    response: { type: String, example: 'DE', description: 'Empty when unknown.' },
  },
  source_id: {
    key: 'sourceId',
    read: optionalText(256),
    write: (e) => e.sourceId ?? '',
    request: { type: String, example: 'cleeng-tx-88421', maxLength: 256 },
    response: { type: String, example: 'cleeng-tx-88421' },
  },
  source_type: {
    key: 'sourceType',
    read: optionalText(64),
    write: (e) => e.sourceType ?? '',
    request: { type: String, example: 'cleeng', maxLength: 64 },
    response: { type: String, example: 'cleeng' },
  },
  create_time: { write: (e) => formatTimestamp(e.createdAt), response: TIME },
  update_time: { write: (e) => formatTimestamp(e.updatedAt), response: TIME },
} satisfies Record<string, WireField<Entitlement>>;

/** Body of POST /monetization/entitlements/v1 (protobuf-JSON), read by readUpsertEntitlement. */
export class UpsertEntitlementRequest {}
documentFields(UpsertEntitlementRequest, ENTITLEMENT_FIELDS, 'request');

/** The entitlement as the Motto-style API shows it, whichever API created it. */
export class EntitlementDto {}
documentFields(EntitlementDto, ENTITLEMENT_FIELDS, 'response');

export type EntitlementWire = WireShape<typeof ENTITLEMENT_FIELDS>;
