import { COUNTRY_CODE_DESCRIPTION, LOCALE_KEY_DESCRIPTION, isCountryCode, isLocaleKey } from '../common/codes';
import { Money, parseMoney } from '../common/money';
import {
  Validated,
  fieldPath,
  indexPath,
  isWireObject,
  quoted,
  unknownFieldViolations,
  validated,
  wireTypeName,
} from '../common/wire';
import { StringMapRule, WireReader } from '../common/wire-reader';
import { FieldViolation } from '../errors/domain-error';
import { projectIdProblem } from '../projects/project';
import {
  AccessPeriod,
  BillingPeriod,
  Offer,
  OfferFields,
  OfferPrice,
  OfferTarget,
  Visibility,
  emptyTarget,
  isTargetEmpty,
} from './offer';

/**
 * Validation of the wire (protobuf-JSON, snake_case) offer of create and update requests, and its
 * conversion to the domain's camelCase values. Every problem is a FieldViolation named by its wire path
 * as the caller wrote it (`offer_prices[0].price.nanos`, `localized_title.EN`, `target.entity_ids[3]`).
 *
 * - `null` is read as absent, as protobuf-JSON does.
 * - `id`, `create_time` and `update_time` are output only: accepted and ignored, whatever their value,
 *   so that a fetched offer can be sent back unchanged. The id of an update comes from the path.
 * - Absent fields take the protobuf defaults: empty strings, maps and lists, false, priority "0",
 *   VISIBILITY_UNSPECIFIED, no concurrency limit, no target window.
 */

export const OFFER_LIMITS = {
  nameMax: 200,
  localizedEntriesMax: 200,
  localizedTextMax: 1000,
  /** Asset ids, external references (Cleeng, Stripe, stores, ruleset), price ids, target ids. */
  idMax: 256,
  targetIdsMax: 1000,
  pricesMax: 100,
  countryCodesMax: 300,
} as const;

const OFFER_WIRE_FIELDS = [
  'project_id',
  'name',
  'localized_title',
  'localized_description',
  'cleeng_offer_id',
  'applies_to_all',
  'target',
  'localized_logo_asset_id',
  'localized_image_asset_id',
  'offer_prices',
  'priority',
  'concurrency_limit',
  'visibility',
  'video_protection_ruleset_id',
];
const OUTPUT_ONLY_FIELDS = ['id', 'create_time', 'update_time'];
const TARGET_WIRE_FIELDS = ['entity_ids', 'event_ids', 'creative_work_ids', 'content_start_time', 'content_end_time'];
const PRICE_WIRE_FIELDS = [
  'id',
  'msrp_price',
  'price',
  'billing_period',
  'access_period',
  'geo_restrictions_allow',
  'geo_restrictions_disallow',
  'priority',
  'stripe_product_id',
  'app_store_product_id',
  'play_store_sku',
];
const GEO_WIRE_FIELDS = ['country_codes'];

const VISIBILITY_NAMES = Object.values(Visibility);
const BILLING_PERIOD_NAMES = Object.values(BillingPeriod);
const ACCESS_PERIOD_NAMES = Object.values(AccessPeriod);

const LOCALIZED_TEXT: StringMapRule = {
  maxEntries: OFFER_LIMITS.localizedEntriesMax,
  maxValueLength: OFFER_LIMITS.localizedTextMax,
  isKey: isLocaleKey,
  keyDescription: LOCALE_KEY_DESCRIPTION,
};
const LOCALIZED_ASSET_IDS: StringMapRule = { ...LOCALIZED_TEXT, maxValueLength: OFFER_LIMITS.idMax };
const REFERENCE = { max: OFFER_LIMITS.idMax };
const TARGET_IDS = { maxItems: OFFER_LIMITS.targetIdsMax, maxLength: OFFER_LIMITS.idMax };

export interface OfferValidationOptions {
  /**
   * For an update: nothing is required, and the rules that span fields (applies_to_all against target,
   * the target window) are left to applyOfferUpdate, since they concern the offer after the update.
   */
  partial?: boolean;
  /** Prefix of every violation path, e.g. `offer` for the body `{"offer": {...}}`. Default: none. */
  pathPrefix?: string;
}

/** The wire offer as domain values, or every violation. */
export function validateOfferInput(input: unknown, options: OfferValidationOptions = {}): Validated<OfferFields> {
  const prefix = options.pathPrefix ?? '';
  const violations: FieldViolation[] = [];
  if (!isWireObject(input)) {
    return { violations: [{ field: prefix || 'offer', description: `must be an object (got ${wireTypeName(input)})` }] };
  }
  violations.push(...unknownFieldViolations(input, [...OFFER_WIRE_FIELDS, ...OUTPUT_ONLY_FIELDS], prefix));
  const reader = new WireReader(input, prefix, violations);
  const required = !options.partial;
  const value: OfferFields = {
    projectId: readProjectId(reader, required),
    name: reader.string('name', { min: 1, max: OFFER_LIMITS.nameMax, required }),
    localizedTitle: reader.stringMap('localized_title', LOCALIZED_TEXT),
    localizedDescription: reader.stringMap('localized_description', LOCALIZED_TEXT),
    cleengOfferId: reader.string('cleeng_offer_id', REFERENCE),
    appliesToAll: reader.boolean('applies_to_all'),
    target: readTarget(reader),
    localizedLogoAssetId: reader.stringMap('localized_logo_asset_id', LOCALIZED_ASSET_IDS),
    localizedImageAssetId: reader.stringMap('localized_image_asset_id', LOCALIZED_ASSET_IDS),
    offerPrices: readPrices(reader),
    priority: reader.int64('priority') ?? '0',
    concurrencyLimit: reader.int64('concurrency_limit', { min: 1n }),
    visibility: reader.enumName('visibility', VISIBILITY_NAMES, Visibility.Unspecified),
    videoProtectionRulesetId: reader.string('video_protection_ruleset_id', REFERENCE),
  };
  if (!options.partial) violations.push(...offerConsistencyViolations(value, prefix));
  return validated(value, violations);
}

