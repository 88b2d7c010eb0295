import { TestApp } from '../support/test-app';
import { CRM_BASE, CrmClient, expectCrmError, NETFLIX, SUBSCRIPTION } from './crm-client';

/** GET /{id}, PUT /{id} (partial update) and DELETE /{id}, and what the shared history records of them. */
describe('CRM gateway: get, update and delete an entitlement', () => {
  let t: TestApp;
  let crm: CrmClient;
  beforeAll(async () => {
    t = await TestApp.start();
    crm = await CrmClient.of(t, 'demo', await t.operatorToken({ subject: 'crm-agent-7' }));
  });
  afterAll(() => t.close());

  const row = async (id: string) =>
    (await t.sql('SELECT * FROM entitlement WHERE project_id = $1 AND id = $2', ['demo', id]))[0];
  const events = (id: string) =>
    t.sql(
      'SELECT kind, changed_fields, actor, api, correlation_id FROM entitlement_event WHERE entitlement_id = $1 ORDER BY id',
      [id],
    );
  const create = async (body: object) => {
    const res = await crm.create(body);
    if (res.status !== 201) throw new Error(res.text);
    return res.body._id as string;
  };

  describe('PUT', () => {
    it('UNSUBSCRIBED revokes (modifiedCount 1), the same again changes nothing (modifiedCount 0), SUBSCRIBED restores', async () => {
      const id = await create({ ...SUBSCRIPTION, _id: 'put-status', accountId: 'acc-put' });
      const first = await crm.update(id, { status: 'UNSUBSCRIBED' }, { headers: { 'x-correlation-id': 'corr-put-1' } });
      expect(first.status).toBe(200);
      expect(first.body).toEqual({ matchedCount: 1, modifiedCount: 1 });
      expect(first.headers.get('x-correlation-id')).toBe('corr-put-1');
      const revoked = await row(id);
      expect(revoked.status).toBe('REVOKED');
      expect(revoked.revoked_at).toBeInstanceOf(Date);
      expect((await crm.get(id)).body.status).toBe('UNSUBSCRIBED');

      const again = await crm.update(id, { status: 'UNSUBSCRIBED' });
      expect(again.body).toEqual({ matchedCount: 1, modifiedCount: 0 });
      expect(await row(id)).toEqual(revoked);

      expect((await crm.update(id, { status: 'SUBSCRIBED' })).body).toEqual({ matchedCount: 1, modifiedCount: 1 });
      expect(await row(id)).toMatchObject({ status: 'ACTIVE', revoked_at: null });

      expect(await events(id)).toEqual([
        {
          kind: 'CREATED',
          changed_fields: expect.any(Array),
          actor: 'crm-agent-7',
          api: 'CRM',
          correlation_id: expect.any(String),
        },
        {
          kind: 'REVOKED',
          changed_fields: ['status', 'revokedAt'],
          actor: 'crm-agent-7',
          api: 'CRM',
          correlation_id: 'corr-put-1',
        },
        {
          kind: 'UPDATED',
          changed_fields: ['status', 'revokedAt'],
          actor: 'crm-agent-7',
          api: 'CRM',
          correlation_id: expect.any(String),
        },
      ]);
    });

    it('changes dates (same instant in another offset: no change), and bumps modified', async () => {
      const id = await create({ ...SUBSCRIPTION, _id: 'put-dates', accountId: 'acc-put' });
      const before = (await crm.get(id)).body;
      expect(
        (await crm.update(id, { expiryDate: '2026-01-01T00:00:00Z', validFrom: '2024-02-01T00:00:00Z' })).body
          .modifiedCount,
      ).toBe(1);
      expect((await crm.update(id, { expiryDate: '2026-01-01T01:00:00+01:00' })).body.modifiedCount).toBe(0);
      const after = (await crm.get(id)).body;
      expect(after).toMatchObject({
        validFrom: '2024-02-01T00:00:00.000Z',
        expiryDate: '2026-01-01T00:00:00.000Z',
        created: before.created,
      });
      expect(Date.parse(after.modified)).toBeGreaterThan(Date.parse(before.modified));
      expect((await events(id)).map((e) => e.changed_fields)).toEqual([expect.any(Array), ['validFrom', 'validUntil']]);
    });

    it('sets and clears (null) the optional fields', async () => {
      const id = await create({ ...SUBSCRIPTION, _id: 'put-optional', accountId: 'acc-put', deviceId: 'stb-1' });
      const change = {
        deviceId: 'stb-2',
        userId: 'u-1',
        purchasedByDeviceId: 'stb-3',
        isArchivable: true,
        isFreemium: true,
      };
      expect((await crm.update(id, change)).body.modifiedCount).toBe(1);
      expect((await crm.get(id)).body).toMatchObject(change);
      const cleared = { deviceId: null, userId: null, purchasedByDeviceId: null, isArchivable: null, isFreemium: null };
      expect((await crm.update(id, cleared)).body.modifiedCount).toBe(1);
      expect(await row(id)).toMatchObject({
        device_id: null,
        user_id: null,
        purchased_by_device_id: null,
        is_archivable: null,
        is_freemium: null,
      });
      const got = (await crm.get(id)).body;
      for (const key of Object.keys(cleared)) expect(got).not.toHaveProperty(key);
    });

    it('sets firstView of a RELATIVE entitlement', async () => {
      const id = await create({
        ...SUBSCRIPTION,
        _id: 'put-relative',
        accountId: 'acc-put',
        productType: 'TRANSACTIONAL',
        validityType: 'RELATIVE',
      });
      expect((await crm.update(id, { firstView: '2024-03-01T20:00:00+01:00' })).body.modifiedCount).toBe(1);
      expect((await row(id)).first_view).toEqual(new Date('2024-03-01T19:00:00Z'));
      expect((await crm.get(id)).body.firstView).toBe('2024-03-01T19:00:00.000Z');
    });

    it('checks the rules on the merged state', async () => {
      const capability = await create({ ...NETFLIX, _id: 'put-capability' });
      const plain = await create({ ...SUBSCRIPTION, _id: 'put-plain', accountId: 'acc-put' });
      const before = [await row(capability), await row(plain)];
      const cases: [string, object, string | RegExp][] = [
        [
          plain,
          { capabilityType: 'HD' },
          'capabilityType: only allowed when productType is CAPABILITY (productType is SUBSCRIPTION)',
        ],
        [plain, { productType: 'CAPABILITY' }, 'capabilityType: required when productType is CAPABILITY'],
        [capability, { capabilityType: null }, 'capabilityType: required when productType is CAPABILITY'],
        [
          capability,
          { productType: 'SUBSCRIPTION' },
          'capabilityType: only allowed when productType is CAPABILITY (productType is SUBSCRIPTION)',
        ],
        [
          plain,
          { validFrom: '2025-01-01T00:00:00Z' },
          'validFrom: validFrom (2025-01-01T00:00:00.000Z) must be before expiryDate (2025-01-01T00:00:00.000Z)',
        ],
        [plain, { expiryDate: '2023-12-31T00:00:00Z' }, /^expiryDate: validFrom .* must be before expiryDate/],
        [
          plain,
          { firstView: '2024-03-01T00:00:00Z' },
          'firstView: only RELATIVE entitlements have a first view (validityType is ABSOLUTE)',
        ],
      ];
      for (const [id, change, message] of cases) expectCrmError(await crm.update(id, change), 400, 4000, message);
      expect([await row(capability), await row(plain)]).toEqual(before);
      // Changing both together is fine.
      expect(
        (await crm.update(capability, { productType: 'SUBSCRIPTION', capabilityType: null })).body.modifiedCount,
      ).toBe(1);
      expect((await crm.update(plain, { productType: 'CAPABILITY', capabilityType: 'UHD' })).body.modifiedCount).toBe(
        1,
      );
      expect((await crm.get(plain)).body).toMatchObject({ productType: 'CAPABILITY', capabilityType: 'UHD' });
      expect((await crm.get(capability)).body).not.toHaveProperty('capabilityType');
    });

    it.each([
      [{ _id: 'other' }, '_id: cannot be changed'],
      [{ accountId: 'acc-other' }, 'accountId: cannot be changed'],
      [{ productId: 'other' }, 'productId: cannot be changed'],
      [{ productId: null }, 'productId: cannot be changed'],
      [{ created: '2020-01-01T00:00:00Z' }, 'created: is read-only'],
      [{ modified: '2020-01-01T00:00:00Z' }, 'modified: is read-only'],
      [{ status: 'CANCELLED' }, 'status: must be one of SUBSCRIBED, UNSUBSCRIBED'],
      [{ status: null }, 'status: must not be null'],
      [{ expiryDate: null }, 'expiryDate: must not be null'],
      [{ expiryDate: '2026-01-01T00:00:00' }, /^expiryDate: must include a zone/],
      [{ validFrom: '2024-02-30T00:00:00Z' }, /^validFrom: is not a valid date-time/],
      [{ deviceId: 42 }, 'deviceId: must be a string (got number)'],
      [{ deviceId: 'x'.repeat(257) }, 'deviceId: must be at most 256 characters'],
      [{ isFreemium: 'no' }, 'isFreemium: must be true or false (got string)'],
      [{ concurrencyLimit: 2 }, 'concurrencyLimit: unknown field'],
      [{}, 'body: must name at least one field to change'],
      [[{ status: 'UNSUBSCRIBED' }], 'body: must be a JSON object (got array)'],
    ])('refuses %j (400, 4000) and changes nothing', async (body, message) => {
      const id = 'put-refused';
      if (!(await row(id))) await create({ ...SUBSCRIPTION, _id: id, accountId: 'acc-put' });
      const before = await row(id);
      expectCrmError(await crm.update(id, body), 400, 4000, message);
      expect(await row(id)).toEqual(before);
    });

    it('answers 404 (4041) for an entitlement that does not exist', async () => {
      expectCrmError(
        await crm.update('no-such-entitlement', { status: 'UNSUBSCRIBED' }),
        404,
        4041,
        'entitlement "no-such-entitlement" does not exist in tenant "demo"',
      );
    });

    it('refuses query parameters', async () => {
      const id = await create({ ...SUBSCRIPTION, accountId: 'acc-put' });
      expectCrmError(
        await crm.update(id, { status: 'UNSUBSCRIBED' }, { query: { upsert: 'true' } }),
        400,
        4000,
        'upsert: unknown query parameter (allowed: none)',
      );
      expect((await row(id)).status).toBe('ACTIVE');
    });

    it('updates an entitlement created through the Motto-style API, recorded as a CRM change', async () => {
      await t.sql(
        `INSERT INTO entitlement (project_id, id, subject_id, product_id, status, origin, created_at, updated_at)
         VALUES ('demo', 'motto-put', 'acc-motto', 'offer-1', 'ACTIVE', 'MOTTO', '2024-05-01T00:00:00Z', '2024-05-01T00:00:00Z')`,
      );
      expect(
        (await crm.update('motto-put', { status: 'UNSUBSCRIBED', expiryDate: '2030-01-01T00:00:00Z' })).body
          .modifiedCount,
      ).toBe(1);
      expect(await row('motto-put')).toMatchObject({
        status: 'REVOKED',
        valid_until: new Date('2030-01-01T00:00:00Z'),
        origin: 'MOTTO',
      });
      expect(await events('motto-put')).toEqual([
        {
          kind: 'REVOKED',
          changed_fields: ['validUntil', 'status', 'revokedAt'],
          actor: 'crm-agent-7',
          api: 'CRM',
          correlation_id: expect.any(String),
        },
      ]);
    });
  });

  describe('GET /{id}', () => {
    it('answers 404 (4041) for an entitlement that does not exist', async () => {
      expectCrmError(await crm.get('nope'), 404, 4041, 'entitlement "nope" does not exist in tenant "demo"');
    });

    it.each([
      ['x'.repeat(129), 'an _id of 129 characters'],
      ['a b', 'a space'],
      ['a\u0000b', 'a NUL character'],
      ['ä', 'a non-ASCII character'],
    ])('refuses the path id %j (%s) with 400 naming _id', async (id) => {
      // NUL is refused at the boundary, before the id's own rule, in any path or query parameter.
      expectCrmError(await crm.get(id), 400, 4000, /^_id: must (be 1 to 128 URL-safe characters|not contain NUL)/);
      expectCrmError(await crm.update(id, { status: 'UNSUBSCRIBED' }), 400, 4000, /^_id: /);
      expectCrmError(await crm.delete(id), 400, 4000, /^_id: /);
    });

    it('accepts every URL-safe id character', async () => {
      const id = 'Az09._~:@-x';
      expect((await crm.create({ ...SUBSCRIPTION, _id: id, accountId: 'acc-chars' })).body).toEqual({ _id: id });
      expect((await crm.get(id)).body._id).toBe(id);
      expect((await t.get(`${CRM_BASE}/${id}`, { token: crm.token, headers: { 'nv-tenant-id': 'demo' } })).status).toBe(
        200,
      );
    });

    it('addresses an _id of the longest length (128 characters) on every route', async () => {
      const id = `${'a'.repeat(120)}-128long`;
      expect(id).toHaveLength(128);
      expect((await crm.create({ ...SUBSCRIPTION, _id: id, accountId: 'acc-long' })).body).toEqual({ _id: id });
      expect((await crm.get(id)).body._id).toBe(id);
      expect((await crm.update(id, { deviceId: 'stb-1' })).body).toEqual({ matchedCount: 1, modifiedCount: 1 });
      expect((await crm.delete(id)).body).toEqual({ deletedCount: 1 });
    });
  });

  describe('DELETE', () => {
    it('deletes (200, deletedCount 1), then answers 404; the history keeps the deletion', async () => {
      const id = await create({ ...SUBSCRIPTION, _id: 'to-delete', accountId: 'acc-del' });
      const res = await crm.delete(id, { headers: { 'x-correlation-id': 'corr-del-1' } });
      expect(res.status).toBe(200);
      expect(res.body).toEqual({ deletedCount: 1 });
      expect(await row(id)).toBeUndefined();
      expectCrmError(await crm.get(id), 404, 4041);
      expectCrmError(await crm.delete(id), 404, 4041);
      expectCrmError(await crm.update(id, { status: 'SUBSCRIBED' }), 404, 4041);

      expect(await t.sql('SELECT kind FROM entitlement_event WHERE entitlement_id = $1 ORDER BY id', [id])).toEqual([
        { kind: 'CREATED' },
        { kind: 'DELETED' },
      ]);
      const [deleted] = await t.sql(
        "SELECT actor, api, correlation_id, before, after FROM entitlement_event WHERE entitlement_id = $1 AND kind = 'DELETED'",
        [id],
      );
      expect(deleted).toMatchObject({ actor: 'crm-agent-7', api: 'CRM', correlation_id: 'corr-del-1', after: null });
      expect(deleted.before).toMatchObject({ id, subjectId: 'acc-del', productId: 'sports-pack', status: 'ACTIVE' });
    });

    it('frees the _id for a new create', async () => {
      const id = await create({ ...SUBSCRIPTION, _id: 'reused-id', accountId: 'acc-del' });
      expect((await crm.delete(id)).status).toBe(200);
      expect((await crm.create({ ...SUBSCRIPTION, _id: 'reused-id', accountId: 'acc-del-2' })).status).toBe(201);
      expect((await crm.get('reused-id')).body.accountId).toBe('acc-del-2');
    });
  });

  it("records a generated correlation id when the caller's is not acceptable, and echoes it", async () => {
    const res = await crm.create(
      { ...SUBSCRIPTION, accountId: 'acc-corr' },
      { headers: { 'x-correlation-id': 'has spaces; and more' } },
    );
    expect(res.status).toBe(201);
    const echoed = res.headers.get('x-correlation-id');
    expect(echoed).toMatch(/^[0-9a-f-]{36}$/);
    expect(await events(res.body._id)).toEqual([expect.objectContaining({ kind: 'CREATED', correlation_id: echoed })]);
  });
});
