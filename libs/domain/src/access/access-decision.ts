import { Entitlement } from '../entitlements/entitlement';
import { Offer } from '../offers/offer';
import { Content, EU_MEMBER_STATES } from './content';
import { isPublished, offerAvailableIn, offerCovers, paywallOrder, rentalEndOf } from './offer-access';

/** Why access is granted or refused; players tell these apart. */
export enum AccessReason {
  Granted = 'GRANTED',
  /** No offer covers the content: it is not for sale (the caller decides; free content, say). */
  NoOffer = 'NO_OFFER',
  /** For sale, and the viewer has no entitlement to an offer covering it. */
  EntitlementMissing = 'ENTITLEMENT_MISSING',
  /** The viewer had one, but it ended or was revoked. */
  EntitlementExpired = 'ENTITLEMENT_EXPIRED',
  /** The viewer has one whose validity has not begun. */
  NotYetValid = 'NOT_YET_VALID',
  /** The viewer's entitlement is for another device (device-specific products). */
  DeviceNotAllowed = 'DEVICE_NOT_ALLOWED',
  /** Entitled, but the offer is not available in the viewer's country (and no portability applies). */
  GeoBlocked = 'GEO_BLOCKED',
  /** Entitled, but every concurrent-stream slot is taken (playback sessions only). */
  ConcurrencyLimit = 'CONCURRENCY_LIMIT',
}

/** On what ground access is granted. */
export enum AccessBasis {
  Entitlement = 'ENTITLEMENT',
  /** Regulation (EU) 2017/1128: bought in one member state, watched while temporarily in another. */
  EuPortability = 'EU_PORTABILITY',
}

/** The viewer, where and on what. */
export interface Viewer {
  countryCode: string;
  deviceId?: string;
  /** The tenant's switch: an entitlement with a deviceId applies to that device only. */
  deviceSpecificProducts: boolean;
}

/** One entitlement that grants the content, with what it grants. */
export interface Grant {
  entitlement: Entitlement;
  offer: Offer;
  basis: AccessBasis;
  /** End of access after RELATIVE arithmetic; undefined: open. */
  validUntil?: Date;
  /** Concurrent streams: the entitlement's limit, else its offer's; undefined: unlimited. */
  concurrencyLimit?: string;
}

export interface AccessDecision {
  granted: boolean;
  reason: AccessReason;
  /** Every entitlement that grants the content, the preferred first (unlimited, then the latest end). */
  grants: Grant[];
  /** The published offers covering the content that are available in the viewer's country, paywall order. */
  offers: Offer[];
}

/** Refusals when no entitlement grants, the closest to a grant first. */
const REFUSAL_ORDER: readonly AccessReason[] = [
  AccessReason.GeoBlocked,
  AccessReason.DeviceNotAllowed,
  AccessReason.NotYetValid,
  AccessReason.EntitlementExpired,
  AccessReason.EntitlementMissing,
];

/**
 * May the viewer watch the content at `at`? `offers` are candidates (those not covering the content are
 * ignored); `entitlements` are the viewer's, in any status (those to other products are ignored).
 */
export function decideAccess(input: {
  content: Content;
  at: Date;
  viewer: Viewer;
  offers: readonly Offer[];
  entitlements: readonly Entitlement[];
}): AccessDecision {
  const { content, at, viewer } = input;
  const covering = new Map(input.offers.filter((offer) => offerCovers(offer, content)).map((o) => [o.id, o]));
  const paywall = [...covering.values()]
    .filter((offer) => isPublished(offer) && offerAvailableIn(offer, viewer.countryCode))
    .sort(paywallOrder);
  if (covering.size === 0) return { granted: false, reason: AccessReason.NoOffer, grants: [], offers: [] };

  const grants: Grant[] = [];
  const refusals = new Set<AccessReason>([AccessReason.EntitlementMissing]);
  for (const entitlement of input.entitlements) {
    const offer = covering.get(entitlement.productId);
    if (!offer) continue;
    const outcome = evaluate(entitlement, offer, at, viewer);
    if (outcome.grant) grants.push(outcome.grant);
    else refusals.add(outcome.reason);
  }
  if (grants.length > 0) {
    return { granted: true, reason: AccessReason.Granted, grants: grants.sort(preferredGrant), offers: paywall };
  }
  const reason = REFUSAL_ORDER.find((r) => refusals.has(r)) ?? AccessReason.EntitlementMissing;
  return { granted: false, reason, grants: [], offers: paywall };
}

function evaluate(
  entitlement: Entitlement,
  offer: Offer,
  at: Date,
  viewer: Viewer,
): { grant: Grant; reason?: undefined } | { grant?: undefined; reason: AccessReason } {
  const window = entitlement.accessWindow(rentalEndOf(offer));
  if (!entitlement.isActive() || window.hasEndedAt(at)) return { reason: AccessReason.EntitlementExpired };
  if (!window.hasStartedAt(at)) return { reason: AccessReason.NotYetValid };
  if (!entitlement.appliesToDevice(viewer.deviceId, viewer.deviceSpecificProducts)) {
    return { reason: AccessReason.DeviceNotAllowed };
  }
  const basis = geoBasis(entitlement, offer, viewer.countryCode);
  if (!basis) return { reason: AccessReason.GeoBlocked };
  const concurrencyLimit = entitlement.concurrencyLimit ?? offer.concurrencyLimit;
  return { grant: { entitlement, offer, basis, validUntil: window.until, concurrencyLimit } };
}

/**
 * The offer is available where the viewer is; or the viewer bought it in a member state where it is
 * available and is now in another member state (portability). Otherwise no basis: geo-blocked.
 */
function geoBasis(entitlement: Entitlement, offer: Offer, country: string): AccessBasis | undefined {
  if (offerAvailableIn(offer, country)) return AccessBasis.Entitlement;
  const origin = entitlement.originCountryCode;
  if (origin && EU_MEMBER_STATES.has(origin) && EU_MEMBER_STATES.has(country) && offerAvailableIn(offer, origin)) {
    return AccessBasis.EuPortability;
  }
  return undefined;
}

/** Unlimited first, then the latest end (an open end latest of all), then by id (stable). */
function preferredGrant(a: Grant, b: Grant): number {
  if (!a.concurrencyLimit !== !b.concurrencyLimit) return a.concurrencyLimit ? 1 : -1;
  const end = (g: Grant) => g.validUntil?.getTime() ?? Number.POSITIVE_INFINITY;
  const byEnd = end(b) === end(a) ? 0 : end(b) > end(a) ? 1 : -1;
  return byEnd || (a.entitlement.id < b.entitlement.id ? -1 : 1);
}
