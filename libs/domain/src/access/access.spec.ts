import { Entitlement, EntitlementOrigin, EntitlementStatus, ValidityType } from '../entitlements/entitlement';
import { AccessPeriod, BillingPeriod, emptyTarget, Offer, OfferFields, OfferPrice, Visibility } from '../offers/offer';
import { AccessBasis, AccessReason, decideAccess, Viewer } from './access-decision';
import { allocateSlot, LiveSession, OnLimit } from './concurrency';
import { Content, ContentKind, EU_MEMBER_STATES } from './content';
import { offerAvailableIn, offerCovers, rentalPeriodOf } from './offer-access';

const d = (s: string) => new Date(s);
const NOW = d('2026-06-01T12:00:00Z');

function price(over: Partial<OfferPrice> = {}): OfferPrice {
  return {
    id: 'p',
    billingPeriod: BillingPeriod.OneTime,
    accessPeriod: AccessPeriod.Unspecified,
    geoRestrictionsAllow: [],
    geoRestrictionsDisallow: [],
    priority: '0',
    stripeProductId: '',
    appStoreProductId: '',
    playStoreSku: '',
    ...over,
  };
}

function offer(id: string, over: Partial<OfferFields> & { createdAt?: Date } = {}): Offer {
  return new Offer({
    id,
    projectId: 'p',
    name: id,
    localizedTitle: {},
    localizedDescription: {},
    cleengOfferId: '',
    appliesToAll: false,
    target: emptyTarget(),
    localizedLogoAssetId: {},
    localizedImageAssetId: {},
    offerPrices: [],
    priority: '0',
    visibility: Visibility.Published,
    videoProtectionRulesetId: '',
    createdAt: d('2026-01-01T00:00:00Z'),
    ...over,
  });
}

function entitlement(id: string, productId: string, over: Partial<Entitlement> = {}): Entitlement {
  return new Entitlement({
    id,
    projectId: 'p',
    subjectId: 'viewer',
    productId,
    status: EntitlementStatus.Active,
    origin: EntitlementOrigin.Motto,
    ...over,
  });
}

const EVENT: Content = {
  kind: ContentKind.Event,
  id: 'ev-1',
  entityIds: ['team-a'],
  startTime: d('2026-06-01T18:00:00Z'),
};
const target = (over: Partial<Offer['target']>) => ({ ...emptyTarget(), ...over });
const viewer = (over: Partial<Viewer> = {}): Viewer => ({ countryCode: 'FR', deviceSpecificProducts: false, ...over });

describe('offerCovers', () => {
  it.each([
    ['applies to all', { appliesToAll: true }, EVENT, true],
    ['names the event', { target: target({ eventIds: ['ev-1'] }) }, EVENT, true],
    ['names another event', { target: target({ eventIds: ['ev-2'] }) }, EVENT, false],
    ['names it as a creative work (wrong kind)', { target: target({ creativeWorkIds: ['ev-1'] }) }, EVENT, false],
    ['names one of its entities', { target: target({ entityIds: ['team-b', 'team-a'] }) }, EVENT, true],
    [
      'names a creative work',
      { target: target({ creativeWorkIds: ['cw-1'] }) },
      { kind: ContentKind.CreativeWork, id: 'cw-1', entityIds: [] },
      true,
    ],
    [
      'window contains the start',
      {
        target: target({
          eventIds: ['ev-1'],
          contentStartTime: d('2026-06-01T00:00:00Z'),
          contentEndTime: d('2026-06-02T00:00:00Z'),
        }),
      },
      EVENT,
      true,
    ],
    [
      'window starts at the start (inclusive)',
      { target: target({ eventIds: ['ev-1'], contentStartTime: d('2026-06-01T18:00:00Z') }) },
      EVENT,
      true,
    ],
    [
      'window ends at the start (exclusive)',
      { target: target({ eventIds: ['ev-1'], contentEndTime: d('2026-06-01T18:00:00Z') }) },
      EVENT,
      false,
    ],
    [
      'window before the start',
      { target: target({ entityIds: ['team-a'], contentEndTime: d('2026-05-01T00:00:00Z') }) },
      EVENT,
      false,
    ],
    [
      'window and no start time',
      { target: target({ eventIds: ['ev-1'], contentStartTime: d('2026-01-01T00:00:00Z') }) },
      { ...EVENT, startTime: undefined },
      false,
    ],
    ['empty target', {}, EVENT, false],
  ])('%s: %s', (_, over, content, expected) => {
    expect(offerCovers(offer('o', over as Partial<OfferFields>), content)).toBe(expected);
  });
});

