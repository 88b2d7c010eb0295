import { TestApp } from '../support/test-app';
import { CRM_BASE, CrmClient, expectCrmError } from './crm-client';

/**
 * GET /crm-gateway/v1/rmg/v1/entitlements: filter, sort, fields, paging, refusals and injection attempts, and
 * how an entitlement created through the Motto-style API appears (inserted here with SQL, origin MOTTO).
 */
describe('CRM gateway: list entitlements', () => {
  let t: TestApp;
  let crm: CrmClient;

  const base = { validityType: 'ABSOLUTE' };
  beforeAll(async () => {
    t = await TestApp.start();
    await t.createProject('list-t');
    crm = await CrmClient.of(t, 'list-t');
    const bodies = [
      {
        _id: 'e1',
        accountId: 'acc-1',
        productId: 'sports',
        productType: 'SUBSCRIPTION',
        validFrom: '2024-01-01T00:00:00Z',
        expiryDate: '2025-01-01T00:00:00Z',
        deviceId: 'stb-1',
        isArchivable: true,
      },
      {
        _id: 'e2',
        accountId: 'acc-1',
        productId: 'netflix',
        productType: 'CAPABILITY',
        capabilityType: 'NETFLIX',
        validFrom: '2024-03-01T00:00:00Z',
        expiryDate: '2024-09-01T00:00:00Z',
      },
      {
        _id: 'e3',
        accountId: 'acc-2',
        productId: 'movie',
        productType: 'TRANSACTIONAL',
        validityType: 'RELATIVE',
        validFrom: '2024-02-01T00:00:00Z',
        expiryDate: '2024-02-08T00:00:00Z',
        isFreemium: false,
      },
      {
        _id: 'e4',
        accountId: 'acc-2',
        productId: 'sports',
        productType: 'SUBSCRIPTION',
        validFrom: '2023-01-01T00:00:00Z',
        expiryDate: '2024-01-01T00:00:00Z',
      },
      {
        _id: 'e5',
        accountId: 'acc-3',
        productId: 'ppv',
        productType: 'PPV',
        validFrom: '2024-06-01T00:00:00Z',
        expiryDate: '2024-06-02T00:00:00Z',
        deviceId: 'stb-9',
        userId: 'u-3',
      },
    ];
    for (const body of bodies) {
      const res = await crm.create({ ...base, ...body });
      if (res.status !== 201) throw new Error(res.text);
    }
    expect((await crm.update('e3', { firstView: '2024-02-03T20:00:00Z' })).body.modifiedCount).toBe(1);
    expect((await crm.update('e4', { status: 'UNSUBSCRIBED' })).body.modifiedCount).toBe(1);
    // Two entitlements created through the Motto-style API (no start, no CRM fields), created at the same instant.
    const insert = `INSERT INTO entitlement (project_id, id, subject_id, product_id, valid_from, valid_until, status, revoked_at, origin, source_type, created_at, updated_at)
      VALUES ('list-t', $1, $2, $3, NULL, $4, $5, $6, 'MOTTO', 'stripe', '2024-05-01T00:00:00Z', '2024-05-02T00:00:00Z')`;
    await t.sql(insert, ['motto-1', 'acc-1', 'sports', null, 'ACTIVE', null]);
    await t.sql(insert, ['motto-2', 'acc-3', 'news', '2024-07-01T00:00:00Z', 'REVOKED', '2024-05-02T00:00:00Z']);
  });
  afterAll(() => t.close());

  const ids = (res: { body: { resourceSet: { _id: string }[] } }) => res.body.resourceSet.map((e) => e._id);
  const list = async (query: Record<string, string | number | undefined>) => {
    const res = await crm.list(query);
    if (res.status !== 200) throw new Error(`${res.status} ${res.text}`);
    return res;
  };
  const filtered = async (filter: unknown, sort?: unknown) =>
    ids(await list({ filter: JSON.stringify(filter), sort: sort === undefined ? undefined : JSON.stringify(sort) }));

  it('lists every entitlement of the tenant, by creation time then _id, with totalRecords', async () => {
    const res = await list({});
    expect(res.body.totalRecords).toBe(7);
    expect(ids(res)).toEqual(['motto-1', 'motto-2', 'e1', 'e2', 'e3', 'e4', 'e5']);
  });

  it('shows the wire shape, absent values omitted', async () => {
    const res = await list({ filter: JSON.stringify({ _id: { $in: ['e3', 'e4'] } }) });
    const [e3, e4] = res.body.resourceSet;
    expect(e3).toEqual({
      _id: 'e3',
      productId: 'movie',
      accountId: 'acc-2',
      validityType: 'RELATIVE',
      productType: 'TRANSACTIONAL',
      validFrom: '2024-02-01T00:00:00.000Z',
      expiryDate: '2024-02-08T00:00:00.000Z',
      status: 'SUBSCRIBED',
      isFreemium: false,
      firstView: '2024-02-03T20:00:00.000Z',
      created: expect.any(String),
      modified: expect.any(String),
    });
    expect(Date.parse(e3.modified)).toBeGreaterThan(Date.parse(e3.created));
    expect(e4.status).toBe('UNSUBSCRIBED');
  });

  it('shows Motto-created entitlements: validFrom = created, no expiryDate when they never expire, no CRM-only fields', async () => {
    const res = await list({ filter: JSON.stringify({ _id: { $in: ['motto-1', 'motto-2'] } }) });
    expect(res.body.resourceSet).toEqual([
      {
        _id: 'motto-1',
        productId: 'sports',
        accountId: 'acc-1',
        validFrom: '2024-05-01T00:00:00.000Z',
        status: 'SUBSCRIBED',
        created: '2024-05-01T00:00:00.000Z',
        modified: '2024-05-02T00:00:00.000Z',
      },
      {
        _id: 'motto-2',
        productId: 'news',
        accountId: 'acc-3',
        validFrom: '2024-05-01T00:00:00.000Z',
        expiryDate: '2024-07-01T00:00:00.000Z',
        status: 'UNSUBSCRIBED',
        created: '2024-05-01T00:00:00.000Z',
        modified: '2024-05-02T00:00:00.000Z',
      },
    ]);
    expect((await crm.get('motto-1')).body).toEqual(res.body.resourceSet[0]);
  });

  describe('filter', () => {
    it.each([
      [{ accountId: 'acc-1' }, ['motto-1', 'e1', 'e2']],
      [{ accountId: { $eq: 'acc-3' }, productId: 'ppv' }, ['e5']],
      [{ status: 'UNSUBSCRIBED' }, ['motto-2', 'e4']],
      [{ status: 'SUBSCRIBED', accountId: 'acc-2' }, ['e3']],
      [{ status: { $in: ['SUBSCRIBED'] }, productId: 'sports' }, ['motto-1', 'e1']],
      [{ productType: { $in: ['CAPABILITY', 'PPV'] } }, ['e2', 'e5']],
      [{ productType: null }, ['motto-1', 'motto-2']],
      [{ productType: 'THIRDPARTY' }, []],
      [{ validityType: 'RELATIVE' }, ['e3']],
      [{ capabilityType: 'NETFLIX' }, ['e2']],
      [{ deviceId: { $ne: 'stb-1' } }, ['motto-1', 'motto-2', 'e2', 'e3', 'e4', 'e5']],
      [{ deviceId: { $ne: null } }, ['e1', 'e5']],
      [{ deviceId: { $in: ['stb-9', null] } }, ['motto-1', 'motto-2', 'e2', 'e3', 'e4', 'e5']],
      [{ userId: 'u-3' }, ['e5']],
      [{ expiryDate: { $gte: '2024-06-01T00:00:00Z', $lt: '2025-01-01T00:00:00Z' } }, ['motto-2', 'e2', 'e5']],
      [{ expiryDate: { $lte: '2024-01-01T01:00:00+01:00' } }, ['e4']],
      [{ expiryDate: null }, ['motto-1']],
      [{ validFrom: { $gte: '2024-04-01T00:00:00Z' } }, ['motto-1', 'motto-2', 'e5']],
      [{ validFrom: { $lt: '2024-04-01T00:00:00Z' } }, ['e1', 'e2', 'e3', 'e4']],
      [{ validFrom: '2024-05-01T00:00:00.000Z' }, ['motto-1', 'motto-2']],
      [{ isArchivable: true }, ['e1']],
      [{ isArchivable: { $ne: true } }, ['motto-1', 'motto-2', 'e2', 'e3', 'e4', 'e5']],
      [{ isFreemium: false }, ['e3']],
      [{ firstView: { $gt: '2024-01-01T00:00:00Z' } }, ['e3']],
      [{ _id: { $in: ['e1', 'e3', 'nope'] } }, ['e1', 'e3']],
      [{ created: { $lt: '2025-01-01T00:00:00Z' } }, ['motto-1', 'motto-2']],
      [{ modified: { $gte: '2024-05-02T00:00:00Z' } }, ['motto-1', 'motto-2', 'e1', 'e2', 'e3', 'e4', 'e5']],
      [{}, ['motto-1', 'motto-2', 'e1', 'e2', 'e3', 'e4', 'e5']],
    ])('%j', async (filter, expected) => {
      expect(await filtered(filter)).toEqual(expected);
    });

    it('counts the matches in totalRecords', async () => {
      const res = await list({ filter: JSON.stringify({ accountId: 'acc-1' }), limit: 1 });
      expect(res.body).toEqual({ totalRecords: 3, resourceSet: [expect.objectContaining({ _id: 'motto-1' })] });
    });
  });

  describe('sort', () => {
    it.each([
      [{ expiryDate: -1 }, ['e1', 'e2', 'motto-2', 'e5', 'e3', 'e4', 'motto-1']],
      [{ expiryDate: 1 }, ['motto-1', 'e4', 'e3', 'e5', 'motto-2', 'e2', 'e1']],
      [{ validFrom: 1 }, ['e4', 'e1', 'e3', 'e2', 'motto-1', 'motto-2', 'e5']],
      [{ validFrom: -1 }, ['e5', 'motto-1', 'motto-2', 'e2', 'e3', 'e1', 'e4']],
      [{ accountId: 1, expiryDate: -1 }, ['e1', 'e2', 'motto-1', 'e3', 'e4', 'motto-2', 'e5']],
      [{ _id: -1 }, ['motto-2', 'motto-1', 'e5', 'e4', 'e3', 'e2', 'e1']],
      [{ productId: 1 }, ['e3', 'e2', 'motto-2', 'e5', 'e1', 'e4', 'motto-1']],
      [{ status: -1, created: -1 }, ['e4', 'motto-2', 'e5', 'e3', 'e2', 'e1', 'motto-1']],
    ])('%j (ties broken by _id)', async (sort, expected) => {
      expect(await filtered({}, sort)).toEqual(expected);
    });

    it('combines with a filter', async () => {
      expect(await filtered({ accountId: { $in: ['acc-1', 'acc-2'] } }, { validFrom: -1 })).toEqual([
        'motto-1',
        'e2',
        'e3',
        'e1',
        'e4',
      ]);
    });
  });

  describe('fields', () => {
    it('returns only the named fields, and always _id (comma-separated)', async () => {
      const res = await list({ fields: 'productId, status', sort: '{"_id":1}', limit: 2 });
      expect(res.body.resourceSet).toEqual([
        { _id: 'e1', productId: 'sports', status: 'SUBSCRIBED' },
        { _id: 'e2', productId: 'netflix', status: 'SUBSCRIBED' },
      ]);
    });

    it('accepts a JSON array, and omits absent values', async () => {
      const res = await list({ fields: '["expiryDate","validFrom","_id"]', filter: '{"accountId":"acc-1"}' });
      expect(res.body.resourceSet).toEqual([
        { _id: 'motto-1', validFrom: '2024-05-01T00:00:00.000Z' },
        { _id: 'e1', validFrom: '2024-01-01T00:00:00.000Z', expiryDate: '2025-01-01T00:00:00.000Z' },
        { _id: 'e2', validFrom: '2024-03-01T00:00:00.000Z', expiryDate: '2024-09-01T00:00:00.000Z' },
      ]);
    });
  });

  describe('paging', () => {
    it('walks every page with limit and page, without overlap or gap', async () => {
      const seen: string[] = [];
      for (let page = 1; page <= 4; page++) {
        const res = await list({ limit: 3, page, sort: '{"_id":1}' });
        expect(res.body.totalRecords).toBe(7);
        seen.push(...ids(res));
        expect(ids(res).length).toBe(page < 3 ? 3 : page === 3 ? 1 : 0);
      }
      expect(seen).toEqual(['e1', 'e2', 'e3', 'e4', 'e5', 'motto-1', 'motto-2']);
    });

    it('pages in the default order too (created, then _id)', async () => {
      const pages = await Promise.all([1, 2, 3, 4].map((page) => list({ limit: 2, page })));
      expect(pages.flatMap(ids)).toEqual(['motto-1', 'motto-2', 'e1', 'e2', 'e3', 'e4', 'e5']);
    });

    it('limit without page is the first page', async () => {
      expect(ids(await list({ limit: 2 }))).toEqual(['motto-1', 'motto-2']);
    });

    it('limit=0 returns only totalRecords', async () => {
      expect((await list({ limit: 0 })).body).toEqual({ totalRecords: 7 });
      expect((await list({ limit: 0, page: 3, filter: '{"status":"UNSUBSCRIBED"}' })).body).toEqual({
        totalRecords: 2,
      });
    });

    it('a page past the end is empty', async () => {
      expect((await list({ limit: 5, page: 1000 })).body).toEqual({ totalRecords: 7, resourceSet: [] });
    });
  });

  describe('refuses an invalid query with 400 (errorCode 4001) saying what', () => {
    it.each([
      [{ page: 2 }, 'page: needs limit (the page size)'],
      [{ limit: 1001 }, 'limit: must be an integer from 0 to 1000'],
      [{ limit: -1 }, 'limit: must be an integer from 0 to 1000'],
      [{ limit: '10.5' }, 'limit: must be an integer from 0 to 1000'],
      [{ limit: 'ten' }, 'limit: must be an integer from 0 to 1000'],
      [{ limit: '' }, 'limit: must be an integer from 0 to 1000'],
      [{ limit: 10, page: 0 }, 'page: must be an integer from 1 to 1000000'],
      [{ limit: 10, page: 99999999999 }, 'page: must be an integer from 1 to 1000000'],
      [{ filter: '{"accountId": "acc-1"' }, /^filter: is not valid JSON/],
      [{ filter: '[{"accountId": "acc-1"}]' }, 'filter: must be a JSON object (got array)'],
      [{ filter: '"acc-1"' }, 'filter: must be a JSON object (got string)'],
      [{ filter: '{"account": "acc-1"}' }, /^filter\.account: unknown field \(known: _id, productId, accountId/],
      [{ filter: '{"subject_id": "acc-1"}' }, /^filter\.subject_id: unknown field/],
      [{ filter: '{"constructor": "x"}' }, /^filter\.constructor: unknown field/],
      [{ filter: '{"__proto__": {"$ne": "x"}}' }, /^filter\.__proto__: unknown field/],
      [
        { filter: '{"productId": {"$regex": "^s"}}' },
        'filter.productId.$regex: unknown operator (supported: $eq, $ne, $in, $gt, $gte, $lt, $lte)',
      ],
      [{ filter: '{"productId": {"$exists": true}}' }, /^filter\.productId\.\$exists: unknown operator/],
      [{ filter: '{"productId": {"nested": "x"}}' }, /^filter\.productId\.nested: unknown operator/],
      [{ filter: '{"productId": {}}' }, /^filter\.productId: must be a value or an object of operators/],
      [
        { filter: '{"$or": [{"productId": "a"}, {"productId": "b"}]}' },
        /^filter\.\$or: top-level operators are not supported/,
      ],
      [{ filter: '{"accountId": 42}' }, 'filter.accountId: must be a string (got number)'],
      [{ filter: '{"accountId": ["acc-1"]}' }, 'filter.accountId: must be a string (got array)'],
      [{ filter: '{"accountId": null}' }, 'filter.accountId: cannot be null: the field is always present'],
      [{ filter: `{"accountId": "${'x'.repeat(257)}"}` }, 'filter.accountId: must be at most 256 characters'],
      [{ filter: '{"accountId": "a\\u0000b"}' }, 'filter.accountId: must not contain NUL characters'],
      [{ filter: '{"isArchivable": "true"}' }, 'filter.isArchivable: must be true or false (got string)'],
      [
        { filter: '{"isArchivable": {"$gt": false}}' },
        /^filter\.isArchivable\.\$gt: does not apply to a boolean field/,
      ],
      [{ filter: '{"status": "ACTIVE"}' }, 'filter.status: must be one of SUBSCRIBED, UNSUBSCRIBED'],
      [{ filter: '{"status": {"$lt": "SUBSCRIBED"}}' }, /^filter\.status\.\$lt: does not apply to an enumerated field/],
      [{ filter: '{"expiryDate": {"$gt": "2024-01-01T00:00:00"}}' }, /^filter\.expiryDate\.\$gt: must include a zone/],
      [
        { filter: '{"expiryDate": {"$gt": "2024-02-30T00:00:00Z"}}' },
        /^filter\.expiryDate\.\$gt: is not a valid date-time/,
      ],
      [{ filter: '{"expiryDate": {"$gt": 1700000000000}}' }, 'filter.expiryDate.$gt: must be a string (got number)'],
      [
        { filter: '{"expiryDate": {"$gt": null}}' },
        'filter.expiryDate.$gt: null can only be used with $eq, $ne or $in',
      ],
      [{ filter: '{"productId": {"$in": "sports"}}' }, 'filter.productId.$in: must be an array (got string)'],
      [{ filter: '{"productId": {"$in": []}}' }, 'filter.productId.$in: must list 1 to 500 values'],
      [{ filter: '{"productId": {"$in": ["a", 2]}}' }, 'filter.productId.$in[1]: must be a string (got number)'],
      [{ filter: 'x'.repeat(8193) }, 'filter: must be at most 8192 characters'],
      [{ sort: '{"expiry": 1}' }, /^sort\.expiry: unknown field/],
      [{ sort: '{"expiryDate": "desc"}' }, 'sort.expiryDate: must be 1 (ascending) or -1 (descending)'],
      [{ sort: '{"expiryDate": 2}' }, 'sort.expiryDate: must be 1 (ascending) or -1 (descending)'],
      [{ sort: '["expiryDate"]' }, /^sort: must be a JSON object/],
      [{ sort: 'expiryDate' }, /^sort: is not valid JSON/],
      [{ fields: 'productId,colour' }, /^fields\.colour: unknown field/],
      [{ fields: '["productId", 1]' }, 'fields[1]: must be a field name (got number)'],
      [{ fields: '["productId"' }, /^fields: is not a valid JSON array/],
      [{ filtr: '{}' }, 'filtr: unknown query parameter (allowed: filter, limit, page, sort, fields)'],
    ])('%j', async (query, message) => {
      expectCrmError(await crm.list(query), 400, 4001, message);
    });

    it.each(['__proto__=1', 'constructor=1', 'toString=1', 'filter[productId]=x'])(
      'an unknown parameter: %s',
      async (qs) => {
        const res = await t.get(`${CRM_BASE}?${qs}`, { token: crm.token, headers: { 'nv-tenant-id': 'list-t' } });
        expectCrmError(res, 400, 4001, /unknown query parameter \(allowed: filter, limit, page, sort, fields\)$/);
      },
    );

    it('a repeated parameter', async () => {
      const res = await t.get(`${CRM_BASE}?limit=1&limit=2`, {
        token: crm.token,
        headers: { 'nv-tenant-id': 'list-t' },
      });
      expectCrmError(res, 400, 4001, 'limit: must be given once');
    });

    it('more than 50 conditions', async () => {
      const filter = {
        productId: Object.fromEntries(['$ne', '$gt', '$gte', '$lt', '$lte'].map((op) => [op, 'x'])),
      } as Record<string, unknown>;
      for (const name of [
        'accountId',
        'userId',
        'deviceId',
        'purchasedByDeviceId',
        'capabilityType',
        'validityType',
        'productType',
        '_id',
        'productId',
        'expiryDate',
        'validFrom',
      ]) {
        filter[name] =
          name.endsWith('Date') || name === 'validFrom'
            ? {
                $ne: '2024-01-01T00:00:00Z',
                $gt: '2000-01-01T00:00:00Z',
                $gte: '2000-01-01T00:00:00Z',
                $lt: '2100-01-01T00:00:00Z',
                $lte: '2100-01-01T00:00:00Z',
              }
            : { $ne: 'x', $gt: '', $gte: '', $lt: '~~~~', $lte: '~~~~' };
      }
      expectCrmError(
        await crm.list({ filter: JSON.stringify(filter) }),
        400,
        4001,
        'filter: has more than 50 conditions',
      );
    });
  });

  describe('injection attempts', () => {
    const tableIntact = async () => {
      expect(await t.sql("SELECT count(*)::int AS n FROM entitlement WHERE project_id = 'list-t'")).toEqual([{ n: 7 }]);
      expect(await t.sql("SELECT to_regclass('public.entitlement') IS NOT NULL AS present")).toEqual([
        { present: true },
      ]);
    };

    it('values are bound parameters: SQL in a value matches nothing', async () => {
      for (const filter of [
        { productId: { $eq: "x'; drop table entitlement; --" } },
        { productId: "' OR '1'='1" },
        { accountId: { $in: ["acc-1' OR 1=1 --", 'acc-9'] } },
        { expiryDate: { $gt: "2024-01-01T00:00:00Z'; drop table entitlement; --" } },
      ]) {
        const res = await crm.list({ filter: JSON.stringify(filter) });
        if (res.status === 200) expect(res.body).toEqual({ totalRecords: 0, resourceSet: [] });
        else expectCrmError(res, 400, 4001);
      }
      await tableIntact();
    });

    it('field names and operators come only from the catalog', async () => {
      for (const filter of [
        { $where: '1=1' },
        { $where: 'this.productId == "x" || true' },
        { 'product_id = product_id or 1=1 --': 'x' },
        { productId: { '$eq; drop table entitlement': 'x' } },
        { $and: [{ productId: 'x' }] },
      ]) {
        expectCrmError(await crm.list({ filter: JSON.stringify(filter) }), 400, 4001, /^filter\./);
      }
      await tableIntact();
    });

    it('sort keys come only from the catalog', async () => {
      for (const sort of [
        { 'created_at desc; drop table entitlement; --': 1 },
        { 'created_at desc': 1 },
        { '(select 1)': -1 },
        { expiryDate: '1; drop table entitlement' },
      ]) {
        expectCrmError(await crm.list({ sort: JSON.stringify(sort) }), 400, 4001, /^sort/);
      }
      expectCrmError(await crm.list({ fields: 'productId,(select password from pg_user)' }), 400, 4001, /^fields/);
      await tableIntact();
    });
  });
});
