import { createEntitlementsClient } from '@app/client';
import { insertOffer } from '../support/fixtures';
import { TestApp } from '../support/test-app';

/** Another internal service calling this one through the generated, typed client. */
describe('typed client (libs/client)', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await TestApp.start();
    await t.createProject('client-proj');
  });
  afterAll(() => t.close());

  it('grants and lists an entitlement, passing its correlation id and seeing it echoed', async () => {
    const offerId = await insertOffer(t, 'client-proj');
    const client = createEntitlementsClient({
      baseUrl: t.baseUrl,
      token: () => t.platformToken(['client-proj'], 'editor', 'billing-service'),
      correlationId: () => 'billing-flow-7',
    });

    const created = await client.POST('/monetization/entitlements/v1', {
      body: { project_id: 'client-proj', user_id: 'user-77', offer_id: offerId, concurrency_limit: '2' },
    });
    expect(created.response.status).toBe(200);
    expect(created.response.headers.get('x-correlation-id')).toBe('billing-flow-7');
    expect(created.data?.entitlement.concurrency_limit).toBe('2');

    const listed = await client.GET('/monetization/entitlements/v1', {
      params: { query: { project_id: 'client-proj', filter: 'user_id:user-77' } },
    });
    expect(listed.data?.entitlements.map((e) => e.offer_id)).toEqual([offerId]);

    const history = await t.sql('select correlation_id, actor from entitlement_event where subject_id = $1', [
      'user-77',
    ]);
    expect(history).toEqual([{ correlation_id: 'billing-flow-7', actor: 'billing-service' }]);
  });

  it("drives a playback: check, start, heartbeat, stop (the playback service's calls)", async () => {
    const offerId = await insertOffer(t, 'client-proj', 'All content');
    const editor = createEntitlementsClient({
      baseUrl: t.baseUrl,
      token: () => t.platformToken(['client-proj'], 'editor'),
    });
    await editor.POST('/monetization/entitlements/v1', {
      body: { project_id: 'client-proj', user_id: 'viewer-1', offer_id: offerId },
    });
    const player = createEntitlementsClient({
      baseUrl: t.baseUrl,
      token: () => t.platformToken(['client-proj'], 'playback', 'playback-service'),
    });
    const content = { kind: 'EVENT' as const, id: 'match-9', entity_ids: ['team-a'] };

    const check = await player.POST('/monetization/access-checks/v1', {
      body: { project_id: 'client-proj', user_id: 'viewer-1', content, country_code: 'FR' },
    });
    expect(check.data?.access_check).toMatchObject({ granted: true, reason: 'GRANTED', offer_id: offerId });

    const started = await player.POST('/monetization/playback-sessions/v1', {
      body: { project_id: 'client-proj', user_id: 'viewer-1', content, country_code: 'FR', device_id: 'tv-1' },
    });
    expect(started.response.status).toBe(200);
    const session = started.data!.playback_session;
    expect(session).toMatchObject({ state: 'ACTIVE', device_id: 'tv-1', heartbeat_interval: '30s' });

    const path = { session_id: session.id };
    const query = { project_id: 'client-proj' };
    const beat = await player.POST('/monetization/playback-sessions/v1/{session_id}/heartbeat', {
      params: { path, query },
    });
    expect(beat.data?.playback_session.state).toBe('ACTIVE');

    const stopped = await player.DELETE('/monetization/playback-sessions/v1/{session_id}', { params: { path, query } });
    expect(stopped.data?.playback_session).toMatchObject({ state: 'ENDED', end_reason: 'STOPPED' });
    const after = await player.POST('/monetization/playback-sessions/v1/{session_id}/heartbeat', {
      params: { path, query },
    });
    expect(after.data?.playback_session).toMatchObject({ state: 'ENDED', end_reason: 'STOPPED' });
  });

  it('surfaces the typed error body', async () => {
    const client = createEntitlementsClient({
      baseUrl: t.baseUrl,
      token: await t.platformToken(['client-proj'], 'viewer'),
    });
    const res = await client.GET('/monetization/entitlements/v1', {
      params: { query: { project_id: 'client-proj', filter: 'colour:red' } },
    });
    expect(res.response.status).toBe(400);
    expect(res.error?.code).toBe('invalid_argument');
    expect(res.error?.details?.[0].field).toBe('filter');
  });
});
