import {
  DomainError,
  FieldViolation,
  Money,
  Offer,
  OFFER_UPDATABLE_PATHS,
  OfferFields,
  OfferPrice,
  OfferTarget,
  formatTimestamp,
  isOfferUpdatablePath,
  offerPathsPresent,
  parseInt64,
  quoted,
  validateOfferInput,
} from '@app/domain';
import { WireReader } from '@app/domain/common/wire-reader';
import { randomUUID } from 'node:crypto';
import { decodePageToken, encodePageToken, maskPaths } from '../common/page-token';
import { MoneyDto, OfferDto, OfferPriceDto, OfferTargetDto } from './dto/offer.dto';

/**
 * The Motto-style wire shape of offers, besides the offer itself (read by the domain's validateOfferInput):
 * the update request, the list's page token, and the mapping of an Offer to its response.
 */

// ---------------------------------------------------------------------------------------------------
// Requests

export interface UpdateOfferInput {
  projectId: string;
  /** The patch as domain values (validateOfferInput, partial). */
  patch: OfferFields;
  /** Updatable paths (or `*`); the top-level fields present in `offer` when update_mask is empty. */
  mask: string[];
}

const UPDATE_FIELDS = ['offer_id', 'offer', 'update_mask'];

/**
 * Reads `{"offer_id", "offer": {...}, "update_mask": "a,b.c"}`, reporting every problem at once: unknown
 * fields, an offer_id other than the path's, unknown mask paths, every violation of the offer (paths
 * prefixed `offer.`). The project is `offer.project_id` or the `project_id` query parameter (equal when both).
 */
export function readUpdateOffer(body: unknown, pathOfferId: string, queryProjectId: string | undefined): UpdateOfferInput {
  const violations: FieldViolation[] = [];
  const r = WireReader.of(body, '', UPDATE_FIELDS, violations);
  if (!r) throw DomainError.invalidArgument([{ field: 'body', description: 'must be a JSON object' }]);

  const offerId = r.string('offer_id', { max: 256 });
  if (offerId && offerId !== pathOfferId) r.fail('offer_id', 'must equal the offer id in the path');

  const rawMask = r.raw('update_mask');
  let mask: string[] = [];
  if (rawMask !== undefined && typeof rawMask !== 'string') {
    r.fail('update_mask', 'must be a string of comma-separated field paths, such as "name,offer_prices"');
  } else {
    mask = maskPaths(rawMask);
    for (const path of mask) {
      if (path !== '*' && !isOfferUpdatablePath(path)) {
        r.fail('update_mask', `${quoted(path)} is not an updatable field path (updatable: ${OFFER_UPDATABLE_PATHS.join(', ')}, or *)`);
      }
    }
  }

  const rawOffer = r.raw('offer');
  let patch: OfferFields | undefined;
  if (rawOffer === undefined) {
    r.fail('offer', 'is required');
  } else {
    const result = validateOfferInput(rawOffer, { partial: true, pathPrefix: 'offer' });
    violations.push(...result.violations);
    patch = result.value;
  }

  const bodyProjectId = patch?.projectId || undefined;
  const queryProject = queryProjectId || undefined;
  if (bodyProjectId && queryProject && bodyProjectId !== queryProject) {
    violations.push({ field: 'offer.project_id', description: 'must equal the project_id query parameter' });
  } else if (patch && !bodyProjectId && !queryProject) {
    violations.push({ field: 'offer.project_id', description: 'is required (or pass the project_id query parameter)' });
  }

  if (violations.length > 0 || !patch) throw DomainError.invalidArgument(violations);
  return {
    projectId: (bodyProjectId ?? queryProject) as string,
    patch,
    mask: mask.length > 0 ? mask : offerPathsPresent(rawOffer),
  };
}

/** A required query parameter (`project_id` of get, list and delete). */
/** Prices left without an id get a UUID, so that clients can reference every price. */
export function withPriceIds(prices: OfferPrice[]): OfferPrice[] {
  return prices.map((p) => (p.id === '' ? { ...p, id: randomUUID() } : p));
}

// ---------------------------------------------------------------------------------------------------
// Page token of the list: the sort key (priority, create time, id) of the last offer of the page

const PAGE_KIND = 'offers';

export interface OfferCursor {
  priority: string;
  createdAt: Date;
  id: string;
}

export function encodeOfferCursor(offer: Offer): string {
  return encodePageToken(PAGE_KIND, [offer.priority, offer.createdAt.toISOString(), offer.id]);
}

export function decodeOfferCursor(token: string | undefined): OfferCursor | undefined {
  const key = decodePageToken(
    PAGE_KIND,
    token,
    3,
    (k): k is [string, string, string] =>
      typeof k[0] === 'string' &&
      parseInt64(k[0]).value === k[0] &&
      typeof k[1] === 'string' &&
      !Number.isNaN(new Date(k[1]).getTime()) &&
      typeof k[2] === 'string' &&
      k[2].length <= 64,
  );
  if (!key) return undefined;
  const [priority, createdAt, id] = key;
  return { priority, createdAt: new Date(createdAt), id };
}

// ---------------------------------------------------------------------------------------------------
// Responses: every field, defaults included

export function toOfferDto(o: Offer): OfferDto {
  return {
    project_id: o.projectId,
    name: o.name,
    localized_title: { ...o.localizedTitle },
    localized_description: { ...o.localizedDescription },
    id: o.id,
    cleeng_offer_id: o.cleengOfferId,
    applies_to_all: o.appliesToAll,
    target: toTargetDto(o.target),
    localized_logo_asset_id: { ...o.localizedLogoAssetId },
    localized_image_asset_id: { ...o.localizedImageAssetId },
    offer_prices: (o.offerPrices ?? []).map(toPriceDto),
    priority: o.priority,
    concurrency_limit: o.concurrencyLimit ?? null,
    visibility: o.visibility,
    video_protection_ruleset_id: o.videoProtectionRulesetId,
    create_time: formatTimestamp(o.createdAt),
    update_time: formatTimestamp(o.updatedAt),
  };
}

function toTargetDto(t: OfferTarget): OfferTargetDto {
  return {
    entity_ids: [...(t.entityIds ?? [])],
    event_ids: [...(t.eventIds ?? [])],
    creative_work_ids: [...(t.creativeWorkIds ?? [])],
    content_start_time: t.contentStartTime ? formatTimestamp(t.contentStartTime) : null,
    content_end_time: t.contentEndTime ? formatTimestamp(t.contentEndTime) : null,
  };
}

function toPriceDto(p: OfferPrice): OfferPriceDto {
  return {
    id: p.id ?? '',
    msrp_price: toMoneyDto(p.msrpPrice),
    price: toMoneyDto(p.price),
    billing_period: p.billingPeriod,
    access_period: p.accessPeriod,
    geo_restrictions_disallow: { country_codes: [...(p.geoRestrictionsDisallow ?? [])] },
    geo_restrictions_allow: { country_codes: [...(p.geoRestrictionsAllow ?? [])] },
    priority: p.priority ?? '0',
    stripe_product_id: p.stripeProductId ?? '',
    app_store_product_id: p.appStoreProductId ?? '',
    play_store_sku: p.playStoreSku ?? '',
  };
}

function toMoneyDto(m: Money | undefined): MoneyDto | null {
  return m ? { currency_code: m.currencyCode, units: m.units, nanos: m.nanos } : null;
}
