import { AccessWorld, event } from '../access/access-support';
import { createEndpoint, FAST_DISPATCH, Receiver, uniqueProject, waitFor } from '../notifications/webhook-support';
import { TestApp } from '../support/test-app';

const TOKEN = 'metrics-token-0123456789';

/** One sample of the exposition: `name{labels} value`, labels in any order. */
function sample(text: string, name: string, labels: Record<string, string> = {}): number | undefined {
  for (const line of text.split('\n')) {
    if (!line.startsWith(`${name}{`) && !line.startsWith(`${name} `)) continue;
    const braces = line.match(/^[^{ ]+(?:\{(.*)\})? (\S+)$/);
    if (!braces) continue;
    const got = Object.fromEntries([...(braces[1] ?? '').matchAll(/(\w+)="([^"]*)"/g)].map((m) => [m[1], m[2]]));
    if (
      Object.entries(labels).every(([k, v]) => got[k] === v) &&
      Object.keys(got).length === Object.keys(labels).length
    )
      return Number(braces[2]);
  }
  return undefined;
}

describe('GET /metrics', () => {
  let t: TestApp;
  let w: AccessWorld;
  let pass: string;

  beforeAll(async () => {
    t = await TestApp.start({ METRICS_TOKEN: TOKEN });
    w = await new AccessWorld(t, 'metered').init();
    pass = await w.offer({ name: 'Pass', concurrency_limit: '1', target: { event_ids: ['ev-1', 'ev-2'] } });
    await w.entitle('alice', pass);
  });
  afterAll(() => t.close());

  // /metrics is outside both APIs (not in openapi.yaml): plain fetch, not the contract-checking client.
  const scrape = async (token = TOKEN) => {
    const res = await fetch(`${t.baseUrl}/metrics`, { headers: { authorization: `Bearer ${token}` } });
    return { status: res.status, type: res.headers.get('content-type'), text: await res.text() };
  };

  it('answers 401 without the bearer token, and the Prometheus text format with it', async () => {
    expect((await fetch(`${t.baseUrl}/metrics`)).status).toBe(401);
    expect((await scrape('metrics-token-wrong-value')).status).toBe(401);
    const res = await scrape();
    expect(res.status).toBe(200);
    expect(res.type).toMatch(/^text\/plain; version=0\.0\.4/);
    expect(res.text).toContain('# TYPE http_request_duration_seconds histogram');
    // Event-loop lag, memory, database pool.
    expect(sample(res.text, 'nodejs_eventloop_lag_seconds')).toBeGreaterThanOrEqual(0);
    expect(sample(res.text, 'process_resident_memory_bytes')).toBeGreaterThan(0);
    expect(sample(res.text, 'db_pool_connections_max')).toBe(10);
    expect(sample(res.text, 'db_pool_acquires_waiting')).toBe(0);
    expect(sample(res.text, 'db_pool_connections_in_use')).toBeGreaterThanOrEqual(0);
  });

  it('counts requests by route template, method and status, never by raw URL', async () => {
    const before = await scrape();
    const route = '/monetization/offers/v1/:offer_id';
    const labels = (status: string) => ({ route, method: 'GET', status_code: status });
    const count = (text: string, status: string) =>
      sample(text, 'http_request_duration_seconds_count', labels(status)) ?? 0;
    const ok = await t.get(`/monetization/offers/v1/${pass}`, { token: w.editor, query: { project_id: 'metered' } });
    expect(ok.status).toBe(200);
    for (const id of ['nope-1', 'nope-2', 'nope-3']) {
      const missing = await t.get(`/monetization/offers/v1/${id}`, {
        token: w.editor,
        query: { project_id: 'metered' },
      });
      expect(missing.status).toBe(404);
    }
    expect((await t.get('/no/such/route/abc-123')).status).toBe(404);
    expect((await t.get('/no/such/route/def-456')).status).toBe(404);
    const after = await scrape();
    expect(count(after.text, '200') - count(before.text, '200')).toBe(1);
    expect(count(after.text, '404') - count(before.text, '404')).toBe(3);
    // Buckets resolve 1 to 50 ms.
    for (const le of ['0.001', '0.0025', '0.005', '0.01', '0.02', '0.05'])
      expect(sample(after.text, 'http_request_duration_seconds_bucket', { ...labels('200'), le })).toBeDefined();
    const unmatched = { route: 'unmatched', method: 'GET', status_code: '404' };
    expect(
      (sample(after.text, 'http_request_duration_seconds_count', unmatched) ?? 0) -
        (sample(before.text, 'http_request_duration_seconds_count', unmatched) ?? 0),
    ).toBe(2);
    expect(after.text).not.toContain('nope-1');
    expect(after.text).not.toContain('abc-123');
  });

  it('counts access decisions by reason, session starts (refusals by reason) and live sessions', async () => {
    const before = await scrape();
    const decisions = (text: string, reason: string) =>
      sample(text, 'entitlements_access_decisions_total', { reason }) ?? 0;
    const starts = (text: string, outcome: string, reason: string) =>
      sample(text, 'entitlements_playback_session_starts_total', { outcome, reason }) ?? 0;
    expect((await w.check('alice', event('ev-1'))).body.access_check.granted).toBe(true);
    expect((await w.check('bob', event('ev-1'))).body.access_check.reason).toBe('ENTITLEMENT_MISSING');
    expect((await w.check('bob', event('ev-9'))).body.access_check.reason).toBe('NO_OFFER');
    expect((await w.start('alice', 'tv', event('ev-1'))).status).toBe(200);
    const refused = await w.start('alice', 'phone', event('ev-2'));
    expect(refused.status).toBe(403);
    expect(refused.body.access_check.reason).toBe('CONCURRENCY_LIMIT');
    expect((await w.start('bob', 'tv', event('ev-1'))).status).toBe(403);
    const after = await scrape();
    // Checks: alice granted, bob missing, bob no offer; starts decide too (alice granted twice, bob missing once).
    expect(decisions(after.text, 'GRANTED') - decisions(before.text, 'GRANTED')).toBe(3);
    expect(decisions(after.text, 'ENTITLEMENT_MISSING') - decisions(before.text, 'ENTITLEMENT_MISSING')).toBe(2);
    expect(decisions(after.text, 'NO_OFFER') - decisions(before.text, 'NO_OFFER')).toBe(1);
    expect(starts(after.text, 'started', '') - starts(before.text, 'started', '')).toBe(1);
    expect(
      starts(after.text, 'refused', 'CONCURRENCY_LIMIT') - starts(before.text, 'refused', 'CONCURRENCY_LIMIT'),
    ).toBe(1);
    expect(
      starts(after.text, 'refused', 'ENTITLEMENT_MISSING') - starts(before.text, 'refused', 'ENTITLEMENT_MISSING'),
    ).toBe(1);
    const live = Number(
      (await t.sql('SELECT count(*)::int AS n FROM playback_session WHERE ended_at IS NULL AND lease_until > now()'))[0]
        .n,
    );
    expect(live).toBe(1);
    expect(sample(after.text, 'entitlements_playback_sessions_live')).toBe(live);
  });

  it('exports the webhook metrics the notifications feature reports to', async () => {
    const { text } = await scrape();
    expect(text).toContain('# TYPE entitlements_webhook_deliveries_total counter');
    expect(text).toContain('# TYPE entitlements_webhook_oldest_undelivered_age_seconds gauge');
  });
});

describe('without METRICS_TOKEN', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await TestApp.start();
  });
  afterAll(() => t.close());

  it('has no /metrics route', async () => {
    const res = await t.get('/metrics');
    expect(res.status).toBe(404);
  });
});

