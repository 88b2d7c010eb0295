import { verifySignature } from '../../apps/api/src/notifications/webhook-signature';
import { insertOffer } from '../support/fixtures';
import { TestApp } from '../support/test-app';
import {
  ALL_TYPES,
  createEndpoint,
  ENDPOINTS,
  FAST_DISPATCH,
  Receiver,
  uniqueProject,
  waitFor,
} from './webhook-support';

const ENTITLEMENTS = '/monetization/entitlements/v1';

describe('webhook endpoints API', () => {
  let t: TestApp;
  let editor: string;
  let viewer: string;
  const project = uniqueProject('hooks');

  beforeAll(async () => {
    // As in production: https only, no private targets.
    t = await TestApp.start({ WEBHOOK_DISPATCHER: 'false' });
    await t.createProject(project);
    editor = await t.platformToken([project], 'editor', 'hooks-admin');
    viewer = await t.platformToken([project], 'viewer');
  });
  afterAll(() => t?.close());

  const q = { project_id: project };

  it('creates an endpoint (https, a public address), shows the secret once, gets, lists, updates and deletes it', async () => {
    const res = await t.post(
      ENDPOINTS,
      {
        project_id: project,
        url: 'https://93.184.215.14/hooks',
        event_types: ['entitlement.revoked', 'entitlement.created', 'entitlement.revoked'],
        description: 'DRM',
      },
      { token: editor },
    );
    expect(res.status).toBe(200);
    expect(res.body.secret).toMatch(/^whsec_[A-Za-z0-9+/]{43}=$/);
    expect(res.body.endpoint).toEqual({
      id: expect.any(String),
      project_id: project,
      url: 'https://93.184.215.14/hooks',
      description: 'DRM',
      event_types: ['entitlement.revoked', 'entitlement.created'],
      enabled: true,
      disabled_reason: '',
      failing_since: null,
      previous_secret_expire_time: null,
      create_time: expect.any(String),
      update_time: expect.any(String),
    });
    const id = res.body.endpoint.id;

    const got = await t.get(`${ENDPOINTS}/${id}`, { token: editor, query: q });
    expect(got.status).toBe(200);
    expect(got.body.endpoint).toEqual(res.body.endpoint);
    expect(got.text).not.toContain(res.body.secret);

    const second = await createEndpoint(t, editor, { project_id: project, url: 'https://93.184.215.14/other' });
    const page1 = await t.get(ENDPOINTS, { token: editor, query: { ...q, page_size: 1 } });
    expect(page1.body.endpoints.map((e: any) => e.id)).toEqual([id]);
    const page2 = await t.get(ENDPOINTS, { token: editor, query: { ...q, page_token: page1.body.next_page_token } });
    expect(page2.body).toEqual({ endpoints: [expect.objectContaining({ id: second.id })], next_page_token: '' });

    const patched = await t.patch(
      `${ENDPOINTS}/${id}`,
      {
        endpoint: { event_types: ['offer.created'], enabled: false, description: 'ignored' },
        update_mask: 'event_types,enabled',
      },
      { token: editor, query: q },
    );
    expect(patched.status).toBe(200);
    expect(patched.body.endpoint).toMatchObject({
      event_types: ['offer.created'],
      enabled: false,
      description: 'DRM',
      disabled_reason: 'disabled by an update',
    });
    const enabled = await t.patch(`${ENDPOINTS}/${id}`, { endpoint: { enabled: true } }, { token: editor, query: q });
    expect(enabled.body.endpoint).toMatchObject({ enabled: true, disabled_reason: '' });

    expect((await t.delete(`${ENDPOINTS}/${id}`, { token: editor, query: q })).status).toBe(200);
    expect((await t.get(`${ENDPOINTS}/${id}`, { token: editor, query: q })).status).toBe(404);
    expect((await t.delete(`${ENDPOINTS}/${id}`, { token: editor, query: q })).status).toBe(404);
  });

  it('refuses bad input with 400 naming each field', async () => {
    const res = await t.post(
      ENDPOINTS,
      { project_id: project, url: 42, event_types: ['entitlement.created', 'nope'], colour: 'red' },
      { token: editor },
    );
    expect(res.status).toBe(400);
    expect(res.body.code).toBe('invalid_argument');
    const fields = res.body.details.map((d: any) => d.field);
    expect(fields).toEqual(expect.arrayContaining(['url', 'event_types[1]', 'colour']));

    const empty = await t.post(
      ENDPOINTS,
      { project_id: project, url: 'https://93.184.215.14/', event_types: [] },
      { token: editor },
    );
    expect(empty.status).toBe(400);
    expect(empty.text).toContain('event_types');

    const missing = await t.post(ENDPOINTS, { project_id: project }, { token: editor });
    expect(missing.status).toBe(400);
    expect(missing.text).toContain('url');
    expect(missing.text).toContain('event_types');

    const noProject = await t.post(
      ENDPOINTS,
      { project_id: 'no-such-project', url: 'https://93.184.215.14/', event_types: ALL_TYPES },
      { token: await t.platformToken('*', 'admin') },
    );
    expect(noProject.status).toBe(400);
    expect(noProject.text).toContain('project_id');

    const { id } = await createEndpoint(t, editor, { project_id: project, url: 'https://93.184.215.14/x' });
    const badMask = await t.patch(
      `${ENDPOINTS}/${id}`,
      { endpoint: { url: 'https://93.184.215.14/y' }, update_mask: 'secret' },
      { token: editor, query: q },
    );
    expect(badMask.status).toBe(400);
    expect(badMask.text).toContain('update_mask');
    const badToken = await t.get(ENDPOINTS, { token: editor, query: { ...q, page_token: 'garbage' } });
    expect(badToken.status).toBe(400);
    expect(badToken.text).toContain('page_token');
    expect((await t.get(ENDPOINTS, { token: editor })).status).toBe(400);
    expect((await t.get(`${ENDPOINTS}/not-a-uuid`, { token: editor, query: q })).status).toBe(404);
    const rotateNoProject = await t.post(`${ENDPOINTS}/${id}/rotate-secret`, {}, { token: editor });
    expect(rotateNoProject.status).toBe(400);
    expect(rotateNoProject.text).toContain('project_id');
  });

  it('needs the editor role on the project', async () => {
    expect((await t.get(ENDPOINTS, { token: viewer, query: q })).status).toBe(403);
    const other = await t.platformToken(['other-project'], 'admin');
    expect((await t.get(ENDPOINTS, { token: other, query: q })).status).toBe(403);
    const create = await t.post(
      ENDPOINTS,
      { project_id: project, url: 'https://93.184.215.14/', event_types: ALL_TYPES },
      { token: viewer },
    );
    expect(create.status).toBe(403);
    expect((await t.get(ENDPOINTS, { query: q })).status).toBe(401);
  });

  it.each([
    ['http://93.184.215.14/hooks', 'https'],
    ['https://127.0.0.1/hooks', '127.0.0.1'],
    ['https://localhost:8443/hooks', 'resolves to'],
    ['https://10.1.2.3/', '10.1.2.3'],
    ['https://192.168.1.10/', '192.168.1.10'],
    ['https://172.20.0.5/', '172.20.0.5'],
    ['https://169.254.169.254/latest/meta-data/', '169.254.169.254'],
    ['https://100.100.100.200/', '100.100.100.200'],
    ['https://[::1]/', '::1'],
    ['https://[fd00:ec2::254]/', 'fd00:ec2::254'],
    ['https://[::ffff:127.0.0.1]/', 'resolves to'],
    ['https://0.0.0.0/', '0.0.0.0'],
    ['https://user:pw@93.184.215.14/', 'credentials'],
    ['not a url', 'absolute URL'],
  ])('refuses the webhook URL %s (SSRF)', async (url, says) => {
    const res = await t.post(ENDPOINTS, { project_id: project, url, event_types: ALL_TYPES }, { token: editor });
    expect(res.status).toBe(400);
    expect(res.body.details).toEqual([{ field: 'url', description: expect.any(String) }]);
    expect(res.text).toContain(says);
  });
});

