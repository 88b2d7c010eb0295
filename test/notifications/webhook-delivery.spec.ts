import { createHmac } from 'node:crypto';
import { connect, NatsConnection } from 'nats';
import { CrmClient, SUBSCRIPTION } from '../crm-gateway/crm-client';
import { TestApp } from '../support/test-app';
import {
  ALL_TYPES,
  createEndpoint,
  ENDPOINTS,
  FAST_DISPATCH,
  outboxIds,
  Receiver,
  uniqueProject,
  waitFor,
} from './webhook-support';

const OFFERS = '/monetization/offers/v1';
const ENTITLEMENTS = '/monetization/entitlements/v1';
const NATS_URL = process.env.TEST_NATS_URL ?? 'nats://127.0.0.1:4222';
const STREAM = 'ENTITLEMENTS';

/** The README's receiver check, verbatim in spirit: HMAC-SHA256 over "id.timestamp.body" with the decoded secret. */
function verify(secret: string, headers: Record<string, string | string[] | undefined>, body: string): boolean {
  const key = Buffer.from(secret.replace(/^whsec_/, ''), 'base64');
  const signed = `${String(headers['webhook-id'])}.${String(headers['webhook-timestamp'])}.${body}`;
  const expected = `v1,${createHmac('sha256', key).update(signed).digest('base64')}`;
  return String(headers['webhook-signature']).split(' ').includes(expected);
}

const offerBody = (projectId: string, name: string) => ({
  project_id: projectId,
  name,
  applies_to_all: true,
  visibility: 'VISIBILITY_PUBLISHED',
});