describe('offerAvailableIn', () => {
  it.each([
    ['no prices', [], 'FR', true],
    ['a price without restriction', [price()], 'FR', true],
    ['allow list with the country', [price({ geoRestrictionsAllow: ['FR', 'BE'] })], 'FR', true],
    ['allow list without it', [price({ geoRestrictionsAllow: ['DE'] })], 'FR', false],
    ['disallow list with it', [price({ geoRestrictionsDisallow: ['FR'] })], 'FR', false],
    ['disallow list without it', [price({ geoRestrictionsDisallow: ['US'] })], 'FR', true],
    [
      'one price of several allows it',
      [price({ geoRestrictionsAllow: ['DE'] }), price({ geoRestrictionsAllow: ['FR'] })],
      'FR',
      true,
    ],
  ])('%s', (_, prices, country, expected) => {
    expect(offerAvailableIn(offer('o', { offerPrices: prices }), country)).toBe(expected);
  });
});

describe('rentalPeriodOf', () => {
  it.each([
    [[], undefined],
    [[AccessPeriod.Unspecified], undefined],
    [[AccessPeriod.Day, AccessPeriod.Week], AccessPeriod.Week],
    [[AccessPeriod.Hour, AccessPeriod.Year, AccessPeriod.Month], AccessPeriod.Year],
    [[AccessPeriod.Day, AccessPeriod.Lifetime], undefined],
  ])('%j → %s', (periods, expected) => {
    expect(rentalPeriodOf(offer('o', { offerPrices: periods.map((accessPeriod) => price({ accessPeriod })) }))).toBe(
      expected,
    );
  });
});

