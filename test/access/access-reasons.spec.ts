import { TestApp } from '../support/test-app';
import { AccessWorld, event } from './access-support';

const creativeWork = (id: string, extra: Record<string, unknown> = {}) => ({ kind: 'CREATIVE_WORK', id, ...extra });

/** Every refusal reason, from entitlements created through the Motto-style API and through the CRM gateway. */
describe('access reasons from both API styles', () => {
  let t: TestApp;
  let w: AccessWorld;
  let pass: string;
  let other: string;
  const EV = event('ev-1');

  beforeAll(async () => {
    t = await TestApp.start();
    w = await new AccessWorld(t, 'reasons').init();
    pass = await w.offer({
      name: 'Final pass',
      concurrency_limit: '1',
      target: { event_ids: ['ev-1'] },
      offer_prices: [
        { price: { currency_code: 'EUR', units: '9' }, geo_restrictions_disallow: { country_codes: ['US'] } },
      ],
    });
    other = await w.offer({ name: 'Other', target: { event_ids: ['ev-2'] } });
  });
  afterAll(() => t.close());

  const expectReason = async (user: string, reason: string, extra: Record<string, unknown> = {}, content = EV) => {
    const res = await w.check(user, content, extra);
    expect(res.status).toBe(200);
    expect(res.body.access_check).toMatchObject({ reason, granted: reason === 'GRANTED' });
    if (reason !== 'GRANTED') {
      expect(res.body.access_check).toMatchObject({ basis: null, entitlement: null, offer_id: null });
    }
    return res.body.access_check;
  };

  it('NO_OFFER: nothing covers the content, whatever the viewer holds (both styles)', async () => {
    await w.entitle('m-no-offer', pass);
    await w.crmEntitle('c-no-offer', pass);
    for (const user of ['m-no-offer', 'c-no-offer']) {
      const check = await expectReason(user, 'NO_OFFER', {}, event('ev-unsold'));
      expect(check.offers).toEqual([]);
    }
  });

  it('ENTITLEMENT_MISSING: for sale, and the viewer holds nothing or only another offer (both styles)', async () => {
    await w.entitle('m-other', other);
    await w.crmEntitle('c-other', other);
    await w.crmEntitle('c-unknown-product', 'no-such-product');
    for (const user of ['nobody', 'm-other', 'c-other', 'c-unknown-product']) {
      const check = await expectReason(user, 'ENTITLEMENT_MISSING');
      expect(check.offers.map((o: { id: string }) => o.id)).toEqual([pass]);
    }
  });

  it('GRANTED to a Motto and to a CRM entitlement (the CRM productId is the offer id, accountId the user)', async () => {
    await w.entitle('m-ok', pass, { expiration_time: '2099-01-01T00:00:00Z' });
    const crmId = await w.crmEntitle('c-ok', pass);
    const m = await expectReason('m-ok', 'GRANTED');
    expect(m).toMatchObject({ basis: 'ENTITLEMENT', offer_id: pass, concurrency_limit: '1' });
    expect(m.entitlement).toMatchObject({ user_id: 'm-ok', offer_id: pass });
    const c = await expectReason('c-ok', 'GRANTED');
    expect(c).toMatchObject({ basis: 'ENTITLEMENT', offer_id: pass, valid_until: '2099-01-01T00:00:00Z' });
    expect(c.entitlement).toMatchObject({ user_id: 'c-ok', offer_id: pass });
    const stored = await t.sql('SELECT subject_id, product_id FROM entitlement WHERE id = $1', [crmId]);
    expect(stored).toEqual([{ subject_id: 'c-ok', product_id: pass }]);
  });

  describe('ENTITLEMENT_EXPIRED', () => {
    it('Motto: an upsert with an expiration_time in the past revokes', async () => {
      await w.entitle('m-revoked', pass);
      await expectReason('m-revoked', 'GRANTED');
      await w.entitle('m-revoked', pass, { expiration_time: '2021-01-01T00:00:00Z' });
      await expectReason('m-revoked', 'ENTITLEMENT_EXPIRED');
    });

    it('Motto: an expiry that has passed at the time of the check', async () => {
      await w.entitle('m-ended', pass, { expiration_time: '2090-01-01T00:00:00Z' });
      await expectReason('m-ended', 'GRANTED', { time: '2089-12-31T23:59:59Z' });
      await expectReason('m-ended', 'ENTITLEMENT_EXPIRED', { time: '2090-01-01T00:00:00Z' });
    });

    it('CRM: PUT status UNSUBSCRIBED revokes (and SUBSCRIBED restores)', async () => {
      const id = await w.crmEntitle('c-unsub', pass);
      expect((await w.crm.update(id, { status: 'UNSUBSCRIBED' })).status).toBe(200);
      await expectReason('c-unsub', 'ENTITLEMENT_EXPIRED');
      expect((await w.crm.update(id, { status: 'SUBSCRIBED' })).status).toBe(200);
      await expectReason('c-unsub', 'GRANTED');
    });

    it('CRM: an expiryDate in the past', async () => {
      await w.crmEntitle('c-ended', pass, { validFrom: '2020-01-01T00:00:00Z', expiryDate: '2021-01-01T00:00:00Z' });
      await expectReason('c-ended', 'ENTITLEMENT_EXPIRED');
    });

    it('CRM: a deleted entitlement no longer exists: ENTITLEMENT_MISSING', async () => {
      const id = await w.crmEntitle('c-deleted', pass);
      expect((await w.crm.delete(id)).status).toBe(200);
      await expectReason('c-deleted', 'ENTITLEMENT_MISSING');
    });
  });

  it('NOT_YET_VALID: a CRM validFrom in the future (the Motto style has no validity start)', async () => {
    await w.crmEntitle('c-future', pass, { validFrom: '2090-01-01T00:00:00Z', expiryDate: '2099-01-01T00:00:00Z' });
    await expectReason('c-future', 'NOT_YET_VALID');
    await expectReason('c-future', 'GRANTED', { time: '2090-01-01T00:00:00Z' });
  });

  it('the closest refusal wins: expired and not yet valid → NOT_YET_VALID', async () => {
    await w.crmEntitle('c-both', pass, { validFrom: '2020-01-01T00:00:00Z', expiryDate: '2021-01-01T00:00:00Z' });
    await w.crmEntitle('c-both', pass, { validFrom: '2090-01-01T00:00:00Z', expiryDate: '2099-01-01T00:00:00Z' });
    await expectReason('c-both', 'NOT_YET_VALID');
  });

  it('GEO_BLOCKED: the offer is not available in the viewer country (both styles)', async () => {
    await w.entitle('m-geo', pass);
    await w.crmEntitle('c-geo', pass);
    for (const user of ['m-geo', 'c-geo']) {
      const check = await expectReason(user, 'GEO_BLOCKED', { country_code: 'US' });
      expect(check.offers).toEqual([]);
      await expectReason(user, 'GRANTED', { country_code: 'DE' });
    }
  });

  describe('DEVICE_NOT_ALLOWED (CRM deviceId; the Motto style has no device)', () => {
    let d: AccessWorld;
    let dpass: string;

    beforeAll(async () => {
      d = await new AccessWorld(t, 'devices').init({ device_specific_products: true });
      dpass = await d.offer({ name: 'STB pass', target: { event_ids: ['ev-1'] } });
      await d.crmEntitle('c-stb', dpass, { deviceId: 'stb-1' });
      await d.crmEntitle('c-account', dpass);
      await w.crmEntitle('c-stb-off', pass, { deviceId: 'stb-1' });
    });

    it('with device_specific_products on: only on that device', async () => {
      const reasonOn = async (device: string | undefined) =>
        (await d.check('c-stb', EV, device ? { device_id: device } : {})).body.access_check.reason;
      expect(await reasonOn('stb-1')).toBe('GRANTED');
      expect(await reasonOn('stb-2')).toBe('DEVICE_NOT_ALLOWED');
      expect(await reasonOn(undefined)).toBe('DEVICE_NOT_ALLOWED');
    });

    it('an account-level CRM entitlement applies to every device', async () => {
      expect((await d.check('c-account', EV, { device_id: 'stb-2' })).body.access_check.reason).toBe('GRANTED');
    });

    it('a session start on another device is refused with 403 and the reason', async () => {
      const res = await d.start('c-stb', 'stb-2', EV);
      expect(res.status).toBe(403);
      expect(res.body).toMatchObject({ code: 'permission_denied', active_sessions: [] });
      expect(res.body.access_check.reason).toBe('DEVICE_NOT_ALLOWED');
      expect((await d.start('c-stb', 'stb-1', EV)).status).toBe(200);
    });

    it('with the switch off, the deviceId does not restrict', async () => {
      expect((await w.check('c-stb-off', EV, { device_id: 'stb-2' })).body.access_check.reason).toBe('GRANTED');
    });
  });

  describe('CONCURRENCY_LIMIT (session starts; offer limit 1)', () => {
    it.each([
      ['Motto', 'm-conc', () => w.entitle('m-conc', pass)],
      ['CRM', 'c-conc', () => w.crmEntitle('c-conc', pass)],
    ])('%s entitlement', async (_, user, entitle) => {
      await entitle();
      const first = await w.start(user, 'tv', EV);
      expect(first.status).toBe(200);
      const second = await w.start(user, 'phone', EV);
      expect(second.status).toBe(403);
      expect(second.body.code).toBe('permission_denied');
      expect(second.body.access_check).toMatchObject({ granted: false, reason: 'CONCURRENCY_LIMIT' });
      expect(second.body.active_sessions.map((s: { id: string }) => s.id)).toEqual([first.body.playback_session.id]);
      // A check does not count sessions: it still grants.
      expect((await w.check(user, EV)).body.access_check.reason).toBe('GRANTED');
    });
  });

  it('refusals of a session start for other reasons answer 403 with the reason and no session', async () => {
    const cases: [string, string, Record<string, unknown>][] = [
      ['nobody', 'ENTITLEMENT_MISSING', {}],
      ['m-revoked', 'ENTITLEMENT_EXPIRED', {}],
      ['c-future', 'NOT_YET_VALID', {}],
      ['m-geo', 'GEO_BLOCKED', { country_code: 'US' }],
    ];
    for (const [user, reason, extra] of cases) {
      const res = await w.start(user, 'tv', EV, extra);
      expect(res.status).toBe(403);
      expect(res.body).toMatchObject({ code: 'permission_denied', active_sessions: [] });
      expect(res.body.access_check.reason).toBe(reason);
      expect(await t.sql('SELECT id FROM playback_session WHERE subject_id = $1', [user])).toEqual([]);
    }
    const unsold = await w.start('m-ok', 'tv', event('ev-unsold'));
    expect(unsold.status).toBe(403);
    expect(unsold.body.access_check.reason).toBe('NO_OFFER');
  });
});

