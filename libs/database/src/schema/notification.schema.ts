import { DeliveryStatus, OutboxEvent, WebhookDelivery, WebhookEndpoint } from '@app/domain';
import { BigIntType, EntitySchema } from '@mikro-orm/postgresql';

const ts = { type: 'Date', columnType: 'timestamptz(3)' } as const;
const optionalTs = { ...ts, nullable: true } as const;

/**
 * The transactional outbox: one row per change, written in the change's transaction. No foreign keys:
 * an event outlives its resource (and its project).
 */
export const OutboxEventSchema = new EntitySchema<OutboxEvent>({
  class: OutboxEvent,
  tableName: 'outbox_event',
  properties: {
    seq: { type: new BigIntType('string'), primary: true, autoincrement: true },
    eventId: { type: 'uuid', fieldName: 'event_id', unique: 'outbox_event_event_id_key' },
    type: { type: 'string', length: 32 },
    projectId: { type: 'string', length: 63, fieldName: 'project_id' },
    resourceKind: { type: 'string', length: 16, fieldName: 'resource_kind' },
    resourceId: { type: 'string', length: 128, fieldName: 'resource_id' },
    actor: { type: 'string', length: 256 },
    api: { type: 'string', length: 8 },
    correlationId: { type: 'string', length: 128, fieldName: 'correlation_id' },
    occurredAt: { ...ts, fieldName: 'occurred_at' },
    before: { type: 'json', nullable: true },
    after: { type: 'json', nullable: true },
    fannedOutAt: { ...optionalTs, fieldName: 'fanned_out_at' },
    natsPending: { type: 'boolean', fieldName: 'nats_pending', default: true },
  },
  indexes: [
    // The dispatcher's queues: rows not yet fanned out / not yet published, whatever their sequence number.
    {
      name: 'outbox_event_fan_out_idx',
      expression: 'create index "outbox_event_fan_out_idx" on "outbox_event" ("seq") where "fanned_out_at" is null',
    },
    {
      name: 'outbox_event_nats_idx',
      expression: 'create index "outbox_event_nats_idx" on "outbox_event" ("seq") where "nats_pending"',
    },
  ],
});

export const WebhookEndpointSchema = new EntitySchema<WebhookEndpoint>({
  class: WebhookEndpoint,
  tableName: 'webhook_endpoint',
  properties: {
    id: { type: 'uuid', primary: true },
    projectId: { type: 'string', length: 63, fieldName: 'project_id' },
    url: { type: 'string', length: 2048 },
    description: { type: 'string', length: 1024 },
    eventTypes: { type: 'string[]', fieldName: 'event_types' },
    secret: { type: 'string', length: 128 },
    previousSecret: { type: 'string', length: 128, nullable: true, fieldName: 'previous_secret' },
    previousSecretExpiresAt: { ...optionalTs, fieldName: 'previous_secret_expires_at' },
    disabledAt: { ...optionalTs, fieldName: 'disabled_at' },
    disabledReason: { type: 'string', length: 512, nullable: true, fieldName: 'disabled_reason' },
    failingSince: { ...optionalTs, fieldName: 'failing_since' },
    createdAt: { ...ts, fieldName: 'created_at' },
    updatedAt: { ...ts, fieldName: 'updated_at' },
  },
  indexes: [{ name: 'webhook_endpoint_project_idx', properties: ['projectId', 'createdAt', 'id'] }],
});

export const WebhookDeliverySchema = new EntitySchema<WebhookDelivery>({
  class: WebhookDelivery,
  tableName: 'webhook_delivery',
  properties: {
    id: { type: new BigIntType('string'), primary: true, autoincrement: true },
    endpointId: {
      kind: 'm:1',
      entity: () => WebhookEndpoint,
      mapToPk: true,
      fieldName: 'endpoint_id',
      deleteRule: 'cascade',
      updateRule: 'no action',
    },
    eventSeq: { type: new BigIntType('string'), fieldName: 'event_seq' },
    eventId: { type: 'uuid', fieldName: 'event_id' },
    eventType: { type: 'string', length: 32, fieldName: 'event_type' },
    resourceKey: { type: 'string', length: 160, fieldName: 'resource_key' },
    status: { enum: true, items: () => DeliveryStatus },
    attempts: { type: 'integer', default: 0 },
    nextAttemptAt: { ...ts, fieldName: 'next_attempt_at' },
    lastAttemptAt: { ...optionalTs, fieldName: 'last_attempt_at' },
    lastStatusCode: { type: 'integer', nullable: true, fieldName: 'last_status_code' },
    lastError: { type: 'string', length: 1024, nullable: true, fieldName: 'last_error' },
    createdAt: { ...ts, fieldName: 'created_at' },
    finishedAt: { ...optionalTs, fieldName: 'finished_at' },
  },
  indexes: [
    {
      // The claim: pending deliveries that are due.
      name: 'webhook_delivery_due_idx',
      expression:
        'create index "webhook_delivery_due_idx" on "webhook_delivery" ("next_attempt_at") where "status" = \'PENDING\'',
    },
    {
      // The order rule: is an earlier delivery of the same resource to the same endpoint still pending?
      name: 'webhook_delivery_order_idx',
      expression:
        'create index "webhook_delivery_order_idx" on "webhook_delivery" ("endpoint_id", "resource_key", "event_seq") where "status" = \'PENDING\'',
    },
    // The delivery log of an endpoint, newest first.
    { name: 'webhook_delivery_endpoint_idx', properties: ['endpointId', 'id'] },
  ],
});
