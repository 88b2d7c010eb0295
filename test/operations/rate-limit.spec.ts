import { randomUUID } from 'node:crypto';
import Redis from 'ioredis';
import { AccessWorld, event } from '../access/access-support';
import { CrmClient, expectCrmError } from '../crm-gateway/crm-client';
import { HttpResponse, TestApp } from '../support/test-app';

const REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';

function expectLimited(res: HttpResponse, limit: number): void {
  expect(res.status).toBe(429);
  const retryAfter = Number(res.headers.get('retry-after'));
  expect(retryAfter).toBeGreaterThan(0);
  expect(retryAfter).toBeLessThanOrEqual(60);
  expect(res.headers.get('ratelimit-limit')).toBe(String(limit));
  expect(res.headers.get('ratelimit-remaining')).toBe('0');
  expect(Number(res.headers.get('ratelimit-reset'))).toBe(retryAfter);
}

describe('rate limits, one instance (counters in memory)', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await TestApp.start({
      RATE_LIMIT_WRITES_PER_SUBJECT: '2',
      RATE_LIMIT_READS_PER_SUBJECT: '3',
      RATE_LIMIT_ACCESS_PER_PROJECT: '3',
    });
    await new AccessWorld(t, 'limited').init();
  });
  afterAll(() => t.close());

  it('Motto API: the third write of one token subject answers 429 resource_exhausted, in the Connect body', async () => {
    const writer = await t.platformToken(['limited'], 'editor', 'writer-1');
    const offer = (token: string) =>
      t.post(
        '/monetization/offers/v1',
        { project_id: 'limited', name: 'Pass', visibility: 'VISIBILITY_PUBLISHED', target: { event_ids: ['e'] } },
        { token },
      );
    const first = await offer(writer);
    expect(first.status).toBe(200);
    expect(first.headers.get('ratelimit-limit')).toBe('2');
    expect(first.headers.get('ratelimit-remaining')).toBe('1');
    expect((await offer(writer)).status).toBe(200);
    const third = await offer(writer);
    expectLimited(third, 2);
    expect(third.body).toEqual({ code: 'resource_exhausted', message: expect.stringMatching(/rate limit exceeded/) });
    expect(third.headers.get('x-correlation-id')).toBeTruthy();
    // Nothing stored by the refused call; another subject has its own budget; reads are another group.
    expect(
      (await t.sql("SELECT count(*)::int AS n FROM offer WHERE project_id = 'limited' AND name = 'Pass'"))[0].n,
    ).toBe(2);
    expect((await offer(await t.platformToken(['limited'], 'editor', 'writer-2'))).status).toBe(200);
    expect((await t.get('/monetization/offers/v1', { token: writer, query: { project_id: 'limited' } })).status).toBe(
      200,
    );
  });

  it('CRM gateway: over the limit answers 429 with errorCode 4290 and Retry-After', async () => {
    const crm = new CrmClient(t, await t.operatorToken({ subject: 'crm-operator' }), 'limited');
    for (let i = 0; i < 3; i++) expect((await crm.list()).status).toBe(200);
    const res = await crm.list();
    expectLimited(res, 3);
    expectCrmError(res, 429, 4290, /rate limit exceeded/);
  });

  it('the access group counts per project: subjects of one project share its budget', async () => {
    const a = await t.platformToken(['limited'], 'playback', 'player-a');
    const b = await t.platformToken(['limited'], 'playback', 'player-b');
    const check = (token: string) =>
      t.post(
        '/monetization/access-checks/v1',
        { project_id: 'limited', user_id: 'u', content: event('e'), country_code: 'FR' },
        { token },
      );
    expect((await check(a)).status).toBe(200);
    expect((await check(b)).status).toBe(200);
    expect((await check(a)).status).toBe(200);
    const res = await check(b);
    expectLimited(res, 3);
    expect(res.body.code).toBe('resource_exhausted');
    expect(res.body.message).toMatch(/per project/);
  });

  it('health and docs are exempt', async () => {
    for (let i = 0; i < 5; i++) expect((await t.get('/health/live')).status).toBe(200);
    for (let i = 0; i < 5; i++) expect((await fetch(`${t.baseUrl}/docs`)).status).toBeLessThan(400);
  });
});

describe('rate limits, two instances sharing counters in Redis', () => {
  const prefix = `entitlements-test:${randomUUID()}:`;
  let a: TestApp;
  let b: TestApp;
  let redis: Redis;

  beforeAll(async () => {
    const env = { REDIS_URL, RATE_LIMIT_KEY_PREFIX: prefix, RATE_LIMIT_ACCESS_PER_SUBJECT: '3' };
    a = await TestApp.start(env);
    b = await TestApp.start(env, { sameDatabaseAs: a });
    await a.createProject('shared');
    redis = new Redis(REDIS_URL);
  });
  afterAll(async () => {
    const keys = await redis.keys(`${prefix}*`);
    if (keys.length) await redis.del(...keys);
    await redis.quit();
    await b.close();
    await a.close();
  });

  it('a limit holds across instances: 2 checks on one and 1 on the other spend a budget of 3', async () => {
    const token = await a.platformToken(['shared'], 'playback', 'playback-service');
    const check = (t: TestApp) =>
      t.post(
        '/monetization/access-checks/v1',
        { project_id: 'shared', user_id: 'u', content: event('e'), country_code: 'FR' },
        { token },
      );
    expect((await check(a)).status).toBe(200);
    expect((await check(a)).status).toBe(200);
    const third = await check(b);
    expect(third.status).toBe(200);
    expect(third.headers.get('ratelimit-remaining')).toBe('0');
    // b has seen one request only: its 429 comes from the counter in Redis.
    expectLimited(await check(b), 3);
    expectLimited(await check(a), 3);
    expect((await redis.keys(`${prefix}*`)).length).toBe(1);
  });
});
