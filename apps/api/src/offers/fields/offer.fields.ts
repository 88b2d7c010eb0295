import { isLocaleKey, LOCALE_KEY_DESCRIPTION, Offer, OFFER_LIMITS, Visibility } from '@app/domain';
import { formatTimestamp } from '../../common/rfc3339';
import { readProjectId } from '../../motto/wire/project-id';
import { documentFields, WireField, WireShape, writeFields } from '../../motto/wire/wire-fields';
import { StringMapRule, WireReader } from '../../motto/wire/wire-reader';
import { OfferPriceDto, OfferPriceInput, PRICE_FIELDS, readPrices } from './offer-price.fields';
import { OfferTargetDto, OfferTargetInput, readTarget, TARGET_FIELDS } from './offer-target.fields';

/**
 * The offer on the Motto-style wire, each field described once (see WireField): the create and update
 * readers, the response mapper, the request and response schemas and the update_mask paths derive from
 * this table. `null` reads as absent; absent fields take the protobuf defaults (empty strings, maps and
 * lists, false, priority "0", VISIBILITY_UNSPECIFIED, no concurrency limit). `id`, `create_time` and
 * `update_time` are output only: accepted and ignored, so a fetched offer can be sent back unchanged.
 */

const INT64 = {
  type: String,
  format: 'int64',
  description: 'int64 as a decimal string (a JSON integer up to 2^53 - 1 is also accepted).',
} as const;
const TIME = { type: String, format: 'date-time', example: '2026-11-23T12:00:00Z' } as const;
const reference = (r: WireReader, wire: string) => r.string(wire, { max: OFFER_LIMITS.idMax });
const REFERENCE_DOC = { type: String, maxLength: OFFER_LIMITS.idMax } as const;

/** A localized map: how it is read, and its request and response schemas. */
function localized(max: number, example: Record<string, string>) {
  const rule: StringMapRule = {
    maxEntries: OFFER_LIMITS.localizedEntriesMax,
    maxValueLength: max,
    isKey: isLocaleKey,
    keyDescription: LOCALE_KEY_DESCRIPTION,
  };
  return {
    read: (r: WireReader, wire: string) => r.stringMap(wire, rule),
    request: {
      type: 'object',
      additionalProperties: { type: 'string', minLength: 1, maxLength: max },
      maxProperties: OFFER_LIMITS.localizedEntriesMax,
      description: `Keys: ISO 639-1 language code, optionally \`-\` and an ISO 3166-1 alpha-2 region (\`en\`, \`en-US\`). Values: 1 to ${max} characters.`,
      example,
    },
    response: {
      type: 'object',
      additionalProperties: { type: 'string' },
      description:
        'Keyed by an ISO 639-1 language code, optionally with an ISO 3166-1 alpha-2 region (`en`, `en-US`). Empty object when none.',
      example,
    },
  } as const;
}

