import { ChangeContext, EntitlementTx } from '@app/database';
import { Entitlement, EntitlementOrigin } from '@app/domain';
import { EntityManager } from '@mikro-orm/postgresql';
import { insertOffer } from '../support/fixtures';
import { TestApp } from '../support/test-app';
import { createEndpoint, FAST_DISPATCH, outboxIds, Receiver, uniqueProject, waitFor } from './webhook-support';

const ENTITLEMENTS = '/monetization/entitlements/v1';

describe('change notifications: nothing lost, in order per entitlement', () => {
  let t: TestApp;
  let second: TestApp;
  let receiver: Receiver;
  let editor: string;
  let offerId: string;
  const project = uniqueProject('order');

  beforeAll(async () => {
    receiver = await Receiver.start();
    t = await TestApp.start(FAST_DISPATCH);
    // A second instance on the same database: two dispatchers share the queue.
    second = await TestApp.start(FAST_DISPATCH, { sameDatabaseAs: t });
    await t.createProject(project);
    editor = await t.platformToken([project], 'editor', 'ordering-test');
    offerId = await insertOffer(t, project);
    await createEndpoint(t, editor, { project_id: project, url: receiver.url });
  });
  afterAll(async () => {
    await second?.close();
    await t?.close();
    await receiver?.down();
  });

  it('delivers an event whose transaction commits after a later one (sequence ids commit out of order)', async () => {
    // Transaction A takes its outbox sequence number first and stays open...
    let commitA!: () => void;
    const gate = new Promise<void>((resolve) => (commitA = resolve));
    let seqTaken!: () => void;
    const taken = new Promise<void>((resolve) => (seqTaken = resolve));
    const ctx: ChangeContext = { actor: 'slow-writer', api: EntitlementOrigin.Motto, correlationId: 'tx-a' };
    const em = t.app.get(EntityManager).fork();
    const txA = em.transactional(async (tem) => {
      const tx = new EntitlementTx(tem);
      await tx.insert(
        Entitlement.forMotto({ projectId: project, subjectId: 'slow', productId: offerId }, {}, new Date()),
        ctx,
      );
      seqTaken();
      await gate;
    });
    await taken;
    // ...while transaction B, a later change of another entitlement, commits and is delivered.
    const b = await t.post(
      ENTITLEMENTS,
      { project_id: project, user_id: 'fast', offer_id: offerId },
      { token: editor, headers: { 'x-correlation-id': 'tx-b' } },
    );
    expect(b.status).toBe(200);
    await waitFor('B delivered', () => receiver.deliveredEvents().some((e) => e.correlation_id === 'tx-b'));

    const [a] = await t.sql(`select count(*)::int as n from outbox_event where correlation_id = 'tx-a'`);
    expect(a.n).toBe(0); // A is not committed yet: nobody can see its row.

    commitA();
    await txA;
    await waitFor('A delivered too', () => receiver.deliveredEvents().some((e) => e.correlation_id === 'tx-a'));
    const rows = await t.sql(
      `select correlation_id, seq from outbox_event where correlation_id in ('tx-a', 'tx-b') order by seq`,
    );
    // A's sequence number is the lower one, yet it committed (and was delivered) after B.
    expect(rows.map((r) => r.correlation_id)).toEqual(['tx-a', 'tx-b']);
    const order = receiver.deliveredEvents().map((e) => e.correlation_id);
    expect(order.indexOf('tx-a')).toBeGreaterThan(order.indexOf('tx-b'));
  });

  it('keeps the order of each entitlement under 200 concurrent changes, two dispatchers and a flaky receiver', async () => {
    // One request in five fails (500): its retry must still come before the entitlement's next event.
    let n = 0;
    receiver.answer = () => (++n % 5 === 0 ? 500 : 204);
    const users = Array.from({ length: 10 }, (_, i) => `u${i}`);
    const changes = Array.from({ length: 200 }, (_, i) => ({ user: users[i % users.length], i }));
    const results = await Promise.all(
      changes.map(({ user, i }) =>
        (i % 2 ? second : t).post(
          ENTITLEMENTS,
          { project_id: project, user_id: user, offer_id: offerId, source_id: `change-${i}` },
          { token: editor },
        ),
      ),
    );
    expect(results.every((r) => r.status === 200)).toBe(true);

    const ids = await outboxIds(t, project);
    await waitFor(
      'every event delivered',
      () => {
        const got = new Set(receiver.deliveredEvents().map((e) => e.id));
        return ids.every((id) => got.has(id));
      },
      60_000,
    );
    // Per entitlement, the first successful receipt of each event follows the outbox order.
    const outbox = await t.sql<{ event_id: string; resource_id: string }>(
      'select event_id, resource_id from outbox_event where project_id = $1 order by seq',
      [project],
    );
    const delivered = receiver.deliveredEvents();
    for (const resource of new Set(outbox.map((r) => r.resource_id))) {
      const expected = outbox.filter((r) => r.resource_id === resource).map((r) => r.event_id);
      const actual = delivered.filter((e) => e.resource_id === resource).map((e) => e.id);
      expect(actual).toEqual(expected);
    }
    // And a later event never reached the receiver before an earlier one of its entitlement succeeded.
    const firstOk = new Map<string, number>();
    receiver.received.forEach((r, i) => {
      if (r.status < 300 && !firstOk.has(r.json.id)) firstOk.set(r.json.id, i);
    });
    for (const resource of new Set(outbox.map((r) => r.resource_id))) {
      const expected = outbox.filter((r) => r.resource_id === resource).map((r) => r.event_id);
      for (let k = 1; k < expected.length; k++) {
        const firstTry = receiver.received.findIndex((r) => r.json.id === expected[k]);
        expect(firstTry).toBeGreaterThan(firstOk.get(expected[k - 1])!);
      }
    }
    // The two events of the first test, and one per change: 10 created, 190 updated.
    expect(ids).toHaveLength(202);
    const [dup] = await t.sql(
      `select count(*)::int as n from (select event_id from webhook_delivery group by endpoint_id, event_id having count(*) > 1) d`,
    );
    expect(dup.n).toBe(0);
  });
});
