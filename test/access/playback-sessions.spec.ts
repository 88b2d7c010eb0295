import { randomUUID } from 'node:crypto';
import { TestApp } from '../support/test-app';
import { AccessWorld, CHECK, event, SESSIONS } from './access-support';

const EV = event('ev-1');
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const sessionRows = async (t: TestApp, project: string) =>
  Number((await t.sql('SELECT count(*)::int AS n FROM playback_session WHERE project_id = $1', [project]))[0].n);

describe('playback sessions', () => {
  let t: TestApp;
  let w: AccessWorld;
  let pass: string;

  beforeAll(async () => {
    t = await TestApp.start();
    w = await new AccessWorld(t, 'sessions').init();
    pass = await w.offer({ name: 'Pass', concurrency_limit: '1', target: { event_ids: ['ev-1'] } });
  });
  afterAll(() => t.close());

  const list = (user: string, token = w.playback) =>
    t.get(SESSIONS, { token, query: { project_id: 'sessions', user_id: user } });
  const stop = (id: string, token = w.playback) =>
    t.delete(`${SESSIONS}/${id}`, { token, query: { project_id: 'sessions' } });

  it('starts, heartbeats, lists and stops a session; stopping frees the slot', async () => {
    await w.entitle('alice', pass);
    const started = await w.start('alice', 'tv', EV);
    expect(started.status).toBe(200);
    const session = started.body.playback_session;
    expect(session).toMatchObject({
      project_id: 'sessions',
      user_id: 'alice',
      device_id: 'tv',
      content: { kind: 'EVENT', id: 'ev-1' },
      offer_id: pass,
      basis: 'ENTITLEMENT',
      heartbeat_interval: '30s',
      state: 'ACTIVE',
      end_reason: null,
    });
    const lease = Date.parse(session.expire_time) - Date.parse(session.start_time);
    expect(lease).toBe(90_000);
    expect(started.body.access_check).toMatchObject({ granted: true, reason: 'GRANTED', offer_id: pass });

    const beat = await w.heartbeat(session.id);
    expect(beat.status).toBe(200);
    expect(beat.body.playback_session).toMatchObject({ id: session.id, state: 'ACTIVE', end_reason: null });
    expect(Date.parse(beat.body.playback_session.expire_time)).toBeGreaterThanOrEqual(Date.parse(session.expire_time));

    const listed = await list('alice');
    expect(listed.status).toBe(200);
    expect(listed.body.playback_sessions.map((s: { id: string }) => s.id)).toEqual([session.id]);

    expect((await w.start('alice', 'phone', EV)).status).toBe(403);
    const stopped = await stop(session.id);
    expect(stopped.status).toBe(200);
    expect(stopped.body.playback_session).toMatchObject({ state: 'ENDED', end_reason: 'STOPPED' });
    expect((await list('alice')).body.playback_sessions).toEqual([]);
    // Stopping again changes nothing; its heartbeat answers ENDED.
    expect((await stop(session.id)).body.playback_session.end_reason).toBe('STOPPED');
    expect((await w.heartbeat(session.id)).body.playback_session).toMatchObject({
      state: 'ENDED',
      end_reason: 'STOPPED',
    });
    const phone = await w.start('alice', 'phone', EV);
    expect(phone.status).toBe(200);
    expect((await list('alice')).body.playback_sessions.map((s: { device_id: string }) => s.device_id)).toEqual([
      'phone',
    ]);
  });

  it('an editor may start sessions too', async () => {
    await w.entitle('erin', pass);
    const res = await t.post(
      SESSIONS,
      { project_id: 'sessions', user_id: 'erin', content: EV, country_code: 'FR', device_id: 'tv' },
      { token: w.editor },
    );
    expect(res.status).toBe(200);
  });

  it('answers 404 for an unknown session id, on heartbeat and stop', async () => {
    for (const id of [randomUUID(), 'not-a-uuid']) {
      const beat = await w.heartbeat(id);
      expect(beat.status).toBe(404);
      expect(beat.body.code).toBe('not_found');
      expect((await stop(id)).status).toBe(404);
    }
  });

  it('a session of another project is not found', async () => {
    await w.entitle('olga', pass);
    const id = (await w.start('olga', 'tv', EV)).body.playback_session.id as string;
    const other = await new AccessWorld(t, 'sessions-other').init();
    const res = await t.post(`${SESSIONS}/${id}/heartbeat`, undefined, {
      token: other.playback,
      query: { project_id: 'sessions-other' },
    });
    expect(res.status).toBe(404);
  });

  it('answers 400 naming project_id when it is missing (and user_id on the list)', async () => {
    const id = randomUUID();
    const cases = [
      await t.post(`${SESSIONS}/${id}/heartbeat`, undefined, { token: w.playback }),
      await t.delete(`${SESSIONS}/${id}`, { token: w.playback }),
      await t.get(SESSIONS, { token: w.playback, query: { user_id: 'alice' } }),
    ];
    for (const res of cases) {
      expect(res.status).toBe(400);
      expect(res.body.code).toBe('invalid_argument');
      expect(res.text).toContain('project_id');
    }
    const noUser = await t.get(SESSIONS, { token: w.playback, query: { project_id: 'sessions' } });
    expect(noUser.status).toBe(400);
    expect(noUser.text).toContain('user_id');
  });

  it.each([
    [{ device_id: undefined }, 'device_id'],
    [{ device_id: '' }, 'device_id'],
    [{ on_limit: 'KILL_ALL' }, 'on_limit'],
    [{ content: undefined }, 'content'],
    [{ content: { kind: 'EVENT' } }, 'content.id'],
    [{ country_code: 'france' }, 'country_code'],
    [{ user_id: '' }, 'user_id'],
    [{ colour: 'red' }, 'colour'],
  ])('refuses a start with %j naming %s, writing nothing', async (change, field) => {
    await w.entitle('bad-input', pass);
    const body = {
      project_id: 'sessions',
      user_id: 'bad-input',
      content: EV,
      country_code: 'FR',
      device_id: 'tv',
      ...change,
    };
    const before = await sessionRows(t, 'sessions');
    const res = await t.post(SESSIONS, body, { token: w.playback });
    expect(res.status).toBe(400);
    expect(res.body.code).toBe('invalid_argument');
    expect(res.body.details.map((d: { field: string }) => d.field)).toContain(field);
    expect(await sessionRows(t, 'sessions')).toBe(before);
  });

  it('a viewer token is refused on every access route; a playback token on everything else', async () => {
    await w.entitle('vic', pass);
    const live = (await w.start('vic', 'tv', EV)).body.playback_session.id as string;
    const viewer = await t.platformToken(['sessions'], 'viewer');
    const start = { project_id: 'sessions', user_id: 'vic', content: EV, country_code: 'FR', device_id: 'pc' };
    const asViewer = [
      await t.post(SESSIONS, start, { token: viewer }),
      await t.post(`${SESSIONS}/${live}/heartbeat`, undefined, { token: viewer, query: { project_id: 'sessions' } }),
      await stop(live, viewer),
      await list('vic', viewer),
      await t.post(CHECK, { ...start, device_id: undefined }, { token: viewer }),
      await t.post(
        `${CHECK}/batch`,
        { ...start, device_id: undefined, content: undefined, contents: [EV] },
        {
          token: viewer,
        },
      ),
    ];
    for (const res of asViewer) {
      expect(res.status).toBe(403);
      expect(res.body.code).toBe('permission_denied');
    }
    // The viewer's attempts changed nothing.
    expect((await w.heartbeat(live)).body.playback_session.state).toBe('ACTIVE');

    const asPlayback = [
      await t.post('/monetization/offers/v1', { project_id: 'sessions', name: 'x' }, { token: w.playback }),
      await t.get('/monetization/offers/v1', { token: w.playback, query: { project_id: 'sessions' } }),
      await t.post(
        '/monetization/entitlements/v1',
        { project_id: 'sessions', user_id: 'vic', offer_id: pass },
        { token: w.playback },
      ),
      await t.get('/monetization/entitlements/v1', { token: w.playback, query: { project_id: 'sessions' } }),
      await t.get('/iam/projects/v1/sessions', { token: w.playback }),
    ];
    for (const res of asPlayback) expect(res.status).toBe(403);
  });

  describe('revocation and expiry of the granting entitlement end its sessions', () => {
    const ended = async (id: string, reason: string) => {
      const res = await w.heartbeat(id);
      expect(res.status).toBe(200);
      expect(res.body.playback_session).toMatchObject({ id, state: 'ENDED', end_reason: reason });
      // It stays ended, and it no longer holds a slot.
      expect((await w.heartbeat(id)).body.playback_session).toMatchObject({ state: 'ENDED', end_reason: reason });
    };

    it('Motto upsert with a past expiration_time: ENTITLEMENT_REVOKED', async () => {
      await w.entitle('r-motto', pass);
      const id = (await w.start('r-motto', 'tv', EV)).body.playback_session.id as string;
      expect((await w.heartbeat(id)).body.playback_session.state).toBe('ACTIVE');
      await w.entitle('r-motto', pass, { expiration_time: '2021-01-01T00:00:00Z' });
      await ended(id, 'ENTITLEMENT_REVOKED');
      expect((await list('r-motto')).body.playback_sessions).toEqual([]);
    });

    it('CRM PUT status UNSUBSCRIBED: ENTITLEMENT_REVOKED', async () => {
      const ent = await w.crmEntitle('r-unsub', pass);
      const id = (await w.start('r-unsub', 'tv', EV)).body.playback_session.id as string;
      expect((await w.crm.update(ent, { status: 'UNSUBSCRIBED' })).status).toBe(200);
      await ended(id, 'ENTITLEMENT_REVOKED');
    });

    it('CRM DELETE: ENTITLEMENT_REVOKED', async () => {
      const ent = await w.crmEntitle('r-delete', pass);
      const id = (await w.start('r-delete', 'tv', EV)).body.playback_session.id as string;
      expect((await w.crm.delete(ent)).status).toBe(200);
      await ended(id, 'ENTITLEMENT_REVOKED');
    });

    it('an expiry that passes while watching: ENTITLEMENT_EXPIRED', async () => {
      const expiry = new Date(Date.now() + 1500).toISOString();
      await w.crmEntitle('r-expiry', pass, { validFrom: '2020-01-01T00:00:00Z', expiryDate: expiry });
      const started = await w.start('r-expiry', 'tv', EV);
      expect(started.status).toBe(200);
      const id = started.body.playback_session.id as string;
      await sleep(Date.parse(expiry) - Date.now() + 300);
      await ended(id, 'ENTITLEMENT_EXPIRED');
    });

    it('a Motto expiration_time that passes while watching: ENTITLEMENT_EXPIRED', async () => {
      const expiry = new Date(Date.now() + 1500);
      expiry.setUTCMilliseconds(0);
      await w.entitle('r-motto-expiry', pass, { expiration_time: expiry.toISOString() });
      const started = await w.start('r-motto-expiry', 'tv', EV);
      expect(started.status).toBe(200);
      await sleep(expiry.getTime() - Date.now() + 300);
      await ended(started.body.playback_session.id as string, 'ENTITLEMENT_EXPIRED');
    });

    it('revoking ends only the sessions of that entitlement', async () => {
      const other = await w.offer({ name: 'Other pass', target: { event_ids: ['ev-1'] } });
      const ent = await w.crmEntitle('r-scope', pass);
      await w.entitle('r-scope', other);
      await w.entitle('r-bystander', pass);
      // Both grant ev-1; the unlimited one is preferred, so the session runs on `other`.
      const onPass = await w.start('r-scope', 'tv', EV);
      const bystander = (await w.start('r-bystander', 'tv', EV)).body.playback_session.id as string;
      const granted = onPass.body.playback_session;
      expect(granted.offer_id).toBe(other);
      expect((await w.crm.update(ent, { status: 'UNSUBSCRIBED' })).status).toBe(200);
      expect((await w.heartbeat(granted.id as string)).body.playback_session.state).toBe('ACTIVE');
      expect((await w.heartbeat(bystander)).body.playback_session.state).toBe('ACTIVE');
      await w.entitle('r-scope', other, { expiration_time: '2021-01-01T00:00:00Z' });
      await ended(granted.id as string, 'ENTITLEMENT_REVOKED');
      expect((await w.heartbeat(bystander)).body.playback_session.state).toBe('ACTIVE');
    });

    it('a CRM expiryDate moved into the past: ENTITLEMENT_EXPIRED', async () => {
      const ent = await w.crmEntitle('r-moved', pass);
      const id = (await w.start('r-moved', 'tv', EV)).body.playback_session.id as string;
      expect((await w.crm.update(ent, { expiryDate: '2021-01-01T00:00:00Z' })).status).toBe(200);
      await ended(id, 'ENTITLEMENT_EXPIRED');
    });
  });
});