describe('change notifications: webhooks and NATS', () => {
  let t: TestApp;
  let receiver: Receiver;
  let nc: NatsConnection;
  let editor: string;
  let endpoint: { id: string; secret: string };
  const project = uniqueProject('notify');

  beforeAll(async () => {
    receiver = await Receiver.start();
    t = await TestApp.start({ ...FAST_DISPATCH, NATS_URL, CRM_DEFAULT_TENANT: project });
    await t.createProject(project);
    editor = await t.platformToken([project], 'editor', 'back-office-7');
    endpoint = await createEndpoint(t, editor, { project_id: project, url: receiver.url, description: 'all' });
    nc = await connect({ servers: NATS_URL });
  });
  afterAll(async () => {
    await nc?.close();
    await t?.close();
    await receiver?.down();
  });

  it('delivers every event type, signed, with the actor, the correlation id and the resource before and after', async () => {
    const corr = (n: string) => ({ headers: { 'x-correlation-id': `notify-${n}` } });
    const offer = await t.post(OFFERS, offerBody(project, 'Pass'), { token: editor, ...corr('offer-create') });
    expect(offer.status).toBe(200);
    const offerId = offer.body.offer.id as string;
    const spare = await t.post(OFFERS, offerBody(project, 'Spare'), { token: editor });
    const spareId = spare.body.offer.id as string;
    expect(
      (
        await t.patch(
          `${OFFERS}/${offerId}`,
          { offer: { name: 'Pass 2' }, update_mask: 'name' },
          { token: editor, query: { project_id: project } },
        )
      ).status,
    ).toBe(200);
    expect((await t.delete(`${OFFERS}/${spareId}`, { token: editor, query: { project_id: project } })).status).toBe(
      200,
    );

    const key = { project_id: project, user_id: 'viewer-1', offer_id: offerId };
    expect((await t.post(ENTITLEMENTS, key, { token: editor, ...corr('ent-create') })).status).toBe(200);
    expect((await t.post(ENTITLEMENTS, { ...key, source_id: 'tx-2' }, { token: editor })).status).toBe(200);
    const revoke = await t.post(ENTITLEMENTS, { ...key, expiration_time: '2020-01-01T00:00:00Z' }, { token: editor });
    expect(revoke.status).toBe(200);

    // A CRM-origin entitlement, deleted through the CRM gateway.
    const crm = await CrmClient.of(t, project);
    const created = await crm.create({ ...SUBSCRIPTION, _id: 'crm-ent-1' });
    expect(created.status).toBe(201);
    expect((await crm.delete('crm-ent-1')).status).toBe(200);

    const ids = await outboxIds(t, project);
    expect(ids).toHaveLength(9);
    await waitFor('every event delivered', () =>
      ids.every((id) => receiver.deliveredEvents().some((e) => e.id === id)),
    );

    const events = receiver.deliveredEvents();
    expect(new Set(events.map((e) => e.type))).toEqual(new Set(ALL_TYPES));
    for (const r of receiver.delivered) {
      expect(verify(endpoint.secret, r.headers, r.body)).toBe(true);
      expect(r.headers['webhook-id']).toBe(r.json.id);
      expect(Math.abs(Number(r.headers['webhook-timestamp']) - Date.now() / 1000)).toBeLessThan(600);
      expect(r.headers['content-type']).toBe('application/json');
    }

    const byType = (type: string) => events.filter((e) => e.type === type);
    const offerCreated = byType('offer.created').find((e) => e.resource_id === offerId);
    expect(offerCreated).toMatchObject({
      project_id: project,
      actor: 'back-office-7',
      correlation_id: 'notify-offer-create',
      api: 'MOTTO',
      truncated: false,
      data: { before: null, after: { id: offerId, name: 'Pass', project_id: project } },
    });
    expect(byType('offer.updated')[0].data).toMatchObject({ before: { name: 'Pass' }, after: { name: 'Pass 2' } });
    expect(byType('offer.deleted')[0]).toMatchObject({
      resource_id: spareId,
      data: { after: null, before: { id: spareId } },
    });

    const motto = events.filter((e) => e.type.startsWith('entitlement.') && e.api === 'MOTTO');
    expect(motto.map((e) => e.type)).toEqual(['entitlement.created', 'entitlement.updated', 'entitlement.revoked']);
    expect(motto[0]).toMatchObject({
      correlation_id: 'notify-ent-create',
      actor: 'back-office-7',
      data: {
        before: null,
        after: { project_id: project, user_id: 'viewer-1', offer_id: offerId, expiration_time: null },
      },
    });
    expect(motto[1].data.before.source_id).toBe('');
    expect(motto[1].data.after.source_id).toBe('tx-2');
    expect(motto[2].data.after.expiration_time).not.toBeNull();

    const crmEvents = events.filter((e) => e.api === 'CRM');
    expect(crmEvents.map((e) => e.type)).toEqual(['entitlement.created', 'entitlement.deleted']);
    expect(crmEvents[1]).toMatchObject({
      resource_id: 'crm-ent-1',
      data: { after: null, before: { user_id: SUBSCRIPTION.accountId, offer_id: SUBSCRIPTION.productId } },
    });

    // The delivery log shows them delivered.
    const log = await t.get(`${ENDPOINTS}/${endpoint.id}/deliveries`, {
      token: editor,
      query: { project_id: project },
    });
    expect(log.status).toBe(200);
    expect(log.body.deliveries).toHaveLength(9);
    expect(log.body.deliveries.every((d: any) => d.status === 'DELIVERED' && d.last_status_code === 204)).toBe(true);
  });

  it('publishes every event to JetStream under entitlements.<project_id>.<type>, the event id as msgID', async () => {
    const ids = await outboxIds(t, project);
    await waitFor('published to NATS', async () => {
      const [row] = await t.sql('select count(*)::int as n from outbox_event where project_id = $1 and nats_pending', [
        project,
      ]);
      return row.n === 0;
    });
    const jsm = await nc.jetstreamManager();
    const stored: { subject: string; id: string | undefined; body: any }[] = [];
    for (const type of ALL_TYPES) {
      const subject = `entitlements.${project}.${type}`;
      const info = await jsm.streams.info(STREAM, { subjects_filter: subject });
      expect(info.state.subjects?.[subject]).toBeGreaterThanOrEqual(1);
      const msg = await jsm.streams.getMessage(STREAM, { last_by_subj: subject });
      stored.push({ subject, id: msg.header?.get('Nats-Msg-Id'), body: msg.json() });
    }
    for (const s of stored) {
      expect(s.id).toBe(s.body.id);
      expect(ids).toContain(s.id);
      expect(`entitlements.${s.body.project_id}.${s.body.type}`).toBe(s.subject);
    }
    const total = await jsm.streams.info(STREAM, { subjects_filter: `entitlements.${project}.>` });
    expect(Object.values(total.state.subjects ?? {}).reduce((a, b) => a + b, 0)).toBe(ids.length);

    // Published again (as after a crash between the publish and its bookkeeping): JetStream drops the duplicate.
    await t.sql('update outbox_event set nats_pending = true where project_id = $1', [project]);
    await waitFor('re-published', async () => {
      const [row] = await t.sql('select count(*)::int as n from outbox_event where project_id = $1 and nats_pending', [
        project,
      ]);
      return row.n === 0;
    });
    const again = await jsm.streams.info(STREAM, { subjects_filter: `entitlements.${project}.>` });
    expect(Object.values(again.state.subjects ?? {}).reduce((a, b) => a + b, 0)).toBe(ids.length);
  });

  it('retries while the receiver is down, and delivers once it is back', async () => {
    await receiver.down();
    const offer = await t.post(OFFERS, offerBody(project, 'While down'), { token: editor });
    expect(offer.status).toBe(200);
    const [event] = await t.sql('select event_id from outbox_event where resource_id = $1', [offer.body.offer.id]);
    const failing = await waitFor('two failed attempts', async () => {
      const log = await t.get(`${ENDPOINTS}/${endpoint.id}/deliveries`, {
        token: editor,
        query: { project_id: project },
      });
      const d = log.body.deliveries.find((x: any) => x.event_id === event.event_id);
      return d && d.attempts >= 2 ? d : undefined;
    });
    expect(failing).toMatchObject({ status: 'PENDING', last_status_code: null, next_attempt_time: expect.any(String) });
    expect(failing.last_error).toMatch(/ECONNREFUSED|connect/);
    const get = await t.get(`${ENDPOINTS}/${endpoint.id}`, { token: editor, query: { project_id: project } });
    expect(get.body.endpoint.failing_since).toEqual(expect.any(String));
    expect(get.body.endpoint.enabled).toBe(true);

    await receiver.up();
    await waitFor('delivered after the receiver came back', () =>
      receiver.deliveredEvents().some((e) => e.id === event.event_id),
    );
    await waitFor('logged as delivered', async () => {
      const [row] = await t.sql(
        `select status, attempts from webhook_delivery where event_id = $1 and endpoint_id = $2`,
        [event.event_id, endpoint.id],
      );
      return row.status === 'DELIVERED' ? row : undefined;
    });
    const after = await t.get(`${ENDPOINTS}/${endpoint.id}`, { token: editor, query: { project_id: project } });
    expect(after.body.endpoint.failing_since).toBeNull();
  });

  it('redelivers a delivery on request', async () => {
    const log = await t.get(`${ENDPOINTS}/${endpoint.id}/deliveries`, {
      token: editor,
      query: { project_id: project, page_size: 1 },
    });
    expect(log.body.next_page_token).not.toBe('');
    const old = log.body.deliveries[0];
    const before = receiver.delivered.filter((r) => r.json.id === old.event_id).length;
    const res = await t.post(
      `${ENDPOINTS}/${endpoint.id}/deliveries/${old.id}/redeliver`,
      { project_id: project },
      { token: editor },
    );
    expect(res.status).toBe(200);
    expect(res.body.delivery).toMatchObject({ event_id: old.event_id, status: 'PENDING', attempts: 0 });
    expect(res.body.delivery.id).not.toBe(old.id);
    await waitFor('redelivered', () => receiver.delivered.filter((r) => r.json.id === old.event_id).length > before);
    const missing = await t.post(
      `${ENDPOINTS}/${endpoint.id}/deliveries/999999/redeliver`,
      { project_id: project },
      { token: editor },
    );
    expect(missing.status).toBe(404);
  });
});
