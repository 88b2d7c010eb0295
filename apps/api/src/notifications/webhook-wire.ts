import { ChangeEventType, DomainError, FieldViolation, WebhookDelivery, WebhookEndpoint } from '@app/domain';
import { maskPaths } from '../motto/wire/field-mask';
import { quoted } from '../motto/wire/wire';
import { readableNames, readFields, writeFields } from '../motto/wire/wire-fields';
import { WireReader } from '../motto/wire/wire-reader';
import {
  DELIVERY_FIELDS,
  ENDPOINT_FIELDS,
  WebhookDeliveryWire,
  WebhookEndpointWire,
} from './fields/webhook-endpoint.fields';

export interface NewEndpointInput {
  projectId: string;
  url: string;
  description: string;
  eventTypes: ChangeEventType[];
}

/** What an update changes (only the fields named). */
export interface EndpointChange {
  url?: string;
  description?: string;
  eventTypes?: ChangeEventType[];
  enabled?: boolean;
}

const UPDATABLE = ['url', 'description', 'event_types', 'enabled'];

function objectOf(body: unknown, known: string[], violations: FieldViolation[]): WireReader {
  const r = WireReader.of(body, '', known, violations);
  if (!r) throw DomainError.invalidArgument([{ field: 'body', description: 'must be a JSON object' }]);
  return r;
}

/** Reads the create body, reporting every offending field. */
export function readCreateEndpoint(body: unknown): NewEndpointInput {
  const violations: FieldViolation[] = [];
  const r = objectOf(body, readableNames(ENDPOINT_FIELDS), violations);
  const e = readFields(r, ENDPOINT_FIELDS, true);
  if (violations.length) throw DomainError.invalidArgument(violations);
  return { projectId: e.projectId!, url: e.url!, description: e.description ?? '', eventTypes: e.eventTypes! };
}

/** Reads `{"endpoint": {...}, "update_mask": "url,enabled"}`; an empty mask changes the fields present. */
export function readEndpointChange(body: unknown): EndpointChange {
  const violations: FieldViolation[] = [];
  const r = objectOf(body, ['endpoint', 'update_mask', 'project_id'], violations);
  const rawMask = r.string('update_mask', { max: 1000 });
  const endpoint = r.object('endpoint', UPDATABLE);
  if (!endpoint && !violations.some((v) => v.field === 'endpoint')) r.fail('endpoint', 'is required');
  const given = endpoint ? readFields(endpoint, ENDPOINT_FIELDS, false) : {};
  const enabled = endpoint?.boolean('enabled');
  const paths = maskPaths(rawMask);
  for (const p of paths) {
    if (!UPDATABLE.includes(p)) {
      r.fail('update_mask', `${quoted(p)} is not an updatable field (updatable: ${UPDATABLE.join(', ')})`);
    } else if (!endpoint?.has(p)) {
      violations.push({ field: `endpoint.${p}`, description: 'is in update_mask but not given' });
    }
  }
  if (endpoint?.has('url') && !given.url) violations.push({ field: 'endpoint.url', description: 'must not be empty' });
  if (violations.length) throw DomainError.invalidArgument(violations);
  const named = paths.length ? paths : UPDATABLE.filter((p) => endpoint?.has(p));
  const change: EndpointChange = {};
  if (named.includes('url')) change.url = given.url;
  if (named.includes('description')) change.description = given.description;
  if (named.includes('event_types')) change.eventTypes = given.eventTypes;
  if (named.includes('enabled')) change.enabled = enabled;
  return change;
}

/** `{"project_id"}` of the rotate-secret and redeliver calls. */
export function readProjectBody(body: unknown): string {
  const violations: FieldViolation[] = [];
  const r = objectOf(body ?? {}, ['project_id'], violations);
  const projectId = r.string('project_id', { min: 1, max: 63, required: true });
  if (violations.length) throw DomainError.invalidArgument(violations);
  return projectId;
}

export function toEndpointDto(e: WebhookEndpoint): WebhookEndpointWire {
  return writeFields(e, ENDPOINT_FIELDS);
}

export function toDeliveryDto(d: WebhookDelivery): WebhookDeliveryWire {
  return writeFields(d, DELIVERY_FIELDS);
}
