import { TestApp } from '../support/test-app';
import { AccessWorld, CHECK, event } from './access-support';

describe('access checks', () => {
  let t: TestApp;
  let w: AccessWorld;
  let season: string;

  beforeAll(async () => {
    t = await TestApp.start();
    w = await new AccessWorld(t, 'rtt-show').init();
    season = await w.offer({
      name: 'Season pass',
      priority: '10',
      concurrency_limit: '2',
      target: { entity_ids: ['team-a'] },
      offer_prices: [
        { price: { currency_code: 'EUR', units: '49' }, geo_restrictions_disallow: { country_codes: ['US'] } },
      ],
    });
    await w.offer({ name: 'The final', priority: '1', target: { event_ids: ['ev-final'] } });
  });
  afterAll(() => t.close());

  it('grants an entitled viewer, with the entitlement, offer, basis, end, limit and paywall', async () => {
    await w.entitle('alice', season, { expiration_time: '2099-01-01T00:00:00Z' });
    const res = await w.check('alice', event('ev-1', { entity_ids: ['team-a'] }));
    expect(res.status).toBe(200);
    expect(res.body.access_check).toMatchObject({
      content: { kind: 'EVENT', id: 'ev-1' },
      granted: true,
      reason: 'GRANTED',
      basis: 'ENTITLEMENT',
      offer_id: season,
      valid_until: '2099-01-01T00:00:00Z',
      concurrency_limit: '2',
      entitlement: { user_id: 'alice', offer_id: season },
    });
    expect(res.body.access_check.offers.map((o: { id: string }) => o.id)).toEqual([season]);
    // The body is JSON text built once per offer (JsonText): the paywall's offer is the offer as its API gives it.
    expect(res.headers.get('content-type')).toBe('application/json; charset=utf-8');
    const offer = await t.get(`/monetization/offers/v1/${season}?project_id=rtt-show`, { token: w.editor });
    expect(res.body.access_check.offers[0]).toEqual(offer.body.offer);
  });

  it.each([
    ['not for sale', 'bob', event('ev-other'), 'NO_OFFER'],
    ['for sale, not bought', 'bob', event('ev-final'), 'ENTITLEMENT_MISSING'],
  ])('%s: %s', async (_, user, content, reason) => {
    const res = await w.check(user, content);
    expect(res.status).toBe(200);
    expect(res.body.access_check).toMatchObject({
      granted: false,
      reason,
      basis: null,
      entitlement: null,
      offer_id: null,
    });
  });

  it('refuses an unknown project with not_found, and a project outside the token with permission_denied', async () => {
    const body = { project_id: 'no-such', user_id: 'u', content: event('e'), country_code: 'FR' };
    const admin = await t.platformToken('*', 'admin');
    expect((await t.post(CHECK, body, { token: admin })).status).toBe(404);
    expect((await t.post(CHECK, body, { token: w.playback })).body.code).toBe('permission_denied');
    const viewer = await t.platformToken(['rtt-show'], 'viewer');
    expect((await t.post(CHECK, { ...body, project_id: 'rtt-show' }, { token: viewer })).status).toBe(403);
  });

  it.each([
    [{ user_id: undefined }, 'user_id'],
    [{ content: undefined }, 'content'],
    [{ content: { kind: 'MOVIE', id: 'x' } }, 'content.kind'],
    [{ content: { kind: 'EVENT' } }, 'content.id'],
    [{ content: { kind: 'EVENT', id: 'x', start_time: 'yesterday' } }, 'content.start_time'],
    [{ content: { kind: 'EVENT', id: 'x', entity_ids: 'team-a' } }, 'content.entity_ids'],
    [{ country_code: 'fr' }, 'country_code'],
    [{ country_code: undefined }, 'country_code'],
    [{ time: 'now' }, 'time'],
    [{ colour: 'red' }, 'colour'],
  ])('refuses %j naming %s', async (change, field) => {
    const body = { project_id: 'rtt-show', user_id: 'alice', content: event('ev-1'), country_code: 'FR', ...change };
    const res = await t.post(CHECK, body, { token: w.playback });
    expect(res.status).toBe(400);
    expect(res.body.code).toBe('invalid_argument');
    expect(res.body.details.map((d: { field: string }) => d.field)).toContain(field);
  });
});
