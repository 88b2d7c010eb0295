import { Money } from '../common/money';
import { daysInMonth } from '../common/calendar';

/** Enum values are the wire names, so they map one to one onto protobuf-JSON and the database. */
export enum Visibility {
  Unspecified = 'VISIBILITY_UNSPECIFIED',
  Published = 'VISIBILITY_PUBLISHED',
  Unlisted = 'VISIBILITY_UNLISTED',
  Hidden = 'VISIBILITY_HIDDEN',
}

export enum BillingPeriod {
  Unspecified = 'BILLING_PERIOD_UNSPECIFIED',
  OneTime = 'BILLING_PERIOD_ONE_TIME',
  Weekly = 'BILLING_PERIOD_WEEKLY',
  Monthly = 'BILLING_PERIOD_MONTHLY',
  Quarterly = 'BILLING_PERIOD_QUARTERLY',
  Yearly = 'BILLING_PERIOD_YEARLY',
}

/** How long one purchase grants access. */
export enum AccessPeriod {
  Unspecified = 'ACCESS_PERIOD_UNSPECIFIED',
  Hour = 'ACCESS_PERIOD_HOUR',
  Day = 'ACCESS_PERIOD_DAY',
  Week = 'ACCESS_PERIOD_WEEK',
  Month = 'ACCESS_PERIOD_MONTH',
  Year = 'ACCESS_PERIOD_YEAR',
  Lifetime = 'ACCESS_PERIOD_LIFETIME',
}

/** Keyed by `en` or `en-US` (see isLocaleKey). */
export type LocalizedMap = Record<string, string>;

/** The content an offer covers when it does not apply to all: these ids, published inside the window. */
export interface OfferTarget {
  entityIds: string[];
  eventIds: string[];
  creativeWorkIds: string[];
  contentStartTime?: Date;
  contentEndTime?: Date;
}

export interface OfferPrice {
  id: string;
  msrpPrice?: Money;
  price?: Money;
  billingPeriod: BillingPeriod;
  accessPeriod: AccessPeriod;
  /** When not empty, the price is offered only in these countries (ISO 3166-1 alpha-2). */
  geoRestrictionsAllow: string[];
  /** When not empty, the price is offered everywhere but in these countries. */
  geoRestrictionsDisallow: string[];
  /** int64 decimal string; higher is shown first. */
  priority: string;
  stripeProductId: string;
  appStoreProductId: string;
  playStoreSku: string;
}

/** What a client sets on an offer: everything but the id and the timestamps. */
export type OfferFields = Omit<Offer, 'id' | 'createdAt' | 'updatedAt'>;

export class Offer {
  id: string;
  projectId: string;
  /** Internal, not shown to end users. */
  name: string;
  localizedTitle: LocalizedMap;
  localizedDescription: LocalizedMap;
  cleengOfferId: string;
  /** All content of the project; then the target is empty. */
  appliesToAll: boolean;
  target: OfferTarget;
  localizedLogoAssetId: LocalizedMap;
  localizedImageAssetId: LocalizedMap;
  offerPrices: OfferPrice[];
  /** int64 decimal string; higher is shown first. */
  priority: string;
  /** int64 decimal string, at least 1; undefined means unlimited. */
  concurrencyLimit?: string;
  visibility: Visibility;
  /** Kept in sync by the client; the service does not act on it. */
  videoProtectionRulesetId: string;
  createdAt: Date;
  updatedAt: Date;

  constructor(init: OfferFields & { id: string; now?: Date; createdAt?: Date; updatedAt?: Date }) {
    const now = init.now ?? new Date();
    this.id = init.id;
    this.projectId = init.projectId;
    this.name = init.name;
    this.localizedTitle = init.localizedTitle;
    this.localizedDescription = init.localizedDescription;
    this.cleengOfferId = init.cleengOfferId;
    this.appliesToAll = init.appliesToAll;
    this.target = init.target;
    this.localizedLogoAssetId = init.localizedLogoAssetId;
    this.localizedImageAssetId = init.localizedImageAssetId;
    this.offerPrices = init.offerPrices;
    this.priority = init.priority;
    this.concurrencyLimit = init.concurrencyLimit;
    this.visibility = init.visibility;
    this.videoProtectionRulesetId = init.videoProtectionRulesetId;
    this.createdAt = init.createdAt ?? now;
    this.updatedAt = init.updatedAt ?? now;
  }
}

export function emptyTarget(): OfferTarget {
  return { entityIds: [], eventIds: [], creativeWorkIds: [] };
}

export function isTargetEmpty(target: OfferTarget): boolean {
  return (
    target.entityIds.length === 0 &&
    target.eventIds.length === 0 &&
    target.creativeWorkIds.length === 0 &&
    target.contentStartTime === undefined &&
    target.contentEndTime === undefined
  );
}

/**
 * Whether the price is offered in a country (ISO 3166-1 alpha-2). An unknown country (undefined) gets
 * only prices without an allow list.
 */
export function isPriceOfferedIn(price: OfferPrice, countryCode: string | undefined): boolean {
  if (price.geoRestrictionsAllow.length > 0) {
    return countryCode !== undefined && price.geoRestrictionsAllow.includes(countryCode);
  }
  return countryCode === undefined || !price.geoRestrictionsDisallow.includes(countryCode);
}

/**
 * When access bought at `start` for `period` ends: calendar arithmetic in UTC. A month or a year later
 * keeps the day of the month, clamped to the last day of a shorter month (Jan 31 + 1 month = Feb 28 or 29;
 * Feb 29 + 1 year = Feb 28). Undefined for LIFETIME and UNSPECIFIED: access does not end.
 */
export function accessPeriodEnd(start: Date, period: AccessPeriod): Date | undefined {
  switch (period) {
    case AccessPeriod.Hour:
      return new Date(start.getTime() + 3_600_000);
    case AccessPeriod.Day:
      return addUtcDays(start, 1);
    case AccessPeriod.Week:
      return addUtcDays(start, 7);
    case AccessPeriod.Month:
      return addUtcMonths(start, 1);
    case AccessPeriod.Year:
      return addUtcMonths(start, 12);
    default:
      return undefined;
  }
}

function addUtcDays(start: Date, days: number): Date {
  const d = new Date(start.getTime());
  d.setUTCDate(d.getUTCDate() + days);
  return d;
}

function addUtcMonths(start: Date, months: number): Date {
  const d = new Date(start.getTime());
  const day = d.getUTCDate();
  d.setUTCDate(1);
  d.setUTCMonth(d.getUTCMonth() + months);
  d.setUTCDate(Math.min(day, daysInMonth(d.getUTCFullYear(), d.getUTCMonth() + 1)));
  return d;
}
