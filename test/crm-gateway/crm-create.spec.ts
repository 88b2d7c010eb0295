import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { TestApp } from '../support/test-app';
import { countEntitlements, CRM_BASE, CrmClient, expectCrmError, NETFLIX, SUBSCRIPTION } from './crm-client';

/** POST /crm-gateway/v1/rmg/v1/entitlements: the seed's example, validation, ids, the duplicate rule. */
describe('CRM gateway: create an entitlement', () => {
  let t: TestApp;
  let crm: CrmClient;
  beforeAll(async () => {
    t = await TestApp.start();
    crm = await CrmClient.of(t, 'demo', await t.operatorToken({ subject: 'crm-billing' }));
  });
  afterAll(() => t.close());

  it("adds the seed's Netflix capability entitlement (201 with an _id) and stores it", async () => {
    const res = await crm.create(NETFLIX, { headers: { 'x-correlation-id': 'seed-example-1' } });
    expect(res.status).toBe(201);
    expect(res.body).toEqual({ _id: expect.stringMatching(/^[0-9a-f-]{36}$/) });
    expect(res.headers.get('x-correlation-id')).toBe('seed-example-1');
    const rows = await t.sql('SELECT * FROM entitlement WHERE project_id = $1 AND id = $2', ['demo', res.body._id]);
    expect(rows).toEqual([
      expect.objectContaining({
        project_id: 'demo',
        id: res.body._id,
        subject_id: 'account1234',
        product_id: 'product1234',
        validity_type: 'ABSOLUTE',
        product_type: 'CAPABILITY',
        capability_type: 'NETFLIX',
        valid_from: new Date('2022-04-26T11:01:46.082Z'),
        valid_until: new Date('2023-04-26T11:01:46.082Z'),
        status: 'ACTIVE',
        origin: 'CRM',
        device_id: null,
        user_id: null,
        purchased_by_device_id: null,
        is_archivable: null,
        is_freemium: null,
        first_view: null,
        revoked_at: null,
      }),
    ]);
    const events = await t.sql(
      'SELECT kind, actor, api, correlation_id FROM entitlement_event WHERE entitlement_id = $1',
      [res.body._id],
    );
    expect(events).toEqual([{ kind: 'CREATED', actor: 'crm-billing', api: 'CRM', correlation_id: 'seed-example-1' }]);

    const got = await crm.get(res.body._id);
    expect(got.status).toBe(200);
    expect(got.body).toEqual({
      _id: res.body._id,
      ...NETFLIX,
      status: 'SUBSCRIBED',
      created: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/),
      modified: got.body.created,
    });
  });

  it('accepts the example of the published contract (what Swagger UI\'s "Try it out" sends)', async () => {
    const doc = parse(readFileSync(join(__dirname, '../../openapi.yaml'), 'utf8'));
    const ref: string = doc.paths[CRM_BASE].post.requestBody.content['application/json'].schema.$ref;
    const schema = doc.components.schemas[ref.split('/').pop()!];
    const example = Object.fromEntries(
      Object.entries<{ example: unknown }>(schema.properties).map(([k, v]) => [k, v.example]),
    );
    expect(Object.keys(example).sort()).toEqual(
      [
        ...Object.keys(NETFLIX),
        '_id',
        'deviceId',
        'userId',
        'purchasedByDeviceId',
        'isArchivable',
        'isFreemium',
      ].sort(),
    );
    const res = await crm.create(example);
    expect(res.status).toBe(201);
    expect((await crm.get(res.body._id)).body).toMatchObject({ ...example, status: 'SUBSCRIBED' });
  });

  it('stores every optional field, and a caller-chosen _id', async () => {
    const body = {
      ...SUBSCRIPTION,
      _id: 'crm:sub-0001',
      deviceId: 'stb-1',
      userId: 'u-1',
      purchasedByDeviceId: 'stb-9',
      isArchivable: true,
      isFreemium: false,
    };
    const res = await crm.create(body);
    expect(res.status).toBe(201);
    expect(res.body).toEqual({ _id: 'crm:sub-0001' });
    const got = await crm.get('crm:sub-0001');
    expect(got.body).toMatchObject({ ...body, status: 'SUBSCRIBED' });
    expect(got.body).not.toHaveProperty('capabilityType');
    expect(got.body).not.toHaveProperty('firstView');
  });

  it('accepts offsets and normalises dates to UTC; null optional fields read as absent', async () => {
    const res = await crm.create({
      ...SUBSCRIPTION,
      accountId: 'acc-tz',
      validFrom: '2024-01-01T02:00:00+02:00',
      expiryDate: '2024-06-30T23:59:59.123456-01:30',
      deviceId: null,
      _id: null,
    });
    expect(res.status).toBe(201);
    const got = await crm.get(res.body._id);
    expect(got.body.validFrom).toBe('2024-01-01T00:00:00.000Z');
    expect(got.body.expiryDate).toBe('2024-07-01T01:29:59.123Z');
    expect(got.body).not.toHaveProperty('deviceId');
  });

  describe('refuses bad input with 400 (errorCode 4000) naming the field, storing nothing', () => {
    let before: number;
    beforeEach(async () => {
      before = await countEntitlements(t);
    });
    afterEach(async () => {
      expect(await countEntitlements(t)).toBe(before);
    });

    it.each(['productId', 'accountId', 'validityType', 'productType', 'validFrom', 'expiryDate'])(
      'mandatory %s missing',
      async (field) => {
        const body: Record<string, unknown> = { ...SUBSCRIPTION };
        delete body[field];
        expectCrmError(await crm.create(body), 400, 4000, `${field}: required`);
        expectCrmError(await crm.create({ ...body, [field]: null }), 400, 4000, new RegExp(`^${field}: required`));
      },
    );

    it('lists every missing field at once for an empty body', async () => {
      const { message } = expectCrmError(await crm.create({}), 400, 4000);
      for (const field of ['productId', 'accountId', 'validityType', 'productType', 'validFrom', 'expiryDate'])
        expect(message).toContain(`${field}: required`);
    });

    it('CAPABILITY without capabilityType', async () => {
      const { capabilityType: _c, ...body } = NETFLIX;
      expectCrmError(await crm.create(body), 400, 4000, 'capabilityType: required when productType is CAPABILITY');
    });

    it('capabilityType on a product that is not a CAPABILITY', async () => {
      expectCrmError(
        await crm.create({ ...SUBSCRIPTION, capabilityType: 'HD' }),
        400,
        4000,
        'capabilityType: only allowed when productType is CAPABILITY (productType is SUBSCRIPTION)',
      );
    });

    it.each([
      ['validFrom', '2024-01-01T00:00:00', /validFrom: must include a zone/],
      ['expiryDate', '2025-01-01T00:00:00.000', /expiryDate: must include a zone/],
      ['validFrom', '2024-01-01', /validFrom: must include a zone/],
      ['validFrom', '2024-02-30T00:00:00Z', /validFrom: is not a valid date-time/],
      ['expiryDate', '2023-02-29T00:00:00Z', /expiryDate: is not a valid date-time/],
      ['validFrom', '2024-01-01T24:00:00Z', /validFrom: is not a valid date-time/],
      ['validFrom', '2024-13-01T00:00:00Z', /validFrom: is not a valid date-time/],
      ['validFrom', 'yesterday', /validFrom: is not a valid date-time/],
      ['validFrom', '', /validFrom: is not a valid date-time/],
      ['expiryDate', 1735689600000, /expiryDate: must be a string \(got number\)/],
    ])('bad date %s = %j', async (field, value, message) => {
      expectCrmError(await crm.create({ ...SUBSCRIPTION, [field]: value }), 400, 4000, message);
    });

    it.each([
      ['2025-01-01T00:00:00Z', '2025-01-01T00:00:00Z'],
      ['2025-01-01T00:00:00Z', '2025-01-01T01:00:00+01:00'],
      ['2025-01-02T00:00:00Z', '2025-01-01T00:00:00Z'],
    ])('validFrom %s not before expiryDate %s', async (validFrom, expiryDate) => {
      expectCrmError(
        await crm.create({ ...SUBSCRIPTION, validFrom, expiryDate }),
        400,
        4000,
        /^expiryDate: validFrom \(.*\) must be before expiryDate/,
      );
    });

    it.each([
      ['a number for a string', { productId: 42 }, 'productId: must be a string (got number)'],
      ['an array for a string', { accountId: ['a'] }, 'accountId: must be a string (got array)'],
      ['an operator object for a string', { accountId: { $gt: '' } }, 'accountId: must be a string (got object)'],
      ['an empty productId', { productId: '' }, 'productId: must not be empty'],
      ['a blank productId', { productId: '   ' }, 'productId: must not be empty'],
      ['a productId of 257 characters', { productId: 'x'.repeat(257) }, 'productId: must be at most 256 characters'],
      ['a NUL character', { accountId: 'a\u0000b' }, 'accountId: must not contain NUL characters'],
      [
        'an unpaired surrogate',
        { productId: 'p\ud800' },
        'productId: must be valid Unicode text (no unpaired surrogates)',
      ],
      [
        'a deviceId of 100000 characters',
        { deviceId: 'x'.repeat(100_000) },
        'deviceId: must be at most 256 characters',
      ],
      [
        'a capabilityType of 129 characters',
        { productType: 'CAPABILITY', capabilityType: 'x'.repeat(129) },
        'capabilityType: must be at most 128 characters',
      ],
      ['an unknown validityType', { validityType: 'FOREVER' }, 'validityType: must be one of ABSOLUTE, RELATIVE'],
      [
        'a lower-case productType',
        { productType: 'capability' },
        'productType: must be one of TRANSACTIONAL, SUBSCRIPTION, FREE, CAPABILITY, PPV',
      ],
      ['a string for a boolean', { isArchivable: 'true' }, 'isArchivable: must be true or false (got string)'],
      ['a number for a boolean', { isFreemium: 1 }, 'isFreemium: must be true or false (got number)'],
      ['an _id with a slash', { _id: 'has/slash' }, '_id: must be 1 to 128 URL-safe characters'],
      ['an _id with a space', { _id: 'has space' }, '_id: must be 1 to 128 URL-safe characters'],
      ['the _id ".."', { _id: '..' }, '_id: must be 1 to 128 URL-safe characters'],
      ['an _id of 129 characters', { _id: 'x'.repeat(129) }, '_id: must be 1 to 128 URL-safe characters'],
      ['a number _id', { _id: 7 }, '_id: must be a string (got number)'],
      ['status (set by the service)', { status: 'SUBSCRIBED' }, 'status: unknown field'],
      ['firstView (set by update)', { firstView: '2024-01-02T00:00:00Z' }, 'firstView: unknown field'],
      ['an unknown field', { prodcutId: 'typo' }, 'prodcutId: unknown field'],
    ])('%s', async (_label, change, message) => {
      expectCrmError(await crm.create({ ...SUBSCRIPTION, ...change }), 400, 4000, message);
    });

    it.each([
      ['[1,2]', 'body: must be a JSON object (got array)'],
      ['"text"', 'body: must be a JSON object (got string)'],
      ['42', 'body: must be a JSON object (got number)'],
      ['null', 'body: must be a JSON object (got null)'],
      ['true', 'body: must be a JSON object (got boolean)'],
      ['{"productId": "x",', /JSON/],
      ['', /empty/i],
    ])('body %j', async (raw, message) => {
      expectCrmError(await crm.raw('POST', CRM_BASE, raw), 400, 4000, message);
    });

    it('a body that is not JSON', async () => {
      expectCrmError(
        await crm.raw('POST', CRM_BASE, 'productId=x', { headers: { 'content-type': 'text/plain' } }),
        415,
        4150,
      );
      expectCrmError(
        await crm.raw('POST', CRM_BASE, 'productId=x', {
          headers: { 'content-type': 'application/x-www-form-urlencoded' },
        }),
        415,
        4150,
      );
      expectCrmError(
        await crm.raw('POST', CRM_BASE, '<productId/>', { headers: { 'content-type': 'application/xml' } }),
        415,
        4150,
      );
    });

    it('a body over the size limit', async () => {
      const res = await crm.create({ ...SUBSCRIPTION, deviceId: 'x'.repeat(2 * 1024 * 1024) });
      expectCrmError(res, 413, 4130);
    });

    it.each([
      [{ prohibitDuplicateProductPurchase: 'yes' }, 'prohibitDuplicateProductPurchase: must be true or false'],
      [
        { prohibitDuplicatePurchase: 'true' },
        'prohibitDuplicatePurchase: unknown query parameter (allowed: prohibitDuplicateProductPurchase)',
      ],
    ])('query %j', async (query, message) => {
      expectCrmError(
        await crm.t.post(CRM_BASE, SUBSCRIPTION, { token: crm.token, headers: { 'nv-tenant-id': 'demo' }, query }),
        400,
        4000,
        message,
      );
    });

    it('a repeated query parameter', async () => {
      const res = await t.post(
        `${CRM_BASE}?prohibitDuplicateProductPurchase=true&prohibitDuplicateProductPurchase=false`,
        SUBSCRIPTION,
        { token: crm.token, headers: { 'nv-tenant-id': 'demo' } },
      );
      expectCrmError(res, 400, 4000, 'prohibitDuplicateProductPurchase: must be given once');
    });
  });

  it('answers 409 (4090) for an _id that exists, and changes nothing', async () => {
    const first = await crm.create({ ...SUBSCRIPTION, accountId: 'acc-retry', _id: 'order-77' });
    expect(first.status).toBe(201);
    const before = await t.sql('SELECT * FROM entitlement WHERE id = $1', ['order-77']);
    const again = await crm.create({ ...SUBSCRIPTION, accountId: 'someone-else', productId: 'other', _id: 'order-77' });
    expectCrmError(again, 409, 4090, 'an entitlement with _id "order-77" already exists');
    expect(await t.sql('SELECT * FROM entitlement WHERE id = $1', ['order-77'])).toEqual(before);
    expect(await t.sql('SELECT kind FROM entitlement_event WHERE entitlement_id = $1', ['order-77'])).toEqual([
      { kind: 'CREATED' },
    ]);
  });

  it('keeps firstView empty for a RELATIVE entitlement until it is set', async () => {
    const res = await crm.create({
      ...SUBSCRIPTION,
      productId: 'movie-rental',
      productType: 'TRANSACTIONAL',
      validityType: 'RELATIVE',
      accountId: 'acc-rel',
    });
    expect(res.status).toBe(201);
    const got = await crm.get(res.body._id);
    expect(got.body.validityType).toBe('RELATIVE');
    expect(got.body).not.toHaveProperty('firstView');
    expect((await t.sql('SELECT first_view FROM entitlement WHERE id = $1', [res.body._id]))[0].first_view).toBeNull();
  });

  describe('the duplicate rule (prohibitDuplicateProductPurchase)', () => {
    const q = (flag?: boolean) => ({
      query: flag === undefined ? {} : { prohibitDuplicateProductPurchase: String(flag) },
    });
    const rows = (tenant: string, account: string) =>
      t.sql('SELECT id FROM entitlement WHERE project_id = $1 AND subject_id = $2 ORDER BY created_at', [
        tenant,
        account,
      ]);

    it('without the flag (default false) or with false, an overlapping purchase is stored', async () => {
      const body = { ...SUBSCRIPTION, accountId: 'acc-dup-off' };
      expect((await crm.create(body, q())).status).toBe(201);
      expect((await crm.create(body, q(false))).status).toBe(201);
      expect((await crm.create(body, q())).status).toBe(201);
      expect(await rows('demo', 'acc-dup-off')).toHaveLength(3);
    });

    it('with the flag, an overlapping SUBSCRIBED entitlement refuses the purchase (409, 4091)', async () => {
      const body = { ...SUBSCRIPTION, accountId: 'acc-dup-on' };
      expect((await crm.create(body, q(true))).status).toBe(201);
      const overlapping = { ...body, validFrom: '2024-12-31T00:00:00Z', expiryDate: '2025-06-01T00:00:00Z' };
      expectCrmError(
        await crm.create(overlapping, q(true)),
        409,
        4091,
        /account "acc-dup-on" already has the SUBSCRIBED entitlement .* to product "sports-pack"/,
      );
      expect(await rows('demo', 'acc-dup-on')).toHaveLength(1);
      // Adjacent windows do not overlap (expiryDate is exclusive); another product or account is no duplicate.
      expect(
        (await crm.create({ ...body, validFrom: '2025-01-01T00:00:00Z', expiryDate: '2026-01-01T00:00:00Z' }, q(true)))
          .status,
      ).toBe(201);
      expect((await crm.create({ ...body, productId: 'movies-pack' }, q(true))).status).toBe(201);
      expect((await crm.create({ ...body, accountId: 'acc-dup-on-2' }, q(true))).status).toBe(201);
    });

    it('an UNSUBSCRIBED entitlement does not count', async () => {
      const body = { ...SUBSCRIPTION, accountId: 'acc-dup-revoked' };
      const first = await crm.create(body, q(true));
      expect((await crm.update(first.body._id, { status: 'UNSUBSCRIBED' })).body).toEqual({
        matchedCount: 1,
        modifiedCount: 1,
      });
      expect((await crm.create(body, q(true))).status).toBe(201);
    });

    it('an existing device-specific entitlement is exempt when the tenant has device-specific products on', async () => {
      await t.createProject('dsp-on', { device_specific_products: true });
      const on = await CrmClient.of(t, 'dsp-on');
      const body = { ...SUBSCRIPTION, accountId: 'acc-dev' };
      expect((await on.create({ ...body, deviceId: 'stb-1' }, q(true))).status).toBe(201);
      // The existing one is for one device: an account-level purchase, or one for another device, is no duplicate.
      expect((await on.create(body, q(true))).status).toBe(201);
      // Now an account-level one exists: it blocks, whatever the new one's device.
      expectCrmError(await on.create({ ...body, deviceId: 'stb-2' }, q(true)), 409, 4091);
      expectCrmError(await on.create(body, q(true)), 409, 4091);
      expect(await rows('dsp-on', 'acc-dev')).toHaveLength(2);
    });

    it('with device-specific products off, an entitlement with a deviceId applies to the account and blocks', async () => {
      await t.createProject('dsp-off', { device_specific_products: false });
      const off = await CrmClient.of(t, 'dsp-off');
      const body = { ...SUBSCRIPTION, accountId: 'acc-dev' };
      expect((await off.create({ ...body, deviceId: 'stb-1' }, q(true))).status).toBe(201);
      expectCrmError(await off.create(body, q(true)), 409, 4091);
      expectCrmError(await off.create({ ...body, deviceId: 'stb-2' }, q(true)), 409, 4091);
      // The deviceId is kept as given.
      expect(await t.sql("SELECT device_id FROM entitlement WHERE project_id = 'dsp-off'")).toEqual([
        { device_id: 'stb-1' },
      ]);
    });
  });
});
