import { Entitlement, EntitlementOrigin, entitlementRecord } from '../entitlements/entitlement';
import { EntitlementEventKind } from '../entitlements/entitlement-event';
import { Offer } from '../offers/offer';

/** The types of change events (webhooks, NATS subjects): `<resource>.<change>`. */
export enum ChangeEventType {
  EntitlementCreated = 'entitlement.created',
  EntitlementUpdated = 'entitlement.updated',
  EntitlementRevoked = 'entitlement.revoked',
  EntitlementDeleted = 'entitlement.deleted',
  OfferCreated = 'offer.created',
  OfferUpdated = 'offer.updated',
  OfferDeleted = 'offer.deleted',
}
export const CHANGE_EVENT_TYPES: readonly ChangeEventType[] = Object.values(ChangeEventType);

export type ChangedResourceKind = 'entitlement' | 'offer';

/** The event type of an entitlement history event. */
export const ENTITLEMENT_EVENT_TYPES: Readonly<Record<EntitlementEventKind, ChangeEventType>> = {
  [EntitlementEventKind.Created]: ChangeEventType.EntitlementCreated,
  [EntitlementEventKind.Updated]: ChangeEventType.EntitlementUpdated,
  [EntitlementEventKind.Revoked]: ChangeEventType.EntitlementRevoked,
  [EntitlementEventKind.Deleted]: ChangeEventType.EntitlementDeleted,
};

/** A resource's state as plain JSON (timestamps as ISO 8601 strings), as the outbox keeps it. */
export type ResourceSnapshot = Record<string, unknown>;

/**
 * One change to notify, written to the outbox in the same transaction as the change (so it commits with
 * it, or not at all). The dispatcher fans it out to webhook endpoints and publishes it to NATS.
 */
export class OutboxEvent {
  /** The outbox's sequence number (int64 string): increasing, but commits may land out of its order. */
  seq: string;
  /** Unique id of the event (UUID): `webhook-id`, the NATS msgID, for de-duplication by receivers. */
  eventId: string;
  type: ChangeEventType;
  projectId: string;
  resourceKind: ChangedResourceKind;
  resourceId: string;
  actor: string;
  api: EntitlementOrigin;
  correlationId: string;
  occurredAt: Date;
  before: ResourceSnapshot | null;
  after: ResourceSnapshot | null;
  /** When the dispatcher created the event's webhook deliveries; null: not yet. */
  fannedOutAt: Date | null = null;
  /** Still to be published to NATS (false once published, or when NATS is not configured). */
  natsPending = true;
}

const iso = (d: Date | undefined) => (d ? d.toISOString() : null);
const date = (v: unknown) => (typeof v === 'string' ? new Date(v) : undefined);

/** The entitlement as the outbox keeps it: its recorded fields and its timestamps. */
export function entitlementSnapshot(e: Entitlement): ResourceSnapshot {
  return { ...entitlementRecord(e), createdAt: iso(e.createdAt), updatedAt: iso(e.updatedAt) };
}

/** The entitlement a snapshot was taken of (to map it to a wire shape). */
export function entitlementFromSnapshot(s: ResourceSnapshot): Entitlement {
  const init: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(s)) if (v !== null) init[k] = v;
  for (const k of ['validFrom', 'validUntil', 'revokedAt', 'firstView', 'createdAt', 'updatedAt']) init[k] = date(s[k]);
  return new Entitlement(init as unknown as ConstructorParameters<typeof Entitlement>[0]);
}

/** The offer as the outbox keeps it (every field; JSON). */
export function offerSnapshot(o: Offer): ResourceSnapshot {
  const data: Omit<Offer, never> = {
    id: o.id,
    projectId: o.projectId,
    name: o.name,
    localizedTitle: o.localizedTitle,
    localizedDescription: o.localizedDescription,
    cleengOfferId: o.cleengOfferId,
    appliesToAll: o.appliesToAll,
    target: o.target,
    localizedLogoAssetId: o.localizedLogoAssetId,
    localizedImageAssetId: o.localizedImageAssetId,
    offerPrices: o.offerPrices,
    priority: o.priority,
    concurrencyLimit: o.concurrencyLimit,
    visibility: o.visibility,
    videoProtectionRulesetId: o.videoProtectionRulesetId,
    createdAt: o.createdAt,
    updatedAt: o.updatedAt,
  };
  return JSON.parse(JSON.stringify(data)) as ResourceSnapshot;
}

/** The offer a snapshot was taken of. */
export function offerFromSnapshot(s: ResourceSnapshot): Offer {
  const data = s as unknown as Offer & { target: Record<string, unknown> };
  return new Offer({
    ...data,
    concurrencyLimit: data.concurrencyLimit ?? undefined,
    target: {
      ...data.target,
      contentStartTime: date(data.target.contentStartTime),
      contentEndTime: date(data.target.contentEndTime),
    },
    createdAt: date(s.createdAt),
    updatedAt: date(s.updatedAt),
  });
}
