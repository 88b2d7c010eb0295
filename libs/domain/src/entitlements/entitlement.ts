import { randomUUID } from 'node:crypto';
import { ValidityWindow } from './validity-window';

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

  constructor(init: EntitlementInit) {
    Object.assign(this, init);
    const now = new Date();
    this.createdAt = init.createdAt ?? now;
    this.updatedAt = init.updatedAt ?? this.createdAt;
  }

  /**
   * A new entitlement of the Motto-style API (its upsert found none for the key): active from `now`,
   * with the terms applied (an expiration at or before `now` creates it revoked at `now`).
   */
  static forMotto(key: MottoKey, terms: MottoTerms, now: Date, id: string = randomUUID()): Entitlement {
    const e = new Entitlement({
      ...key,
      id,
      status: EntitlementStatus.Active,
      origin: EntitlementOrigin.Motto,
      createdAt: now,
    });
    e.applyMottoTerms(terms, now);
    return e;
  }

  /**
   * The Motto-managed fields from an upsert. The upsert carries the whole resource: a field left out
   * returns to its default (absent expiration: never expires). An expiration at or before `now` revokes;
   * a later (or no) expiration restores.
   */
  applyMottoTerms(terms: MottoTerms, now: Date): void {
    this.validUntil = terms.validUntil;
    this.concurrencyLimit = terms.concurrencyLimit;
    this.originCountryCode = terms.originCountryCode;
    this.sourceId = terms.sourceId;
    this.sourceType = terms.sourceType;
    this.setStatus(
      terms.validUntil && terms.validUntil <= now ? EntitlementStatus.Revoked : EntitlementStatus.Active,
      now,
    );
  }

  isActive(): boolean {
    return this.status === EntitlementStatus.Active;
  }

  /** Revokes at `at`; an entitlement already revoked keeps its revocation time. */
  revoke(at: Date): void {
    if (this.status === EntitlementStatus.Revoked) return;
    this.status = EntitlementStatus.Revoked;
    this.revokedAt = at;
  }

  /** Makes the entitlement active again (it no longer has a revocation time). */
  restore(): void {
    this.status = EntitlementStatus.Active;
    this.revokedAt = undefined;
  }

  /** revoke(at) or restore(), whichever gives `status`: the one place the revocation time is kept. */
  setStatus(status: EntitlementStatus, at: Date): void {
    if (status === EntitlementStatus.Revoked) this.revoke(at);
    else this.restore();
  }

  /** validFrom to validUntil. */
  validity(): ValidityWindow {
    return new ValidityWindow({ from: this.validFrom, until: this.validUntil });
  }

  /**
   * The window in which the entitlement grants access. ABSOLUTE (and Motto) entitlements: validFrom to
   * validUntil. RELATIVE ones, once first viewed, end at the earlier of validUntil and the rental end
   * (`rentalEnd(firstView)`, from the product's access period when one is known).
   */
  accessWindow(rentalEnd?: RentalEnd): ValidityWindow {
    const window = this.validity();
    if (this.validityType !== ValidityType.Relative || !this.firstView || !rentalEnd) return window;
    return window.endingBy(rentalEnd(this.firstView));
  }

  /** Does the entitlement grant access at `at` (on the device, when one is given)? */
  isEntitledAt(at: Date, opts: { rentalEnd?: RentalEnd; device?: DeviceContext } = {}): boolean {
    if (opts.device && !this.appliesToDevice(opts.device.deviceId, opts.device.deviceSpecificProducts)) return false;
    return this.isActive() && this.accessWindow(opts.rentalEnd).contains(at);
  }

  /** Active and its validity not over at `at` (it may not have begun yet): such an entitlement keeps its offer. */
  isLiveAt(at: Date): boolean {
    return this.isActive() && !this.validity().hasEndedAt(at);
  }

  /**
   * The duplicate-purchase rule: does this (existing) entitlement refuse buying `candidate` again? When it is
   * active and its validity overlaps the candidate's; with device-specific products on, one with a deviceId
   * is device-specific and does not count.
   */
  blocksPurchaseOf(candidate: Entitlement, deviceSpecificProducts: boolean): boolean {
    if (deviceSpecificProducts && this.deviceId) return false;
    return this.isActive() && this.validity().overlaps(candidate.validity());
  }

  /**
   * Does the entitlement apply to `deviceId`? With device-specific products on, an entitlement with a
   * deviceId applies to that device only; otherwise (or without deviceId) to the whole account.
   */
  appliesToDevice(deviceId: string | undefined, deviceSpecificProducts: boolean): boolean {
    if (!deviceSpecificProducts || !this.deviceId) return true;
    return this.deviceId === deviceId;
  }

  /**
   * The expiration the Motto-style API shows of any entitlement, whichever API created it: validUntil;
   * a revoked entitlement expired when it was revoked (or earlier, at validUntil), and one revoked
   * without a known time at its last update.
   */
  expiration(): Date | undefined {
    if (this.status !== EntitlementStatus.Revoked) return this.validUntil ?? undefined;
    if (this.revokedAt && (!this.validUntil || this.revokedAt < this.validUntil)) return this.revokedAt;
    return this.validUntil ?? this.updatedAt;
  }
}

/** The data of an entitlement (its fields, not its methods). */
export type EntitlementData = {
  [K in keyof Entitlement as Entitlement[K] extends (...args: never[]) => unknown ? never : K]: Entitlement[K];
};

export type EntitlementInit = Omit<EntitlementData, 'createdAt' | 'updatedAt'> & { createdAt?: Date; updatedAt?: Date };

/** The key of the Motto-style upsert: (project, user, offer) among the entitlements it created. */
export interface MottoKey {
  projectId: string;
  subjectId: string;
  productId: string;
}

/** What a Motto-style upsert sets; the rest of an entitlement it leaves alone. */
export interface MottoTerms {
  validUntil?: Date;
  concurrencyLimit?: string;
  originCountryCode?: string;
  sourceId?: string;
  sourceType?: string;
}

/** The end of a RELATIVE rental that began at `firstView` (undefined: not known). */
export type RentalEnd = (firstView: Date) => Date | undefined;

/** The device asking, and the tenant's switch that makes entitlements with a deviceId device-specific. */
export interface DeviceContext {
  deviceId?: string;
  deviceSpecificProducts: boolean;
}

/** The fields a change event records (before and after), as plain JSON. */
export type EntitlementRecord = Record<string, string | number | boolean | null>;

const RECORDED: (keyof EntitlementData)[] = [
  'id',
  'projectId',
  'subjectId',
  'productId',
  'validFrom',
  'validUntil',
  'status',
  'revokedAt',
  'deviceId',
  'concurrencyLimit',
  'originCountryCode',
  'sourceType',
  'sourceId',
  'origin',
  'userId',
  'purchasedByDeviceId',
  'validityType',
  'productType',
  'capabilityType',
  'isArchivable',
  'isFreemium',
  'firstView',
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