describe('webhook delivery safety and secret rotation', () => {
  let t: TestApp;
  let receiver: Receiver;
  const project = uniqueProject('rotate');

  // Each test app signs development tokens with the key of the last one started: the rotation test runs
  // first, on `t`; the others start their own instance.
  beforeAll(async () => {
    receiver = await Receiver.start();
    t = await TestApp.start({ ...FAST_DISPATCH, WEBHOOK_SECRET_GRACE_S: '3600' });
    await t.createProject(project);
  });
  afterAll(async () => {
    await t?.close();
    await receiver?.down();
  });

  it('rotates the secret: both secrets sign during the grace period, then only the new one', async () => {
    const editor = await t.platformToken([project], 'editor');
    const offerId = await insertOffer(t, project);
    const { id, secret: oldSecret } = await createEndpoint(t, editor, {
      project_id: project,
      url: receiver.url,
      event_types: ['entitlement.created', 'entitlement.updated'],
    });
    const rotated = await t.post(`${ENDPOINTS}/${id}/rotate-secret`, { project_id: project }, { token: editor });
    expect(rotated.status).toBe(200);
    const newSecret = rotated.body.secret;
    expect(newSecret).not.toBe(oldSecret);
    const expires = Date.parse(rotated.body.endpoint.previous_secret_expire_time);
    expect(expires - Date.now()).toBeGreaterThan(3500_000);

    const upsert = (source: string) =>
      t.post(
        ENTITLEMENTS,
        { project_id: project, user_id: 'rot', offer_id: offerId, source_id: source },
        { token: editor },
      );
    expect((await upsert('a')).status).toBe(200);
    const first = await waitFor('the first event', () => receiver.delivered.find((r) => r.json.project_id === project));
    const sig = String(first.headers['webhook-signature']);
    expect(sig.split(' ')).toHaveLength(2);
    const args = [
      String(first.headers['webhook-id']),
      String(first.headers['webhook-timestamp']),
      first.body,
      sig,
    ] as const;
    expect(verifySignature(newSecret, ...args)).toBe(true);
    expect(verifySignature(oldSecret, ...args)).toBe(true);
    expect(verifySignature('whsec_' + Buffer.alloc(32).toString('base64'), ...args)).toBe(false);

    // The grace period over: the old secret no longer signs.
    await t.sql(`update webhook_endpoint set previous_secret_expires_at = now() - interval '1 second' where id = $1`, [
      id,
    ]);
    expect((await upsert('b')).status).toBe(200);
    const second = await waitFor('the second event', () =>
      receiver.delivered.find((r) => r.json.type === 'entitlement.updated' && r.json.project_id === project),
    );
    const args2 = [
      String(second.headers['webhook-id']),
      String(second.headers['webhook-timestamp']),
      second.body,
      String(second.headers['webhook-signature']),
    ] as const;
    expect(args2[3].split(' ')).toHaveLength(1);
    expect(verifySignature(newSecret, ...args2)).toBe(true);
    expect(verifySignature(oldSecret, ...args2)).toBe(false);
    const got = await t.get(`${ENDPOINTS}/${id}`, { token: editor, query: { project_id: project } });
    expect(got.body.endpoint.previous_secret_expire_time).toBeNull();
  });

  it('refuses at delivery time a target that resolves to a private address', async () => {
    // An instance where private targets are refused, with an endpoint whose name resolves to loopback (as when
    // its DNS changed after the endpoint was saved: written here directly, as the API would refuse it).
    const strict = await TestApp.start({ ...FAST_DISPATCH, WEBHOOK_ALLOW_PRIVATE_TARGETS: 'false' });
    const other = uniqueProject('ssrf');
    try {
      await strict.createProject(other);
      const [{ id }] = await strict.sql(
        `insert into webhook_endpoint (id, project_id, url, description, event_types, secret, created_at, updated_at)
         values (gen_random_uuid(), $1, $2, '', '{entitlement.created}', $3, now(), now()) returning id`,
        [other, `https://localhost:${receiver.port}/hooks`, 'whsec_' + Buffer.alloc(32, 1).toString('base64')],
      );
      const offerId = await insertOffer(strict, other);
      const res = await strict.post(
        ENTITLEMENTS,
        { project_id: other, user_id: 'v', offer_id: offerId },
        { token: await strict.platformToken([other], 'editor') },
      );
      expect(res.status).toBe(200);
      const refused = await waitFor('a refused attempt', async () => {
        const [row] = await strict.sql(`select * from webhook_delivery where endpoint_id = $1 and attempts > 0`, [id]);
        return row?.last_error ? row : undefined;
      });
      expect(refused.last_error).toMatch(/^refused: the host "localhost" resolves to (127\.0\.0\.1|::1)/);
      expect(refused.status).toBe('PENDING');
    } finally {
      await strict.close();
    }
    expect(receiver.received.filter((r) => r.json?.project_id === other)).toHaveLength(0);
  });

  it('disables an endpoint that keeps failing, and says so in its resource', async () => {
    const failing = await TestApp.start({
      ...FAST_DISPATCH,
      WEBHOOK_DISABLE_AFTER_S: '0',
      WEBHOOK_RETRY_WINDOW_S: '3600',
    });
    try {
      const p = uniqueProject('disable');
      await failing.createProject(p);
      const editor = await failing.platformToken([p], 'editor');
      receiver.answer = (r) => (r.json?.project_id === p ? 503 : 204);
      const { id } = await createEndpoint(failing, editor, { project_id: p, url: receiver.url });
      const offerId = await insertOffer(failing, p);
      await failing.post(ENTITLEMENTS, { project_id: p, user_id: 'x', offer_id: offerId }, { token: editor });
      const endpoint = await waitFor('disabled', async () => {
        const res = await failing.get(`${ENDPOINTS}/${id}`, { token: editor, query: { project_id: p } });
        return res.body.endpoint.enabled === false ? res.body.endpoint : undefined;
      });
      expect(endpoint.disabled_reason).toContain('HTTP 503');
      expect(endpoint.failing_since).toEqual(expect.any(String));
      const log = await failing.get(`${ENDPOINTS}/${id}/deliveries`, { token: editor, query: { project_id: p } });
      expect(log.body.deliveries[0]).toMatchObject({
        status: 'FAILED',
        last_status_code: 503,
        next_attempt_time: null,
      });
    } finally {
      receiver.answer = () => 204;
      await failing.close();
    }
  });
});
