import { AccessStore, EntitlementStore, findBlockingPurchase, ormOptions } from '@app/database';
import { Entitlement, EntitlementOrigin, EntitlementStatus } from '@app/domain';
import { EntityManager, MikroORM } from '@mikro-orm/postgresql';
import { TestApp } from '../support/test-app';

/**
 * The lookup an access decision runs per playback, "the active entitlements of one user in one project",
 * must be answered from that user's rows through an index: with a million entitlements in the table it
 * stays a few index reads.
 */
describe('per-playback entitlement lookup', () => {
  let t: TestApp;
  const ROWS = 1_000_000;

  beforeAll(async () => {
    t = await TestApp.start();
    await t.createProject('big');
    await t.createProject('other');
    const started = Date.now();
    // 1,000,000 entitlements: 100,000 users of project big with 8 each (a mix of active, expired, revoked,
    // not yet valid), and 200,000 in another project.
    await t.sql(`
      insert into entitlement (project_id, id, subject_id, product_id, valid_from, valid_until, status, origin, created_at, updated_at)
      select case when g <= 800000 then 'big' else 'other' end,
             'e' || g,
             'user-' || (g % 100000),
             'offer-' || (g % 13),
             case when g % 17 = 0 then now() + interval '10 days' else now() - interval '30 days' end,
             case when g % 5 = 0 then now() - interval '1 day' when g % 3 = 0 then null else now() + interval '300 days' end,
             case when g % 11 = 0 then 'REVOKED' else 'ACTIVE' end,
             case when g % 2 = 0 then 'MOTTO' else 'CRM' end,
             now() - (g || ' seconds')::interval, now()
      from generate_series(1, ${ROWS}) g`);
    await t.sql('analyze entitlement');
    console.log(`inserted ${ROWS} entitlements in ${Date.now() - started} ms`);
  }, 300_000);
  afterAll(() => t.close());

  it("answers from one user's rows with an index scan and a handful of buffers", async () => {
    // The store the services use, on a fork: outside a request there is no request context.
    const store = new EntitlementStore(t.app.get(EntityManager).fork());
    const at = new Date();
    const found = await store.activeForSubject('big', 'user-4242', at);
    const expected = await t.sql(
      `select id from entitlement where project_id = 'big' and subject_id = 'user-4242' and status = 'ACTIVE'
         and (valid_until is null or valid_until > $1) and (valid_from is null or valid_from <= $1) order by created_at, id`,
      [at],
    );
    expect(found.map((e) => e.id)).toEqual(expected.map((r) => r.id));
    expect(found.length).toBeGreaterThan(0);

    const sql = store.activeForSubjectQuery('big', 'user-4242', at).getFormattedQuery();
    const [{ 'QUERY PLAN': plan }] = await t.sql(`explain (analyze, buffers, format json) ${sql}`);
    const root = plan[0];
    const text = (await t.sql(`explain (analyze, buffers) ${sql}`)).map((r) => r['QUERY PLAN']).join('\n');
    console.log(`plan of the per-playback lookup over ${ROWS} rows:\n${text}`);

    const nodes: any[] = [];
    const walk = (n: any) => {
      nodes.push(n);
      (n.Plans ?? []).forEach(walk);
    };
    walk(root.Plan);
    const scans = nodes.filter((n) => /Scan/.test(n['Node Type']));
    expect(scans.map((n) => n['Node Type'])).not.toContain('Seq Scan');
    expect(scans.some((n) => n['Index Name'] === 'entitlement_active_subject_idx')).toBe(true);
    // A few index pages plus the user's heap rows: far from the table's ~15,000 pages.
    const buffers = root.Plan['Shared Hit Blocks'] + root.Plan['Shared Read Blocks'];
    expect(buffers).toBeLessThan(30);
    expect(root['Execution Time']).toBeLessThan(20);
  });

  describe('every per-user lookup of the hot paths, as the stores run it', () => {
    let orm: MikroORM;
    const logged: string[] = [];
    beforeAll(async () => {
      orm = await MikroORM.init(
        ormOptions({ clientUrl: t.databaseUrl, poolMax: 2, logger: (m) => m.includes('[query]') && logged.push(m) }),
      );
    });
    afterAll(() => orm?.close());

    /** The SQL statements `run` sent (MikroORM logs each with its parameters inlined). */
    async function statementsOf(run: (em: EntityManager) => Promise<unknown>): Promise<string[]> {
      logged.length = 0;
      await run(orm.em.fork());
      return logged.map((m) =>
        m
          .replace(new RegExp(`${String.fromCharCode(27)}\\[[0-9;]*m`, 'g'), '') // colour codes
          .replace(/^.*?\[query\] /, '')
          .replace(/ \[took .*$/, ''),
      );
    }

    async function expectIndexed(sql: string, index: string): Promise<void> {
      const [{ 'QUERY PLAN': plan }] = await t.sql(`explain (analyze, buffers, format json) ${sql}`);
      const nodes: any[] = [];
      const walk = (n: any) => {
        nodes.push(n);
        (n.Plans ?? []).forEach(walk);
      };
      walk(plan[0].Plan);
      expect(nodes.filter((n) => n['Node Type'] === 'Seq Scan').map((n) => n['Relation Name'])).not.toContain(
        'entitlement',
      );
      expect(nodes.map((n) => n['Index Name'])).toContain(index);
    }

    const USER = [{ field: 'subjectId' as const, op: 'eq' as const, values: ['user-4242'] }];

    it("lists one user's entitlements in any status (Motto list, keyset order)", async () => {
      const [sql] = await statementsOf((em) =>
        new EntitlementStore(em).list({ projectId: 'big', conditions: USER, limit: 50 }),
      );
      await expectIndexed(sql, 'entitlement_subject_created_idx');
    });

    it("lists one account's entitlements (CRM list: the count and the page)", async () => {
      const sqls = await statementsOf((em) =>
        new EntitlementStore(em).countAndPage({ projectId: 'big', conditions: USER, sort: [], limit: 100, offset: 0 }),
      );
      expect(sqls).toHaveLength(2);
      for (const sql of sqls) await expectIndexed(sql, 'entitlement_subject_created_idx');
    });

    it("reads a viewer's entitlements to the covering offers (access decision)", async () => {
      const [sql] = await statementsOf((em) =>
        new AccessStore(em).viewerEntitlements('big', 'user-4242', ['offer-1', 'offer-2', 'offer-3']),
      );
      await expectIndexed(sql, 'entitlement_subject_created_idx');
    });

    it('finds an overlapping purchase (CRM create with prohibitDuplicateProductPurchase)', async () => {
      const candidate = new Entitlement({
        id: 'new',
        projectId: 'big',
        subjectId: 'user-4242',
        productId: 'offer-3',
        status: EntitlementStatus.Active,
        origin: EntitlementOrigin.Crm,
        validFrom: new Date(),
        validUntil: new Date(Date.now() + 86_400_000),
      });
      const [sql] = await statementsOf((em) => findBlockingPurchase(em, candidate, false));
      const [{ 'QUERY PLAN': plan }] = await t.sql(`explain (format json) ${sql}`);
      expect(JSON.stringify(plan)).not.toContain('"Seq Scan"');
    });
  });
});
