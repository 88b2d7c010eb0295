import { EntitlementField } from '@app/database';
import {
  DomainError,
  Entitlement,
  EntitlementOrigin,
  EntitlementStatus,
  FieldViolation,
  ProductType,
  ValidityType,
} from '@app/domain';
import { randomUUID } from 'node:crypto';
import { CreateCrmEntitlementRequest } from './dto/create-crm-entitlement.request';
import { CrmEntitlementDto, CrmEntitlementStatus } from './dto/crm-entitlement.response';
import { UpdateCrmEntitlementRequest } from './dto/update-crm-entitlement.request';
import { parseCrmDateTime } from './crm-validators';
import { FilterCatalog, FilterField } from './mongo-filter';

/**
 * The one place where the CRM gateway's wire shape meets the shared Entitlement (README, "CRM gateway"):
 *
 *   _id = id, accountId = subjectId (Motto user_id), productId = productId (Motto offer_id),
 *   expiryDate = validUntil, status SUBSCRIBED/UNSUBSCRIBED = ACTIVE/REVOKED, created = createdAt,
 *   modified = updatedAt; the other fields keep their names.
 *
 * Entitlements created through the Motto-style API show validFrom = created when they have no start, no
 * expiryDate when they never expire, and omit the CRM-only fields (validityType, productType, ...).
 */

export const STATUS_TO_DOMAIN: Readonly<Record<CrmEntitlementStatus, EntitlementStatus>> = {
  [CrmEntitlementStatus.Subscribed]: EntitlementStatus.Active,
  [CrmEntitlementStatus.Unsubscribed]: EntitlementStatus.Revoked,
};

export function crmStatusOf(status: EntitlementStatus): CrmEntitlementStatus {
  return status === EntitlementStatus.Active ? CrmEntitlementStatus.Subscribed : CrmEntitlementStatus.Unsubscribed;
}

/** Every field of the wire shape, in the order of the response. */
export const CRM_FIELD_NAMES = [
  '_id',
  'productId',
  'accountId',
  'userId',
  'deviceId',
  'purchasedByDeviceId',
  'validityType',
  'productType',
  'capabilityType',
  'validFrom',
  'expiryDate',
  'status',
  'isArchivable',
  'isFreemium',
  'firstView',
  'created',
  'modified',
] as const satisfies readonly (keyof CrmEntitlementDto)[];
export type CrmFieldName = (typeof CRM_FIELD_NAMES)[number];

type Field = FilterField<EntitlementField>;
const text = (field: EntitlementField, nullable: boolean, maxLength: number): Field => ({
  field,
  type: 'string',
  nullable,
  maxLength,
});
const date = (field: EntitlementField, nullable: boolean): Field => ({ field, type: 'date', nullable });
const bool = (field: EntitlementField): Field => ({ field, type: 'boolean', nullable: true });

/**
 * The entitlement field each wire field shows, for filter and sort (the store owns columns and SQL).
 * validityType and productType filter as plain strings (an unknown value simply matches nothing), status
 * only by its two wire values. validFrom is never absent on the wire: the store's `validFrom` reads a
 * missing start as the creation time, as the wire shows it.
 */
export const CRM_FIELDS: FilterCatalog<EntitlementField> = new Map<CrmFieldName, Field>([
  ['_id', text('id', false, 128)],
  ['productId', text('productId', false, 256)],
  ['accountId', text('subjectId', false, 256)],
  ['userId', text('userId', true, 256)],
  ['deviceId', text('deviceId', true, 256)],
  ['purchasedByDeviceId', text('purchasedByDeviceId', true, 256)],
  ['validityType', text('validityType', true, 16)],
  ['productType', text('productType', true, 16)],
  ['capabilityType', text('capabilityType', true, 128)],
  ['validFrom', date('validFrom', false)],
  ['expiryDate', date('validUntil', true)],
  ['status', { field: 'status', type: 'enum', nullable: false, values: STATUS_TO_DOMAIN }],
  ['isArchivable', bool('isArchivable')],
  ['isFreemium', bool('isFreemium')],
  ['firstView', date('firstView', true)],
  ['created', date('createdAt', false)],
  ['modified', date('updatedAt', false)],
]);

const iso = (d: Date | undefined | null): string | undefined => (d ? d.toISOString() : undefined);

/** The wire shape of any entitlement of the store; absent values are omitted. */
export function toCrmEntitlementDto(e: Entitlement): CrmEntitlementDto {
  const dto: CrmEntitlementDto = {
    _id: e.id,
    productId: e.productId,
    accountId: e.subjectId,
    userId: e.userId ?? undefined,
    deviceId: e.deviceId ?? undefined,
    purchasedByDeviceId: e.purchasedByDeviceId ?? undefined,
    validityType: e.validityType ?? undefined,
    productType: e.productType ?? undefined,
    capabilityType: e.capabilityType ?? undefined,
    validFrom: iso(e.validFrom ?? e.createdAt),
    expiryDate: iso(e.validUntil),
    status: crmStatusOf(e.status),
    isArchivable: e.isArchivable ?? undefined,
    isFreemium: e.isFreemium ?? undefined,
    firstView: iso(e.firstView),
    created: iso(e.createdAt),
    modified: iso(e.updatedAt),
  };
  for (const key of CRM_FIELD_NAMES) if (dto[key] === undefined) delete dto[key];
  return dto;
}

