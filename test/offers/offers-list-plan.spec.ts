import { OFFER_BY_ID_SQL, OfferStore } from '@app/database';
import { EntityManager } from '@mikro-orm/postgresql';
import { TestApp } from '../support/test-app';

const URL = '/monetization/offers/v1';
const ROWS = 200_000;

const pageToken = (priority: string, createdAt: Date, id: string) =>
  Buffer.from(JSON.stringify({ k: 'offers', v: [priority, createdAt.toISOString(), id] })).toString('base64url');

/**
 * Keyset pagination walks offer_project_priority_idx from the page token on: a page deep in a large
 * project reads about as many index and heap pages as the first page does (no OFFSET, no sort).
 */
describe('offer list pages deep in a large project', () => {
  let t: TestApp;
  let viewer: string;

  beforeAll(async () => {
    t = await TestApp.start();
    await t.createProject('big');
    await t.createProject('other');
    viewer = await t.platformToken(['big'], 'viewer');
    // 200,000 offers in project big over 4 priorities (50,000 per priority: long runs of equal priority, where
    // the position inside a run comes from (created_at, id)), a few sharing a creation time; 50,000 elsewhere.
    await t.sql(`
      insert into offer (id, project_id, name, localized_title, localized_description, cleeng_offer_id, applies_to_all, target,
        localized_logo_asset_id, localized_image_asset_id, offer_prices, priority, concurrency_limit, visibility,
        video_protection_ruleset_id, created_at, updated_at)
      select 'o-' || lpad(g::text, 7, '0'), case when g <= ${ROWS} then 'big' else 'other' end, 'Offer ' || g, '{}', '{}', '', g % 9 = 0,
        '{"entityIds":[],"eventIds":[],"creativeWorkIds":[]}', '{}', '{}', '[]', (g % 4) * 10, null,
        case when g % 2 = 0 then 'VISIBILITY_PUBLISHED' else 'VISIBILITY_HIDDEN' end, '',
        timestamptz '2026-01-01T00:00:00Z' + ((g / 3) || ' seconds')::interval, now()
      from generate_series(1, ${ROWS + 50_000}) g`);
    await t.sql('analyze offer');
  }, 300_000);
  afterAll(() => t.close());

  /** The sort key of the offer at `offset` in the list's order (the test may use OFFSET; the service does not). */
  const keyAt = async (offset: number, where = 'true') => {
    const [row] = await t.sql(
      `select priority::text as priority, created_at, id from offer where project_id = 'big' and (${where})
       order by priority desc, created_at, id offset ${offset} limit 1`,
    );
    return row as { priority: string; created_at: Date; id: string };
  };
  const idsAfter = async (offset: number, limit: number, where = 'true') =>
    (
      await t.sql(
        `select id from offer where project_id = 'big' and (${where}) order by priority desc, created_at, id offset ${offset} limit ${limit}`,
      )
    ).map((r) => r.id);

  it.each([
    ['no filter', undefined, 'true'],
    [
      'a filter',
      'visibility:VISIBILITY_PUBLISHED applies_to_all:false',
      "visibility = 'VISIBILITY_PUBLISHED' and not applies_to_all",
    ],
  ])('answers the right page deep in the list with %s', async (_, filter, where) => {
    for (const offset of [0, 49_999, 80_321]) {
      const key = await keyAt(offset, where);
      const res = await t.get(URL, {
        token: viewer,
        query: {
          project_id: 'big',
          filter,
          page_size: 50,
          page_token: pageToken(key.priority, key.created_at, key.id),
        },
      });
      expect(res.status).toBe(200);
      expect(res.body.offers.map((o: { id: string }) => o.id)).toEqual(await idsAfter(offset + 1, 50, where));
      expect(res.body.next_page_token).not.toBe('');
    }
  });

  it('reads a handful of pages of offer_project_priority_idx, as for the first page', async () => {
    // The store the service uses, on a fork: outside a request there is no request context.
    const store = new OfferStore(t.app.get(EntityManager).fork());
    const buffersOf = async (after?: { priority: string; createdAt: Date; id: string }) => {
      let total = 0;
      for (const qb of store.pageQueries({ projectId: 'big' }, after)) {
        const sql = qb.limit(51).getFormattedQuery();
        const [{ 'QUERY PLAN': plan }] = await t.sql(`explain (analyze, buffers, format json) ${sql}`);
        const nodes: any[] = [];
        const walk = (n: any) => {
          nodes.push(n);
          (n.Plans ?? []).forEach(walk);
        };
        walk(plan[0].Plan);
        const types = nodes.map((n) => n['Node Type']);
        expect(types).not.toContain('Seq Scan');
        expect(types).not.toContain('Sort');
        expect(nodes.some((n) => n['Index Name'] === 'offer_project_priority_idx')).toBe(true);
        total += plan[0].Plan['Shared Hit Blocks'] + plan[0].Plan['Shared Read Blocks'];
      }
      return total;
    };
    const first = await buffersOf();
    // In the middle of a run of 50,000 offers of equal priority, and at the end of a run (the next priority follows).
    const middle = await keyAt(120_000);
    const endOfRun = await keyAt(99_980);
    const deep = await buffersOf({ priority: middle.priority, createdAt: middle.created_at, id: middle.id });
    const boundary = await buffersOf({ priority: endOfRun.priority, createdAt: endOfRun.created_at, id: endOfRun.id });
    console.log(
      `buffers read: first page ${first}, page at 120,000 ${deep}, page across a priority boundary ${boundary}`,
    );
    expect(first).toBeLessThan(30);
    expect(deep).toBeLessThan(30);
    expect(boundary).toBeLessThan(40);
  });

  it("gets one offer through the offer table's primary key (offer get)", async () => {
    const [{ 'QUERY PLAN': plan }] = await t.sql(
      `explain (format json) ${OFFER_BY_ID_SQL}`.replace('$1', "'big'").replace('$2', "'o-0123456'"),
    );
    expect(plan[0].Plan['Node Type']).toBe('Index Scan');
    expect(plan[0].Plan['Index Name']).toBe('offer_pkey');
    const res = await t.get(`${URL}/o-0123456`, { token: viewer, query: { project_id: 'big' } });
    expect(res.body.offer.id).toBe('o-0123456');
  });
});
