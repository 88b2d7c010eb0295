import { AccessPeriod, BillingPeriod, emptyTarget, FieldViolation, Visibility } from '@app/domain';
import { validateOfferInput } from './offer-reader';
import {
  BODY,
  COUNTRIES,
  list,
  map,
  PRICE,
  TARGET,
  VALUE,
  withFields,
  withPrice,
  withTarget,
} from './offer-wire.fixtures';

describe('validateOfferInput: accepted offers', () => {
  it('reads a complete wire offer into camelCase domain values', () => {
    expect(validateOfferInput(BODY)).toEqual({ value: VALUE, violations: [] });
  });

  it('gives absent fields their defaults', () => {
    expect(validateOfferInput({ project_id: 'rtt-show', name: 'Pass' })).toEqual({
      violations: [],
      value: {
        projectId: 'rtt-show',
        name: 'Pass',
        localizedTitle: {},
        localizedDescription: {},
        cleengOfferId: '',
        appliesToAll: false,
        target: emptyTarget(),
        localizedLogoAssetId: {},
        localizedImageAssetId: {},
        offerPrices: [],
        priority: '0',
        concurrencyLimit: undefined,
        visibility: Visibility.Unspecified,
        videoProtectionRulesetId: '',
      },
    });
  });

  it('reads null as absent, as protobuf-JSON does', () => {
    const nulls = Object.fromEntries(Object.keys(BODY).map((k) => [k, null]));
    const result = validateOfferInput({ ...nulls, project_id: 'rtt-show', name: 'Pass' });
    expect(result.violations).toEqual([]);
    expect(result.value?.concurrencyLimit).toBeUndefined();
    expect(result.value?.target).toEqual(emptyTarget());
  });

  it('gives an absent price field its default', () => {
    const result = validateOfferInput(withFields({ offer_prices: [{}] }));
    expect(result.value?.offerPrices).toEqual([
      {
        id: '',
        msrpPrice: undefined,
        price: undefined,
        billingPeriod: BillingPeriod.Unspecified,
        accessPeriod: AccessPeriod.Unspecified,
        geoRestrictionsAllow: [],
        geoRestrictionsDisallow: [],
        priority: '0',
        stripeProductId: '',
        appStoreProductId: '',
        playStoreSku: '',
      },
    ]);
  });

  it('accepts and ignores the output-only id, create_time and update_time, whatever their value', () => {
    expect(validateOfferInput(withFields({ id: 'o-1', create_time: '2023-01-01T00:00:00Z', update_time: 42 }))).toEqual(
      {
        value: VALUE,
        violations: [],
      },
    );
  });

  it.each([
    ['priority as a JSON integer', { priority: 10 }, { priority: '10' }],
    ['priority negative', { priority: '-5' }, { priority: '-5' }],
    ['priority with leading zeros', { priority: '010' }, { priority: '10' }],
    ['priority at the int64 maximum', { priority: '9223372036854775807' }, { priority: '9223372036854775807' }],
    ['concurrency_limit as a JSON integer', { concurrency_limit: 3 }, { concurrencyLimit: '3' }],
    ['concurrency_limit 1', { concurrency_limit: '1' }, { concurrencyLimit: '1' }],
    [
      'applies_to_all with an empty target',
      { applies_to_all: true, target: {} },
      { appliesToAll: true, target: emptyTarget() },
    ],
    [
      'applies_to_all with empty id lists',
      { applies_to_all: true, target: { entity_ids: [], event_ids: null } },
      { appliesToAll: true, target: emptyTarget() },
    ],
    ['a 200-character name', { name: 'n'.repeat(200) }, { name: 'n'.repeat(200) }],
    ['a name of 200 emoji (characters, not UTF-16 units)', { name: '😀'.repeat(200) }, { name: '😀'.repeat(200) }],
    ['a one-character name', { name: 'x' }, { name: 'x' }],
    ['every visibility', { visibility: 'VISIBILITY_HIDDEN' }, { visibility: Visibility.Hidden }],
    [
      '200 localized titles of 1000 characters',
      { localized_title: map(200, 't'.repeat(1000)) },
      { localizedTitle: map(200, 't'.repeat(1000)) },
    ],
    [
      'asset ids of 256 characters',
      { localized_image_asset_id: { en: 'a'.repeat(256) } },
      { localizedImageAssetId: { en: 'a'.repeat(256) } },
    ],
    [
      'external references of 256 characters',
      { cleeng_offer_id: 'c'.repeat(256), video_protection_ruleset_id: 'v'.repeat(256) },
      { cleengOfferId: 'c'.repeat(256), videoProtectionRulesetId: 'v'.repeat(256) },
    ],
  ])('accepts %s', (_, fields, expected) => {
    const result = validateOfferInput(withFields(fields));
    expect(result.violations).toEqual([]);
    expect(result.value).toMatchObject(expected);
  });

  it.each([
    ['1,000 ids per list', { entity_ids: list(1000, (i) => `e${i}`) }],
    ['ids of 256 characters', { event_ids: ['e'.repeat(256)] }],
    ['a window open at one end', { content_start_time: undefined, content_end_time: '2025-01-01T00:00:00Z' }],
    [
      'a window with fractional seconds and offsets',
      { content_start_time: '2024-01-01T00:00:00.5+01:00', content_end_time: '2024-01-01T00:00:00Z' },
    ],
  ])('accepts a target with %s', (_, fields) => expect(validateOfferInput(withTarget(fields)).violations).toEqual([]));

  it.each([
    ['100 prices', { offer_prices: list(100, (i) => ({ ...PRICE, id: `p${i}` })) }],
    [
      'prices without ids (not compared)',
      {
        offer_prices: [
          { ...PRICE, id: '' },
          { ...PRICE, id: '' },
        ],
      },
    ],
  ])('accepts %s', (_, fields) => expect(validateOfferInput(withFields(fields)).violations).toEqual([]));

  it.each([
    [
      'units as a JSON integer and nanos as a string',
      { price: { currency_code: 'EUR', units: 9, nanos: '990000000' } },
      { price: { currencyCode: 'EUR', units: '9', nanos: 990000000 } },
    ],
    ['a free price', { price: { currency_code: 'EUR' } }, { price: { currencyCode: 'EUR', units: '0', nanos: 0 } }],
    ['a price without msrp', { msrp_price: null }, { msrpPrice: undefined }],
    [
      'a disallow list alone',
      { geo_restrictions_allow: null, geo_restrictions_disallow: { country_codes: ['RU'] } },
      { geoRestrictionsAllow: [], geoRestrictionsDisallow: ['RU'] },
    ],
    [
      'an empty allow object and a disallow list',
      { geo_restrictions_allow: {}, geo_restrictions_disallow: { country_codes: ['RU'] } },
      { geoRestrictionsAllow: [], geoRestrictionsDisallow: ['RU'] },
    ],
    [
      '300 country codes',
      { geo_restrictions_allow: { country_codes: list(300, (i) => COUNTRIES[i % COUNTRIES.length]) } },
      {},
    ],
    ['every billing period', { billing_period: 'BILLING_PERIOD_ONE_TIME' }, { billingPeriod: BillingPeriod.OneTime }],
    ['every access period', { access_period: 'ACCESS_PERIOD_LIFETIME' }, { accessPeriod: AccessPeriod.Lifetime }],
    ['a price priority as a JSON integer', { priority: -3 }, { priority: '-3' }],
  ])('accepts a price with %s', (_, fields, expected) => {
    const result = validateOfferInput(withPrice(fields));
    expect(result.violations).toEqual([]);
    expect(result.value?.offerPrices[0]).toMatchObject(expected);
  });
});

