import { ClaimedDelivery } from '@app/database';
import { entitlementFromSnapshot, offerFromSnapshot, ResourceSnapshot } from '@app/domain';
import { formatTimestamp } from '../common/rfc3339';
import { toEntitlementDto } from '../entitlements/entitlement-wire';
import { toOfferDto } from '../offers/offer-wire';

type OutboxEventData = ClaimedDelivery['event'];

/** The resource of an event in the Motto wire shape (the entitlement or offer as the Motto-style API shows it). */
function wireOf(event: OutboxEventData, snapshot: ResourceSnapshot | null): unknown {
  if (!snapshot) return null;
  return event.resourceKind === 'entitlement'
    ? toEntitlementDto(entitlementFromSnapshot(snapshot))
    : toOfferDto(offerFromSnapshot(snapshot));
}

/**
 * The JSON body of an event (webhooks and NATS alike; schema ChangeEvent in openapi.yaml). Built from the
 * outbox row alone, so every attempt and every endpoint gets the same bytes. A body over `maxBytes` goes
 * without the resource (`truncated: true`, before and after null): read it through the API.
 */
export function eventBody(event: OutboxEventData, maxBytes: number): string {
  const envelope = {
    id: event.eventId,
    type: event.type,
    project_id: event.projectId,
    resource_id: event.resourceId,
    occurred_time: formatTimestamp(event.occurredAt),
    correlation_id: event.correlationId,
    actor: event.actor,
    api: event.api,
  };
  const full = JSON.stringify({
    ...envelope,
    truncated: false,
    data: { before: wireOf(event, event.before), after: wireOf(event, event.after) },
  });
  if (Buffer.byteLength(full) <= maxBytes) return full;
  return JSON.stringify({ ...envelope, truncated: true, data: { before: null, after: null } });
}
