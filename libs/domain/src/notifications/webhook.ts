import { ChangeEventType } from './change-event';

/** A receiver of change notifications: an HTTPS URL, the event types it wants, its signing secret. */
export class WebhookEndpoint {
  id: string;
  projectId: string;
  url: string;
  description: string;
  eventTypes: ChangeEventType[];
  /** `whsec_<base64>`: the Standard Webhooks signing secret. */
  secret: string;
  /** The secret before the last rotation: still signs (second signature) until previousSecretExpiresAt. */
  previousSecret: string | null = null;
  previousSecretExpiresAt: Date | null = null;
  /** Set by the dispatcher when the endpoint kept failing; an update with `enabled: true` clears it. */
  disabledAt: Date | null = null;
  disabledReason: string | null = null;
  /** First failure since the last success (null: not failing). */
  failingSince: Date | null = null;
  createdAt: Date;
  updatedAt: Date;
}

export enum DeliveryStatus {
  Pending = 'PENDING',
  Delivered = 'DELIVERED',
  Failed = 'FAILED',
}

/** One event to deliver to one endpoint, with its attempts so far. */
export class WebhookDelivery {
  /** int64 string. */
  id: string;
  endpointId: string;
  /** The outbox sequence number of the event: orders the deliveries of one resource. */
  eventSeq: string;
  eventId: string;
  eventType: ChangeEventType;
  /** `<kind>:<id>` of the changed resource: deliveries of one key go out in eventSeq order. */
  resourceKey: string;
  status: DeliveryStatus;
  attempts: number;
  nextAttemptAt: Date;
  lastAttemptAt: Date | null = null;
  lastStatusCode: number | null = null;
  lastError: string | null = null;
  createdAt: Date;
  finishedAt: Date | null = null;
}
