import { TestApp } from '../support/test-app';
import { AccessWorld, event } from './access-support';

const EV = event('ev-1');
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const ids = (sessions: { id: string }[]) => sessions.map((s) => s.id);

describe('concurrent streams', () => {
  let t: TestApp;
  let w: AccessWorld;
  let pass: string;

  beforeAll(async () => {
    t = await TestApp.start();
    w = await new AccessWorld(t, 'streams').init();
    pass = await w.offer({ name: 'Pass', concurrency_limit: '2', target: { event_ids: ['ev-1'] } });
  });
  afterAll(() => t.close());

  const live = async (user: string) =>
    (
      await t.get('/monetization/playback-sessions/v1', {
        token: w.playback,
        query: { project_id: 'streams', user_id: user },
      })
    ).body.playback_sessions as { id: string; device_id: string }[];

  it('one slot per device: the same device again replaces its session and takes no second slot', async () => {
    await w.entitle('dana', pass);
    const tv = (await w.start('dana', 'tv', EV)).body.playback_session.id as string;
    const phone = (await w.start('dana', 'phone', EV)).body.playback_session.id as string;
    const again = await w.start('dana', 'tv', EV);
    expect(again.status).toBe(200);
    const tv2 = again.body.playback_session.id as string;
    expect(tv2).not.toBe(tv);
    expect((await w.heartbeat(tv)).body.playback_session).toMatchObject({ state: 'ENDED', end_reason: 'REPLACED' });
    expect((await w.heartbeat(phone)).body.playback_session.state).toBe('ACTIVE');
    expect(ids(await live('dana')).sort()).toEqual([phone, tv2].sort());

    const refused = await w.start('dana', 'tablet', EV);
    expect(refused.status).toBe(403);
    expect(refused.body).toMatchObject({ code: 'permission_denied' });
    expect(refused.body.access_check).toMatchObject({ granted: false, reason: 'CONCURRENCY_LIMIT' });
    expect(ids(refused.body.active_sessions).sort()).toEqual([phone, tv2].sort());
    const rows = await t.sql(
      'SELECT device_id FROM playback_session WHERE subject_id = $1 AND ended_at IS NULL ORDER BY device_id',
      ['dana'],
    );
    expect(rows.map((r) => r.device_id)).toEqual(['phone', 'tv']);
  });

  it("the entitlement's concurrency_limit overrides the offer's", async () => {
    await w.entitle('erik', pass, { concurrency_limit: '3' });
    for (const device of ['a', 'b', 'c']) expect((await w.start('erik', device, EV)).status).toBe(200);
    const fourth = await w.start('erik', 'd', EV);
    expect(fourth.status).toBe(403);
    expect(fourth.body.access_check).toMatchObject({ reason: 'CONCURRENCY_LIMIT', concurrency_limit: '3' });
  });

  it('limits count per viewer: another viewer of the same offer has slots of their own', async () => {
    await w.entitle('fay', pass);
    await w.entitle('gus', pass);
    for (const user of ['fay', 'gus']) {
      expect((await w.start(user, 'a', EV)).status).toBe(200);
      expect((await w.start(user, 'b', EV)).status).toBe(200);
    }
  });

  it('on_limit EVICT_OLDEST ends the oldest session; its next heartbeat answers EVICTED', async () => {
    await w.entitle('hal', pass);
    const first = (await w.start('hal', 'tv', EV)).body.playback_session.id as string;
    const second = (await w.start('hal', 'phone', EV)).body.playback_session.id as string;
    expect((await w.start('hal', 'tablet', EV, { on_limit: 'REFUSE' })).status).toBe(403);
    const evicting = await w.start('hal', 'tablet', EV, { on_limit: 'EVICT_OLDEST' });
    expect(evicting.status).toBe(200);
    const third = evicting.body.playback_session.id as string;
    expect((await w.heartbeat(first)).body.playback_session).toMatchObject({ state: 'ENDED', end_reason: 'EVICTED' });
    expect((await w.heartbeat(second)).body.playback_session.state).toBe('ACTIVE');
    expect(ids(await live('hal')).sort()).toEqual([second, third].sort());
  });

  it('an unlimited offer takes any number of devices', async () => {
    const free = await w.offer({ name: 'Free for all', target: { event_ids: ['ev-free'] } });
    await w.entitle('ivy', free);
    const starts = await Promise.all(
      Array.from({ length: 10 }, (_, i) => w.start('ivy', `device-${i}`, event('ev-free'))),
    );
    expect(starts.map((r) => r.status)).toEqual(Array(10).fill(200));
    expect(starts[0].body.access_check.concurrency_limit).toBeNull();
  });
});