describe('RELATIVE rentals start at the first session', () => {
  let t: TestApp;
  let w: AccessWorld;
  let rental: string;
  const DAY = 24 * 3600_000;

  beforeAll(async () => {
    t = await TestApp.start();
    w = await new AccessWorld(t, 'rentals').init();
    rental = await w.offer({
      name: '24h rental',
      target: { creative_work_ids: ['film-1'] },
      offer_prices: [{ price: { currency_code: 'EUR', units: '4' }, access_period: 'ACCESS_PERIOD_DAY' }],
    });
  });
  afterAll(() => t.close());

  const FILM = { kind: 'CREATIVE_WORK', id: 'film-1' };
  const history = async (id: string) => {
    const res = await t.get('/monetization/entitlements/v1/history', {
      token: w.editor,
      query: { project_id: 'rentals', user_id: 'renter' },
    });
    expect(res.status).toBe(200);
    return res.body.events.filter((e: { entitlement_id: string }) => e.entitlement_id === id);
  };

  it('a check alone does not set firstView; a session start does, and the rental ends a day later', async () => {
    const id = await w.crmEntitle('renter', rental, {
      validityType: 'RELATIVE',
      validFrom: '2020-01-01T00:00:00Z',
      expiryDate: '2099-01-01T00:00:00Z',
    });
    const check = await w.check('renter', FILM);
    expect(check.body.access_check).toMatchObject({ granted: true, valid_until: '2099-01-01T00:00:00Z' });
    expect((await w.crm.get(id)).body.firstView).toBeUndefined();
    expect((await history(id)).map((e: { kind: string }) => e.kind)).toEqual(['CREATED']);

    const started = await w.start('renter', 'tv', FILM);
    expect(started.status).toBe(200);
    const firstView = (await w.crm.get(id)).body.firstView as string;
    expect(firstView).toEqual(expect.any(String));
    const startTime = Date.parse(started.body.playback_session.start_time);
    expect(Math.abs(Date.parse(firstView) - startTime)).toBeLessThan(1000);
    expect(Date.parse(started.body.access_check.valid_until)).toBe(Date.parse(firstView) + DAY);
    const events = await history(id);
    expect(events.map((e: { kind: string }) => e.kind)).toEqual(['UPDATED', 'CREATED']);
    expect(events[0].changed_fields).toEqual(['first_view']);

    // Later checks and sessions keep the first view; the rental end stays.
    const later = await w.check('renter', FILM);
    expect(Date.parse(later.body.access_check.valid_until)).toBe(Date.parse(firstView) + DAY);
    expect((await w.start('renter', 'phone', FILM)).status).toBe(200);
    expect((await w.crm.get(id)).body.firstView).toBe(firstView);
    expect(await history(id)).toHaveLength(2);
    // A day after the first view the rental is over.
    const after = await w.check('renter', FILM, { time: new Date(Date.parse(firstView) + DAY).toISOString() });
    expect(after.body.access_check.reason).toBe('ENTITLEMENT_EXPIRED');
  });

  it('a rental that ends while watching ends the session: ENTITLEMENT_EXPIRED', async () => {
    // First view set (by the CRM) to a day ago less 2 seconds: the rental ends in 2 seconds.
    const firstView = new Date(Date.now() - DAY + 2000);
    firstView.setUTCMilliseconds(0);
    const id = await w.crmEntitle('late-renter', rental, {
      validityType: 'RELATIVE',
      validFrom: '2020-01-01T00:00:00Z',
      expiryDate: '2099-01-01T00:00:00Z',
    });
    expect((await w.crm.update(id, { firstView: firstView.toISOString() })).status).toBe(200);
    const started = await w.start('late-renter', 'tv', FILM);
    expect(started.status).toBe(200);
    const end = firstView.getTime() + DAY;
    expect(Date.parse(started.body.access_check.valid_until)).toBe(end);
    await new Promise((resolve) => setTimeout(resolve, end - Date.now() + 300));
    const beat = await w.heartbeat(started.body.playback_session.id as string);
    expect(beat.body.playback_session).toMatchObject({ state: 'ENDED', end_reason: 'ENTITLEMENT_EXPIRED' });
    expect((await w.check('late-renter', FILM)).body.access_check.reason).toBe('ENTITLEMENT_EXPIRED');
  });

  it('the rental never runs past the expiryDate', async () => {
    const expiry = new Date(Date.now() + 3600_000);
    expiry.setUTCMilliseconds(0);
    const id = await w.crmEntitle('short-renter', rental, {
      validityType: 'RELATIVE',
      validFrom: '2020-01-01T00:00:00Z',
      expiryDate: expiry.toISOString(),
    });
    const started = await w.start('short-renter', 'tv', FILM);
    expect(started.status).toBe(200);
    expect((await w.crm.get(id)).body.firstView).toEqual(expect.any(String));
    expect(Date.parse(started.body.access_check.valid_until)).toBe(expiry.getTime());
  });
});
