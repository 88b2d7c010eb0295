import { AccessStore, EntitlementStore, findBlockingPurchase, ormOptions, PlaybackStore } from '@app/database';
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

    /**
     * The indexes the plans of the statements that read or change rows use (BEGIN, COMMIT, INSERT and the
     * advisory lock left out), each plan checked for a sequential scan of the big tables. Plain EXPLAIN: the
     * plan, without running an UPDATE again.
     */
    async function indexesOf(sqls: string[]): Promise<string[]> {
      const statements = sqls.filter(
        (sql) => /^\s*(select|update|delete)\b/i.test(sql) && !sql.includes('pg_advisory'),
      );
      expect(statements.length).toBeGreaterThan(0);
      const indexes: string[] = [];
      for (const sql of statements) {
        const [{ 'QUERY PLAN': plan }] = await t.sql(`explain (format json) ${sql}`);
        const nodes: any[] = [];
        const walk = (n: any) => {
          nodes.push(n);
          (n.Plans ?? []).forEach(walk);
        };
        walk(plan[0].Plan);
        const seqScans = nodes.filter((n) => n['Node Type'] === 'Seq Scan').map((n) => n['Relation Name']);
        expect({ sql, seqScans }).toEqual({ sql, seqScans: [] });
        indexes.push(...nodes.map((n) => n['Index Name']).filter(Boolean));
      }
      return indexes;
    }

    it("finds the Motto upsert's row by its key, under the key's lock (Motto upsert)", async () => {
      const key = { projectId: 'big', subjectId: 'user-4242', productId: 'offer-3' };
      const sqls = await statementsOf((em) =>
        new EntitlementStore(em).withKeyLock(key, (tx) => tx.findMottoForUpdate(key)),
      );
      expect(await indexesOf(sqls)).toContain('entitlement_motto_key');
    });

    it('finds an entitlement by id for a change (CRM update and delete)', async () => {
      const sqls = await statementsOf((em) =>
        new EntitlementStore(em).update('big', 'e4242', () => undefined, {
          actor: 'plan-test',
          api: EntitlementOrigin.Crm,
          correlationId: 'plan',
        }),
      );
      expect(await indexesOf(sqls)).toContain('entitlement_pkey');
    });

    describe('with 300,000 playback sessions', () => {
      let session: string;
      beforeAll(async () => {
        // Three sessions per user of project big: half ended, a quarter of the others with their lease run out.
        await t.sql(`
          insert into playback_session (id, project_id, subject_id, entitlement_id, offer_id, device_id, content_kind,
            content_id, country_code, basis, started_at, lease_until, ended_at, end_reason)
          select gen_random_uuid(), 'big', 'user-' || (g % 100000), 'e' || g, 'offer-' || (g % 13), 'dev-' || (g % 3),
                 'EVENT', 'ev', 'FR', 'ENTITLEMENT', now() - interval '1 hour',
                 case when g % 4 = 1 then now() - interval '1 minute' else now() + interval '90 seconds' end,
                 case when g % 2 = 0 then now() - interval '30 minutes' end,
                 case when g % 2 = 0 then 'STOPPED' end
          from generate_series(1, 300000) g`);
        await t.sql('analyze playback_session');
        [{ id: session }] = await t.sql(
          `select s.id from playback_session s join entitlement e on e.project_id = s.project_id and e.id = s.entitlement_id
           where s.project_id = 'big' and s.ended_at is null and s.lease_until > now() and e.status = 'ACTIVE'
             and (e.valid_until is null or e.valid_until > now()) and (e.valid_from is null or e.valid_from <= now())
           limit 1`,
        );
      }, 120_000);

      it("counts a viewer's live sessions under the viewer's lock (session start)", async () => {
        const sqls = await statementsOf((em) =>
          new PlaybackStore(em).withViewerLock('big', 'user-4242', (tx) => tx.liveSessions(new Date())),
        );
        expect(await indexesOf(sqls)).toContain('playback_session_viewer_idx');
      });

      it('extends a lease in one statement, checking the entitlement (heartbeat), and reads a session', async () => {
        const at = new Date();
        const sqls = await statementsOf(async (em) => {
          const store = new PlaybackStore(em);
          expect(await store.heartbeat('big', session, at, new Date(at.getTime() + 90_000))).not.toBeNull();
          expect(await store.get('big', session)).not.toBeNull();
        });
        expect(sqls).toHaveLength(2);
        const indexes = await indexesOf(sqls);
        expect(indexes).toContain('playback_session_pkey');
        expect(indexes).toContain('entitlement_pkey');
      });
    });
  });
});
