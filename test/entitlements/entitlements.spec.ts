import { insertOffer } from '../support/fixtures';
import { TestApp } from '../support/test-app';

const URL = '/monetization/entitlements/v1';

describe('Motto-style entitlements API', () => {
  let t: TestApp;
  let editor: string;
  let offerA: string;
  let offerB: string;

  beforeAll(async () => {
    t = await TestApp.start();
    await t.createProject('rtt-show');
    await t.createProject('other-proj');
    editor = await t.platformToken(['rtt-show'], 'editor', 'back-office-1');
    offerA = await insertOffer(t, 'rtt-show', 'A');
    offerB = await insertOffer(t, 'rtt-show', 'B');
  });
  afterAll(() => t.close());

  const rows = (user: string) =>
    t.sql('select * from entitlement where project_id = $1 and subject_id = $2 order by created_at', [
      'rtt-show',
      user,
    ]);

  describe('upsert', () => {
    it('creates an entitlement and returns every field', async () => {
      const res = await t.post(
        URL,
        {
          project_id: 'rtt-show',
          user_id: 'user-1',
          offer_id: offerA,
          expiration_time: '2030-01-01T00:00:00Z',
          concurrency_limit: '2',
          origin_country_code: 'DE',
          source_id: 'cleeng-tx-1',
          source_type: 'cleeng',
        },
        { token: editor, headers: { 'x-correlation-id': 'upsert-create-1' } },
      );
      expect(res.status).toBe(200);
      expect(res.body.entitlement).toEqual({
        project_id: 'rtt-show',
        user_id: 'user-1',
        offer_id: offerA,
        expiration_time: '2030-01-01T00:00:00Z',
        concurrency_limit: '2',
        origin_country_code: 'DE',
        source_id: 'cleeng-tx-1',
        source_type: 'cleeng',
        create_time: expect.any(String),
        update_time: expect.any(String),
      });
      const stored = await rows('user-1');
      expect(stored).toHaveLength(1);
      expect(stored[0]).toMatchObject({
        product_id: offerA,
        status: 'ACTIVE',
        origin: 'MOTTO',
        concurrency_limit: '2',
        origin_country_code: 'DE',
      });
    });

    it('emits defaults for the fields left out', async () => {
      const res = await t.post(URL, { project_id: 'rtt-show', user_id: 'user-2', offer_id: offerA }, { token: editor });
      expect(res.status).toBe(200);
      expect(res.body.entitlement).toMatchObject({
        expiration_time: null,
        concurrency_limit: null,
        origin_country_code: '',
        source_id: '',
        source_type: '',
      });
    });

    it('accepts concurrency_limit as a JSON number, as protobuf-JSON does', async () => {
      const res = await t.post(
        URL,
        { project_id: 'rtt-show', user_id: 'user-3', offer_id: offerA, concurrency_limit: 3 },
        { token: editor },
      );
      expect(res.body.entitlement.concurrency_limit).toBe('3');
    });

    it('updates the existing entitlement of (project, user, offer): one row, new values', async () => {
      const first = await t.post(
        URL,
        { project_id: 'rtt-show', user_id: 'user-1', offer_id: offerA, expiration_time: '2031-06-01T00:00:00Z' },
        { token: editor },
      );
      expect(first.status).toBe(200);
      expect(first.body.entitlement.expiration_time).toBe('2031-06-01T00:00:00Z');
      // The whole resource: concurrency_limit and source left out return to their defaults.
      expect(first.body.entitlement.concurrency_limit).toBeNull();
      const stored = await rows('user-1');
      expect(stored).toHaveLength(1);
      expect(stored[0].valid_until.toISOString()).toBe('2031-06-01T00:00:00.000Z');
    });

    it('gives the same single entitlement on retry, without a new history event', async () => {
      const body = {
        project_id: 'rtt-show',
        user_id: 'user-retry',
        offer_id: offerA,
        expiration_time: '2030-01-01T00:00:00Z',
      };
      const a = await t.post(URL, body, { token: editor });
      const b = await t.post(URL, body, { token: editor });
      expect(b.body.entitlement).toEqual(a.body.entitlement);
      expect(await rows('user-retry')).toHaveLength(1);
      expect(await t.sql('select kind from entitlement_event where subject_id = $1', ['user-retry'])).toEqual([
        { kind: 'CREATED' },
      ]);
    });

    it('keeps one entitlement per offer', async () => {
      await t.post(URL, { project_id: 'rtt-show', user_id: 'user-2', offer_id: offerB }, { token: editor });
      expect((await rows('user-2')).map((r) => r.product_id).sort()).toEqual([offerA, offerB].sort());
    });

    it('revokes when expiration_time is in the past, and reinstates with a future one', async () => {
      const revoked = await t.post(
        URL,
        { project_id: 'rtt-show', user_id: 'user-2', offer_id: offerA, expiration_time: '2020-01-01T00:00:00Z' },
        { token: editor },
      );
      expect(revoked.status).toBe(200);
      expect(revoked.body.entitlement.expiration_time).toBe('2020-01-01T00:00:00Z');
      const [row] = await t.sql(
        "select status, revoked_at from entitlement where subject_id = 'user-2' and product_id = $1",
        [offerA],
      );
      expect(row.status).toBe('REVOKED');
      expect(row.revoked_at).not.toBeNull();
      const back = await t.post(
        URL,
        { project_id: 'rtt-show', user_id: 'user-2', offer_id: offerA, expiration_time: '2032-01-01T00:00:00Z' },
        { token: editor },
      );
      expect(back.body.entitlement.expiration_time).toBe('2032-01-01T00:00:00Z');
      expect(
        (await t.sql("select status from entitlement where subject_id = 'user-2' and product_id = $1", [offerA]))[0]
          .status,
      ).toBe('ACTIVE');
    });

    it('answers not_found when the offer does not exist in the project (also a malformed or foreign id)', async () => {
      const foreign = await insertOffer(t, 'other-proj');
      for (const offer_id of ['0f5c2a1e-0000-4000-8000-000000000000', 'not-a-uuid', foreign]) {
        const res = await t.post(URL, { project_id: 'rtt-show', user_id: 'user-x', offer_id }, { token: editor });
        expect(res.status).toBe(404);
        expect(res.body.code).toBe('not_found');
        expect(res.body.message).toMatch(/offer .* does not exist in project "rtt-show"/);
      }
      expect(await rows('user-x')).toEqual([]);
    });

    it('answers not_found for a project that does not exist', async () => {
      const res = await t.post(
        URL,
        { project_id: 'no-such-project', user_id: 'u', offer_id: offerA },
        { token: await t.platformToken('*', 'editor') },
      );
      expect(res.status).toBe(404);
    });

    it.each([
      [{ user_id: 'u', offer_id: 'o' }, 'project_id', /required/],
      [{ project_id: 'rtt-show', offer_id: 'o' }, 'user_id', /required/],
      [{ project_id: 'rtt-show', user_id: '', offer_id: 'o' }, 'user_id', /./],
      [{ project_id: 'rtt-show', user_id: 'u'.repeat(257), offer_id: 'o' }, 'user_id', /256/],
      [{ project_id: 'rtt-show', user_id: 7, offer_id: 'o' }, 'user_id', /string/],
      [{ project_id: 'rtt-show', user_id: 'u' }, 'offer_id', /required/],
      [
        { project_id: 'rtt-show', user_id: 'u', offer_id: 'o', expiration_time: 'tomorrow' },
        'expiration_time',
        /RFC 3339/,
      ],
      [
        { project_id: 'rtt-show', user_id: 'u', offer_id: 'o', expiration_time: '2030-02-30T00:00:00Z' },
        'expiration_time',
        /RFC 3339/,
      ],
      [
        { project_id: 'rtt-show', user_id: 'u', offer_id: 'o', origin_country_code: 'de' },
        'origin_country_code',
        /ISO 3166-1/,
      ],
      [
        { project_id: 'rtt-show', user_id: 'u', offer_id: 'o', origin_country_code: 'XX' },
        'origin_country_code',
        /ISO 3166-1/,
      ],
      [
        { project_id: 'rtt-show', user_id: 'u', offer_id: 'o', concurrency_limit: '0' },
        'concurrency_limit',
        /at least 1/,
      ],
      [{ project_id: 'rtt-show', user_id: 'u', offer_id: 'o', concurrency_limit: '1.5' }, 'concurrency_limit', /int64/],
      [
        { project_id: 'rtt-show', user_id: 'u', offer_id: 'o', concurrency_limit: '99999999999999999999' },
        'concurrency_limit',
        /./,
      ],
      [{ project_id: 'rtt-show', user_id: 'u', offer_id: 'o', source_type: 'x'.repeat(65) }, 'source_type', /64/],
      [{ project_id: 'rtt-show', user_id: 'u', offer_id: 'o', source_id: 'x'.repeat(257) }, 'source_id', /256/],
      [
        { project_id: 'rtt-show', user_id: 'u', offer_id: 'o', expiration: '2030-01-01T00:00:00Z' },
        'expiration',
        /unknown field/,
      ],
    ])('refuses %j naming %s', async (body, field, description) => {
      const res = await t.post(URL, body, { token: editor });
      expect(res.status).toBe(400);
      expect(res.body.code).toBe('invalid_argument');
      const detail = res.body.details.find((d: { field: string }) => d.field === field);
      expect(detail).toBeDefined();
      expect(detail.description).toMatch(description);
      expect(await t.sql("select id from entitlement where subject_id = 'u'")).toEqual([]);
    });

    it('refuses a body that is not an object', async () => {
      const res = await t.request('POST', URL, { rawBody: '["user-1"]', token: editor });
      expect(res.status).toBe(400);
      expect(res.body.code).toBe('invalid_argument');
    });

    it('leaves exactly one row after fifty concurrent upserts of one key, in the state of one of them', async () => {
      const bodies = Array.from({ length: 50 }, (_, i) => ({
        project_id: 'rtt-show',
        user_id: 'user-race',
        offer_id: offerA,
        concurrency_limit: String(i + 1),
        source_id: `tx-${i}`,
      }));
      const results = await Promise.all(bodies.map((b) => t.post(URL, b, { token: editor })));
      expect(results.map((r) => r.status)).toEqual(Array(50).fill(200));
      const stored = await rows('user-race');
      expect(stored).toHaveLength(1);
      const final = stored[0];
      expect(
        bodies.some((b) => b.concurrency_limit === final.concurrency_limit && b.source_id === final.source_id),
      ).toBe(true);
      const events = await t.sql('select kind from entitlement_event where subject_id = $1 order by id', ['user-race']);
      expect(events[0].kind).toBe('CREATED');
      expect(events.filter((e) => e.kind === 'CREATED')).toHaveLength(1);
    });
  });

  it('never leaves an entitlement pointing at an offer deleted concurrently', async () => {
    const admin = await t.platformToken(['rtt-show'], 'editor');
    for (let round = 0; round < 3; round++) {
      const offer = await insertOffer(t, 'rtt-show', `racy-${round}`);
      const upserts = Array.from({ length: 20 }, (_, i) =>
        t.post(URL, { project_id: 'rtt-show', user_id: `racer-${round}-${i}`, offer_id: offer }, { token: admin }),
      );
      const deletion = t.delete(`/monetization/offers/v1/${offer}`, {
        token: admin,
        query: { project_id: 'rtt-show' },
      });
      const [deleted, ...results] = await Promise.all([deletion, ...upserts]);
      const offerLeft = (await t.sql('select id from offer where id = $1', [offer])).length;
      const entitlements = (await t.sql('select id from entitlement where product_id = $1', [offer])).length;
      if (deleted.status === 200) {
        expect(offerLeft).toBe(0);
        expect(entitlements).toBe(0);
        expect(results.every((r) => r.status === 200 || r.status === 404)).toBe(true);
      } else {
        expect(deleted.body.code).toBe('failed_precondition');
        expect(offerLeft).toBe(1);
        expect(entitlements).toBe(results.filter((r) => r.status === 200).length);
      }
    }
  });

  describe('list', () => {
    let viewer: string;
    beforeAll(async () => {
      viewer = await t.platformToken(['rtt-show'], 'viewer');
      for (let i = 0; i < 7; i++) {
        await t.post(
          URL,
          {
            project_id: 'rtt-show',
            user_id: `pager-${i % 2}`,
            offer_id: offerB,
            source_type: i % 2 ? 'cleeng' : 'motto',
            source_id: `s-${i}`,
          },
          { token: editor },
        );
        await t.post(
          URL,
          {
            project_id: 'rtt-show',
            user_id: `pager-${i}`,
            offer_id: offerA,
            source_type: 'motto',
            expiration_time: `20${30 + i}-01-01T00:00:00Z`,
          },
          { token: editor },
        );
      }
    });

    it('pages through every entitlement of the project with a filter, keyset tokens, no duplicates', async () => {
      const seen: string[] = [];
      let token = '';
      let pages = 0;
      do {
        const res = await t.get(URL, {
          token: viewer,
          query: { project_id: 'rtt-show', filter: 'source_type:motto', page_size: 2, page_token: token },
        });
        expect(res.status).toBe(200);
        for (const e of res.body.entitlements) {
          expect(e.source_type).toBe('motto');
          seen.push(`${e.user_id}/${e.offer_id}`);
        }
        token = res.body.next_page_token;
        pages++;
      } while (token && pages < 50);
      const expected = await t.sql(
        "select subject_id || '/' || product_id as k from entitlement where project_id = 'rtt-show' and source_type = 'motto' order by created_at, id",
      );
      expect(seen).toEqual(expected.map((r) => r.k));
      expect(new Set(seen).size).toBe(seen.length);
      expect(pages).toBeGreaterThan(3);
    });

    it.each([
      ['user_id:pager-3', (e: any) => e.user_id === 'pager-3'],
      ['offer_id:(X OR Y)', () => false],
      ['source_type:cleeng AND source_id:s-1', (e: any) => e.source_id === 's-1'],
      [
        'expiration_time>=2034-01-01T00:00:00Z expiration_time<2036-01-01T00:00:00Z',
        (e: any) => e.expiration_time >= '2034' && e.expiration_time < '2036',
      ],
    ])('filters with %s', async (filter, keep) => {
      const all = (await t.get(URL, { token: viewer, query: { project_id: 'rtt-show', page_size: 1000 } })).body
        .entitlements;
      const res = await t.get(URL, { token: viewer, query: { project_id: 'rtt-show', filter, page_size: 1000 } });
      expect(res.status).toBe(200);
      expect(res.body.entitlements).toEqual(all.filter(keep));
    });

    it('filters on the offer id', async () => {
      const res = await t.get(URL, {
        token: viewer,
        query: { project_id: 'rtt-show', filter: `offer_id:${offerB}`, page_size: 1000 },
      });
      expect(res.body.entitlements.length).toBeGreaterThan(0);
      expect(res.body.entitlements.every((e: any) => e.offer_id === offerB)).toBe(true);
    });

    it.each([
      [{ project_id: 'rtt-show', filter: 'colour:red' }, 'filter', /unknown field/],
      [{ project_id: 'rtt-show', filter: 'user_id:"unterminated' }, 'filter', /./],
      [{ project_id: 'rtt-show', filter: 'expiration_time>soon' }, 'filter', /./],
      [{ project_id: 'rtt-show', filter: 'user_id>abc' }, 'filter', /not allowed/],
      [{ project_id: 'rtt-show', page_size: '-1' }, 'page_size', /./],
      [{ project_id: 'rtt-show', page_token: 'bm90LWEtdG9rZW4' }, 'page_token', /./],
      [{}, 'project_id', /required/],
    ])('refuses %j naming %s', async (query, field, description) => {
      const res = await t.get(URL, { token: viewer, query });
      expect(res.status).toBe(400);
      expect(res.body.code).toBe('invalid_argument');
      expect(res.body.details[0].field).toBe(field);
      expect(res.body.details[0].description).toMatch(description);
    });
  });

  describe('history', () => {
    it('records every change: before, after, who, which API, correlation id; newest first', async () => {
      const user = 'user-hist';
      const token = await t.platformToken(['rtt-show'], 'editor', 'ops-alice');
      await t.post(
        URL,
        { project_id: 'rtt-show', user_id: user, offer_id: offerA },
        { token, headers: { 'x-correlation-id': 'corr-1' } },
      );
      await t.post(
        URL,
        { project_id: 'rtt-show', user_id: user, offer_id: offerA, concurrency_limit: '4' },
        { token, headers: { 'x-correlation-id': 'corr-2' } },
      );
      await t.post(
        URL,
        { project_id: 'rtt-show', user_id: user, offer_id: offerA, expiration_time: '2021-01-01T00:00:00Z' },
        { token, headers: { 'x-correlation-id': 'corr-3' } },
      );
      const res = await t.get(`${URL}/history`, { token, query: { project_id: 'rtt-show', user_id: user } });
      expect(res.status).toBe(200);
      const events = res.body.events;
      expect(events.map((e: any) => [e.kind, e.correlation_id])).toEqual([
        ['REVOKED', 'corr-3'],
        ['UPDATED', 'corr-2'],
        ['CREATED', 'corr-1'],
      ]);
      expect(
        events.every(
          (e: any) => e.actor === 'ops-alice' && e.api === 'MOTTO' && e.user_id === user && e.offer_id === offerA,
        ),
      ).toBe(true);
      expect(events[2].before).toBeNull();
      expect(events[2].after).toMatchObject({
        subject_id: user,
        product_id: offerA,
        status: 'ACTIVE',
        concurrency_limit: null,
      });
      expect(events[1].changed_fields).toEqual(['concurrency_limit']);
      expect(events[1].before.concurrency_limit).toBeNull();
      expect(events[1].after.concurrency_limit).toBe('4');
      expect(events[0].changed_fields).toEqual(
        expect.arrayContaining(['valid_until', 'status', 'revoked_at', 'concurrency_limit']),
      );
      expect(events[0].after.status).toBe('REVOKED');
    });

    it('pages newest first', async () => {
      const token = await t.platformToken(['rtt-show'], 'viewer');
      const all = (
        await t.get(`${URL}/history`, { token, query: { project_id: 'rtt-show', page_size: 1000 } })
      ).body.events.map((e: any) => e.id);
      const paged: string[] = [];
      let page_token = '';
      do {
        const res = await t.get(`${URL}/history`, {
          token,
          query: { project_id: 'rtt-show', page_size: 7, page_token },
        });
        paged.push(...res.body.events.map((e: any) => e.id));
        page_token = res.body.next_page_token;
      } while (page_token);
      expect(paged).toEqual(all);
      expect(all.map(Number)).toEqual([...all.map(Number)].sort((a, b) => b - a));
    });

    it('cannot be altered: the database refuses updates and deletes of events', async () => {
      await expect(t.sql('update entitlement_event set actor = $1', ['mallory'])).rejects.toThrow(/append-only/);
      await expect(t.sql('delete from entitlement_event')).rejects.toThrow(/append-only/);
    });
  });

  describe('project isolation and roles', () => {
    it('an editor of another project can neither write, list nor read the history here', async () => {
      const outsider = await t.platformToken(['other-proj'], 'editor');
      const write = await t.post(
        URL,
        { project_id: 'rtt-show', user_id: 'intruder', offer_id: offerA },
        { token: outsider },
      );
      expect(write.status).toBe(403);
      expect(write.body.code).toBe('permission_denied');
      expect((await t.get(URL, { token: outsider, query: { project_id: 'rtt-show' } })).status).toBe(403);
      expect((await t.get(`${URL}/history`, { token: outsider, query: { project_id: 'rtt-show' } })).status).toBe(403);
      expect(await t.sql("select id from entitlement where subject_id = 'intruder'")).toEqual([]);
    });

    it('a viewer can read but not write', async () => {
      const viewer = await t.platformToken(['rtt-show'], 'viewer');
      expect((await t.get(URL, { token: viewer, query: { project_id: 'rtt-show' } })).status).toBe(200);
      expect(
        (await t.post(URL, { project_id: 'rtt-show', user_id: 'v', offer_id: offerA }, { token: viewer })).status,
      ).toBe(403);
    });

    it('lists only the project asked for', async () => {
      const offer = await insertOffer(t, 'other-proj');
      await t.post(
        URL,
        { project_id: 'other-proj', user_id: 'elsewhere', offer_id: offer },
        { token: await t.platformToken(['other-proj'], 'editor') },
      );
      const res = await t.get(URL, {
        token: await t.platformToken('*', 'viewer'),
        query: { project_id: 'rtt-show', page_size: 1000 },
      });
      expect(res.body.entitlements.some((e: any) => e.user_id === 'elsewhere')).toBe(false);
      expect(res.body.entitlements.every((e: any) => e.project_id === 'rtt-show')).toBe(true);
    });
  });
});
