/**
 * The entitlement: a subject's (Motto user, CRM account) right to the content of an offer or product,
 * for a validity window. One model, one table, for both API styles; each API maps its wire shape onto it
 * (README, "One entitlement store").
 */
export enum EntitlementStatus {
  /** CRM: SUBSCRIBED. */
  Active = 'ACTIVE',
  /** CRM: UNSUBSCRIBED; Motto: expiration_time set in the past. */
  Revoked = 'REVOKED',
}

/** Which API created the entitlement. */
export enum EntitlementOrigin {
  Motto = 'MOTTO',
  Crm = 'CRM',
}

export enum ValidityType {
  /** Rental duration and consumption window both start at purchase. */
  Absolute = 'ABSOLUTE',
  /** The consumption window starts at purchase; the rental duration at the first viewing. */
  Relative = 'RELATIVE',
}

export enum ProductType {
  Transactional = 'TRANSACTIONAL',
  Subscription = 'SUBSCRIPTION',
  Free = 'FREE',
  Capability = 'CAPABILITY',
  Ppv = 'PPV',
}

export class Entitlement {
  /** Generated (UUID) or, through the CRM gateway, chosen by the caller (`_id`); unique within a project. */
  id: string;
  projectId: string;
  /** Motto `user_id`, CRM `accountId`. */
  subjectId: string;
  /** Motto `offer_id`, CRM `productId`. */
  productId: string;
  /** Start of validity; absent: valid from creation. */
  validFrom?: Date;
  /** End of validity (exclusive); absent: never expires. Motto `expiration_time`, CRM `expiryDate`. */
  validUntil?: Date;
  status: EntitlementStatus;
  /** When the status last became REVOKED. */
  revokedAt?: Date;
  deviceId?: string;
  /** int64 as a decimal string; overrides the offer's limit. Absent: the offer's, or unlimited. */
  concurrencyLimit?: string;
  originCountryCode?: string;
  sourceType?: string;
  sourceId?: string;
  origin: EntitlementOrigin;
  // Fields the CRM gateway carries (absent for Motto-created entitlements):
  userId?: string;
  purchasedByDeviceId?: string;
  validityType?: ValidityType;
  productType?: ProductType;
  capabilityType?: string;
  isArchivable?: boolean;
  isFreemium?: boolean;
  /** RELATIVE validity: when the content was first played; the rental runs from here. */
  firstView?: Date;
  createdAt: Date;
  updatedAt: Date;

  constructor(init: Omit<Entitlement, 'createdAt' | 'updatedAt'> & { createdAt?: Date; updatedAt?: Date }) {
    Object.assign(this, init);
    const now = new Date();
    this.createdAt = init.createdAt ?? now;
    this.updatedAt = init.updatedAt ?? this.createdAt;
  }
}

/** The fields a change event records (before and after), as plain JSON. */
export type EntitlementRecord = Record<string, string | number | boolean | null>;

const RECORDED: (keyof Entitlement)[] = [
  'id', 'projectId', 'subjectId', 'productId', 'validFrom', 'validUntil', 'status', 'revokedAt', 'deviceId',
  'concurrencyLimit', 'originCountryCode', 'sourceType', 'sourceId', 'origin', 'userId', 'purchasedByDeviceId',
  'validityType', 'productType', 'capabilityType', 'isArchivable', 'isFreemium', 'firstView',
];

export function entitlementRecord(e: Entitlement): EntitlementRecord {
  const out: EntitlementRecord = {};
  for (const key of RECORDED) {
    const v = e[key];
    out[key] = v instanceof Date ? v.toISOString() : v === undefined ? null : v;
  }
  return out;
}

/** Names of the recorded fields whose values differ. */
export function changedFields(before: EntitlementRecord, after: EntitlementRecord): string[] {
  return RECORDED.filter((k) => before[k] !== after[k]);
}
