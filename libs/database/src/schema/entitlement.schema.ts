import { PROJECT_REF } from './project-ref';
import { Entitlement, EntitlementEvent, EntitlementOrigin, EntitlementStatus } from '@app/domain';
import { BigIntType, EntitySchema } from '@mikro-orm/postgresql';

const ts = { type: 'Date', columnType: 'timestamptz(3)' } as const;
const optionalTs = { ...ts, nullable: true } as const;
const text = (length: number) => ({ type: 'string', length, nullable: true }) as const;

export const EntitlementSchema = new EntitySchema<Entitlement>({
  class: Entitlement,
  tableName: 'entitlement',
  properties: {
    // A foreign key to the project, kept as its id in the domain object.
    projectId: { ...PROJECT_REF, primary: true },
    id: { type: 'string', length: 128, primary: true },
    subjectId: { type: 'string', length: 256, fieldName: 'subject_id' },
    productId: { type: 'string', length: 256, fieldName: 'product_id' },
    validFrom: { ...optionalTs, fieldName: 'valid_from' },
    validUntil: { ...optionalTs, fieldName: 'valid_until' },
    status: { enum: true, items: () => EntitlementStatus },
    revokedAt: { ...optionalTs, fieldName: 'revoked_at' },
    deviceId: { ...text(256), fieldName: 'device_id' },
    concurrencyLimit: { type: new BigIntType('string'), nullable: true, fieldName: 'concurrency_limit' },
    originCountryCode: { type: 'string', columnType: 'char(2)', nullable: true, fieldName: 'origin_country_code' },
    sourceType: { ...text(64), fieldName: 'source_type' },
    sourceId: { ...text(256), fieldName: 'source_id' },
    origin: { enum: true, items: () => EntitlementOrigin },
    userId: { ...text(256), fieldName: 'user_id' },
    purchasedByDeviceId: { ...text(256), fieldName: 'purchased_by_device_id' },
    validityType: { ...text(16), fieldName: 'validity_type' },
    productType: { ...text(16), fieldName: 'product_type' },
    capabilityType: { ...text(128), fieldName: 'capability_type' },
    isArchivable: { type: 'boolean', nullable: true, fieldName: 'is_archivable' },
    isFreemium: { type: 'boolean', nullable: true, fieldName: 'is_freemium' },
    firstView: { ...optionalTs, fieldName: 'first_view' },
    createdAt: { ...ts, fieldName: 'created_at' },
    updatedAt: { ...ts, fieldName: 'updated_at' },
  },
  indexes: [
    {
      // The per-playback lookup: the active entitlements of one subject in one project.
      name: 'entitlement_active_subject_idx',
      expression:
        'create index "entitlement_active_subject_idx" on "entitlement" ("project_id", "subject_id", "valid_until") where "status" = \'ACTIVE\'',
    },
    { name: 'entitlement_project_created_idx', properties: ['projectId', 'createdAt', 'id'] },
    // One viewer's entitlements in any status (the access decision; a user's list in keyset order).
    { name: 'entitlement_subject_created_idx', properties: ['projectId', 'subjectId', 'createdAt', 'id'] },
    { name: 'entitlement_project_product_idx', properties: ['projectId', 'productId'] },
  ],
  checks: [
    { name: 'entitlement_concurrency_limit_check', expression: 'concurrency_limit is null or concurrency_limit >= 1' },
  ],
  uniques: [
    {
      // The Motto-style API's identity: (project, user, offer) among the entitlements it created.
      name: 'entitlement_motto_key',
      expression:
        'create unique index "entitlement_motto_key" on "entitlement" ("project_id", "subject_id", "product_id") where "origin" = \'MOTTO\'',
    },
  ],
});

export const EntitlementEventSchema = new EntitySchema<EntitlementEvent>({
  class: EntitlementEvent,
  tableName: 'entitlement_event',
  properties: {
    id: { type: new BigIntType('string'), primary: true, autoincrement: true },
    projectId: PROJECT_REF,
    entitlementId: { type: 'string', length: 128, fieldName: 'entitlement_id' },
    subjectId: { type: 'string', length: 256, fieldName: 'subject_id' },
    productId: { type: 'string', length: 256, fieldName: 'product_id' },
    kind: { type: 'string', length: 16 },
    before: { type: 'json', nullable: true },
    after: { type: 'json', nullable: true },
    changedFields: { type: 'string[]', fieldName: 'changed_fields' },
    actor: { type: 'string', length: 256 },
    api: { type: 'string', length: 8 },
    correlationId: { type: 'string', length: 128, fieldName: 'correlation_id' },
    occurredAt: { ...ts, fieldName: 'occurred_at' },
  },
  indexes: [
    { name: 'entitlement_event_subject_idx', properties: ['projectId', 'subjectId', 'productId', 'id'] },
    { name: 'entitlement_event_entitlement_idx', properties: ['projectId', 'entitlementId', 'id'] },
  ],
});