describe('decideAccess', () => {
  const covering = offer('o-1', { appliesToAll: true, concurrencyLimit: '2' });
  const decide = (entitlements: Entitlement[], v: Viewer = viewer(), offers: Offer[] = [covering], at = NOW) =>
    decideAccess({ content: EVENT, at, viewer: v, offers, entitlements });

  it.each<[string, Entitlement[], AccessReason]>([
    ['a valid entitlement', [entitlement('e', 'o-1')], AccessReason.Granted],
    ['none', [], AccessReason.EntitlementMissing],
    ['one to another product', [entitlement('e', 'other')], AccessReason.EntitlementMissing],
    [
      'revoked',
      [entitlement('e', 'o-1', { status: EntitlementStatus.Revoked, revokedAt: d('2026-05-01') })],
      AccessReason.EntitlementExpired,
    ],
    ['ended', [entitlement('e', 'o-1', { validUntil: d('2026-06-01T12:00:00Z') })], AccessReason.EntitlementExpired],
    ['not begun', [entitlement('e', 'o-1', { validFrom: d('2026-06-01T12:00:00.001Z') })], AccessReason.NotYetValid],
    ['begins now (inclusive)', [entitlement('e', 'o-1', { validFrom: NOW })], AccessReason.Granted],
    [
      'expired and not yet valid: the closer refusal',
      [
        entitlement('a', 'o-1', { validUntil: d('2026-01-01') }),
        entitlement('b', 'o-1', { validFrom: d('2027-01-01') }),
      ],
      AccessReason.NotYetValid,
    ],
    [
      'one expired, one valid',
      [entitlement('a', 'o-1', { validUntil: d('2026-01-01') }), entitlement('b', 'o-1')],
      AccessReason.Granted,
    ],
  ])('%s → %s', (_, entitlements, reason) => {
    const decision = decide(entitlements);
    expect(decision.reason).toBe(reason);
    expect(decision.granted).toBe(reason === AccessReason.Granted);
  });

  it('answers NO_OFFER when nothing covers the content, apart from ENTITLEMENT_MISSING', () => {
    expect(
      decide([entitlement('e', 'o-2')], viewer(), [offer('o-2', { target: target({ eventIds: ['ev-9'] }) })]).reason,
    ).toBe(AccessReason.NoOffer);
  });

  it('grants with the limit of the entitlement, else of its offer', () => {
    expect(decide([entitlement('e', 'o-1')]).grants[0]).toMatchObject({
      offer: covering,
      basis: AccessBasis.Entitlement,
      concurrencyLimit: '2',
    });
    expect(decide([entitlement('e', 'o-1', { concurrencyLimit: '5' })]).grants[0].concurrencyLimit).toBe('5');
    expect(
      decide([entitlement('e', 'o-1')], viewer(), [offer('o-1', { appliesToAll: true })]).grants[0].concurrencyLimit,
    ).toBeUndefined();
  });

  it('prefers unlimited, then the latest end', () => {
    const grants = decide(
      [
        entitlement('short', 'o-1', { validUntil: d('2026-07-01') }),
        entitlement('long', 'o-1', { validUntil: d('2026-12-01') }),
        entitlement('unlimited', 'o-1', { concurrencyLimit: undefined, validUntil: d('2026-06-02') }),
      ],
      viewer(),
      [offer('o-1', { appliesToAll: true, concurrencyLimit: '1' })],
    ).grants;
    // The offer's limit applies to all three: 'unlimited' has none of its own, so it is limited too.
    expect(grants.map((g) => g.entitlement.id)).toEqual(['long', 'short', 'unlimited']);
    const open = decide(
      [entitlement('capped', 'o-1', { concurrencyLimit: '3' }), entitlement('free', 'o-x')],
      viewer(),
      [covering, offer('o-x', { appliesToAll: true })],
    ).grants;
    expect(open.map((g) => g.entitlement.id)).toEqual(['free', 'capped']);
  });

  describe('device-specific products', () => {
    const onDevice = entitlement('e', 'o-1', { deviceId: 'stb-1' });
    it.each([
      [true, 'stb-1', AccessReason.Granted],
      [true, 'stb-2', AccessReason.DeviceNotAllowed],
      [true, undefined, AccessReason.DeviceNotAllowed],
      [false, 'stb-2', AccessReason.Granted],
    ])('switch %s, device %s → %s', (deviceSpecificProducts, deviceId, reason) => {
      expect(decide([onDevice], viewer({ deviceSpecificProducts, deviceId })).reason).toBe(reason);
    });
  });

  describe('RELATIVE rentals', () => {
    const rental = offer('o-1', { appliesToAll: true, offerPrices: [price({ accessPeriod: AccessPeriod.Day })] });
    const relative = (over: Partial<Entitlement>) =>
      entitlement('e', 'o-1', {
        validityType: ValidityType.Relative,
        validFrom: d('2026-05-01'),
        validUntil: d('2026-12-31'),
        ...over,
      });
    it.each([
      ['not yet viewed: the consumption window', {}, NOW, AccessReason.Granted, d('2026-12-31')],
      [
        'viewed an hour ago: a day from first view',
        { firstView: d('2026-06-01T11:00:00Z') },
        NOW,
        AccessReason.Granted,
        d('2026-06-02T11:00:00Z'),
      ],
      ['viewed a day ago', { firstView: d('2026-05-31T12:00:00Z') }, NOW, AccessReason.EntitlementExpired, undefined],
      [
        'rental never past the expiry',
        { firstView: d('2026-12-30T12:00:00Z') },
        d('2026-12-30T13:00:00Z'),
        AccessReason.Granted,
        d('2026-12-31'),
      ],
    ])('%s', (_, over, at, reason, until) => {
      const decision = decide([relative(over)], viewer(), [rental], at);
      expect(decision.reason).toBe(reason);
      if (until) expect(decision.grants[0].validUntil).toEqual(until);
    });
  });

  describe('geo and EU portability', () => {
    const noFR = offer('o-1', { appliesToAll: true, offerPrices: [price({ geoRestrictionsDisallow: ['FR'] })] });
    const deOnly = offer('o-1', { appliesToAll: true, offerPrices: [price({ geoRestrictionsAllow: ['DE'] })] });
    it.each([
      ['available where the viewer is', noFR, undefined, 'DE', AccessReason.Granted, AccessBasis.Entitlement],
      ['bought in DE, watched in FR', deOnly, 'DE', 'FR', AccessReason.Granted, AccessBasis.EuPortability],
      ['bought in US, watched in FR, FR excluded', noFR, 'US', 'FR', AccessReason.GeoBlocked, undefined],
      ['bought in DE, watched in US', deOnly, 'DE', 'US', AccessReason.GeoBlocked, undefined],
      [
        'bought in FR, watched in DE, not available in FR',
        noFR,
        'FR',
        'DE',
        AccessReason.Granted,
        AccessBasis.Entitlement,
      ],
      ['no origin, watched in FR, FR excluded', noFR, undefined, 'FR', AccessReason.GeoBlocked, undefined],
      ['bought in BE (not available there), watched in FR', deOnly, 'BE', 'FR', AccessReason.GeoBlocked, undefined],
    ])('%s', (_, theOffer, origin, country, reason, basis) => {
      const decision = decide(
        [entitlement('e', 'o-1', { originCountryCode: origin })],
        viewer({ countryCode: country }),
        [theOffer],
      );
      expect(decision.reason).toBe(reason);
      expect(decision.grants[0]?.basis).toBe(basis);
    });

    it('lists the 27 member states', () => {
      expect(EU_MEMBER_STATES.size).toBe(27);
      expect(EU_MEMBER_STATES.has('GR')).toBe(true);
      expect(EU_MEMBER_STATES.has('GB')).toBe(false);
    });
  });

  it('shows the published offers available in the country, highest priority first', () => {
    const offers = [
      offer('low', { appliesToAll: true, priority: '1' }),
      offer('high', { appliesToAll: true, priority: '10' }),
      offer('hidden', { appliesToAll: true, priority: '99', visibility: Visibility.Hidden }),
      offer('not-here', { appliesToAll: true, priority: '50', offerPrices: [price({ geoRestrictionsAllow: ['DE'] })] }),
      offer('other-content', { target: target({ eventIds: ['ev-9'] }), priority: '60' }),
      offer('older-same', { appliesToAll: true, priority: '10', createdAt: d('2025-01-01') }),
    ];
    expect(decide([], viewer(), offers).offers.map((o) => o.id)).toEqual(['older-same', 'high', 'low']);
  });
});

