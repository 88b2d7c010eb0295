import { TestApp } from '../support/test-app';

const URL = '/monetization/offers/v1';

/** GET /monetization/offers/v1: ordering, keyset pagination, filters. */
describe('listing offers', () => {
  let t: TestApp;
  let viewer: string;
  let editor: string;
  /** Every offer of project `paging`, as created. */
  const created: Record<string, any>[] = [];

  const VISIBILITIES = [
    'VISIBILITY_PUBLISHED',
    'VISIBILITY_HIDDEN',
    'VISIBILITY_UNLISTED',
    'VISIBILITY_PUBLISHED',
    'VISIBILITY_UNSPECIFIED',
  ];
  const PRIORITIES = ['5', '0', '100', '5', '-3', '9223372036854775807', '0', '5', '-9223372036854775808', '12'];

  beforeAll(async () => {
    t = await TestApp.start();
    await t.createProject('paging');
    await t.createProject('elsewhere');
    viewer = await t.platformToken(['paging'], 'viewer');
    editor = await t.platformToken(['paging', 'elsewhere'], 'editor');
    for (let i = 0; i < 43; i++) {
      const body = {
        project_id: 'paging',
        name: i % 7 === 0 ? `Tie offer ${i}` : `Offer ${i}`,
        cleeng_offer_id: i % 3 === 0 ? 'S-THREE' : `S-${i}`,
        applies_to_all: i % 4 === 0,
        target: i % 4 === 0 ? {} : { entity_ids: [`team-${i % 5}`] },
        priority: PRIORITIES[i % PRIORITIES.length],
        visibility: VISIBILITIES[i % VISIBILITIES.length],
      };
      const res = await t.post(URL, body, { token: editor });
      if (res.status !== 200) throw new Error(res.text);
      created.push(res.body.offer);
    }
    // Ties on (priority, created_at) are broken by id.
    await t.sql(
      "update offer set created_at = '2025-06-01T00:00:00Z' where project_id = 'paging' and name like 'Tie offer %'",
    );
    // Offers of another project never show up.
    for (let i = 0; i < 5; i++)
      await t.post(
        URL,
        { project_id: 'elsewhere', name: `Other ${i}`, priority: '5', visibility: 'VISIBILITY_PUBLISHED' },
        { token: editor },
      );
  });
  afterAll(() => t.close());

  const list = (query: Record<string, string | number | undefined>, token = viewer) =>
    t.get(URL, { token, query: { project_id: 'paging', ...query } });

  /** Walks every page; returns the ids in order and the number of pages. */
  const walk = async (query: Record<string, string | number | undefined>) => {
    const ids: string[] = [];
    let pages = 0;
    let token = query.page_token as string | undefined;
    do {
      const res = await list({ ...query, page_token: token });
      expect(res.status).toBe(200);
      const size = Number(query.page_size ?? 50);
      expect(res.body.offers.length).toBeLessThanOrEqual(size);
      ids.push(...res.body.offers.map((o: any) => o.id));
      token = res.body.next_page_token || undefined;
      if (token) expect(res.body.offers.length).toBe(size);
      pages++;
    } while (token && pages < 100);
    return { ids, pages };
  };

  const expected = async (where = 'true') =>
    (
      await t.sql(
        `select id from offer where project_id = 'paging' and (${where}) order by priority desc, created_at, id`,
      )
    ).map((r) => r.id);

  it('answers every field of every offer, ordered by priority (highest first), then creation, then id', async () => {
    const res = await list({ page_size: 1000 });
    expect(res.status).toBe(200);
    expect(res.body.next_page_token).toBe('');
    expect(res.body.offers.map((o: any) => o.id)).toEqual(await expected());
    const byId = new Map(created.map((o) => [o.id, o]));
    for (const offer of res.body.offers) {
      const { create_time, ...rest } = offer;
      const { create_time: _created, ...sent } = byId.get(offer.id)!;
      expect(rest).toEqual(sent);
      expect(create_time).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d{3})?Z$/);
    }
    expect(res.body.offers[0].priority).toBe('9223372036854775807');
    expect(res.body.offers.at(-1).priority).toBe('-9223372036854775808');
  });

  it('defaults page_size to 50 (also for 0)', async () => {
    for (const page_size of [undefined, 0, '']) {
      const res = await list({ page_size });
      expect(res.body.offers).toHaveLength(43);
      expect(res.body.next_page_token).toBe('');
    }
  });

  it.each([1, 4, 7, 43])('walks every page of size %d without a gap or a repeat', async (size) => {
    const { ids, pages } = await walk({ page_size: size });
    expect(ids).toEqual(await expected());
    expect(pages).toBe(Math.ceil(43 / size));
  });

  it.each<[string, string]>([
    ['visibility:VISIBILITY_PUBLISHED', "visibility = 'VISIBILITY_PUBLISHED'"],
    [
      'visibility:(VISIBILITY_HIDDEN OR VISIBILITY_UNLISTED)',
      "visibility in ('VISIBILITY_HIDDEN', 'VISIBILITY_UNLISTED')",
    ],
    ['name:"Tie offer 14"', "name = 'Tie offer 14'"],
    ['cleeng_offer_id:S-THREE', "cleeng_offer_id = 'S-THREE'"],
    ['applies_to_all:true', 'applies_to_all'],
    [
      'applies_to_all:false AND visibility:VISIBILITY_PUBLISHED',
      "not applies_to_all and visibility = 'VISIBILITY_PUBLISHED'",
    ],
    ['create_time>=2025-06-01T00:00:00Z create_time<=2025-06-01T00:00:00Z', "created_at = '2025-06-01T00:00:00Z'"],
    ['create_time>2025-06-01T00:00:00Z', "created_at > '2025-06-01T00:00:00Z'"],
    ['create_time<2025-06-01T00:00:00.001Z', "created_at < '2025-06-01T00:00:00.001Z'"],
    [
      'cleeng_offer_id:S-THREE visibility:VISIBILITY_PUBLISHED create_time>2000-01-01T00:00:00Z',
      "cleeng_offer_id = 'S-THREE' and visibility = 'VISIBILITY_PUBLISHED'",
    ],
  ])('walks the pages of filter %s and finds exactly the matching offers', async (filter, where) => {
    const want = await expected(where);
    expect(want.length).toBeGreaterThan(0);
    const { ids, pages } = await walk({ filter, page_size: 3 });
    expect(ids).toEqual(want);
    expect(pages).toBe(Math.max(1, Math.ceil(want.length / 3)));
  });

  it('answers an empty list for a filter nothing matches', async () => {
    const res = await list({ filter: 'name:"no such offer"' });
    expect(res.body).toEqual({ offers: [], next_page_token: '' });
  });

  it('keeps the position of a page token when offers are added before it', async () => {
    const first = await list({ page_size: 5 });
    const seen = first.body.offers.map((o: any) => o.id);
    const added = await t.post(
      URL,
      { project_id: 'paging', name: 'Late top offer', priority: '9223372036854775807' },
      { token: editor },
    );
    const rest = await walk({ page_size: 5, page_token: first.body.next_page_token });
    expect([...seen, ...rest.ids]).toEqual((await expected()).filter((id) => id !== added.body.offer.id));
    await t.delete(`${URL}/${added.body.offer.id}`, { token: editor, query: { project_id: 'paging' } });
  });

  it.each<[string, string, RegExp]>([
    [
      'an unknown field',
      'priority:5',
      /unknown field `priority`; accepted fields: visibility, name, cleeng_offer_id, applies_to_all, create_time/,
    ],
    ['an unknown visibility', 'visibility:PUBLISHED', /`visibility` value must be one of VISIBILITY_UNSPECIFIED/],
    ['a range on a string', 'name>b', /is not allowed on `name`/],
    ['a bad timestamp', 'create_time>yesterday', /`create_time` value must be an RFC 3339 timestamp/],
    ['a bad boolean', 'applies_to_all:yes', /`applies_to_all` value must be true or false/],
    ['an unterminated quote', 'name:"Season', /unterminated quote/],
    ['a lower-case and', 'name:a and visibility:VISIBILITY_HIDDEN', /keywords AND and OR are upper case/],
    ['a field twice', 'name:a name:b', /`name` appears more than once/],
    ['the colon range form', 'create_time:>2026-01-01T00:00:00Z', /write ranges without a colon/],
  ])('refuses %s in the filter: invalid_argument naming the problem', async (_, filter, message) => {
    const res = await list({ filter });
    expect(res.status).toBe(400);
    expect(res.body.code).toBe('invalid_argument');
    expect(res.body.details).toHaveLength(1);
    expect(res.body.details[0].field).toBe('filter');
    expect(res.body.details[0].description).toMatch(message);
  });

  it.each<[string, Record<string, string | number>, string]>([
    ['a page_size over 1000', { page_size: 1001 }, 'page_size'],
    ['a negative page_size', { page_size: -1 }, 'page_size'],
    ['a word as page_size', { page_size: 'ten' }, 'page_size'],
    ['a garbage page_token', { page_token: 'not-a-token' }, 'page_token'],
    [
      'a page token of another list',
      {
        page_token: Buffer.from(JSON.stringify({ k: 'entitlements', v: ['2026-01-01T00:00:00Z', 'x'] })).toString(
          'base64url',
        ),
      },
      'page_token',
    ],
    [
      'a forged page token',
      {
        page_token: Buffer.from(JSON.stringify({ k: 'offers', v: ['1.5', '2026-01-01T00:00:00Z', 'x'] })).toString(
          'base64url',
        ),
      },
      'page_token',
    ],
    [
      'a page token with a bad time',
      { page_token: Buffer.from(JSON.stringify({ k: 'offers', v: ['1', 'never', 'x'] })).toString('base64url') },
      'page_token',
    ],
  ])('refuses %s', async (_, query, field) => {
    const res = await list(query);
    expect(res.status).toBe(400);
    expect(res.body.code).toBe('invalid_argument');
    expect(res.body.details[0].field).toBe(field);
  });

  it('accepts page_size 1000', async () => {
    expect((await list({ page_size: 1000 })).status).toBe(200);
  });

  it('requires project_id, answers not_found for an unknown project and permission_denied outside the token', async () => {
    const missing = await t.get(URL, { token: viewer });
    expect(missing.status).toBe(400);
    expect(missing.body.details).toEqual([{ field: 'project_id', description: 'is required' }]);
    const unknown = await t.get(URL, {
      token: await t.platformToken('*', 'viewer'),
      query: { project_id: 'no-such-project' },
    });
    expect(unknown.status).toBe(404);
    expect(unknown.body.code).toBe('not_found');
    const denied = await t.get(URL, { token: viewer, query: { project_id: 'elsewhere' } });
    expect(denied.status).toBe(403);
    expect(denied.body.code).toBe('permission_denied');
  });
});
