import { EntitlementStore } from '@app/database';
import { Entitlement, EntitlementOrigin, EntitlementStatus } from '@app/domain';
import { EntityManager } from '@mikro-orm/postgresql';
import { TestApp } from '../support/test-app';

/**
 * The entitlement rules that also run in SQL (libs/database/src/entitlements/entitlement-sql.ts) must agree
 * with the domain methods they mirror: one table of cases, stored in PostgreSQL, judged by both.
 */
const T0 = new Date('2025-01-01T00:00:00.000Z');
const T1 = new Date('2025-02-01T00:00:00.000Z');
const T2 = new Date('2025-03-01T00:00:00.000Z');
const ms = (d: Date, n: number) => new Date(d.getTime() + n);
const REVOKED = EntitlementStatus.Revoked;

/** name → the fields of one stored entitlement (ACTIVE unless said). */
const CASES: Record<string, Partial<Entitlement>> = {
  'open both ends': {},
  'from T0, open end': { validFrom: T0 },
  'open start, until T1': { validUntil: T1 },
  '[T0, T1)': { validFrom: T0, validUntil: T1 },
  'one millisecond [T1, T1+1ms)': { validFrom: T1, validUntil: ms(T1, 1) },
  'not yet begun [T2, ...)': { validFrom: T2 },
  'with a device': { validFrom: T0, validUntil: T2, deviceId: 'stb-1' },
  'revoked before validUntil': { validFrom: T0, validUntil: T2, status: REVOKED, revokedAt: T1 },
  'revoked after validUntil': { validFrom: T0, validUntil: T1, status: REVOKED, revokedAt: T2 },
  'revoked at validUntil': { validUntil: T1, status: REVOKED, revokedAt: T1 },
  'revoked, open end': { validFrom: T0, status: REVOKED, revokedAt: T1 },
  'revoked, no revocation time': { validUntil: T2, status: REVOKED },
  'revoked, no revocation time, open end': { status: REVOKED, updatedAt: ms(T1, 7) },
};

const PROBES = [ms(T0, -1), T0, ms(T0, 1), ms(T1, -1), T1, ms(T1, 1), ms(T1, 7), T2, ms(T2, 1)];

/** Candidate windows of a purchase (duplicate rule). */
const WINDOWS: { validFrom?: Date; validUntil?: Date }[] = [
  {},
  { validUntil: T0 },
  { validFrom: T0, validUntil: T1 },
  { validFrom: ms(T1, -1), validUntil: T1 },
  { validFrom: T1 },
  { validFrom: ms(T1, 1), validUntil: T2 },
  { validFrom: T2 },
  { validUntil: ms(T0, 1) },
];

describe('entitlement rules: domain and SQL agree', () => {
  let t: TestApp;
  let store: EntitlementStore;
  const rows: Entitlement[] = [];
  const ids = (list: Entitlement[]) => list.map((e) => e.id).sort();

  beforeAll(async () => {
    t = await TestApp.start();
    await t.createProject('rules');
    const em = t.app.get(EntityManager).fork();
    // The store the services use, on a fork: outside a request there is no request context.
    store = new EntitlementStore(em.fork());
    Object.entries(CASES).forEach(([name, over], i) => {
      rows.push(
        new Entitlement({
          id: `case-${i}`,
          projectId: 'rules',
          subjectId: 'subject',
          // One product per case: a per-product rule sees that case alone.
          productId: `product-${i}`,
          status: EntitlementStatus.Active,
          origin: EntitlementOrigin.Crm,
          createdAt: ms(T0, -1000 + i),
          updatedAt: ms(T0, -500),
          sourceId: name,
          ...over,
        }),
      );
    });
    await em.insertMany(Entitlement, rows);
  });
  afterAll(() => t.close());

  it.each(PROBES.map((p) => [p.toISOString(), p]))('isEntitledAt(%s) = the per-playback lookup', async (_, at) => {
    expect(ids(await store.activeForSubject('rules', 'subject', at))).toEqual(
      ids(rows.filter((e) => e.isEntitledAt(at))),
    );
  });

  it.each(PROBES.map((p) => [p.toISOString(), p]))(
    'isLiveAt(%s) = the live count that blocks deleting an offer',
    async (_, at) => {
      for (const e of rows) {
        expect([e.sourceId, await store.countLive('rules', e.productId, at)]).toEqual([
          e.sourceId,
          e.isLiveAt(at) ? 1 : 0,
        ]);
      }
    },
  );

  it.each([false, true])(
    'blocksPurchaseOf = the duplicate-purchase query (device-specific products %s)',
    async (deviceSpecific) => {
      for (const window of WINDOWS) {
        for (const e of rows) {
          const candidate = new Entitlement({
            ...e,
            id: 'candidate',
            status: EntitlementStatus.Active,
            deviceId: undefined,
            validFrom: undefined,
            validUntil: undefined,
            ...window,
          });
          const found = await store.findOverlapping(candidate, deviceSpecific);
          expect([e.sourceId, window, found?.id]).toEqual([
            e.sourceId,
            window,
            e.blocksPurchaseOf(candidate, deviceSpecific) ? e.id : undefined,
          ]);
        }
      }
    },
  );

  it('expiration() = the expiration the list filter compares', async () => {
    const probes = [...PROBES, ...rows.map((e) => e.expiration()).filter((d): d is Date => d !== undefined)];
    const compare = {
      eq: (a: number, b: number) => a === b,
      lt: (a: number, b: number) => a < b,
      lte: (a: number, b: number) => a <= b,
      gt: (a: number, b: number) => a > b,
      gte: (a: number, b: number) => a >= b,
    };
    for (const at of probes) {
      for (const op of Object.keys(compare) as (keyof typeof compare)[]) {
        const page = await store.list({
          projectId: 'rules',
          conditions: [{ field: 'expiration', op, values: [at] }],
          limit: 100,
        });
        const expected = rows.filter((e) => {
          const expiration = e.expiration();
          return expiration !== undefined && compare[op](expiration.getTime(), at.getTime());
        });
        expect([at, op, ids(page.items)]).toEqual([at, op, ids(expected)]);
      }
    }
    const both = await store.list({
      projectId: 'rules',
      conditions: [{ field: 'expiration', op: 'in', values: [T1, T2] }],
      limit: 100,
    });
    expect(ids(both.items)).toEqual(
      ids(rows.filter((e) => [T1.getTime(), T2.getTime()].includes(e.expiration()?.getTime() ?? NaN))),
    );
  });
});
