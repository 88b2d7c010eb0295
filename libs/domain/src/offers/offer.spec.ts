import {
  AccessPeriod,
  BillingPeriod,
  Offer,
  OfferPrice,
  Visibility,
  accessPeriodEnd,
  emptyTarget,
  isPriceOfferedIn,
  isTargetEmpty,
} from './offer';

describe('offer enums', () => {
  it('carry the wire names', () => {
    expect(Object.values(Visibility)).toEqual([
      'VISIBILITY_UNSPECIFIED',
      'VISIBILITY_PUBLISHED',
      'VISIBILITY_UNLISTED',
      'VISIBILITY_HIDDEN',
    ]);
    expect(Object.values(BillingPeriod)).toEqual([
      'BILLING_PERIOD_UNSPECIFIED',
      'BILLING_PERIOD_ONE_TIME',
      'BILLING_PERIOD_WEEKLY',
      'BILLING_PERIOD_MONTHLY',
      'BILLING_PERIOD_QUARTERLY',
      'BILLING_PERIOD_YEARLY',
    ]);
    expect(Object.values(AccessPeriod)).toEqual([
      'ACCESS_PERIOD_UNSPECIFIED',
      'ACCESS_PERIOD_HOUR',
      'ACCESS_PERIOD_DAY',
      'ACCESS_PERIOD_WEEK',
      'ACCESS_PERIOD_MONTH',
      'ACCESS_PERIOD_YEAR',
      'ACCESS_PERIOD_LIFETIME',
    ]);
  });
});

describe('accessPeriodEnd', () => {
  it.each([
    ['2024-03-10T12:30:00.250Z', AccessPeriod.Hour, '2024-03-10T13:30:00.250Z'],
    ['2024-03-10T23:30:00Z', AccessPeriod.Hour, '2024-03-11T00:30:00.000Z'],
    ['2024-03-10T12:30:00Z', AccessPeriod.Day, '2024-03-11T12:30:00.000Z'],
    ['2024-02-28T12:00:00Z', AccessPeriod.Day, '2024-02-29T12:00:00.000Z'],
    ['2024-12-31T12:00:00Z', AccessPeriod.Day, '2025-01-01T12:00:00.000Z'],
    ['2024-03-30T01:00:00Z', AccessPeriod.Week, '2024-04-06T01:00:00.000Z'],
    ['2024-01-15T08:00:00Z', AccessPeriod.Month, '2024-02-15T08:00:00.000Z'],
    ['2024-01-31T08:00:00Z', AccessPeriod.Month, '2024-02-29T08:00:00.000Z'],
    ['2023-01-31T08:00:00Z', AccessPeriod.Month, '2023-02-28T08:00:00.000Z'],
    ['2024-03-31T08:00:00Z', AccessPeriod.Month, '2024-04-30T08:00:00.000Z'],
    ['2024-12-31T23:59:59Z', AccessPeriod.Month, '2025-01-31T23:59:59.000Z'],
    ['2023-06-15T00:00:00Z', AccessPeriod.Year, '2024-06-15T00:00:00.000Z'],
    ['2024-02-29T10:00:00Z', AccessPeriod.Year, '2025-02-28T10:00:00.000Z'],
  ])('from %s for %s ends at %s', (start, period, end) =>
    expect(accessPeriodEnd(new Date(start), period)?.toISOString()).toBe(end),
  );

  it.each([AccessPeriod.Lifetime, AccessPeriod.Unspecified])('never ends for %s', (period) =>
    expect(accessPeriodEnd(new Date('2024-01-01T00:00:00Z'), period)).toBeUndefined(),
  );

  it('does not modify the start', () => {
    const start = new Date('2024-01-31T00:00:00Z');
    accessPeriodEnd(start, AccessPeriod.Month);
    expect(start.toISOString()).toBe('2024-01-31T00:00:00.000Z');
  });
});

describe('targets', () => {
  it.each([
    [{ entityIds: ['e'] }, false],
    [{ eventIds: ['e'] }, false],
    [{ creativeWorkIds: ['c'] }, false],
    [{ contentStartTime: new Date(0) }, false],
    [{ contentEndTime: new Date(0) }, false],
    [{}, true],
  ])('%j is empty: %s', (partial, empty) => expect(isTargetEmpty({ ...emptyTarget(), ...partial })).toBe(empty));
});

describe('isPriceOfferedIn', () => {
  const price = (allow: string[], disallow: string[]): OfferPrice => ({
    id: 'p',
    billingPeriod: BillingPeriod.OneTime,
    accessPeriod: AccessPeriod.Lifetime,
    geoRestrictionsAllow: allow,
    geoRestrictionsDisallow: disallow,
    priority: '0',
    stripeProductId: '',
    appStoreProductId: '',
    playStoreSku: '',
  });

  it.each([
    [[], [], 'FR', true],
    [[], [], undefined, true],
    [['FR', 'BE'], [], 'FR', true],
    [['FR', 'BE'], [], 'DE', false],
    [['FR', 'BE'], [], undefined, false],
    [[], ['RU'], 'RU', false],
    [[], ['RU'], 'FR', true],
    [[], ['RU'], undefined, true],
  ])('allow %j, disallow %j, in %p: %s', (allow, disallow, country, offered) =>
    expect(isPriceOfferedIn(price(allow, disallow), country)).toBe(offered),
  );
});

describe('Offer', () => {
  const fields = {
    projectId: 'rtt-show',
    name: 'Season pass',
    localizedTitle: { en: 'Season pass' },
    localizedDescription: {},
    cleengOfferId: '',
    appliesToAll: true,
    target: emptyTarget(),
    localizedLogoAssetId: {},
    localizedImageAssetId: {},
    offerPrices: [],
    priority: '0',
    visibility: Visibility.Published,
    videoProtectionRulesetId: '',
  };

  it('stamps creation with now', () => {
    const now = new Date('2024-01-01T00:00:00Z');
    const offer = new Offer({ ...fields, id: 'o1', now });
    expect(offer).toMatchObject({ id: 'o1', name: 'Season pass', createdAt: now, updatedAt: now });
    expect(offer.concurrencyLimit).toBeUndefined();
  });

  it('keeps given timestamps', () => {
    const createdAt = new Date('2023-01-01T00:00:00Z');
    const updatedAt = new Date('2023-06-01T00:00:00Z');
    const offer = new Offer({ ...fields, id: 'o1', createdAt, updatedAt, concurrencyLimit: '2' });
    expect(offer).toMatchObject({ createdAt, updatedAt, concurrencyLimit: '2' });
  });
});