/** Only the named fields (`_id` always). */
export function projectFields(
  dto: CrmEntitlementDto,
  fields: readonly string[] | undefined,
): Partial<CrmEntitlementDto> {
  if (!fields) return dto;
  const out: Partial<CrmEntitlementDto> = { _id: dto._id };
  for (const key of CRM_FIELD_NAMES)
    if (fields.includes(key) && dto[key] !== undefined) (out as Record<string, unknown>)[key] = dto[key];
  return out;
}

/** A new entitlement from a validated create body; the cross-field rules are checked here. */
export function newCrmEntitlement(projectId: string, body: CreateCrmEntitlementRequest, now = new Date()): Entitlement {
  const e = new Entitlement({
    id: body._id ?? randomUUID(),
    projectId,
    subjectId: body.accountId,
    productId: body.productId,
    validFrom: parseCrmDateTime(body.validFrom),
    validUntil: parseCrmDateTime(body.expiryDate),
    status: EntitlementStatus.Active,
    origin: EntitlementOrigin.Crm,
    validityType: body.validityType,
    productType: body.productType,
    capabilityType: body.capabilityType ?? undefined,
    deviceId: body.deviceId ?? undefined,
    userId: body.userId ?? undefined,
    purchasedByDeviceId: body.purchasedByDeviceId ?? undefined,
    isArchivable: body.isArchivable ?? undefined,
    isFreemium: body.isFreemium ?? undefined,
    createdAt: now,
  });
  checkCrmRules(e, new Set(['validFrom', 'expiryDate', 'productType', 'capabilityType', 'validityType']));
  return e;
}

/** Sets an optional property; null clears it (stored NULL). */
function setOptional<K extends keyof Entitlement>(
  e: Entitlement,
  key: K,
  value: Entitlement[K] | null | undefined,
): void {
  if (value === undefined) return;
  (e as unknown as Record<string, unknown>)[key] = value;
}

/**
 * The change of a validated PUT body, for EntitlementStore.update: applies the fields given, then checks
 * the rules on the merged state (throwing an invalid-argument DomainError: the store then changes nothing).
 */
export function crmUpdate(body: UpdateCrmEntitlementRequest): (e: Entitlement) => void {
  const given = new Set(Object.keys(body).filter((k) => (body as Record<string, unknown>)[k] !== undefined));
  if (given.size === 0) throw DomainError.invalidField('body', 'must name at least one field to change');
  const dateOrNull = (v: string | null | undefined) =>
    v === null ? null : v === undefined ? undefined : parseCrmDateTime(v);
  return (e) => {
    // revoke() / restore(): the entitlement keeps its revocation time in one place.
    if (body.status !== undefined) e.setStatus(STATUS_TO_DOMAIN[body.status], new Date());
    setOptional(e, 'validUntil', dateOrNull(body.expiryDate));
    setOptional(e, 'validFrom', dateOrNull(body.validFrom));
    setOptional(e, 'validityType', body.validityType);
    setOptional(e, 'productType', body.productType);
    setOptional(e, 'capabilityType', body.capabilityType);
    setOptional(e, 'deviceId', body.deviceId);
    setOptional(e, 'userId', body.userId);
    setOptional(e, 'purchasedByDeviceId', body.purchasedByDeviceId);
    setOptional(e, 'isArchivable', body.isArchivable);
    setOptional(e, 'isFreemium', body.isFreemium);
    setOptional(e, 'firstView', dateOrNull(body.firstView));
    checkCrmRules(e, given);
  };
}

/**
 * The CRM rules on an entitlement's (merged) state, for the rules that involve a field in `touched`
 * (so an update of one field is not refused for an older, unrelated state of another).
 */
export function checkCrmRules(e: Entitlement, touched: ReadonlySet<string>): void {
  const violations: FieldViolation[] = [];
  const from = e.validFrom ?? e.createdAt;
  if ((touched.has('validFrom') || touched.has('expiryDate')) && e.validUntil && from >= e.validUntil) {
    const field = touched.has('expiryDate') ? 'expiryDate' : 'validFrom';
    violations.push({
      field,
      description: `validFrom (${from.toISOString()}) must be before expiryDate (${e.validUntil.toISOString()})`,
    });
  }
  if (touched.has('productType') || touched.has('capabilityType')) {
    if (e.productType === ProductType.Capability && !e.capabilityType) {
      violations.push({ field: 'capabilityType', description: 'required when productType is CAPABILITY' });
    } else if (e.productType !== ProductType.Capability && e.capabilityType) {
      violations.push({
        field: 'capabilityType',
        description: `only allowed when productType is CAPABILITY (productType is ${e.productType ?? 'absent'})`,
      });
    }
  }
  if (
    (touched.has('firstView') || touched.has('validityType')) &&
    e.firstView &&
    e.validityType !== ValidityType.Relative
  ) {
    violations.push({
      field: 'firstView',
      description: `only RELATIVE entitlements have a first view (validityType is ${e.validityType ?? 'absent'})`,
    });
  }
  if (violations.length) throw DomainError.invalidArgument(violations);
}