describe('validateOfferInput: violations', () => {
  const ONE_OF_VISIBILITY =
    'must be one of VISIBILITY_UNSPECIFIED, VISIBILITY_PUBLISHED, VISIBILITY_UNLISTED, VISIBILITY_HIDDEN';
  const ONE_OF_BILLING =
    'must be one of BILLING_PERIOD_UNSPECIFIED, BILLING_PERIOD_ONE_TIME, BILLING_PERIOD_WEEKLY, BILLING_PERIOD_MONTHLY, BILLING_PERIOD_QUARTERLY, BILLING_PERIOD_YEARLY';
  const ONE_OF_ACCESS =
    'must be one of ACCESS_PERIOD_UNSPECIFIED, ACCESS_PERIOD_HOUR, ACCESS_PERIOD_DAY, ACCESS_PERIOD_WEEK, ACCESS_PERIOD_MONTH, ACCESS_PERIOD_YEAR, ACCESS_PERIOD_LIFETIME';
  const LOCALE =
    'must be a lower-case ISO 639-1 language code, optionally with an upper-case ISO 3166-1 alpha-2 region (en, en-US)';
  const COUNTRY = 'must be an upper-case ISO 3166-1 alpha-2 country code such as FR';
  const v = (field: string, description: string): FieldViolation => ({ field, description });

  it.each([
    // top level
    ['an unknown field', withFields({ title: 'x' }), [v('title', 'unknown field')]],
    [
      'a camelCase field',
      withFields({ projectId: 'x' }),
      [v('projectId', 'unknown field (did you mean "project_id"?)')],
    ],
    ['a missing project_id', withFields({ project_id: undefined }), [v('project_id', 'is required')]],
    ['a numeric project_id', withFields({ project_id: 7 }), [v('project_id', 'must be a string (got a number)')]],
    [
      'a project_id that is no slug',
      withFields({ project_id: 'RTT Show' }),
      [
        v(
          'project_id',
          'must be a URL-safe slug: lower-case letters, digits and single hyphens, starting with a letter',
        ),
      ],
    ],
    ['a missing name', withFields({ name: undefined }), [v('name', 'is required')]],
    ['an empty name', withFields({ name: '' }), [v('name', 'must be 1 to 200 characters')]],
    ['a 201-character name', withFields({ name: 'n'.repeat(201) }), [v('name', 'must be 1 to 200 characters')]],
    ['a numeric name', withFields({ name: 42 }), [v('name', 'must be a string (got a number)')]],
    ['a name with NUL', withFields({ name: 'a\u0000b' }), [v('name', 'must not contain NUL characters')]],
    [
      'a name with an unpaired surrogate',
      withFields({ name: 'a\uD800' }),
      [v('name', 'must be valid Unicode text (no unpaired surrogates)')],
    ],
    [
      'a string applies_to_all',
      withFields({ applies_to_all: 'true' }),
      [v('applies_to_all', 'must be true or false (got a string)')],
    ],
    [
      'a 257-character cleeng_offer_id',
      withFields({ cleeng_offer_id: 'c'.repeat(257) }),
      [v('cleeng_offer_id', 'must be at most 256 characters')],
    ],
    [
      'a numeric video_protection_ruleset_id',
      withFields({ video_protection_ruleset_id: 1 }),
      [v('video_protection_ruleset_id', 'must be a string (got a number)')],
    ],
    [
      'a decimal priority',
      withFields({ priority: '1.5' }),
      [v('priority', 'must be an int64 decimal string (digits with an optional leading -)')],
    ],
    [
      'a priority beyond int64',
      withFields({ priority: '9223372036854775808' }),
      [v('priority', 'must be an int64, from -9223372036854775808 to 9223372036854775807')],
    ],
    [
      'an unsafe JSON integer priority',
      withFields({ priority: 2 ** 60 }),
      [
        v(
          'priority',
          'must be an int64 decimal string (a JSON number beyond 2^53 - 1 has lost precision; send it as a string)',
        ),
      ],
    ],
    [
      'a boolean priority',
      withFields({ priority: true }),
      [v('priority', 'must be an int64 decimal string (got a boolean)')],
    ],
    [
      'a zero concurrency_limit',
      withFields({ concurrency_limit: '0' }),
      [v('concurrency_limit', 'must be at least 1')],
    ],
    [
      'a negative concurrency_limit',
      withFields({ concurrency_limit: -1 }),
      [v('concurrency_limit', 'must be at least 1')],
    ],
    [
      'an empty concurrency_limit',
      withFields({ concurrency_limit: '' }),
      [v('concurrency_limit', 'must be an int64 decimal string (digits with an optional leading -)')],
    ],
    [
      'an unknown visibility',
      withFields({ visibility: 'PUBLISHED' }),
      [v('visibility', `${ONE_OF_VISIBILITY} (got "PUBLISHED")`)],
    ],
    ['a visibility number', withFields({ visibility: 1 }), [v('visibility', `${ONE_OF_VISIBILITY} (got 1)`)]],
    [
      'a lower-case visibility',
      withFields({ visibility: 'visibility_published' }),
      [v('visibility', `${ONE_OF_VISIBILITY} (got "visibility_published")`)],
    ],
    // localized maps
    [
      'an upper-case language key',
      withFields({ localized_title: { EN: 'Pass' } }),
      [v('localized_title.EN', `key "EN" ${LOCALE}`)],
    ],
    [
      'an underscore locale key',
      withFields({ localized_description: { en_US: 'x' } }),
      [v('localized_description.en_US', `key "en_US" ${LOCALE}`)],
    ],
    [
      'a lower-case region key',
      withFields({ localized_logo_asset_id: { 'en-us': 'x' } }),
      [v('localized_logo_asset_id.en-us', `key "en-us" ${LOCALE}`)],
    ],
    [
      'an unknown language key',
      withFields({ localized_image_asset_id: { xx: 'x' } }),
      [v('localized_image_asset_id.xx', `key "xx" ${LOCALE}`)],
    ],
    [
      'a key with a space',
      withFields({ localized_title: { 'en US': 'x' } }),
      [v('localized_title["en US"]', `key "en US" ${LOCALE}`)],
    ],
    [
      'an empty title',
      withFields({ localized_title: { en: '' } }),
      [v('localized_title.en', 'must be 1 to 1000 characters')],
    ],
    [
      'a 1001-character title',
      withFields({ localized_title: { en: 't'.repeat(1001) } }),
      [v('localized_title.en', 'must be 1 to 1000 characters')],
    ],
    [
      'a 257-character asset id',
      withFields({ localized_logo_asset_id: { en: 'a'.repeat(257) } }),
      [v('localized_logo_asset_id.en', 'must be 1 to 256 characters')],
    ],
    [
      'a numeric title',
      withFields({ localized_title: { en: 1 } }),
      [v('localized_title.en', 'must be a string (got a number)')],
    ],
    [
      'a null title',
      withFields({ localized_title: { en: null } }),
      [v('localized_title.en', 'must be a string (got null)')],
    ],
    [
      'a bad key and a bad value',
      withFields({ localized_title: { EN: '' } }),
      [v('localized_title.EN', `key "EN" ${LOCALE}`), v('localized_title.EN', 'must be 1 to 1000 characters')],
    ],
    [
      'a title array',
      withFields({ localized_title: ['Pass'] }),
      [v('localized_title', 'must be an object mapping keys to strings (got an array)')],
    ],
    [
      'a title string',
      withFields({ localized_title: 'Pass' }),
      [v('localized_title', 'must be an object mapping keys to strings (got a string)')],
    ],
    [
      '201 titles',
      withFields({ localized_title: map(201, 't') }),
      [v('localized_title', 'must have at most 200 entries (got 201)')],
    ],
    // target
    ['a target array', withFields({ target: [] }), [v('target', 'must be an object (got an array)')]],
    ['an unknown target field', withTarget({ channel_ids: ['c'] }), [v('target.channel_ids', 'unknown field')]],
    [
      'an id list that is a string',
      withTarget({ entity_ids: 'team-1' }),
      [v('target.entity_ids', 'must be an array (got a string)')],
    ],
    [
      'an empty id',
      withTarget({ event_ids: ['ev-1', '', 'ev-3', 'ev-4'] }),
      [v('target.event_ids[1]', 'must be 1 to 256 characters')],
    ],
    [
      'a numeric id',
      withTarget({ entity_ids: ['a', 'b', 'c', 4] }),
      [v('target.entity_ids[3]', 'must be a string (got a number)')],
    ],
    [
      'a 257-character id',
      withTarget({ creative_work_ids: ['c'.repeat(257)] }),
      [v('target.creative_work_ids[0]', 'must be 1 to 256 characters')],
    ],
    [
      '1001 ids',
      withTarget({ entity_ids: list(1001, (i) => `e${i}`) }),
      [v('target.entity_ids', 'must have at most 1000 items (got 1001)')],
    ],
    [
      'an impossible start date',
      withTarget({ content_start_time: '2024-02-30T00:00:00Z' }),
      [
        v(
          'target.content_start_time',
          'must be an RFC 3339 timestamp such as 2023-11-07T05:31:56Z (got "2024-02-30T00:00:00Z")',
        ),
      ],
    ],
    [
      'an end time without offset',
      withTarget({ content_end_time: '2025-01-01T00:00:00' }),
      [
        v(
          'target.content_end_time',
          'must be an RFC 3339 timestamp such as 2023-11-07T05:31:56Z (got "2025-01-01T00:00:00")',
        ),
      ],
    ],
    [
      'an epoch end time',
      withTarget({ content_end_time: 1700000000 }),
      [v('target.content_end_time', 'must be an RFC 3339 timestamp such as 2023-11-07T05:31:56Z (got a number)')],
    ],
    [
      'an end before the start',
      withTarget({ content_start_time: '2025-01-01T00:00:00Z', content_end_time: '2024-01-01T00:00:00Z' }),
      [v('target.content_end_time', 'must be after target.content_start_time')],
    ],
    [
      'an end equal to the start',
      withTarget({ content_start_time: '2025-01-01T01:00:00+01:00', content_end_time: '2025-01-01T00:00:00Z' }),
      [v('target.content_end_time', 'must be after target.content_start_time')],
    ],
    [
      'applies_to_all with target ids',
      withFields({ applies_to_all: true }),
      [v('target', 'must be empty when applies_to_all is true')],
    ],
    [
      'applies_to_all with a window only',
      withFields({ applies_to_all: true, target: { content_start_time: '2024-01-01T00:00:00Z' } }),
      [v('target', 'must be empty when applies_to_all is true')],
    ],
    // prices
    [
      'offer_prices as an object',
      withFields({ offer_prices: PRICE }),
      [v('offer_prices', 'must be an array (got an object)')],
    ],
    [
      '101 prices',
      withFields({ offer_prices: list(101, () => PRICE) }),
      [v('offer_prices', 'must have at most 100 items (got 101)')],
    ],
    [
      'a price that is not an object',
      withFields({ offer_prices: [PRICE, 'EUR 9.99'] }),
      [v('offer_prices[1]', 'must be an object (got a string)')],
    ],
    ['a null price', withFields({ offer_prices: [null] }), [v('offer_prices[0]', 'must be an object (got null)')]],
    ['an unknown price field', withPrice({ amount: 1 }), [v('offer_prices[0].amount', 'unknown field')]],
    [
      'a camelCase price field',
      withPrice({ billingPeriod: 'BILLING_PERIOD_MONTHLY' }),
      [v('offer_prices[0].billingPeriod', 'unknown field (did you mean "billing_period"?)')],
    ],
    [
      'duplicate price ids',
      withFields({ offer_prices: [PRICE, { ...PRICE, id: 'other' }, PRICE] }),
      [v('offer_prices[2].id', 'duplicates offer_prices[0].id')],
    ],
    [
      'a 257-character price id',
      withPrice({ id: 'p'.repeat(257) }),
      [v('offer_prices[0].id', 'must be at most 256 characters')],
    ],
    [
      'a numeric stripe_product_id',
      withPrice({ stripe_product_id: 1 }),
      [v('offer_prices[0].stripe_product_id', 'must be a string (got a number)')],
    ],
    [
      'a 257-character app_store_product_id',
      withPrice({ app_store_product_id: 'a'.repeat(257) }),
      [v('offer_prices[0].app_store_product_id', 'must be at most 256 characters')],
    ],
    [
      'a 257-character play_store_sku',
      withPrice({ play_store_sku: 's'.repeat(257) }),
      [v('offer_prices[0].play_store_sku', 'must be at most 256 characters')],
    ],
    [
      'a decimal price priority',
      withPrice({ priority: 'high' }),
      [v('offer_prices[0].priority', 'must be an int64 decimal string (digits with an optional leading -)')],
    ],
    [
      'a billing period number',
      withPrice({ billing_period: 3 }),
      [v('offer_prices[0].billing_period', `${ONE_OF_BILLING} (got 3)`)],
    ],
    [
      'an unknown billing period',
      withPrice({ billing_period: 'MONTHLY' }),
      [v('offer_prices[0].billing_period', `${ONE_OF_BILLING} (got "MONTHLY")`)],
    ],
    [
      'an unknown access period',
      withPrice({ access_period: 'ACCESS_PERIOD_FOREVER' }),
      [v('offer_prices[0].access_period', `${ONE_OF_ACCESS} (got "ACCESS_PERIOD_FOREVER")`)],
    ],
    // money
    [
      'nanos out of range',
      withPrice({ price: { currency_code: 'EUR', units: '9', nanos: 1000000000 } }),
      [v('offer_prices[0].price.nanos', 'must be an integer from -999999999 to 999999999 (got 1000000000)')],
    ],
    [
      'fractional nanos',
      withPrice({ price: { currency_code: 'EUR', nanos: 1.5 } }),
      [v('offer_prices[0].price.nanos', 'must be an integer from -999999999 to 999999999 (got 1.5)')],
    ],
    [
      'nanos against the sign of units',
      withPrice({ price: { currency_code: 'EUR', units: '9', nanos: -1 } }),
      [v('offer_prices[0].price.nanos', 'must have the same sign as units')],
    ],
    [
      'a negative price',
      withPrice({ price: { currency_code: 'EUR', units: '-9', nanos: -990000000 } }),
      [v('offer_prices[0].price', 'must not be negative')],
    ],
    [
      'a negative msrp',
      withPrice({ msrp_price: { currency_code: 'EUR', nanos: -1 } }),
      [v('offer_prices[0].msrp_price', 'must not be negative')],
    ],
    [
      'a lower-case currency',
      withPrice({ price: { currency_code: 'eur', units: '9' } }),
      [
        v(
          'offer_prices[0].price.currency_code',
          'must be an upper-case ISO 4217 currency code such as EUR (got "eur")',
        ),
      ],
    ],
    [
      'an unknown currency',
      withPrice({ msrp_price: { currency_code: 'EUD', units: '9' } }),
      [
        v(
          'offer_prices[0].msrp_price.currency_code',
          'must be an upper-case ISO 4217 currency code such as EUR (got "EUD")',
        ),
      ],
    ],
    [
      'a missing currency',
      withPrice({ price: { units: '9' } }),
      [v('offer_prices[0].price.currency_code', 'is required: an upper-case ISO 4217 currency code such as EUR')],
    ],
    [
      'decimal units',
      withPrice({ price: { currency_code: 'EUR', units: '9.99' } }),
      [v('offer_prices[0].price.units', 'must be an int64 decimal string (digits with an optional leading -)')],
    ],
    [
      'float units',
      withPrice({ price: { currency_code: 'EUR', units: 9.99 } }),
      [v('offer_prices[0].price.units', 'must be an int64 decimal string (got a non-integer number)')],
    ],
    [
      'an unknown money field',
      withPrice({ price: { currency_code: 'EUR', units: '9', amount: '9.99' } }),
      [v('offer_prices[0].price.amount', 'unknown field')],
    ],
    [
      'a price that is a number',
      withPrice({ price: 9.99 }),
      [v('offer_prices[0].price', 'must be an object (got a number)')],
    ],
    // geo restrictions
    [
      'a geo restriction that is a list',
      withPrice({ geo_restrictions_allow: ['FR'] }),
      [v('offer_prices[0].geo_restrictions_allow', 'must be an object (got an array)')],
    ],
    [
      'an unknown geo restriction field',
      withPrice({ geo_restrictions_allow: { country_codes: ['FR'], regions: ['EU'] } }),
      [v('offer_prices[0].geo_restrictions_allow.regions', 'unknown field')],
    ],
    [
      'a lower-case country code',
      withPrice({ geo_restrictions_allow: { country_codes: ['FR', 'be'] } }),
      [v('offer_prices[0].geo_restrictions_allow.country_codes[1]', `${COUNTRY} (got "be")`)],
    ],
    [
      'an alpha-3 country code',
      withPrice({ geo_restrictions_allow: null, geo_restrictions_disallow: { country_codes: ['RUS'] } }),
      [v('offer_prices[0].geo_restrictions_disallow.country_codes[0]', `${COUNTRY} (got "RUS")`)],
    ],
    [
      'an unassigned country code',
      withPrice({ geo_restrictions_allow: { country_codes: ['UK'] } }),
      [v('offer_prices[0].geo_restrictions_allow.country_codes[0]', `${COUNTRY} (got "UK")`)],
    ],
    [
      'a numeric country code',
      withPrice({ geo_restrictions_allow: { country_codes: [250] } }),
      [v('offer_prices[0].geo_restrictions_allow.country_codes[0]', 'must be a string (got a number)')],
    ],
    [
      'country codes as a string',
      withPrice({ geo_restrictions_allow: { country_codes: 'FR' } }),
      [v('offer_prices[0].geo_restrictions_allow.country_codes', 'must be an array (got a string)')],
    ],
    [
      '301 country codes',
      withPrice({ geo_restrictions_allow: { country_codes: list(301, () => 'FR') } }),
      [v('offer_prices[0].geo_restrictions_allow.country_codes', 'must have at most 300 items (got 301)')],
    ],
    [
      'allow and disallow lists together',
      withPrice({ geo_restrictions_disallow: { country_codes: ['RU'] } }),
      [
        v(
          'offer_prices[0].geo_restrictions_disallow',
          'cannot be set together with geo_restrictions_allow (ambiguous: allow already limits the price to its countries)',
        ),
      ],
    ],
  ])('refuses %s', (_, body, violations) => {
    const result = validateOfferInput(body);
    expect(result.violations).toEqual(violations);
    expect(result.value).toBeUndefined();
  });

  it('reports every violation of a body at once, in field order', () => {
    const body = {
      project_id: 1,
      name: '',
      colour: 'red',
      localized_title: { EN: 'x' },
      applies_to_all: true,
      target: { entity_ids: ['a'] },
      offer_prices: [{ price: { currency_code: 'EUR', units: '-1' }, billing_period: 'MONTHLY' }],
      visibility: 2,
    };
    expect(validateOfferInput(body).violations).toEqual([
      v('colour', 'unknown field'),
      v('project_id', 'must be a string (got a number)'),
      v('name', 'must be 1 to 200 characters'),
      v('localized_title.EN', `key "EN" ${LOCALE}`),
      v('offer_prices[0].price', 'must not be negative'),
      v('offer_prices[0].billing_period', `${ONE_OF_BILLING} (got "MONTHLY")`),
      v('visibility', `${ONE_OF_VISIBILITY} (got 2)`),
      v('target', 'must be empty when applies_to_all is true'),
    ]);
  });

  it('prefixes every path with pathPrefix', () => {
    const body = withFields({
      name: '',
      target: { ...TARGET, entity_ids: [1] },
      offer_prices: [{ price: { currency_code: 'eur' } }],
    });
    expect(validateOfferInput(body, { pathPrefix: 'offer' }).violations).toEqual([
      v('offer.name', 'must be 1 to 200 characters'),
      v('offer.target.entity_ids[0]', 'must be a string (got a number)'),
      v(
        'offer.offer_prices[0].price.currency_code',
        'must be an upper-case ISO 4217 currency code such as EUR (got "eur")',
      ),
    ]);
    expect(validateOfferInput(withFields({ applies_to_all: true }), { pathPrefix: 'offer' }).violations).toEqual([
      v('offer.target', 'must be empty when applies_to_all is true'),
    ]);
  });

  it.each([
    [null, 'null'],
    [[BODY], 'an array'],
    ['offer', 'a string'],
    [undefined, 'undefined'],
  ])('refuses a body that is %p', (body, type) => {
    expect(validateOfferInput(body).violations).toEqual([v('offer', `must be an object (got ${type})`)]);
    expect(validateOfferInput(body, { pathPrefix: 'body.offer' }).violations).toEqual([
      v('body.offer', `must be an object (got ${type})`),
    ]);
  });
});

describe('validateOfferInput: partial (updates)', () => {
  it('requires nothing', () => {
    const result = validateOfferInput({ priority: '5' }, { partial: true });
    expect(result.violations).toEqual([]);
    expect(result.value).toMatchObject({ projectId: '', name: '', priority: '5' });
  });

  it('still checks every field present', () => {
    expect(validateOfferInput({ name: '', project_id: 'X', nme: 'x' }, { partial: true }).violations).toEqual([
      { field: 'nme', description: 'unknown field' },
      { field: 'project_id', description: 'must be 3 to 63 characters' },
      { field: 'name', description: 'must be 1 to 200 characters' },
    ]);
  });

  it('leaves the rules across fields to applyOfferUpdate', () => {
    const body = {
      applies_to_all: true,
      target: {
        entity_ids: ['a'],
        content_start_time: '2025-01-01T00:00:00Z',
        content_end_time: '2024-01-01T00:00:00Z',
      },
    };
    expect(validateOfferInput(body, { partial: true }).violations).toEqual([]);
  });
});
