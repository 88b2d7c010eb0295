import { TestApp } from '../support/test-app';

const URL = '/monetization/offers/v1';
const ENTITLEMENTS = '/monetization/entitlements/v1';
const RFC3339_UTC = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d{3})?Z$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

/** The create example of the public documentation (seed 003), with real values in place of the placeholders. */
const SEED_BODY = {
  project_id: 'rtt-show',
  name: 'Season pass 2024/25',
  localized_title: { en: 'Season pass', 'fr-BE': 'Pass saison' },
  localized_description: {
    en: 'Every match of the 2024/25 season, live and on demand.',
    fr: 'Tous les matchs de la saison 2024/25.',
  },
  cleeng_offer_id: 'S531234647_FR',
  applies_to_all: false,
  target: {
    entity_ids: ['team-rtt-fc'],
    event_ids: ['event-2025-05-24-final', 'event-2024-10-19-derby'],
    creative_work_ids: ['cw-highlights-2024'],
    content_start_time: '2024-08-01T00:00:00Z',
    content_end_time: '2025-06-30T23:59:59Z',
  },
  localized_logo_asset_id: { en: 'asset-logo-season-en' },
  localized_image_asset_id: { en: 'asset-hero-season-en', 'fr-BE': 'asset-hero-season-fr' },
  offer_prices: [
    {
      id: 'monthly-eur',
      msrp_price: { currency_code: 'EUR', units: '12', nanos: 990000000 },
      price: { currency_code: 'EUR', units: '9', nanos: 990000000 },
      billing_period: 'BILLING_PERIOD_MONTHLY',
      access_period: 'ACCESS_PERIOD_MONTH',
      geo_restrictions_disallow: { country_codes: [] },
      geo_restrictions_allow: { country_codes: ['FR', 'BE'] },
      priority: '2',
      stripe_product_id: 'prod_PqR5tUvWxYz123',
      app_store_product_id: 'com.rttshow.season.monthly',
      play_store_sku: 'season_monthly',
    },
    {
      id: 'yearly-usd',
      msrp_price: { currency_code: 'USD', units: '119', nanos: 0 },
      price: { currency_code: 'USD', units: '99', nanos: 500000000 },
      billing_period: 'BILLING_PERIOD_YEARLY',
      access_period: 'ACCESS_PERIOD_YEAR',
      geo_restrictions_disallow: { country_codes: ['RU', 'BY'] },
      geo_restrictions_allow: { country_codes: [] },
      priority: '1',
      stripe_product_id: 'prod_Yr8sQw2ZxC',
      app_store_product_id: 'com.rttshow.season.yearly',
      play_store_sku: 'season_yearly',
    },
  ],
  priority: '10',
  concurrency_limit: '2',
  visibility: 'VISIBILITY_PUBLISHED',
  video_protection_ruleset_id: 'ruleset-season-2024',
};

type Body = Record<string, any>;
const clone = <T>(v: T): T => JSON.parse(JSON.stringify(v));
const withFields = (fields: Body): Body => ({ ...clone(SEED_BODY), ...fields });
const withTarget = (fields: Body): Body => withFields({ target: { ...clone(SEED_BODY.target), ...fields } });
const withPrice = (fields: Body): Body =>
  withFields({ offer_prices: [{ ...clone(SEED_BODY.offer_prices[0]), ...fields }] });
const withMoney = (fields: Body): Body =>
  withPrice({ price: { currency_code: 'EUR', units: '9', nanos: 0, ...fields } });