describe('coverage', () => {
  let t: TestApp;
  let w: AccessWorld;
  const ids: Record<string, string> = {};

  beforeAll(async () => {
    t = await TestApp.start();
    w = await new AccessWorld(t, 'coverage').init();
    ids.events = await w.offer({ name: 'events', target: { event_ids: ['ev-1'] } });
    ids.works = await w.offer({ name: 'works', target: { creative_work_ids: ['cw-1'] } });
    ids.entities = await w.offer({ name: 'entities', target: { entity_ids: ['team-a'] } });
    ids.window = await w.offer({
      name: 'window',
      target: {
        entity_ids: ['league'],
        content_start_time: '2026-01-01T00:00:00Z',
        content_end_time: '2026-02-01T00:00:00Z',
      },
    });
    for (const id of Object.values(ids)) await w.entitle('fan', id);
  });
  afterAll(() => t.close());

  it.each([
    ['event_ids names the event', event('ev-1'), 'events'],
    ['event_ids does not cover a creative work of that id', creativeWork('ev-1'), undefined],
    ['creative_work_ids names the work', creativeWork('cw-1'), 'works'],
    ['creative_work_ids does not cover an event of that id', event('cw-1'), undefined],
    ['entity_ids: one of its entities', event('ev-9', { entity_ids: ['team-b', 'team-a'] }), 'entities'],
    ['entity_ids: for a creative work too', creativeWork('cw-9', { entity_ids: ['team-a'] }), 'entities'],
    ['entity_ids: none of its entities', event('ev-9', { entity_ids: ['team-b'] }), undefined],
    [
      'window: start_time inside',
      event('ev-9', { entity_ids: ['league'], start_time: '2026-01-15T20:00:00+01:00' }),
      'window',
    ],
    [
      'window: start_time at its start (inclusive)',
      event('ev-9', { entity_ids: ['league'], start_time: '2026-01-01T00:00:00Z' }),
      'window',
    ],
    [
      'window: start_time at its end (exclusive)',
      event('ev-9', { entity_ids: ['league'], start_time: '2026-02-01T00:00:00Z' }),
      undefined,
    ],
    [
      'window: start_time before',
      event('ev-9', { entity_ids: ['league'], start_time: '2025-12-31T23:59:59Z' }),
      undefined,
    ],
    ['window: no start_time', event('ev-9', { entity_ids: ['league'] }), undefined],
  ])('%s', async (_, content, offer) => {
    const check = (await w.check('fan', content)).body.access_check;
    if (offer) expect(check).toMatchObject({ granted: true, offer_id: ids[offer] });
    else expect(check).toMatchObject({ granted: false, reason: 'NO_OFFER' });
  });

  it('applies_to_all covers every content of both kinds', async () => {
    const all = await new AccessWorld(t, 'coverage-all').init();
    const everything = await all.offer({ name: 'everything', applies_to_all: true });
    await all.entitle('fan', everything);
    for (const content of [
      event('anything'),
      creativeWork('anything-else'),
      event('x', { start_time: '2020-01-01T00:00:00Z' }),
    ]) {
      expect((await all.check('fan', content)).body.access_check).toMatchObject({
        granted: true,
        offer_id: everything,
      });
    }
    expect((await all.check('stranger', event('anything'))).body.access_check.reason).toBe('ENTITLEMENT_MISSING');
  });
});