describe('allocateSlot', () => {
  const grant = (id: string, concurrencyLimit?: string) => ({
    entitlement: entitlement(id, 'o'),
    offer: offer('o'),
    basis: AccessBasis.Entitlement,
    concurrencyLimit,
  });
  const session = (id: string, entitlementId: string, deviceId: string, minute: number): LiveSession => ({
    id,
    entitlementId,
    deviceId,
    startedAt: new Date(Date.UTC(2026, 5, 1, 12, minute)),
  });
  const two = [session('s1', 'a', 'tv', 1), session('s2', 'a', 'phone', 2)];

  it.each([
    ['a free slot', [grant('a', '3')], two, 'tablet', OnLimit.Refuse, { grant: 'a' }],
    ['unlimited', [grant('a')], two, 'tablet', OnLimit.Refuse, { grant: 'a' }],
    ['full', [grant('a', '2')], two, 'tablet', OnLimit.Refuse, undefined],
    [
      'full, the same device again replaces its session',
      [grant('a', '2')],
      two,
      'phone',
      OnLimit.Refuse,
      { grant: 'a', replaces: 's2' },
    ],
    ['full, evict the oldest', [grant('a', '2')], two, 'tablet', OnLimit.EvictOldest, { grant: 'a', evicts: 's1' }],
    [
      'the first full, the second free',
      [grant('a', '2'), grant('b', '1')],
      two,
      'tablet',
      OnLimit.Refuse,
      { grant: 'b' },
    ],
    ['sessions of other entitlements do not count', [grant('b', '1')], two, 'tablet', OnLimit.Refuse, { grant: 'b' }],
  ])('%s', (_, grants, live, device, onLimit, expected) => {
    const result = allocateSlot(grants, live, device, onLimit);
    if (!expected) return expect(result.granted).toBe(false);
    if (!result.granted) throw new Error('expected a slot');
    expect({ grant: result.grant.entitlement.id, replaces: result.replaces?.id, evicts: result.evicts?.id }).toEqual({
      replaces: undefined,
      evicts: undefined,
      ...expected,
    });
  });
});
