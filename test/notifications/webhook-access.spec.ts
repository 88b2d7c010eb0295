import { AccessWorld } from '../access/access-support';
import { TestApp } from '../support/test-app';
import { createEndpoint, FAST_DISPATCH, Receiver, uniqueProject, waitFor } from './webhook-support';

describe('change notifications from the access feature', () => {
  let t: TestApp;
  let receiver: Receiver;
  let w: AccessWorld;

  beforeAll(async () => {
    receiver = await Receiver.start();
    t = await TestApp.start({ ...FAST_DISPATCH, WEBHOOK_MAX_BODY_BYTES: '4096' });
    w = await new AccessWorld(t, uniqueProject('rental')).init();
    await createEndpoint(t, w.editor, {
      project_id: w.project,
      url: receiver.url,
      event_types: ['entitlement.updated'],
    });
  });
  afterAll(async () => {
    await t?.close();
    await receiver?.down();
  });

  it('the first session of a RELATIVE rental (its first view) sends entitlement.updated, by the playback service', async () => {
    const rental = await w.offer({
      name: '24h rental',
      target: { creative_work_ids: ['film-1'] },
      offer_prices: [{ price: { currency_code: 'EUR', units: '4' }, access_period: 'ACCESS_PERIOD_DAY' }],
    });
    const id = await w.crmEntitle('renter', rental, { validityType: 'RELATIVE' });
    const started = await w.start('renter', 'tv', { kind: 'CREATIVE_WORK', id: 'film-1' });
    expect(started.status).toBe(200);
    const event = await waitFor('entitlement.updated', () =>
      receiver.deliveredEvents().find((e) => e.resource_id === id),
    );
    expect(event).toMatchObject({ type: 'entitlement.updated', actor: 'playback-service', api: 'MOTTO' });
    expect(event.data.before.user_id).toBe('renter');
    expect(event.data.after.update_time).not.toBe(event.data.before.update_time);
    const [row] = await t.sql(`select after->>'firstView' as first_view from outbox_event where event_id = $1`, [
      event.id,
    ]);
    expect(row.first_view).toEqual(expect.any(String));
  });

  it('sends an event over WEBHOOK_MAX_BODY_BYTES without its resource (truncated)', async () => {
    await createEndpoint(t, w.editor, { project_id: w.project, url: receiver.url, event_types: ['offer.created'] });
    const big = await w.offer({
      name: 'Big',
      target: { event_ids: Array.from({ length: 300 }, (_, i) => `event-${i}-with-a-longish-identifier`) },
    });
    const event = await waitFor('offer.created', () => receiver.deliveredEvents().find((e) => e.resource_id === big));
    expect(event).toMatchObject({ type: 'offer.created', truncated: true, data: { before: null, after: null } });
    const raw = receiver.delivered.find((r) => r.json.id === event.id)!;
    expect(Buffer.byteLength(raw.body)).toBeLessThanOrEqual(4096);
  });

  it('prunes finished deliveries and done events older than WEBHOOK_RETENTION_S, keeping any still pending', async () => {
    const [before] = await t.sql(`select count(*)::int as n from outbox_event where project_id = $1`, [w.project]);
    expect(before.n).toBeGreaterThan(2);
    await t.sql(`update outbox_event set occurred_at = now() - interval '40 days' where project_id = $1`, [w.project]);
    await t.sql(
      `update webhook_delivery set created_at = now() - interval '40 days'
        where event_seq in (select seq from outbox_event where project_id = $1)`,
      [w.project],
    );
    // One delivery still pending (due in a day): its event stays.
    const [kept] = await t.sql(
      `update webhook_delivery set status = 'PENDING', next_attempt_at = now() + interval '1 day'
        where id = (select max(d.id) from webhook_delivery d join outbox_event o on o.seq = d.event_seq
                     where o.project_id = $1)
       returning event_id`,
      [w.project],
    );
    // A newly started instance prunes in its first round.
    const other = await TestApp.start({ ...FAST_DISPATCH }, { sameDatabaseAs: t });
    try {
      const left = await waitFor('pruned', async () => {
        const rows = await t.sql(`select event_id from outbox_event where project_id = $1`, [w.project]);
        return rows.length === 1 ? rows : undefined;
      });
      expect(left[0].event_id).toBe(kept.event_id);
      const deliveries = await t.sql(
        `select status from webhook_delivery where event_id in (select event_id from outbox_event where project_id = $1)`,
        [w.project],
      );
      expect(deliveries).toEqual([{ status: 'PENDING' }]);
    } finally {
      await other.close();
    }
  });
});
