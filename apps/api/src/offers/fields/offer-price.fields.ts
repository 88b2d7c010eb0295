import {
  AccessPeriod,
  BillingPeriod,
  COUNTRY_CODE_DESCRIPTION,
  FieldViolation,
  isCountryCode,
  Money,
  OFFER_LIMITS,
  OfferPrice,
} from '@app/domain';
import { parseMoney } from '../../motto/wire/money';
import { indexPath, quoted } from '../../motto/wire/wire';
import { documentFields, readFields, WireField, wireNames } from '../../motto/wire/wire-fields';
import { WireReader } from '../../motto/wire/wire-reader';
import { GeoRestrictionDto, GeoRestrictionInput, MoneyDto, MoneyInput } from '../dto/money.dto';

/** One price of an offer on the wire (see WireField). */

const INT64 = {
  type: String,
  format: 'int64',
  description: 'int64 as a decimal string (a JSON integer up to 2^53 - 1 is also accepted).',
} as const;
const reference = (r: WireReader, wire: string) => r.string(wire, { max: OFFER_LIMITS.idMax });
/** Money of a price: never negative. */
function readMoney(reader: WireReader, key: string): Money | undefined {
  const value = reader.raw(key);
  if (value === undefined) return undefined;
  const result = parseMoney(value, reader.pathOf(key));
  reader.violations.push(...result.violations);
  return result.value;
}

const moneyWire = (m: Money | undefined) =>
  m ? { currency_code: m.currencyCode, units: m.units, nanos: m.nanos } : null;

/** `{"country_codes": ["FR", "BE"]}` */
function readCountryCodes(reader: WireReader, key: string): string[] {
  const restriction = reader.object(key, ['country_codes']);
  if (!restriction) return [];
  return restriction.stringList('country_codes', {
    maxItems: OFFER_LIMITS.countryCodesMax,
    itemProblem: (code) => (isCountryCode(code) ? undefined : `${COUNTRY_CODE_DESCRIPTION} (got ${quoted(code)})`),
  });
}

const REFERENCE_DOC = { type: String, maxLength: OFFER_LIMITS.idMax } as const;

export const PRICE_FIELDS = {
  id: {
    key: 'id',
    read: reference,
    write: (p) => p.id ?? '',
    request: {
      ...REFERENCE_DOC,
      example: 'monthly-eur',
      description: 'Unique within the offer. Empty or absent: the server assigns a UUID.',
    },
    response: {
      type: String,
      example: 'monthly-eur',
      description: 'Unique within the offer. Assigned by the server (a UUID) when sent empty or absent.',
    },
  },
  msrp_price: {
    key: 'msrpPrice',
    read: readMoney,
    write: (p) => moneyWire(p.msrpPrice),
    request: { type: MoneyInput },
    response: {
      type: MoneyDto,
      nullable: true,
      description: 'Recommended retail price shown struck through; null when not set.',
    },
  },
  price: {
    key: 'price',
    read: readMoney,
    write: (p) => moneyWire(p.price),
    request: { type: MoneyInput },
    response: { type: MoneyDto, nullable: true, description: 'The price charged; null when not set.' },
  },
  billing_period: {
    key: 'billingPeriod',
    read: (r, wire) => r.enumName(wire, Object.values(BillingPeriod), BillingPeriod.Unspecified),
    write: (p) => p.billingPeriod,
    request: { enum: BillingPeriod, enumName: 'BillingPeriod', example: BillingPeriod.Monthly },
    response: { enum: BillingPeriod, enumName: 'BillingPeriod', example: BillingPeriod.Monthly },
  },
  access_period: {
    key: 'accessPeriod',
    read: (r, wire) => r.enumName(wire, Object.values(AccessPeriod), AccessPeriod.Unspecified),
    write: (p) => p.accessPeriod,
    request: { enum: AccessPeriod, enumName: 'AccessPeriod', example: AccessPeriod.Month },
    response: {
      enum: AccessPeriod,
      enumName: 'AccessPeriod',
      example: AccessPeriod.Month,
      description: 'How long one purchase grants access.',
    },
  },
  geo_restrictions_disallow: {
    key: 'geoRestrictionsDisallow',
    read: readCountryCodes,
    write: (p) => ({ country_codes: [...(p.geoRestrictionsDisallow ?? [])] }),
    request: {
      type: GeoRestrictionInput,
      example: { country_codes: [] },
      description: 'Offered everywhere but in these countries. Not together with a non-empty geo_restrictions_allow.',
    },
    response: {
      type: GeoRestrictionDto,
      description: 'Offered everywhere but in these countries. Never set together with geo_restrictions_allow.',
    },
  },
  geo_restrictions_allow: {
    key: 'geoRestrictionsAllow',
    read: readCountryCodes,
    write: (p) => ({ country_codes: [...(p.geoRestrictionsAllow ?? [])] }),
    request: { type: GeoRestrictionInput, description: 'Offered only in these countries.' },
    response: { type: GeoRestrictionDto, description: 'Offered only in these countries (when not empty).' },
  },
  priority: {
    key: 'priority',
    read: (r, wire) => r.int64(wire) ?? '0',
    write: (p) => p.priority ?? '0',
    request: { ...INT64, example: '2' },
    response: { type: String, format: 'int64', example: '2', description: 'Higher is shown first.' },
  },
  stripe_product_id: {
    key: 'stripeProductId',
    read: reference,
    write: (p) => p.stripeProductId ?? '',
    request: { ...REFERENCE_DOC, example: 'prod_PqR5tUvWxYz123' },
    response: { type: String, example: 'prod_PqR5tUvWxYz123' },
  },
  app_store_product_id: {
    key: 'appStoreProductId',
    read: reference,
    write: (p) => p.appStoreProductId ?? '',
    request: { ...REFERENCE_DOC, example: 'com.rttshow.season.monthly' },
    response: { type: String, example: 'com.rttshow.season.monthly' },
  },
  play_store_sku: {
    key: 'playStoreSku',
    read: reference,
    write: (p) => p.playStoreSku ?? '',
    request: { ...REFERENCE_DOC, example: 'season_monthly' },
    response: { type: String, example: 'season_monthly' },
  },
} satisfies Record<string, WireField<OfferPrice>>;

export class OfferPriceInput {}
documentFields(OfferPriceInput, PRICE_FIELDS, 'request');

export class OfferPriceDto {}
documentFields(OfferPriceDto, PRICE_FIELDS, 'response');

/** The offer_prices of a request: each price, then price ids unique within the offer. */
export function readPrices(reader: WireReader, wire: string): OfferPrice[] {
  const path = reader.pathOf(wire);
  const prices = reader
    .array(wire, OFFER_LIMITS.pricesMax)
    .map((item, i) => readPrice(item, indexPath(path, i), reader.violations));
  reader.violations.push(...duplicatePriceIds(prices, path));
  return prices;
}

function readPrice(item: unknown, path: string, violations: FieldViolation[]): OfferPrice {
  // A price that is not an object (its violation recorded) reads as an empty one.
  const reader = WireReader.of(item, path, wireNames(PRICE_FIELDS), violations) ?? new WireReader({}, path, []);
  const price = readFields(reader, PRICE_FIELDS, false) as OfferPrice;
  if (price.geoRestrictionsAllow.length > 0 && price.geoRestrictionsDisallow.length > 0) {
    reader.fail(
      'geo_restrictions_disallow',
      'cannot be set together with geo_restrictions_allow (ambiguous: allow already limits the price to its countries)',
    );
  }
  return price;
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