describe('exactness across two service instances', () => {
  let a: TestApp;
  let b: TestApp;
  let w: AccessWorld;

  beforeAll(async () => {
    a = await TestApp.start();
    b = await TestApp.start({}, { sameDatabaseAs: a });
    w = await new AccessWorld(a, 'exact').init();
    const offer = await w.offer({ name: 'Three screens', concurrency_limit: '3', target: { event_ids: ['ev-1'] } });
    await w.entitle('viewer-1', offer);
  });
  afterAll(async () => {
    await b.close();
    await a.close();
  });

  it('50 starts from 50 devices at once, half to each instance, grant exactly 3', async () => {
    const results = await Promise.all(
      Array.from({ length: 50 }, (_, i) => w.start('viewer-1', `device-${i}`, EV, {}, i % 2 === 0 ? a : b)),
    );
    const statuses = results.map((r) => r.status);
    expect(statuses.filter((s) => s === 200)).toHaveLength(3);
    expect(statuses.filter((s) => s === 403)).toHaveLength(47);
    for (const refused of results.filter((r) => r.status === 403)) {
      expect(refused.body.access_check.reason).toBe('CONCURRENCY_LIMIT');
      expect(refused.body.active_sessions).toHaveLength(3);
    }
    const rows = await a.sql(
      `SELECT count(*)::int AS n FROM playback_session
       WHERE project_id = 'exact' AND subject_id = 'viewer-1' AND ended_at IS NULL AND lease_until > now()`,
    );
    expect(rows[0].n).toBe(3);
    expect((await a.sql("SELECT count(*)::int AS n FROM playback_session WHERE project_id = 'exact'"))[0].n).toBe(3);
  });
});

describe('lease expiry (PLAYBACK_LEASE_TTL_S=3)', () => {
  let t: TestApp;
  let w: AccessWorld;

  beforeAll(async () => {
    t = await TestApp.start({ PLAYBACK_LEASE_TTL_S: '3' });
    w = await new AccessWorld(t, 'leases').init();
    const offer = await w.offer({ name: 'One screen', concurrency_limit: '1', target: { event_ids: ['ev-1'] } });
    await w.entitle('kim', offer);
    await w.entitle('lou', offer);
    await w.entitle('max', offer);
  });
  afterAll(() => t.close());

  it('a session not heartbeated stops counting after the TTL; its heartbeat then answers EXPIRED', async () => {
    const first = await w.start('kim', 'tv', EV);
    expect(first.status).toBe(200);
    expect(first.body.playback_session.heartbeat_interval).toBe('1s');
    const session = first.body.playback_session;
    expect(Date.parse(session.expire_time) - Date.parse(session.start_time)).toBe(3000);
    expect((await w.start('kim', 'phone', EV)).status).toBe(403);

    await sleep(Date.parse(session.expire_time) - Date.now() + 300);
    const phone = await w.start('kim', 'phone', EV);
    expect(phone.status).toBe(200);
    const beat = await w.heartbeat(session.id);
    expect(beat.status).toBe(200);
    expect(beat.body.playback_session).toMatchObject({ state: 'ENDED', end_reason: 'EXPIRED' });
  });

  it('a session stopped after its lease ran out ended EXPIRED, when the lease ran out', async () => {
    const session = (await w.start('max', 'tv', EV)).body.playback_session;
    await sleep(Date.parse(session.expire_time) - Date.now() + 300);
    const stopped = await t.delete(`/monetization/playback-sessions/v1/${session.id}`, {
      token: w.playback,
      query: { project_id: w.project },
    });
    expect(stopped.body.playback_session).toMatchObject({ state: 'ENDED', end_reason: 'EXPIRED' });
    const [row] = await t.sql('select ended_at, lease_until from playback_session where id = $1', [session.id]);
    expect(row.ended_at).toEqual(row.lease_until);
  });

  it('a session heartbeated within the TTL keeps its slot past it', async () => {
    const first = (await w.start('lou', 'tv', EV)).body.playback_session;
    const until = Date.parse(first.expire_time) + 1000;
    while (Date.now() < until) {
      await sleep(1000);
      expect((await w.heartbeat(first.id)).body.playback_session.state).toBe('ACTIVE');
    }
    const other = await w.start('lou', 'phone', EV);
    expect(other.status).toBe(403);
    expect(ids(other.body.active_sessions)).toEqual([first.id]);
  });
});