describe('EU portability', () => {
  let t: TestApp;
  let w: AccessWorld;
  let deOnly: string;
  let noFR: string;

  beforeAll(async () => {
    t = await TestApp.start();
    w = await new AccessWorld(t, 'eu-travel').init();
    const eur = { currency_code: 'EUR', units: '5' };
    deOnly = await w.offer({
      name: 'DE only',
      target: { event_ids: ['ev-de'] },
      offer_prices: [{ price: eur, geo_restrictions_allow: { country_codes: ['DE'] } }],
    });
    noFR = await w.offer({
      name: 'not in FR',
      target: { event_ids: ['ev-nofr'] },
      offer_prices: [{ price: eur, geo_restrictions_disallow: { country_codes: ['FR'] } }],
    });
    await w.entitle('de-buyer', deOnly, { origin_country_code: 'DE' });
    await w.entitle('us-buyer', noFR, { origin_country_code: 'US' });
    await w.entitle('no-origin', deOnly);
  });
  afterAll(() => t.close());

  it('bought in DE, watched in FR: granted on EU_PORTABILITY', async () => {
    const check = (await w.check('de-buyer', event('ev-de'), { country_code: 'FR' })).body.access_check;
    expect(check).toMatchObject({ granted: true, reason: 'GRANTED', basis: 'EU_PORTABILITY', offer_id: deOnly });
    expect(check.entitlement.origin_country_code).toBe('DE');
    // The paywall shows what is sold here: nothing in FR.
    expect(check.offers).toEqual([]);
  });

  it('bought in DE, watched in DE: granted on ENTITLEMENT', async () => {
    const check = (await w.check('de-buyer', event('ev-de'), { country_code: 'DE' })).body.access_check;
    expect(check).toMatchObject({ granted: true, basis: 'ENTITLEMENT' });
  });

  it('bought in US, watched in FR where the offer excludes FR: GEO_BLOCKED', async () => {
    const check = (await w.check('us-buyer', event('ev-nofr'), { country_code: 'FR' })).body.access_check;
    expect(check).toMatchObject({ granted: false, reason: 'GEO_BLOCKED', basis: null });
  });

  it('bought in DE, watched in US: GEO_BLOCKED', async () => {
    const check = (await w.check('de-buyer', event('ev-de'), { country_code: 'US' })).body.access_check;
    expect(check).toMatchObject({ granted: false, reason: 'GEO_BLOCKED' });
  });

  it('no origin country, watched in FR: GEO_BLOCKED', async () => {
    const check = (await w.check('no-origin', event('ev-de'), { country_code: 'FR' })).body.access_check;
    expect(check.reason).toBe('GEO_BLOCKED');
  });

  it('a session started on portability carries the basis', async () => {
    const res = await w.start('de-buyer', 'phone', event('ev-de'), { country_code: 'FR' });
    expect(res.status).toBe(200);
    expect(res.body.playback_session.basis).toBe('EU_PORTABILITY');
    expect(res.body.access_check.basis).toBe('EU_PORTABILITY');
    const refused = await w.start('de-buyer', 'phone-2', event('ev-de'), { country_code: 'US' });
    expect(refused.status).toBe(403);
    expect(refused.body.access_check.reason).toBe('GEO_BLOCKED');
  });
});