/** The rules that span fields; checked on create, and by applyOfferUpdate on the updated offer. */
export function offerConsistencyViolations(offer: Pick<OfferFields, 'appliesToAll' | 'target'>, pathPrefix = ''): FieldViolation[] {
  const violations: FieldViolation[] = [];
  if (offer.appliesToAll && !isTargetEmpty(offer.target)) {
    violations.push({ field: fieldPath(pathPrefix, 'target'), description: 'must be empty when applies_to_all is true' });
  }
  const { contentStartTime: start, contentEndTime: end } = offer.target;
  if (start && end && start.getTime() >= end.getTime()) {
    violations.push({
      field: fieldPath(pathPrefix, 'target.content_end_time'),
      description: 'must be after target.content_start_time',
    });
  }
  return violations;
}

function readProjectId(reader: WireReader, required: boolean): string {
  const value = reader.raw('project_id');
  if (value === undefined) {
    if (required) reader.fail('project_id', 'is required');
    return '';
  }
  if (typeof value !== 'string') {
    reader.fail('project_id', `must be a string (got ${wireTypeName(value)})`);
    return '';
  }
  const problem = projectIdProblem(value);
  if (problem) reader.fail('project_id', problem);
  return value;
}

function readTarget(reader: WireReader): OfferTarget {
  const target = reader.object('target', TARGET_WIRE_FIELDS);
  if (!target) return emptyTarget();
  return {
    entityIds: target.stringList('entity_ids', TARGET_IDS),
    eventIds: target.stringList('event_ids', TARGET_IDS),
    creativeWorkIds: target.stringList('creative_work_ids', TARGET_IDS),
    contentStartTime: target.timestamp('content_start_time'),
    contentEndTime: target.timestamp('content_end_time'),
  };
}

function readPrices(reader: WireReader): OfferPrice[] {
  const path = reader.pathOf('offer_prices');
  const prices = reader
    .array('offer_prices', OFFER_LIMITS.pricesMax)
    .map((item, i) => readPrice(item, indexPath(path, i), reader.violations));
  reader.violations.push(...duplicatePriceIds(prices, path));
  return prices;
}

function readPrice(item: unknown, path: string, violations: FieldViolation[]): OfferPrice {
  // A price that is not an object (its violation recorded) reads as an empty one.
  const reader = WireReader.of(item, path, PRICE_WIRE_FIELDS, violations) ?? new WireReader({}, path, []);
  const price: OfferPrice = {
    id: reader.string('id', REFERENCE),
    msrpPrice: readMoney(reader, 'msrp_price'),
    price: readMoney(reader, 'price'),
    billingPeriod: reader.enumName('billing_period', BILLING_PERIOD_NAMES, BillingPeriod.Unspecified),
    accessPeriod: reader.enumName('access_period', ACCESS_PERIOD_NAMES, AccessPeriod.Unspecified),
    geoRestrictionsAllow: readCountryCodes(reader, 'geo_restrictions_allow'),
    geoRestrictionsDisallow: readCountryCodes(reader, 'geo_restrictions_disallow'),
    priority: reader.int64('priority') ?? '0',
    stripeProductId: reader.string('stripe_product_id', REFERENCE),
    appStoreProductId: reader.string('app_store_product_id', REFERENCE),
    playStoreSku: reader.string('play_store_sku', REFERENCE),
  };
  if (price.geoRestrictionsAllow.length > 0 && price.geoRestrictionsDisallow.length > 0) {
    reader.fail(
      'geo_restrictions_disallow',
      'cannot be set together with geo_restrictions_allow (ambiguous: allow already limits the price to its countries)',
    );
  }
  return price;
}

/** Money of a price: never negative. */
function readMoney(reader: WireReader, key: string): Money | undefined {
  const value = reader.raw(key);
  if (value === undefined) return undefined;
  const result = parseMoney(value, reader.pathOf(key));
  reader.violations.push(...result.violations);
  return result.value;
}

/** `{"country_codes": ["FR", "BE"]}` */
function readCountryCodes(reader: WireReader, key: string): string[] {
  const restriction = reader.object(key, GEO_WIRE_FIELDS);
  if (!restriction) return [];
  return restriction.stringList('country_codes', {
    maxItems: OFFER_LIMITS.countryCodesMax,
    itemProblem: (code) => (isCountryCode(code) ? undefined : `${COUNTRY_CODE_DESCRIPTION} (got ${quoted(code)})`),
  });
}

