import { AccessPeriod, BillingPeriod, OfferFields, Visibility } from '@app/domain';

/** Wire offers and their domain values, shared by the reader and update-mask tests. */
export const PRICE = {
  id: 'monthly-eur',
  msrp_price: { currency_code: 'EUR', units: '12', nanos: 990000000 },
  price: { currency_code: 'EUR', units: '9', nanos: 990000000 },
  billing_period: 'BILLING_PERIOD_MONTHLY',
  access_period: 'ACCESS_PERIOD_MONTH',
  geo_restrictions_allow: { country_codes: ['FR', 'BE'] },
  geo_restrictions_disallow: { country_codes: [] },
  priority: '2',
  stripe_product_id: 'prod_1',
  app_store_product_id: 'com.example.monthly',
  play_store_sku: 'monthly',
};

export const TARGET = {
  entity_ids: ['team-1'],
  event_ids: ['ev-1', 'ev-2'],
  creative_work_ids: [],
  content_start_time: '2024-08-01T00:00:00Z',
  content_end_time: '2025-07-01T01:59:59+02:00',
};

/** A complete wire offer, as in the create example of the public documentation, with real values. */
export const BODY = {
  project_id: 'rtt-show',
  name: 'Season pass 2024',
  localized_title: { en: 'Season pass', 'fr-BE': 'Pass saison' },
  localized_description: { en: 'All matches of the season' },
  cleeng_offer_id: 'S123456789_FR',
  applies_to_all: false,
  target: TARGET,
  localized_logo_asset_id: { en: 'asset-logo' },
  localized_image_asset_id: {},
  offer_prices: [PRICE],
  priority: '10',
  concurrency_limit: '2',
  visibility: 'VISIBILITY_PUBLISHED',
  video_protection_ruleset_id: 'ruleset-1',
};

export const VALUE: OfferFields = {
  projectId: 'rtt-show',
  name: 'Season pass 2024',
  localizedTitle: { en: 'Season pass', 'fr-BE': 'Pass saison' },
  localizedDescription: { en: 'All matches of the season' },
  cleengOfferId: 'S123456789_FR',
  appliesToAll: false,
  target: {
    entityIds: ['team-1'],
    eventIds: ['ev-1', 'ev-2'],
    creativeWorkIds: [],
    contentStartTime: new Date('2024-08-01T00:00:00Z'),
    contentEndTime: new Date('2025-06-30T23:59:59Z'),
  },
  localizedLogoAssetId: { en: 'asset-logo' },
  localizedImageAssetId: {},
  offerPrices: [
    {
      id: 'monthly-eur',
      msrpPrice: { currencyCode: 'EUR', units: '12', nanos: 990000000 },
      price: { currencyCode: 'EUR', units: '9', nanos: 990000000 },
      billingPeriod: BillingPeriod.Monthly,
      accessPeriod: AccessPeriod.Month,
      geoRestrictionsAllow: ['FR', 'BE'],
      geoRestrictionsDisallow: [],
      priority: '2',
      stripeProductId: 'prod_1',
      appStoreProductId: 'com.example.monthly',
      playStoreSku: 'monthly',
    },
  ],
  priority: '10',
  concurrencyLimit: '2',
  visibility: Visibility.Published,
  videoProtectionRulesetId: 'ruleset-1',
};

export const withFields = (fields: Record<string, unknown>) => ({ ...BODY, ...fields });
export const withTarget = (fields: Record<string, unknown>) => withFields({ target: { ...TARGET, ...fields } });
export const withPrice = (fields: Record<string, unknown>) => withFields({ offer_prices: [{ ...PRICE, ...fields }] });
export const list = <T>(n: number, item: (i: number) => T): T[] => Array.from({ length: n }, (_, i) => item(i));
export const map = (n: number, value: string) => Object.fromEntries(list(n, (i) => i).map((i) => [LOCALES[i], value]));
/** 250 distinct valid locale keys: languages, then languages with regions. */
export const LOCALES = ['en', 'de', 'fr', 'nl', 'it', 'es', 'pt', 'da', 'sv', 'fi'].flatMap((l) => [
  l,
  ...[
    'US',
    'GB',
    'FR',
    'BE',
    'DE',
    'NL',
    'IT',
    'ES',
    'PT',
    'DK',
    'SE',
    'FI',
    'CA',
    'AU',
    'IE',
    'AT',
    'CH',
    'LU',
    'MX',
    'AR',
    'BR',
    'CL',
    'CO',
    'PE',
  ].map((r) => `${l}-${r}`),
]);
export const COUNTRIES = [
  'AD',
  'AE',
  'AF',
  'AG',
  'AI',
  'AL',
  'AM',
  'AO',
  'AQ',
  'AR',
  'AS',
  'AT',
  'AU',
  'AW',
  'AX',
  'AZ',
];
