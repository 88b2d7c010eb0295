import { DomainError, FieldViolation, Offer, OfferFields, OfferPrice } from '@app/domain';
import { randomUUID } from 'node:crypto';
import { maskPaths } from '../motto/wire/field-mask';
import { parseInt64 } from '../motto/wire/int64';
import { decodePageToken, encodePageToken } from '../motto/wire/page-token';
import { quoted } from '../motto/wire/wire';
import { writeFields } from '../motto/wire/wire-fields';
import { WireReader } from '../motto/wire/wire-reader';
import { OFFER_FIELDS, OfferWire } from './fields/offer.fields';
import { isOfferUpdatablePath, OFFER_UPDATABLE_PATHS, offerPathsPresent } from './offer-mask';
import { validateOfferInput } from './offer-reader';

/**
 * The Motto-style wire shape of offers, besides the offer itself (read by validateOfferInput):
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
export function readUpdateOffer(
  body: unknown,
  pathOfferId: string,
  queryProjectId: string | undefined,
): UpdateOfferInput {
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
        r.fail(
          'update_mask',
          `${quoted(path)} is not an updatable field path (updatable: ${OFFER_UPDATABLE_PATHS.join(', ')}, or *)`,
        );
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

export function toOfferDto(o: Offer): OfferWire {
  return writeFields(o, OFFER_FIELDS);
}
