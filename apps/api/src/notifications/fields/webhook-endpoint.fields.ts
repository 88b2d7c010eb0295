import { CHANGE_EVENT_TYPES, ChangeEventType, DeliveryStatus, WebhookDelivery, WebhookEndpoint } from '@app/domain';
import { formatTimestamp } from '../../common/rfc3339';
import { readProjectId } from '../../motto/wire/project-id';
import { documentFields, WireField, WireShape } from '../../motto/wire/wire-fields';
import { WireReader } from '../../motto/wire/wire-reader';

/**
 * The webhook endpoint and its deliveries on the Motto-style wire, each field described once (see
 * WireField): the create and update readers, the response mappers and the schemas derive from these tables.
 */

const TIME = { type: String, format: 'date-time', example: '2026-11-29T12:00:00Z' } as const;
const OPTIONAL_TIME = { ...TIME, nullable: true } as const;
const ENDPOINT_ID_EXAMPLE = '5d1b7c1e-2f0a-4a8e-9b67-3c1f0e2a9d44';
export const MAX_URL_LENGTH = 2048;
export const MAX_DESCRIPTION_LENGTH = 1024;

function readEventTypes(r: WireReader, wire: string, required: boolean): ChangeEventType[] {
  if (!r.has(wire)) {
    if (required) r.fail(wire, `is required: a list of event types (${CHANGE_EVENT_TYPES.join(', ')})`);
    return [];
  }
  const types = r.stringList(wire, {
    maxItems: CHANGE_EVENT_TYPES.length,
    itemProblem: (t) =>
      (CHANGE_EVENT_TYPES as readonly string[]).includes(t)
        ? undefined
        : `must be one of ${CHANGE_EVENT_TYPES.join(', ')} (got ${JSON.stringify(t)})`,
  });
  if (Array.isArray(r.raw(wire)) && (r.raw(wire) as unknown[]).length === 0)
    r.fail(wire, 'must name at least one event type');
  return [...new Set(types)] as ChangeEventType[];
}

export const ENDPOINT_FIELDS = {
  id: {
    write: (e) => e.id,
    response: { type: String, example: ENDPOINT_ID_EXAMPLE },
  },
  project_id: {
    key: 'projectId',
    read: readProjectId,
    write: (e) => e.projectId,
    request: { type: String, required: true, example: 'rtt-show' },
    response: { type: String, example: 'rtt-show' },
    updatable: false,
  },
  url: {
    key: 'url',
    read: (r, wire, required) => r.string(wire, { min: 1, max: MAX_URL_LENGTH, required }),
    write: (e) => e.url,
    request: {
      type: String,
      required: true,
      example: 'https://drm.example.com/hooks/entitlements',
      maxLength: MAX_URL_LENGTH,
      description:
        'Where events are POSTed. https only, and it must not resolve to a loopback, private, link-local or metadata ' +
        'address (checked now and at every delivery).',
    },
    response: { type: String, example: 'https://drm.example.com/hooks/entitlements' },
  },
  description: {
    key: 'description',
    read: (r, wire) => r.string(wire, { max: MAX_DESCRIPTION_LENGTH }),
    write: (e) => e.description,
    request: { type: String, example: 'DRM licence server', maxLength: MAX_DESCRIPTION_LENGTH },
    response: { type: String, example: 'DRM licence server' },
  },
  event_types: {
    key: 'eventTypes',
    read: readEventTypes,
    write: (e) => e.eventTypes,
    request: {
      type: String,
      isArray: true,
      required: true,
      enum: CHANGE_EVENT_TYPES,
      enumName: 'ChangeEventType',
      example: ['entitlement.created', 'entitlement.revoked'],
      description: 'The event types to receive (at least one).',
    },
    response: { type: String, isArray: true, enum: CHANGE_EVENT_TYPES, enumName: 'ChangeEventType' },
  },
  enabled: {
    write: (e) => e.disabledAt === null,
    response: {
      type: Boolean,
      example: true,
      description: 'false: no events are delivered (disabled after failing for days, or by an update).',
    },
  },
  disabled_reason: {
    write: (e) => e.disabledReason ?? '',
    response: { type: String, example: '', description: 'Why the endpoint is disabled; empty when enabled.' },
  },
  failing_since: {
    write: (e) => (e.failingSince ? formatTimestamp(e.failingSince) : null),
    response: { ...OPTIONAL_TIME, description: 'First failed attempt since the last success; null: not failing.' },
  },
  previous_secret_expire_time: {
    write: (e) =>
      e.previousSecretExpiresAt && e.previousSecretExpiresAt > new Date()
        ? formatTimestamp(e.previousSecretExpiresAt)
        : null,
    response: {
      ...OPTIONAL_TIME,
      description: 'After a rotation: until when the previous secret signs too (a second signature); null otherwise.',
    },
  },
  create_time: { write: (e) => formatTimestamp(e.createdAt), response: TIME },
  update_time: { write: (e) => formatTimestamp(e.updatedAt), response: TIME },
} satisfies Record<string, WireField<WebhookEndpoint>>;

