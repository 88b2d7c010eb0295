import { EntitlementOrigin, EntitlementRecord } from './entitlement';

export enum EntitlementEventKind {
  Created = 'CREATED',
  Updated = 'UPDATED',
  Revoked = 'REVOKED',
  Deleted = 'DELETED',
}

/**
 * One change to an entitlement, appended in the same transaction as the change. Never updated or deleted
 * (the database refuses it); a later outbox for change notifications reads these.
 */
export class EntitlementEvent {
  /** Increasing: the order of events. */
  id: string;
  projectId: string;
  entitlementId: string;
  subjectId: string;
  productId: string;
  kind: EntitlementEventKind;
  before: EntitlementRecord | null;
  after: EntitlementRecord | null;
  changedFields: string[];
  /** The token's subject. */
  actor: string;
  /** The API the change came through. */
  api: EntitlementOrigin;
  correlationId: string;
  occurredAt: Date;
}