describe('webhook metrics', () => {
  let t: TestApp;
  let receiver: Receiver;
  const project = uniqueProject('metered-hooks');

  beforeAll(async () => {
    receiver = await Receiver.start();
    t = await TestApp.start({ ...FAST_DISPATCH, METRICS_TOKEN: TOKEN });
    await t.createProject(project);
  });
  afterAll(async () => {
    await t.close();
    await receiver.down();
  });

  const scrape = async () =>
    (await fetch(`${t.baseUrl}/metrics`, { headers: { authorization: `Bearer ${TOKEN}` } })).text();

  it('counts webhook deliveries by outcome, and the oldest undelivered event is 0 once all are delivered', async () => {
    const editor = await t.platformToken([project], 'editor', 'back-office');
    await createEndpoint(t, editor, { project_id: project, url: receiver.url });
    receiver.answer = () => (receiver.received.length === 0 ? 500 : 204); // the first attempt fails
    const res = await t.post(
      '/monetization/offers/v1',
      { project_id: project, name: 'Hooked', applies_to_all: true, visibility: 'VISIBILITY_PUBLISHED' },
      { token: editor },
    );
    expect(res.status).toBe(200);
    await waitFor('the delivery', () => receiver.delivered.length > 0);
    const text = await waitFor('the delivered counter', async () => {
      const body = await scrape();
      return sample(body, 'entitlements_webhook_deliveries_total', { outcome: 'delivered' }) ? body : undefined;
    });
    expect(sample(text, 'entitlements_webhook_deliveries_total', { outcome: 'delivered' })).toBe(1);
    expect(sample(text, 'entitlements_webhook_deliveries_total', { outcome: 'failed' })).toBe(1);
    expect(sample(text, 'entitlements_webhook_oldest_undelivered_age_seconds')).toBe(0);
  });
});
