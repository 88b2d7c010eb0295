import { AccessStore, CATALOG_SQL, catalogParams, ormOptions, VIEWER_ENTITLEMENTS_SQL } from '@app/database';
import { ContentKind } from '@app/domain';
import { MikroORM } from '@mikro-orm/postgresql';
import { AccessService } from '../../apps/api/src/access/access.service';
import { Metrics } from '../../apps/api/src/observability/metrics';
import { TestApp } from '../support/test-app';

/**
 * The access decision, called on every playback start, stays cheap whatever the size of the catalog: a check
 * is two round trips (a batch of 100 contents too), each index-backed. 200,000 entitlements of 20,000 users,
 * 5,000 offers naming 3 events and an entity each, a few applying to all content.
 */
describe('access decision: round trips and plans', () => {
  let t: TestApp;
  let orm: MikroORM;
  const queries: string[] = [];

  beforeAll(async () => {
    t = await TestApp.start();
    await t.createProject('big');
    await t.sql(`
      insert into offer (id, project_id, name, localized_title, localized_description, cleeng_offer_id, applies_to_all, target,
        localized_logo_asset_id, localized_image_asset_id, offer_prices, priority, concurrency_limit, visibility,
        video_protection_ruleset_id, created_at, updated_at)
      select 'offer-' || g, 'big', 'offer ' || g, '{}', '{}', '', g % 1000 = 0,
        case when g % 1000 = 0 then '{"entityIds":[],"eventIds":[],"creativeWorkIds":[]}'::jsonb
             else jsonb_build_object('entityIds', jsonb_build_array('team-' || (g % 500)), 'eventIds',
               jsonb_build_array('ev-' || g, 'ev-' || (g + 1), 'ev-' || (g + 2)), 'creativeWorkIds', '[]'::jsonb) end,
        '{}', '{}', '[]', g % 7, null, 'VISIBILITY_PUBLISHED', '', now(), now()
      from generate_series(1, 5000) g`);
    await t.sql(`
      insert into offer_content (project_id, kind, content_id, offer_id)
      select 'big', 'EVENT', 'ev-' || (g + k), 'offer-' || g from generate_series(1, 5000) g, generate_series(0, 2) k where g % 1000 <> 0
      union all
      select 'big', 'ENTITY', 'team-' || (g % 500), 'offer-' || g from generate_series(1, 5000) g where g % 1000 <> 0`);
    await t.sql(`
      insert into entitlement (project_id, id, subject_id, product_id, valid_until, status, origin, created_at, updated_at)
      select 'big', 'e' || g, 'user-' || (g % 20000), 'offer-' || (g % 5000 + 1),
        case when g % 5 = 0 then now() - interval '1 day' else null end,
        case when g % 11 = 0 then 'REVOKED' else 'ACTIVE' end, 'CRM', now() - (g || ' seconds')::interval, now()
      from generate_series(1, 200000) g`);
    await t.sql('analyze offer; analyze offer_content; analyze entitlement; analyze project');
    orm = await MikroORM.init(
      ormOptions({
        clientUrl: t.databaseUrl,
        poolMax: 2,
        logger: (message) => {
          // The default logger writes `[query] <sql> [took N ms, M results]`, perhaps with colour codes.
          if (message.includes('[query]')) queries.push(message);
        },
      }),
    );
  }, 300_000);
  afterAll(async () => {
    await orm?.close();
    await t.close();
  });

  const content = (i: number) => ({ kind: ContentKind.Event, id: `ev-${i}`, entityIds: [`team-${i % 500}`] });
  const request = (contents: ReturnType<typeof content>[]) => ({
    projectId: 'big',
    userId: 'user-4242',
    contents,
    countryCode: 'FR',
    onLimit: 'REFUSE' as never,
  });

  it('decides one content in two round trips, and a batch of 100 in two', async () => {
    const access = new AccessService(new AccessStore(orm.em.fork()), new Metrics());
    queries.length = 0;
    const [one] = await access.check(request([content(4242)]));
    expect(queries).toHaveLength(2);
    expect(one.decision.reason).toBeDefined();
    queries.length = 0;
    const batch = await access.check(request(Array.from({ length: 100 }, (_, i) => content(100 + i * 37))));
    expect(batch).toHaveLength(100);
    expect(queries.length).toBeLessThanOrEqual(3);
  });

  async function planOf(sql: string, params: unknown[]) {
    const rows = await t.sql(`explain (analyze, buffers, format json) ${sql}`, params);
    const root = rows[0]['QUERY PLAN'][0];
    const nodes: any[] = [];
    const walk = (n: any) => {
      nodes.push(n);
      (n.Plans ?? []).forEach(walk);
    };
    walk(root.Plan);
    const text = (await t.sql(`explain (analyze, buffers) ${sql}`, params)).map((r) => r['QUERY PLAN']).join('\n');
    return { root, nodes, text };
  }

  it.each([
    ['one content', [content(4242)]],
    ['a batch of 100', Array.from({ length: 100 }, (_, i) => content(100 + i * 37))],
  ])('finds the candidate offers of %s through indexes', async (_, contents) => {
    const { nodes, text, root } = await planOf(CATALOG_SQL, catalogParams('big', contents));
    console.log(`plan of the access catalog (${contents.length} contents):\n${text}`);
    const seqScans = nodes.filter((n) => n['Node Type'] === 'Seq Scan').map((n) => n['Relation Name']);
    expect(seqScans).not.toContain('offer');
    expect(seqScans).not.toContain('offer_content');
    const indexes = nodes.map((n) => n['Index Name']).filter(Boolean);
    expect(indexes).toContain('offer_applies_to_all_idx');
    expect(indexes).toContain('offer_content_pkey');
    expect(root.Plan['Shared Hit Blocks'] + root.Plan['Shared Read Blocks']).toBeLessThan(5000);
  });

  it("reads the viewer's entitlements through entitlement_subject_created_idx", async () => {
    const products = Array.from({ length: 20 }, (_, i) => `offer-${i * 250 + 1}`);
    const { nodes, text } = await planOf(VIEWER_ENTITLEMENTS_SQL, ['big', 'user-4242', JSON.stringify(products)]);
    console.log(`plan of the viewer's entitlements:\n${text}`);
    expect(nodes.map((n) => n['Node Type'])).not.toContain('Seq Scan');
    expect(nodes.map((n) => n['Index Name']).filter(Boolean)).toContain('entitlement_subject_created_idx');
  });
});
