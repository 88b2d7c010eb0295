import { ChangedResourceKind, ChangeEventType, EntitlementOrigin, OutboxEvent, ResourceSnapshot } from '@app/domain';
import { randomUUID } from 'node:crypto';

/** Who changes a resource, through which API, in which request: recorded with every change and its event. */
export interface ChangeContext {
  actor: string;
  api: EntitlementOrigin;
  correlationId: string;
}

/**
 * The outbox row of one change. The stores persist it in the change's own transaction (EntitlementTx,
 * OfferStore), so no caller can change a resource without its event, nor emit an event for a change that
 * rolled back.
 */
export function outboxEvent(
  type: ChangeEventType,
  resource: { kind: ChangedResourceKind; id: string; projectId: string },
  before: ResourceSnapshot | null,
  after: ResourceSnapshot | null,
  ctx: ChangeContext,
): OutboxEvent {
  return Object.assign(new OutboxEvent(), {
    eventId: randomUUID(),
    type,
    projectId: resource.projectId,
    resourceKind: resource.kind,
    resourceId: resource.id,
    actor: ctx.actor,
    api: ctx.api,
    correlationId: ctx.correlationId,
    occurredAt: new Date(),
    before,
    after,
  });
}
