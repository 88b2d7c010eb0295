import { TestApp } from '../support/test-app';
import { CrmClient, expectCrmError, SUBSCRIPTION } from './crm-client';

/**
 * The duplicate rule and caller-chosen ids under concurrency, with two service instances on one database:
 * identical creates sent at once yield exactly one entitlement.
 */
describe('CRM gateway: concurrent creates across two instances', () => {
  let one: TestApp;
  let two: TestApp;
  let clients: CrmClient[];
  beforeAll(async () => {
    one = await TestApp.start();
    two = await TestApp.start({}, { sameDatabaseAs: one });
    const token = await one.operatorToken();
    clients = [new CrmClient(one, token), new CrmClient(two, token)];
  });
  afterAll(async () => {
    await two.close();
    await one.close();
  });

  /** `n` creates sent at once, alternating between the two instances. */
  const burst = (n: number, body: object, query: Record<string, string> = {}) =>
    Promise.all(Array.from({ length: n }, (_, i) => clients[i % 2].create(body, { query })));

  it.each([1, 2, 3])(
    '20 identical creates with prohibitDuplicateProductPurchase=true: one 201, nineteen 409 (4091), one row (round %i)',
    async (round) => {
      const accountId = `acc-race-${round}`;
      const results = await burst(20, { ...SUBSCRIPTION, accountId }, { prohibitDuplicateProductPurchase: 'true' });
      const created = results.filter((r) => r.status === 201);
      expect(created).toHaveLength(1);
      const refused = results.filter((r) => r.status !== 201);
      expect(refused).toHaveLength(19);
      for (const r of refused) expectCrmError(r, 409, 4091);
      const rows = await one.sql('SELECT id FROM entitlement WHERE project_id = $1 AND subject_id = $2', [
        'demo',
        accountId,
      ]);
      expect(rows).toEqual([{ id: created[0].body._id }]);
      expect(await one.sql('SELECT kind FROM entitlement_event WHERE subject_id = $1', [accountId])).toEqual([
        { kind: 'CREATED' },
      ]);
    },
  );

  it('20 creates with the same caller-chosen _id: one 201, nineteen 409 (4090), one row', async () => {
    const results = await burst(20, { ...SUBSCRIPTION, accountId: 'acc-same-id', _id: 'same-id-race' });
    expect(results.filter((r) => r.status === 201)).toHaveLength(1);
    for (const r of results.filter((x) => x.status !== 201)) expectCrmError(r, 409, 4090);
    expect(await one.sql('SELECT count(*)::int AS n FROM entitlement WHERE id = $1', ['same-id-race'])).toEqual([
      { n: 1 },
    ]);
  });

  it('without the flag, the same burst stores every create', async () => {
    const results = await burst(20, { ...SUBSCRIPTION, accountId: 'acc-no-flag' });
    expect(results.map((r) => r.status)).toEqual(Array(20).fill(201));
    expect(await one.sql("SELECT count(*)::int AS n FROM entitlement WHERE subject_id = 'acc-no-flag'")).toEqual([
      { n: 20 },
    ]);
  });
});
