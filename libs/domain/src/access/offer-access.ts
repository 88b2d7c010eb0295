import { compareInt64 } from '../common/int64';
import { AccessPeriod, accessPeriodEnd, isPriceOfferedIn, Offer, Visibility } from '../offers/offer';
import { Content, ContentKind } from './content';

/**
 * Does the offer cover the content? When it applies to all content of the project, or names the content
 * (`event_ids` / `creative_work_ids` for its kind) or one of its entities (`entity_ids`). With a content
 * window, the content's start time must lie in it: [content_start_time, content_end_time); content without
 * a start time is not covered by a windowed offer.
 */
export function offerCovers(offer: Offer, content: Content): boolean {
  if (offer.appliesToAll) return true;
  const { target } = offer;
  const named =
    (content.kind === ContentKind.Event ? target.eventIds : target.creativeWorkIds).includes(content.id) ||
    content.entityIds.some((id) => target.entityIds.includes(id));
  if (!named) return false;
  if (!target.contentStartTime && !target.contentEndTime) return true;
  const start = content.startTime;
  if (!start) return false;
  return (
    (!target.contentStartTime || target.contentStartTime <= start) &&
    (!target.contentEndTime || start < target.contentEndTime)
  );
}

/** Is the offer available in a country: it has no prices, or one of its prices is offered there. */
export function offerAvailableIn(offer: Offer, countryCode: string): boolean {
  return offer.offerPrices.length === 0 || offer.offerPrices.some((price) => isPriceOfferedIn(price, countryCode));
}

/** Longer first; LIFETIME never ends. */
const PERIOD_ORDER: readonly AccessPeriod[] = [
  AccessPeriod.Lifetime,
  AccessPeriod.Year,
  AccessPeriod.Month,
  AccessPeriod.Week,
  AccessPeriod.Day,
  AccessPeriod.Hour,
];

/**
 * How long a RELATIVE rental of the offer runs from its first view: the longest access period of its prices
 * (the buyer paid for one of them, and the service does not know which; a rental is never cut short), none
 * when it has no price with a period or one for a lifetime.
 */
export function rentalPeriodOf(offer: Offer): AccessPeriod | undefined {
  const periods = new Set(offer.offerPrices.map((price) => price.accessPeriod));
  const longest = PERIOD_ORDER.find((period) => periods.has(period));
  return longest === AccessPeriod.Lifetime ? undefined : longest;
}

/** The end of a rental of the offer that began at `firstView` (undefined: it does not end by itself). */
export function rentalEndOf(offer: Offer): (firstView: Date) => Date | undefined {
  const period = rentalPeriodOf(offer);
  return (firstView) => (period ? accessPeriodEnd(firstView, period) : undefined);
}

/** What a paywall shows: published offers, highest priority first, then the oldest, then by id. */
export function paywallOrder(a: Offer, b: Offer): number {
  return (
    compareInt64(b.priority, a.priority) ||
    a.createdAt.getTime() - b.createdAt.getTime() ||
    (a.id < b.id ? -1 : a.id > b.id ? 1 : 0)
  );
}

export function isPublished(offer: Offer): boolean {
  return offer.visibility === Visibility.Published;
}