describe('Motto-style offers API', () => {
  let t: TestApp;
  let editor: string;
  let viewer: string;
  let otherEditor: string;
  let allEditor: string;

  beforeAll(async () => {
    t = await TestApp.start();
    await t.createProject('rtt-show');
    await t.createProject('other-proj');
    editor = await t.platformToken(['rtt-show'], 'editor', 'back-office-1');
    viewer = await t.platformToken(['rtt-show'], 'viewer');
    otherEditor = await t.platformToken(['other-proj'], 'editor');
    allEditor = await t.platformToken('*', 'editor');
  });
  afterAll(() => t.close());

  const create = async (body: Body, token = editor) => {
    const res = await t.post(URL, body, { token });
    if (res.status !== 200) throw new Error(`create: ${res.status} ${res.text}`);
    return res.body.offer as Body;
  };
  const get = (id: string, token = viewer, projectId = 'rtt-show') =>
    t.get(`${URL}/${encodeURIComponent(id)}`, { token, query: { project_id: projectId } });
  const patch = (id: string, body: Body, token = editor, query?: Record<string, string>) =>
    t.patch(`${URL}/${encodeURIComponent(id)}`, body, { token, query });
  const del = (id: string, token = editor, projectId = 'rtt-show') =>
    t.delete(`${URL}/${encodeURIComponent(id)}`, { token, query: { project_id: projectId } });
  const storedCounts = async () => {
    const [row] = await t.sql(
      'select (select count(*) from offer)::int as offers, (select count(*) from offer_content)::int as contents',
    );
    return row as { offers: number; contents: number };
  };
  const contentRows = (offerId: string) =>
    t.sql('select project_id, kind, content_id from offer_content where offer_id = $1 order by kind, content_id', [
      offerId,
    ]);
  const offersCovering = async (projectId: string, kind: string, contentId: string) =>
    (
      await t.sql('select offer_id from offer_content where project_id = $1 and kind = $2 and content_id = $3', [
        projectId,
        kind,
        contentId,
      ])
    )
      .map((r) => r.offer_id)
      .sort();

  describe('create', () => {
    it('stores the seed example (real values) and returns it with id, create_time and update_time', async () => {
      const res = await t.post(URL, SEED_BODY, { token: editor });
      expect(res.status).toBe(200);
      const offer = res.body.offer;
      expect(offer).toEqual({
        ...SEED_BODY,
        id: expect.stringMatching(UUID),
        create_time: expect.stringMatching(RFC3339_UTC),
        update_time: offer.create_time,
      });

      const [row] = await t.sql('select * from offer where id = $1', [offer.id]);
      expect(row).toMatchObject({
        project_id: 'rtt-show',
        name: 'Season pass 2024/25',
        priority: '10',
        concurrency_limit: '2',
        visibility: 'VISIBILITY_PUBLISHED',
        applies_to_all: false,
        target: {
          entityIds: ['team-rtt-fc'],
          eventIds: ['event-2025-05-24-final', 'event-2024-10-19-derby'],
          creativeWorkIds: ['cw-highlights-2024'],
          contentStartTime: '2024-08-01T00:00:00.000Z',
          contentEndTime: '2025-06-30T23:59:59.000Z',
        },
      });
      // Amounts are stored exactly, as int64 decimal strings and integer nanos.
      expect(row.offer_prices[0].price).toEqual({ currencyCode: 'EUR', units: '9', nanos: 990000000 });
      expect(row.created_at.toISOString()).toBe(new Date(offer.create_time).toISOString());
    });

    it('round-trips: GET returns exactly the fields sent', async () => {
      const created = await create(SEED_BODY);
      const res = await get(created.id);
      expect(res.status).toBe(200);
      expect(res.body).toEqual({ offer: created });
      const { id, create_time, update_time, ...fields } = res.body.offer;
      expect(fields).toEqual(SEED_BODY);
      expect([id, create_time, update_time].every((v) => typeof v === 'string')).toBe(true);
    });

    it('accepts a fetched offer sent back unchanged (output-only fields ignored)', async () => {
      const created = await create(SEED_BODY);
      const again = await create({ ...created, id: 'ignored', create_time: '2000-01-01T00:00:00Z' });
      expect(again.id).not.toBe(created.id);
      expect(again.id).not.toBe('ignored');
      expect({ ...again, id: '', create_time: '', update_time: '' }).toEqual({
        ...created,
        id: '',
        create_time: '',
        update_time: '',
      });
    });

    it('emits every field with its default when only the required ones are sent', async () => {
      const offer = await create({ project_id: 'rtt-show', name: 'Bare offer' });
      expect(offer).toEqual({
        project_id: 'rtt-show',
        name: 'Bare offer',
        localized_title: {},
        localized_description: {},
        id: expect.stringMatching(UUID),
        cleeng_offer_id: '',
        applies_to_all: false,
        target: {
          entity_ids: [],
          event_ids: [],
          creative_work_ids: [],
          content_start_time: null,
          content_end_time: null,
        },
        localized_logo_asset_id: {},
        localized_image_asset_id: {},
        offer_prices: [],
        priority: '0',
        concurrency_limit: null,
        visibility: 'VISIBILITY_UNSPECIFIED',
        video_protection_ruleset_id: '',
        create_time: expect.stringMatching(RFC3339_UTC),
        update_time: expect.stringMatching(RFC3339_UTC),
      });
    });

    it('accepts int64 fields as JSON numbers and answers them as strings; normalizes timestamps to UTC', async () => {
      const offer = await create(
        withFields({
          priority: 7,
          concurrency_limit: 3,
          offer_prices: [{ price: { currency_code: 'JPY', units: 1500 }, priority: -1 }],
          target: {
            entity_ids: ['e'],
            content_start_time: '2024-08-01T02:00:00+02:00',
            content_end_time: '2024-09-01T00:00:00.250Z',
          },
        }),
      );
      expect(offer.priority).toBe('7');
      expect(offer.concurrency_limit).toBe('3');
      expect(offer.offer_prices[0]).toMatchObject({
        price: { currency_code: 'JPY', units: '1500', nanos: 0 },
        msrp_price: null,
        priority: '-1',
      });
      expect(offer.target.content_start_time).toBe('2024-08-01T00:00:00Z');
      expect(offer.target.content_end_time).toBe('2024-09-01T00:00:00.250Z');
    });

    it('keeps int64 values beyond 2^53 exactly', async () => {
      const offer = await create(
        withFields({ priority: '9223372036854775807', concurrency_limit: '9007199254740993' }),
      );
      expect(offer).toMatchObject({ priority: '9223372036854775807', concurrency_limit: '9007199254740993' });
      expect((await get(offer.id)).body.offer).toMatchObject({
        priority: '9223372036854775807',
        concurrency_limit: '9007199254740993',
      });
    });

    it('assigns a UUID to every price sent without an id, and keeps the ids given', async () => {
      const offer = await create(
        withFields({ offer_prices: [{ price: { currency_code: 'EUR', units: '5' } }, { id: 'kept' }, { id: '' }] }),
      );
      const ids = offer.offer_prices.map((p: Body) => p.id);
      expect(ids[0]).toMatch(UUID);
      expect(ids[1]).toBe('kept');
      expect(ids[2]).toMatch(UUID);
      expect(ids[2]).not.toBe(ids[0]);
      expect((await get(offer.id)).body.offer.offer_prices.map((p: Body) => p.id)).toEqual(ids);
    });

    it('writes one offer_content row per distinct content id of the target', async () => {
      const offer = await create(
        withTarget({ entity_ids: ['team-a', 'team-b', 'team-a'], event_ids: ['ev-1'], creative_work_ids: [] }),
      );
      expect(await contentRows(offer.id)).toEqual([
        { project_id: 'rtt-show', kind: 'ENTITY', content_id: 'team-a' },
        { project_id: 'rtt-show', kind: 'ENTITY', content_id: 'team-b' },
        { project_id: 'rtt-show', kind: 'EVENT', content_id: 'ev-1' },
      ]);
      const all = await create(withFields({ applies_to_all: true, target: {} }));
      expect(await contentRows(all.id)).toEqual([]);
    });

    it('answers invalid_argument (project_id) for a project that does not exist, and stores nothing', async () => {
      const before = await storedCounts();
      const res = await t.post(URL, withFields({ project_id: 'no-such-project' }), { token: allEditor });
      expect(res.status).toBe(400);
      expect(res.body).toEqual({
        code: 'invalid_argument',
        message: 'project_id: project "no-such-project" does not exist',
        details: [{ field: 'project_id', description: 'project "no-such-project" does not exist' }],
      });
      expect(await storedCounts()).toEqual(before);
    });

    const LOCALE =
      'must be a lower-case ISO 639-1 language code, optionally with an upper-case ISO 3166-1 alpha-2 region (en, en-US)';
    const COUNTRY = 'must be an upper-case ISO 3166-1 alpha-2 country code such as FR';
    const ids = (n: number) => Array.from({ length: n }, (_, i) => `id-${i}`);
    const createCases: [string, unknown, string, string?][] = [
      // project and name
      ['a missing project_id', withFields({ project_id: undefined }), 'project_id', 'is required'],
      ['a project_id that is no slug', withFields({ project_id: 'RTT Show' }), 'project_id'],
      ['a missing name', withFields({ name: undefined }), 'name', 'is required'],
      ['an empty name', withFields({ name: '' }), 'name', 'must be 1 to 200 characters'],
      ['a 201-character name', withFields({ name: 'n'.repeat(201) }), 'name', 'must be 1 to 200 characters'],
      ['a numeric name', withFields({ name: 42 }), 'name', 'must be a string (got a number)'],
      // localized maps
      [
        'an upper-case language key',
        withFields({ localized_title: { EN: 'Pass' } }),
        'localized_title.EN',
        `key "EN" ${LOCALE}`,
      ],
      [
        'an unknown language key',
        withFields({ localized_description: { xx: 'x' } }),
        'localized_description.xx',
        `key "xx" ${LOCALE}`,
      ],
      [
        'an underscore locale key',
        withFields({ localized_logo_asset_id: { en_US: 'x' } }),
        'localized_logo_asset_id.en_US',
        `key "en_US" ${LOCALE}`,
      ],
      [
        'a lower-case region key',
        withFields({ localized_image_asset_id: { 'en-us': 'x' } }),
        'localized_image_asset_id.en-us',
        `key "en-us" ${LOCALE}`,
      ],
      [
        'an empty localized value',
        withFields({ localized_title: { en: '' } }),
        'localized_title.en',
        'must be 1 to 1000 characters',
      ],
      [
        'a too long localized text',
        withFields({ localized_description: { en: 'd'.repeat(1001) } }),
        'localized_description.en',
        'must be 1 to 1000 characters',
      ],
      [
        'a too long asset id',
        withFields({ localized_logo_asset_id: { en: 'a'.repeat(257) } }),
        'localized_logo_asset_id.en',
        'must be 1 to 256 characters',
      ],
      ['a localized map that is a string', withFields({ localized_title: 'Pass' }), 'localized_title'],
      // money
      ['an unknown currency', withMoney({ currency_code: 'EUD' }), 'offer_prices[0].price.currency_code'],
      ['a lower-case currency', withMoney({ currency_code: 'eur' }), 'offer_prices[0].price.currency_code'],
      ['a missing currency', withPrice({ msrp_price: { units: '1' } }), 'offer_prices[0].msrp_price.currency_code'],
      ['decimal units', withMoney({ units: '9.99' }), 'offer_prices[0].price.units'],
      ['float units', withMoney({ units: 9.99 }), 'offer_prices[0].price.units'],
      ['units beyond int64', withMoney({ units: '9223372036854775808' }), 'offer_prices[0].price.units'],
      ['nanos out of range', withMoney({ nanos: 1000000000 }), 'offer_prices[0].price.nanos'],
      ['fractional nanos', withMoney({ nanos: 0.5 }), 'offer_prices[0].price.nanos'],
      [
        'nanos against the sign of units',
        withMoney({ units: '9', nanos: -1 }),
        'offer_prices[0].price.nanos',
        'must have the same sign as units',
      ],
      [
        'a negative price',
        withMoney({ units: '-9', nanos: -500000000 }),
        'offer_prices[0].price',
        'must not be negative',
      ],
      [
        'a negative msrp',
        withPrice({ msrp_price: { currency_code: 'EUR', units: '0', nanos: -1 } }),
        'offer_prices[0].msrp_price',
        'must not be negative',
      ],
      ['an unknown money field', withMoney({ amount: '9.99' }), 'offer_prices[0].price.amount', 'unknown field'],
      // enums
      ['an unknown billing period', withPrice({ billing_period: 'MONTHLY' }), 'offer_prices[0].billing_period'],
      ['a billing period number', withPrice({ billing_period: 3 }), 'offer_prices[0].billing_period'],
      [
        'an unknown access period',
        withPrice({ access_period: 'ACCESS_PERIOD_FOREVER' }),
        'offer_prices[0].access_period',
      ],
      ['an unknown visibility', withFields({ visibility: 'PUBLISHED' }), 'visibility'],
      ['a visibility number', withFields({ visibility: 1 }), 'visibility'],
      // geo restrictions
      [
        'a lower-case country code',
        withPrice({ geo_restrictions_allow: { country_codes: ['FR', 'be'] } }),
        'offer_prices[0].geo_restrictions_allow.country_codes[1]',
        `${COUNTRY} (got "be")`,
      ],
      [
        'an alpha-3 country code',
        withPrice({
          geo_restrictions_allow: { country_codes: [] },
          geo_restrictions_disallow: { country_codes: ['RUS'] },
        }),
        'offer_prices[0].geo_restrictions_disallow.country_codes[0]',
        `${COUNTRY} (got "RUS")`,
      ],
      [
        'allow and disallow on one price',
        withPrice({ geo_restrictions_disallow: { country_codes: ['RU'] } }),
        'offer_prices[0].geo_restrictions_disallow',
      ],
      [
        'a geo restriction that is a list',
        withPrice({ geo_restrictions_allow: ['FR'] }),
        'offer_prices[0].geo_restrictions_allow',
      ],
      // target
      [
        'applies_to_all with a target',
        withFields({ applies_to_all: true }),
        'target',
        'must be empty when applies_to_all is true',
      ],
      [
        'a window that ends before it starts',
        withTarget({ content_start_time: '2025-01-01T00:00:00Z', content_end_time: '2024-01-01T00:00:00Z' }),
        'target.content_end_time',
        'must be after target.content_start_time',
      ],
      [
        'a window that ends when it starts',
        withTarget({ content_start_time: '2025-01-01T01:00:00+01:00', content_end_time: '2025-01-01T00:00:00Z' }),
        'target.content_end_time',
        'must be after target.content_start_time',
      ],
      [
        'a timestamp that is not RFC 3339',
        withTarget({ content_start_time: '2024-08-01 00:00:00' }),
        'target.content_start_time',
      ],
      [
        'an empty target id',
        withTarget({ event_ids: ['ev-1', ''] }),
        'target.event_ids[1]',
        'must be 1 to 256 characters',
      ],
      [
        'a numeric target id',
        withTarget({ creative_work_ids: [7] }),
        'target.creative_work_ids[0]',
        'must be a string (got a number)',
      ],
      [
        '1,001 target ids',
        withTarget({ entity_ids: ids(1001) }),
        'target.entity_ids',
        'must have at most 1000 items (got 1001)',
      ],
      // int64 fields
      ['a decimal priority', withFields({ priority: '1.5' }), 'priority'],
      ['a priority beyond int64', withFields({ priority: '9223372036854775808' }), 'priority'],
      ['a JSON priority beyond 2^53', withFields({ priority: 2 ** 60 }), 'priority'],
      ['a zero concurrency_limit', withFields({ concurrency_limit: '0' }), 'concurrency_limit', 'must be at least 1'],
      [
        'a negative concurrency_limit',
        withFields({ concurrency_limit: -2 }),
        'concurrency_limit',
        'must be at least 1',
      ],
      ['a word as concurrency_limit', withFields({ concurrency_limit: 'two' }), 'concurrency_limit'],
      ['a decimal price priority', withPrice({ priority: 'high' }), 'offer_prices[0].priority'],
      // unknown fields and shapes
      ['an unknown field', withFields({ title: 'Season pass' }), 'title', 'unknown field'],
      [
        'a camelCase field',
        withFields({ appliesToAll: true }),
        'appliesToAll',
        'unknown field (did you mean "applies_to_all"?)',
      ],
      ['an unknown target field', withTarget({ channel_ids: ['c'] }), 'target.channel_ids', 'unknown field'],
      ['an unknown price field', withPrice({ amount: 1 }), 'offer_prices[0].amount', 'unknown field'],
      [
        'duplicate price ids',
        withFields({ offer_prices: [{ id: 'p' }, { id: 'p' }] }),
        'offer_prices[1].id',
        'duplicates offer_prices[0].id',
      ],
      ['a string applies_to_all', withFields({ applies_to_all: 'true' }), 'applies_to_all'],
      ['a body that is an array', [SEED_BODY], 'offer'],
    ];
    // Every row has 4 items (jest would read a missing last argument as a `done` callback).
    it.each(createCases.map(([name, body, field, description]) => [name, body, field, description ?? null] as const))(
      'refuses %s: 400 invalid_argument naming the field, nothing stored',
      async (_, body, field, description) => {
        const before = await storedCounts();
        const res = await t.post(URL, body, { token: editor });
        expect(res.status).toBe(400);
        expect(res.body.code).toBe('invalid_argument');
        expect(res.body.details).toContainEqual(
          description ? { field, description } : { field, description: expect.any(String) },
        );
        expect(res.body.message).toContain(`${field}: `);
        expect(await storedCounts()).toEqual(before);
      },
    );

    it('reports every violation of a body at once', async () => {
      const res = await t.post(
        URL,
        withFields({ name: '', visibility: 'X', typo: 1, offer_prices: [{ price: { currency_code: 'eur' } }] }),
        { token: editor },
      );
      expect(res.status).toBe(400);
      expect(res.body.details.map((d: Body) => d.field)).toEqual([
        'typo',
        'name',
        'offer_prices[0].price.currency_code',
        'visibility',
      ]);
    });
  });

  describe('get', () => {
    let offer: Body;
    beforeAll(async () => {
      offer = await create(withFields({ name: 'Get me' }));
    });

    it('answers the offer to a viewer', async () => {
      const res = await get(offer.id, viewer);
      expect(res.status).toBe(200);
      expect(res.body.offer).toEqual(offer);
    });

    it('requires project_id', async () => {
      const res = await t.get(`${URL}/${offer.id}`, { token: viewer });
      expect(res.status).toBe(400);
      expect(res.body.details).toEqual([{ field: 'project_id', description: 'is required' }]);
    });

    it('answers not_found for an unknown id, a malformed id, or an offer of another project', async () => {
      const foreign = await create(withFields({ project_id: 'other-proj' }), otherEditor);
      for (const id of ['0f5c2a1e-0000-4000-8000-000000000000', 'not a uuid', 'x'.repeat(300), foreign.id]) {
        const res = await get(id, allEditor);
        expect(res.status).toBe(404);
        expect(res.body.code).toBe('not_found');
        expect(res.body.message).toContain('does not exist in project "rtt-show"');
      }
      // The right project finds it.
      expect((await get(foreign.id, allEditor, 'other-proj')).status).toBe(200);
    });
  });

  describe('update', () => {
    let base: Body;
    beforeEach(async () => {
      base = await create(SEED_BODY);
    });
    const stored = async (id: string) => (await get(id)).body.offer as Body;

    it('changes only the masked paths', async () => {
      const res = await patch(base.id, {
        offer_id: base.id,
        offer: { project_id: 'rtt-show', name: 'Renamed', priority: '99', visibility: 'VISIBILITY_HIDDEN' },
        update_mask: 'name,visibility',
      });
      expect(res.status).toBe(200);
      expect(res.body.offer).toEqual({
        ...base,
        name: 'Renamed',
        visibility: 'VISIBILITY_HIDDEN',
        update_time: expect.stringMatching(RFC3339_UTC),
      });
      expect(res.body.offer.create_time).toBe(base.create_time);
      expect(new Date(res.body.offer.update_time).getTime()).toBeGreaterThanOrEqual(
        new Date(base.update_time).getTime(),
      );
      expect(await stored(base.id)).toEqual(res.body.offer);
      const [row] = await t.sql('select name, priority from offer where id = $1', [base.id]);
      expect(row).toEqual({ name: 'Renamed', priority: '10' });
    });

    it('with an empty mask, updates the fields present in offer', async () => {
      for (const update_mask of [undefined, '', ' ']) {
        const res = await patch(base.id, {
          offer: { project_id: 'rtt-show', priority: '3', concurrency_limit: null },
          update_mask,
        });
        expect(res.status).toBe(200);
        expect(res.body.offer).toEqual({
          ...base,
          priority: '3',
          concurrency_limit: null,
          update_time: expect.any(String),
        });
      }
    });

    it('resets a masked field absent from offer to its default', async () => {
      const res = await patch(base.id, {
        offer: { project_id: 'rtt-show' },
        update_mask: 'localized_title,concurrency_limit,offer_prices',
      });
      expect(res.status).toBe(200);
      expect(res.body.offer).toEqual({
        ...base,
        localized_title: {},
        concurrency_limit: null,
        offer_prices: [],
        update_time: expect.any(String),
      });
    });

    it('updates one list of the target with a nested path, and keeps offer_content in step', async () => {
      const res = await patch(base.id, {
        offer: { project_id: 'rtt-show', target: { entity_ids: ['team-new'], event_ids: ['ignored'] } },
        update_mask: 'target.entity_ids',
      });
      expect(res.status).toBe(200);
      expect(res.body.offer.target).toEqual({ ...SEED_BODY.target, entity_ids: ['team-new'] });
      expect(await contentRows(base.id)).toEqual([
        { project_id: 'rtt-show', kind: 'CREATIVE_WORK', content_id: 'cw-highlights-2024' },
        { project_id: 'rtt-show', kind: 'ENTITY', content_id: 'team-new' },
        { project_id: 'rtt-show', kind: 'EVENT', content_id: 'event-2024-10-19-derby' },
        { project_id: 'rtt-show', kind: 'EVENT', content_id: 'event-2025-05-24-final' },
      ]);
    });

    it('switching to applies_to_all (with the target cleared) removes the offer_content rows', async () => {
      const res = await patch(base.id, {
        offer: { project_id: 'rtt-show', applies_to_all: true },
        update_mask: 'applies_to_all,target',
      });
      expect(res.status).toBe(200);
      expect(res.body.offer).toMatchObject({
        applies_to_all: true,
        target: {
          entity_ids: [],
          event_ids: [],
          creative_work_ids: [],
          content_start_time: null,
          content_end_time: null,
        },
      });
      expect(await contentRows(base.id)).toEqual([]);
      const back = await patch(base.id, {
        offer: { project_id: 'rtt-show', applies_to_all: false, target: { creative_work_ids: ['cw-1'] } },
      });
      expect(back.status).toBe(200);
      expect(await contentRows(base.id)).toEqual([
        { project_id: 'rtt-show', kind: 'CREATIVE_WORK', content_id: 'cw-1' },
      ]);
    });

    it('replaces every updatable field with *', async () => {
      const res = await patch(base.id, { offer: { project_id: 'rtt-show', name: 'Only this' }, update_mask: '*' });
      expect(res.status).toBe(200);
      expect(res.body.offer).toEqual({
        ...base,
        name: 'Only this',
        localized_title: {},
        localized_description: {},
        cleeng_offer_id: '',
        target: {
          entity_ids: [],
          event_ids: [],
          creative_work_ids: [],
          content_start_time: null,
          content_end_time: null,
        },
        localized_logo_asset_id: {},
        localized_image_asset_id: {},
        offer_prices: [],
        priority: '0',
        concurrency_limit: null,
        visibility: 'VISIBILITY_UNSPECIFIED',
        video_protection_ruleset_id: '',
        update_time: expect.any(String),
      });
      expect(await contentRows(base.id)).toEqual([]);
    });

    it('gives new prices without an id a UUID and keeps the others', async () => {
      const res = await patch(base.id, {
        offer: {
          project_id: 'rtt-show',
          offer_prices: [SEED_BODY.offer_prices[0], { price: { currency_code: 'GBP', units: '4', nanos: 490000000 } }],
        },
        update_mask: 'offer_prices',
      });
      expect(res.status).toBe(200);
      expect(res.body.offer.offer_prices[0]).toEqual(SEED_BODY.offer_prices[0]);
      expect(res.body.offer.offer_prices[1]).toMatchObject({
        id: expect.stringMatching(UUID),
        price: { currency_code: 'GBP', units: '4', nanos: 490000000 },
      });
    });

    it('takes the project from the project_id query parameter when offer.project_id is not sent', async () => {
      const res = await patch(base.id, { offer: { name: 'By query' }, update_mask: 'name' }, editor, {
        project_id: 'rtt-show',
      });
      expect(res.status).toBe(200);
      expect(res.body.offer.name).toBe('By query');
    });

    it('with nothing to update, answers the offer unchanged', async () => {
      const res = await patch(base.id, { offer: { project_id: 'rtt-show' } });
      expect(res.status).toBe(200);
      expect(res.body.offer).toEqual(base);
    });

    const updateCases: [string, (id: string) => unknown, string, string?][] = [
      [
        'an unknown mask path',
        () => ({ offer: { project_id: 'rtt-show', name: 'x' }, update_mask: 'name,title' }),
        'update_mask',
      ],
      [
        'a mask naming project_id',
        () => ({ offer: { project_id: 'rtt-show' }, update_mask: 'project_id' }),
        'update_mask',
      ],
      [
        'a mask naming a map key',
        () => ({ offer: { project_id: 'rtt-show' }, update_mask: 'localized_title.en' }),
        'update_mask',
      ],
      ['a mask that is no string', () => ({ offer: { project_id: 'rtt-show' }, update_mask: ['name'] }), 'update_mask'],
      [
        'another offer_id than the path',
        () => ({ offer_id: 'other', offer: { project_id: 'rtt-show', name: 'x' } }),
        'offer_id',
        'must equal the offer id in the path',
      ],
      ['no offer', () => ({ update_mask: 'name' }), 'offer', 'is required'],
      [
        'no project',
        () => ({ offer: { name: 'x' } }),
        'offer.project_id',
        'is required (or pass the project_id query parameter)',
      ],
      ['an unknown body field', () => ({ offer: { project_id: 'rtt-show' }, updateMask: 'name' }), 'updateMask'],
      [
        'an invalid value in offer',
        () => ({ offer: { project_id: 'rtt-show', name: '' }, update_mask: 'name' }),
        'offer.name',
        'must be 1 to 200 characters',
      ],
      [
        'an unknown field in offer',
        () => ({ offer: { project_id: 'rtt-show', nmae: 'x' } }),
        'offer.nmae',
        'unknown field',
      ],
      [
        'a bad nested value',
        () => ({ offer: { project_id: 'rtt-show', offer_prices: [{ price: { currency_code: 'EUR', units: '-1' } }] } }),
        'offer.offer_prices[0].price',
        'must not be negative',
      ],
      [
        'applies_to_all against the kept target',
        () => ({ offer: { project_id: 'rtt-show', applies_to_all: true }, update_mask: 'applies_to_all' }),
        'offer.target',
        'must be empty when applies_to_all is true',
      ],
      [
        'a window end before the kept start',
        () => ({
          offer: { project_id: 'rtt-show', target: { content_end_time: '2020-01-01T00:00:00Z' } },
          update_mask: 'target.content_end_time',
        }),
        'offer.target.content_end_time',
        'must be after target.content_start_time',
      ],
    ];
    it.each(updateCases.map(([name, body, field, description]) => [name, body, field, description ?? null] as const))(
      'refuses %s: 400 naming the field, nothing changed',
      async (_, body, field, description) => {
        const [before] = await t.sql('select * from offer where id = $1', [base.id]);
        const contentBefore = await contentRows(base.id);
        const res = await patch(base.id, body(base.id) as Body);
        expect(res.status).toBe(400);
        expect(res.body.code).toBe('invalid_argument');
        expect(res.body.details).toContainEqual(
          description ? { field, description } : { field, description: expect.any(String) },
        );
        expect((await t.sql('select * from offer where id = $1', [base.id]))[0]).toEqual(before);
        expect(await contentRows(base.id)).toEqual(contentBefore);
      },
    );

    it('refuses offer.project_id other than the project_id query parameter', async () => {
      const res = await patch(base.id, { offer: { project_id: 'other-proj', name: 'x' } }, allEditor, {
        project_id: 'rtt-show',
      });
      expect(res.status).toBe(400);
      expect(res.body.details).toEqual([
        { field: 'offer.project_id', description: 'must equal the project_id query parameter' },
      ]);
    });

    it('answers not_found for an unknown offer, or one of another project', async () => {
      expect(
        (await patch('0f5c2a1e-0000-4000-8000-000000000000', { offer: { project_id: 'rtt-show', name: 'x' } })).status,
      ).toBe(404);
      const res = await patch(base.id, { offer: { project_id: 'other-proj', name: 'x' } }, allEditor);
      expect(res.status).toBe(404);
      expect(res.body.code).toBe('not_found');
      expect((await stored(base.id)).name).toBe(SEED_BODY.name);
    });
  });

  describe('delete', () => {
    const entitle = (offerId: string, user: string, expiration_time?: string) =>
      t.post(
        ENTITLEMENTS,
        { project_id: 'rtt-show', user_id: user, offer_id: offerId, expiration_time },
        { token: editor },
      );

    it('deletes an offer no entitlement points at: 200 {}, rows gone, then not_found', async () => {
      const offer = await create(SEED_BODY);
      const res = await del(offer.id);
      expect(res.status).toBe(200);
      expect(res.body).toEqual({});
      expect(await t.sql('select id from offer where id = $1', [offer.id])).toEqual([]);
      expect(await contentRows(offer.id)).toEqual([]);
      expect((await get(offer.id)).status).toBe(404);
      const again = await del(offer.id);
      expect(again.status).toBe(404);
      expect(again.body.code).toBe('not_found');
    });

    it('refuses while live entitlements point at the offer, saying how many; succeeds once they are revoked or expired', async () => {
      const offer = await create(SEED_BODY);
      expect((await entitle(offer.id, 'user-forever')).status).toBe(200);
      expect((await entitle(offer.id, 'user-future', '2099-01-01T00:00:00Z')).status).toBe(200);
      expect((await entitle(offer.id, 'user-expired', '2001-01-01T00:00:00Z')).status).toBe(200);

      const refused = await del(offer.id);
      expect(refused.status).toBe(400);
      expect(refused.body.code).toBe('failed_precondition');
      expect(refused.body.message).toContain('has 2 live entitlements');
      expect(await t.sql('select id from offer where id = $1', [offer.id])).toHaveLength(1);
      expect(await contentRows(offer.id)).not.toEqual([]);

      // Revoke one: expiration in the past.
      expect((await entitle(offer.id, 'user-forever', '2020-01-01T00:00:00Z')).status).toBe(200);
      const stillOne = await del(offer.id);
      expect(stillOne.status).toBe(400);
      expect(stillOne.body.message).toContain('has 1 live entitlement ');

      // The other expires (as if time had passed).
      await t.sql(
        "update entitlement set valid_until = now() - interval '1 second' where product_id = $1 and subject_id = 'user-future'",
        [offer.id],
      );
      const res = await del(offer.id);
      expect(res.status).toBe(200);
      expect(res.body).toEqual({});
      expect(await t.sql('select id from offer where id = $1', [offer.id])).toEqual([]);
      expect(await contentRows(offer.id)).toEqual([]);
    });

    it('requires project_id, and answers not_found for an offer of another project', async () => {
      const offer = await create(SEED_BODY);
      const missing = await t.delete(`${URL}/${offer.id}`, { token: editor });
      expect(missing.status).toBe(400);
      expect(missing.body.details).toEqual([{ field: 'project_id', description: 'is required' }]);
      expect((await del(offer.id, allEditor, 'other-proj')).status).toBe(404);
      expect(await t.sql('select id from offer where id = $1', [offer.id])).toHaveLength(1);
    });
  });

  describe('the content index (offer_content)', () => {
    it('finds, for one piece of content, the offers of a project covering it', async () => {
      await t.createProject('index-proj');
      const token = await t.platformToken(['index-proj'], 'editor');
      const body = (name: string, target: Body) => ({ project_id: 'index-proj', name, target });
      const a = await create(body('A', { entity_ids: ['team-1', 'team-2'], event_ids: ['match-1'] }), token);
      const b = await create(body('B', { entity_ids: ['team-2'], creative_work_ids: ['match-1'] }), token);
      const c = await create(body('C', { event_ids: ['match-1', 'match-2'] }), token);
      const all = await create({ project_id: 'index-proj', name: 'All', applies_to_all: true }, token);

      expect(await offersCovering('index-proj', 'ENTITY', 'team-2')).toEqual([a.id, b.id].sort());
      expect(await offersCovering('index-proj', 'ENTITY', 'team-1')).toEqual([a.id]);
      expect(await offersCovering('index-proj', 'EVENT', 'match-1')).toEqual([a.id, c.id].sort());
      expect(await offersCovering('index-proj', 'CREATIVE_WORK', 'match-1')).toEqual([b.id]);
      expect(await offersCovering('rtt-show', 'EVENT', 'match-1')).toEqual([]);
      // Offers for all content are found through offer_applies_to_all_idx.
      expect(
        (await t.sql('select id from offer where project_id = $1 and applies_to_all', ['index-proj'])).map((r) => r.id),
      ).toEqual([all.id]);

      // An update moves the offer in the index; a delete removes it.
      await patch(
        c.id,
        { offer: { project_id: 'index-proj', target: { event_ids: ['match-2'] } }, update_mask: 'target' },
        token,
      );
      expect(await offersCovering('index-proj', 'EVENT', 'match-1')).toEqual([a.id]);
      expect(await offersCovering('index-proj', 'EVENT', 'match-2')).toEqual([c.id]);
      expect((await del(a.id, token, 'index-proj')).status).toBe(200);
      expect(await offersCovering('index-proj', 'ENTITY', 'team-2')).toEqual([b.id]);

      // The lookup is an index scan of offer_content's primary key.
      await t.sql('set enable_seqscan = off');
      const plan = (
        await t.sql(
          "explain select offer_id from offer_content where project_id = 'index-proj' and kind = 'ENTITY' and content_id = 'team-2'",
        )
      )
        .map((r) => r['QUERY PLAN'])
        .join('\n');
      await t.sql('reset enable_seqscan');
      expect(plan).toMatch(/Index (Only )?Scan using offer_content_pkey/);
    });
  });

  describe('project isolation and roles', () => {
    let mine: Body;
    let theirs: Body;
    beforeAll(async () => {
      mine = await create(withFields({ name: 'Mine' }));
      theirs = await create(withFields({ project_id: 'other-proj', name: 'Theirs' }), otherEditor);
    });

    const denied = (res: { status: number; body: Body }) => {
      expect(res.status).toBe(403);
      expect(res.body.code).toBe('permission_denied');
    };

    it('an editor of one project cannot create, read, list, update or delete in another', async () => {
      const before = await storedCounts();
      denied(await t.post(URL, withFields({ project_id: 'other-proj' }), { token: editor }));
      denied(await get(theirs.id, editor, 'other-proj'));
      denied(await t.get(URL, { token: editor, query: { project_id: 'other-proj' } }));
      denied(
        await patch(theirs.id, { offer: { project_id: 'other-proj', name: 'Hijacked' }, update_mask: 'name' }, editor),
      );
      denied(await del(theirs.id, editor, 'other-proj'));
      expect(await storedCounts()).toEqual(before);
      expect((await get(theirs.id, otherEditor, 'other-proj')).body.offer).toEqual(theirs);
    });

    it('says permission_denied the same whether or not the project or offer exists', async () => {
      denied(await get('no-such-offer', editor, 'other-proj'));
      denied(await get(theirs.id, editor, 'no-such-project'));
      denied(await del('no-such-offer', editor, 'no-such-project'));
      denied(await t.post(URL, withFields({ project_id: 'no-such-project' }), { token: editor }));
    });

    it("naming its own project does not reach another project's offer", async () => {
      expect((await get(theirs.id, editor, 'rtt-show')).status).toBe(404);
      expect((await patch(theirs.id, { offer: { project_id: 'rtt-show', name: 'Hijacked' } }, editor)).status).toBe(
        404,
      );
      expect((await del(theirs.id, editor, 'rtt-show')).status).toBe(404);
      expect((await get(theirs.id, otherEditor, 'other-proj')).body.offer.name).toBe('Theirs');
    });

    it('a viewer reads and lists but cannot write', async () => {
      const before = await storedCounts();
      expect((await get(mine.id, viewer)).status).toBe(200);
      expect((await t.get(URL, { token: viewer, query: { project_id: 'rtt-show' } })).status).toBe(200);
      denied(await t.post(URL, SEED_BODY, { token: viewer }));
      denied(await patch(mine.id, { offer: { project_id: 'rtt-show', name: 'x' } }, viewer));
      denied(await del(mine.id, viewer));
      expect(await storedCounts()).toEqual(before);
      expect((await get(mine.id)).body.offer).toEqual(mine);
    });

    it('a request without a token is unauthenticated', async () => {
      const res = await t.get(`${URL}/${mine.id}`, { query: { project_id: 'rtt-show' } });
      expect(res.status).toBe(401);
      expect(res.body.code).toBe('unauthenticated');
    });
  });
});