/** Body of POST /monetization/webhooks/v1/endpoints. */
export class CreateWebhookEndpointRequest {}
documentFields(CreateWebhookEndpointRequest, ENDPOINT_FIELDS, 'request');

export class WebhookEndpointDto {}
documentFields(WebhookEndpointDto, ENDPOINT_FIELDS, 'response');

export type WebhookEndpointWire = WireShape<typeof ENDPOINT_FIELDS>;

export const DELIVERY_FIELDS = {
  id: { write: (d) => String(d.id), response: { type: String, format: 'int64', example: '1042' } },
  endpoint_id: { write: (d) => d.endpointId, response: { type: String, example: ENDPOINT_ID_EXAMPLE } },
  event_id: {
    write: (d) => d.eventId,
    response: { type: String, example: '8f0c6f2e-4b7a-4d0e-b1f5-2a9c3e7d6b10', description: 'The webhook-id.' },
  },
  event_type: {
    write: (d) => d.eventType,
    response: { type: String, enum: CHANGE_EVENT_TYPES, enumName: 'ChangeEventType' },
  },
  resource: {
    write: (d) => d.resourceKey,
    response: { type: String, example: 'entitlement:3b7e...', description: '`<entitlement|offer>:<id>`.' },
  },
  status: {
    write: (d) => d.status,
    response: {
      enum: DeliveryStatus,
      enumName: 'WebhookDeliveryStatus',
      description: 'PENDING (to try, or being tried), DELIVERED (a 2xx answer), FAILED (for good).',
    },
  },
  attempts: { write: (d) => d.attempts, response: { type: Number, example: 1 } },
  last_status_code: {
    write: (d) => d.lastStatusCode,
    response: { type: Number, nullable: true, example: 200, description: 'null: no attempt yet, or no HTTP answer.' },
  },
  last_error: { write: (d) => d.lastError ?? '', response: { type: String, example: '' } },
  last_attempt_time: {
    write: (d) => (d.lastAttemptAt ? formatTimestamp(d.lastAttemptAt) : null),
    response: OPTIONAL_TIME,
  },
  next_attempt_time: {
    write: (d) => (d.status === DeliveryStatus.Pending ? formatTimestamp(d.nextAttemptAt) : null),
    response: { ...OPTIONAL_TIME, description: 'When the next attempt is due; null unless PENDING.' },
  },
  create_time: { write: (d) => formatTimestamp(d.createdAt), response: TIME },
  finish_time: {
    write: (d) => (d.finishedAt ? formatTimestamp(d.finishedAt) : null),
    response: { ...OPTIONAL_TIME, description: 'When it was delivered or failed for good.' },
  },
} satisfies Record<string, WireField<WebhookDelivery>>;

export class WebhookDeliveryDto {}
documentFields(WebhookDeliveryDto, DELIVERY_FIELDS, 'response');

export type WebhookDeliveryWire = WireShape<typeof DELIVERY_FIELDS>;
