import { Condition, EntitlementField, EntitlementStore, OrderKey } from '@app/database';
import { Entitlement, EntitlementOrigin, EntitlementStatus } from '@app/domain';
import { EntityManager } from '@mikro-orm/postgresql';
import { TestApp } from '../support/test-app';

/**
 * EntitlementStore.countAndPage on PostgreSQL: the SQL meaning of the neutral conditions and sort keys (what
 * absent values match and where they sort, validFrom read as the creation time when absent, the id
 * tie-breaker), whatever API asks. The CRM gateway's list (test/crm-gateway/crm-list.spec.ts) runs on it.
 */
const C = new Date('2023-12-01T00:00:00.000Z');
const T0 = new Date('2024-01-01T00:00:00.000Z');
const T1 = new Date('2024-02-01T00:00:00.000Z');
const T2 = new Date('2024-03-01T00:00:00.000Z');

/** id → the fields of one stored entitlement. */
const ROWS: Record<string, Partial<Entitlement>> = {
  a: { deviceId: 'stb-1', validFrom: T0, validUntil: T2, createdAt: C },
  b: { createdAt: T1 },
  c: { subjectId: 't', deviceId: 'stb-2', validFrom: T1, validUntil: T2, createdAt: C },
  d: { validFrom: T2, createdAt: C },
  e: { validUntil: T1, createdAt: T1 },
};

type Cond = Condition<EntitlementField>;
const cond = (field: EntitlementField, op: Cond['op'], ...values: Cond['values']): Cond => ({ field, op, values });
const key = (field: EntitlementField, direction: 'asc' | 'desc' = 'asc'): OrderKey<EntitlementField> => ({
  field,
  direction,
});

describe('EntitlementStore.countAndPage: neutral conditions and sort keys on PostgreSQL', () => {
  let t: TestApp;
  let store: EntitlementStore;

  beforeAll(async () => {
    t = await TestApp.start();
    await t.createProject('lst');
    await t.createProject('other');
    const em = t.app.get(EntityManager).fork();
    store = new EntitlementStore(em.fork());
    const row = (projectId: string, id: string, over: Partial<Entitlement>) =>
      new Entitlement({
        id,
        projectId,
        subjectId: 's',
        productId: 'p',
        status: EntitlementStatus.Active,
        origin: EntitlementOrigin.Crm,
        ...over,
      });
    await em.insertMany(Entitlement, [
      ...Object.entries(ROWS).map(([id, over]) => row('lst', id, over)),
      row('other', 'a', ROWS.a),
    ]);
  });
  afterAll(() => t.close());

  const page = async (conditions: Cond[], sort: OrderKey<EntitlementField>[] = [], limit = 100, offset = 0) =>
    store.countAndPage({ projectId: 'lst', conditions, sort, limit, offset });
  const ids = async (conditions: Cond[], sort: OrderKey<EntitlementField>[] = []) =>
    (await page(conditions, sort)).entitlements!.map((e) => e.id);

  it.each<[string, Cond[], string[]]>([
    ['eq null: absent', [cond('deviceId', 'eq', null)], ['b', 'd', 'e']],
    ['ne null: present', [cond('deviceId', 'ne', null)], ['a', 'c']],
    ['ne a value: absent values match too (as MongoDB)', [cond('deviceId', 'ne', 'stb-1')], ['b', 'c', 'd', 'e']],
    ['in with null', [cond('deviceId', 'in', 'stb-2', null)], ['b', 'c', 'd', 'e']],
    ['in null only', [cond('deviceId', 'in', null)], ['b', 'd', 'e']],
    ['in values', [cond('deviceId', 'in', 'stb-1', 'stb-2')], ['a', 'c']],
    ['ne on a field always present', [cond('subjectId', 'ne', 's')], ['c']],
    ['validFrom eq: the creation time where absent', [cond('validFrom', 'eq', T1)], ['b', 'c', 'e']],
    ['validFrom ne', [cond('validFrom', 'ne', T1)], ['a', 'd']],
    ['validFrom in', [cond('validFrom', 'in', T0, T2)], ['a', 'd']],
    ['validFrom lt', [cond('validFrom', 'lt', T1)], ['a']],
    ['validFrom gte', [cond('validFrom', 'gte', T1)], ['b', 'c', 'd', 'e']],
    ['an ordering operator never matches absent', [cond('validUntil', 'lte', T1)], ['e']],
    ['ANDed', [cond('deviceId', 'eq', null), cond('validFrom', 'eq', T1)], ['b', 'e']],
    ['no condition: the project only', [], ['a', 'b', 'c', 'd', 'e']],
  ])('%s', async (_, conditions, expected) => {
    expect(await ids(conditions, [key('id')])).toEqual(expected);
  });

  it.each<[string, OrderKey<EntitlementField>[], string[]]>([
    ['no key: by id', [], ['a', 'b', 'c', 'd', 'e']],
    ['createdAt, then id', [key('createdAt')], ['a', 'c', 'd', 'b', 'e']],
    ['absent values first ascending', [key('validUntil')], ['b', 'd', 'e', 'a', 'c']],
    ['absent values last descending', [key('validUntil', 'desc')], ['a', 'c', 'e', 'b', 'd']],
    ['absent strings first ascending', [key('deviceId')], ['b', 'd', 'e', 'a', 'c']],
    ['validFrom as shown (the creation time where absent)', [key('validFrom')], ['a', 'b', 'c', 'e', 'd']],
    ['validFrom descending, ties by id ascending', [key('validFrom', 'desc')], ['d', 'b', 'c', 'e', 'a']],
    ['id descending', [key('id', 'desc')], ['e', 'd', 'c', 'b', 'a']],
    ['several keys', [key('deviceId', 'desc'), key('createdAt', 'desc')], ['c', 'a', 'b', 'e', 'd']],
  ])('sorts: %s', async (_, sort, expected) => {
    expect(await ids([], sort)).toEqual(expected);
  });

  it('counts all matches and pages by OFFSET, a computed field in both statements', async () => {
    const conditions = [cond('validFrom', 'gte', T1)];
    const sort = [key('validFrom', 'desc')];
    const second = await page(conditions, sort, 2, 1);
    expect({ total: second.total, ids: second.entitlements!.map((e) => e.id) }).toEqual({ total: 4, ids: ['b', 'c'] });
    expect(await page(conditions, sort, 0)).toEqual({ total: 4 });
    expect(await page(conditions, sort, 2, 4)).toEqual({ total: 4, entitlements: [] });
  });
});