export const OFFER_FIELDS = {
  project_id: {
    key: 'projectId',
    read: readProjectId,
    write: (o) => o.projectId,
    request: {
      type: String,
      required: true,
      example: 'rtt-show',
      description: 'An existing project the token grants.',
    },
    response: { type: String, example: 'rtt-show' },
    updatable: false,
  },
  name: {
    key: 'name',
    read: (r, wire, required) => r.string(wire, { min: 1, max: OFFER_LIMITS.nameMax, required }),
    write: (o) => o.name,
    request: {
      type: String,
      required: true,
      example: 'Season pass 2024/25',
      minLength: 1,
      maxLength: OFFER_LIMITS.nameMax,
      description: 'Internal name, not shown to end users.',
    },
    response: { type: String, example: 'Season pass 2024/25', description: 'Internal name, not shown to end users.' },
  },
  localized_title: {
    key: 'localizedTitle',
    ...localized(OFFER_LIMITS.localizedTextMax, { en: 'Season pass', 'fr-BE': 'Pass saison' }),
    write: (o) => ({ ...o.localizedTitle }),
  },
  localized_description: {
    key: 'localizedDescription',
    ...localized(OFFER_LIMITS.localizedTextMax, { en: 'Every match of the 2024/25 season, live and on demand.' }),
    write: (o) => ({ ...o.localizedDescription }),
  },
  id: {
    write: (o) => o.id,
    response: {
      type: String,
      example: '0f5c2a1e-6a8b-4a71-9a53-0c1b8a0e2d11',
      description: 'Output only: a UUID assigned on creation.',
    },
  },
  cleeng_offer_id: {
    key: 'cleengOfferId',
    read: reference,
    write: (o) => o.cleengOfferId,
    request: { ...REFERENCE_DOC, example: 'S531234647_FR' },
    response: { type: String, example: 'S531234647_FR' },
  },
  applies_to_all: {
    key: 'appliesToAll',
    read: (r, wire) => r.boolean(wire),
    write: (o) => o.appliesToAll,
    request: {
      type: Boolean,
      example: false,
      description: 'All content of the project. Exclusive with a non-empty target.',
    },
    response: {
      type: Boolean,
      example: false,
      description: 'The offer covers all content of the project; its target is then empty.',
    },
  },
  target: {
    key: 'target',
    read: readTarget,
    write: (o) => writeFields(o.target, TARGET_FIELDS),
    request: { type: OfferTargetInput },
    response: {
      type: OfferTargetDto,
      description: 'The content covered when applies_to_all is false: these ids, published inside the window.',
    },
  },
  localized_logo_asset_id: {
    key: 'localizedLogoAssetId',
    ...localized(OFFER_LIMITS.idMax, { en: 'asset-logo-season-en' }),
    write: (o) => ({ ...o.localizedLogoAssetId }),
  },
  localized_image_asset_id: {
    key: 'localizedImageAssetId',
    ...localized(OFFER_LIMITS.idMax, { en: 'asset-hero-season-en' }),
    write: (o) => ({ ...o.localizedImageAssetId }),
  },
  offer_prices: {
    key: 'offerPrices',
    read: readPrices,
    write: (o) => (o.offerPrices ?? []).map((p) => writeFields(p, PRICE_FIELDS)),
    request: { type: [OfferPriceInput], maxItems: OFFER_LIMITS.pricesMax },
    response: { type: [OfferPriceDto] },
  },
  priority: {
    key: 'priority',
    read: (r, wire) => r.int64(wire) ?? '0',
    write: (o) => o.priority,
    request: { ...INT64, example: '10', description: 'Higher is shown first; default 0.' },
    response: {
      type: String,
      format: 'int64',
      example: '10',
      description: 'Higher is shown first (lists are ordered by it).',
    },
  },
  concurrency_limit: {
    key: 'concurrencyLimit',
    read: (r, wire) => r.int64(wire, { min: 1n }),
    write: (o) => o.concurrencyLimit ?? null,
    request: { ...INT64, example: '2', description: 'At least 1; absent: unlimited.' },
    response: {
      type: String,
      format: 'int64',
      nullable: true,
      example: '2',
      description: 'Devices that may stream at once from one account; null: unlimited.',
    },
  },
  visibility: {
    key: 'visibility',
    read: (r, wire) => r.enumName(wire, Object.values(Visibility), Visibility.Unspecified),
    write: (o) => o.visibility,
    request: { enum: Visibility, enumName: 'Visibility', example: Visibility.Published },
    response: { enum: Visibility, enumName: 'Visibility', example: Visibility.Published },
  },
  video_protection_ruleset_id: {
    key: 'videoProtectionRulesetId',
    read: reference,
    write: (o) => o.videoProtectionRulesetId,
    request: { ...REFERENCE_DOC, example: 'ruleset-season-2024' },
    response: {
      type: String,
      example: 'ruleset-season-2024',
      description: 'Kept in sync by the client; the service does not act on it.',
    },
  },
  create_time: { write: (o) => formatTimestamp(o.createdAt), response: TIME },
  update_time: { write: (o) => formatTimestamp(o.updatedAt), response: TIME },
} satisfies Record<string, WireField<Offer>>;

/** Body of POST /monetization/offers/v1 (protobuf-JSON), read by validateOfferInput. */
export class CreateOfferRequest {}
documentFields(CreateOfferRequest, OFFER_FIELDS, 'request');

/** The offer as the Motto-style API returns it: every field emitted, defaults included. */
export class OfferDto {}
documentFields(OfferDto, OFFER_FIELDS, 'response');

export type OfferWire = WireShape<typeof OFFER_FIELDS>;