/** Price ids given by the caller must be unique within the offer (an empty id is not compared). */
function duplicatePriceIds(prices: OfferPrice[], path: string): FieldViolation[] {
  const firstIndex = new Map<string, number>();
  const violations: FieldViolation[] = [];
  prices.forEach((price, i) => {
    if (price.id === '') return;
    const first = firstIndex.get(price.id);
    if (first === undefined) firstIndex.set(price.id, i);
    else violations.push({ field: `${indexPath(path, i)}.id`, description: `duplicates ${indexPath(path, first)}.id` });
  });
  return violations;
}

// ---------------------------------------------------------------------------------------------------
// Updates (PATCH with an update_mask)

/** Wire paths an update_mask may name; map keys (`localized_title.en`) cannot be named one by one. */
export const OFFER_UPDATABLE_PATHS = [
  'name',
  'localized_title',
  'localized_description',
  'cleeng_offer_id',
  'applies_to_all',
  'target',
  'target.entity_ids',
  'target.event_ids',
  'target.creative_work_ids',
  'target.content_start_time',
  'target.content_end_time',
  'localized_logo_asset_id',
  'localized_image_asset_id',
  'offer_prices',
  'priority',
  'concurrency_limit',
  'visibility',
  'video_protection_ruleset_id',
] as const;

export type OfferUpdatablePath = (typeof OFFER_UPDATABLE_PATHS)[number];

const TOP_LEVEL_KEYS: Record<string, keyof OfferFields> = {
  name: 'name',
  localized_title: 'localizedTitle',
  localized_description: 'localizedDescription',
  cleeng_offer_id: 'cleengOfferId',
  applies_to_all: 'appliesToAll',
  localized_logo_asset_id: 'localizedLogoAssetId',
  localized_image_asset_id: 'localizedImageAssetId',
  offer_prices: 'offerPrices',
  priority: 'priority',
  concurrency_limit: 'concurrencyLimit',
  visibility: 'visibility',
  video_protection_ruleset_id: 'videoProtectionRulesetId',
};

const TARGET_KEYS: Record<string, keyof OfferTarget> = {
  'target.entity_ids': 'entityIds',
  'target.event_ids': 'eventIds',
  'target.creative_work_ids': 'creativeWorkIds',
  'target.content_start_time': 'contentStartTime',
  'target.content_end_time': 'contentEndTime',
};

export function isOfferUpdatablePath(path: string): path is OfferUpdatablePath {
  return (OFFER_UPDATABLE_PATHS as readonly string[]).includes(path);
}

/**
 * The top-level updatable fields present in a wire offer (null included: it clears the field), for an
 * API that reads an empty update_mask as "the fields sent".
 */
export function offerPathsPresent(input: unknown): OfferUpdatablePath[] {
  if (!isWireObject(input)) return [];
  return OFFER_UPDATABLE_PATHS.filter((path) => !path.includes('.') && Object.hasOwn(input, path));
}

export interface OfferUpdateOptions {
  now?: Date;
  /** Prefix of the paths of cross-field violations, as for validateOfferInput. */
  pathPrefix?: string;
  /** Name of the mask in violations. Default: `update_mask`. */
  maskField?: string;
}

/**
 * The offer after an update, as a new Offer (the existing one is not modified), or every violation.
 * `patch` is the value of validateOfferInput(..., { partial: true }): a field named in the mask takes the
 * patch's value, so a field in the mask but absent from the body is reset to its default (FieldMask
 * semantics). `*` names every updatable path. updatedAt becomes `now`.
 */
export function applyOfferUpdate(
  existing: Offer,
  patch: OfferFields,
  mask: readonly string[],
  options: OfferUpdateOptions = {},
): Validated<Offer> {
  const maskViolations = mask
    .filter((path) => path !== '*' && !isOfferUpdatablePath(path))
    .map((path) => ({
      field: options.maskField ?? 'update_mask',
      description: `${quoted(path)} is not an updatable field path (updatable: ${OFFER_UPDATABLE_PATHS.join(', ')})`,
    }));
  if (maskViolations.length > 0) return { violations: maskViolations };

  const next = new Offer({ ...existing, target: { ...existing.target }, updatedAt: options.now ?? new Date() });
  const paths: readonly string[] = mask.includes('*') ? OFFER_UPDATABLE_PATHS : mask;
  for (const path of paths) applyPath(next, patch, path);
  return validated(next, offerConsistencyViolations(next, options.pathPrefix));
}

function applyPath(next: Offer, patch: OfferFields, path: string): void {
  if (path === 'target') next.target = { ...patch.target };
  else if (Object.hasOwn(TARGET_KEYS, path)) copy(next.target, patch.target, TARGET_KEYS[path]);
  else copy(next, patch, TOP_LEVEL_KEYS[path]);
}

function copy<T, K extends keyof T>(to: T, from: T, key: K): void {
  to[key] = from[key];
}
