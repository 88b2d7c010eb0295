import { TestApp } from '../support/test-app';
import { countEntitlements, CRM_BASE, CrmClient, expectCrmError, SUBSCRIPTION } from './crm-client';

/** Who may call the CRM gateway, for which tenant; and that tenants never see each other's entitlements. */
describe('CRM gateway: tokens and tenants', () => {
  let t: TestApp;
  let crm: CrmClient;
  let existing: string;
  beforeAll(async () => {
    t = await TestApp.start();
    crm = await CrmClient.of(t);
    existing = (await crm.create({ ...SUBSCRIPTION, _id: 'access-1' })).body._id;
  });
  afterAll(() => t.close());

  /** Every route, with a valid body where it takes one. */
  const routes = (): [string, string, unknown][] => [
    ['POST', CRM_BASE, { ...SUBSCRIPTION, accountId: 'acc-refused' }],
    ['GET', CRM_BASE, undefined],
    ['GET', `${CRM_BASE}/access-1`, undefined],
    ['PUT', `${CRM_BASE}/access-1`, { status: 'UNSUBSCRIBED' }],
    ['DELETE', `${CRM_BASE}/access-1`, undefined],
  ];

  async function expectRefusedEverywhere(
    options: { token?: string; headers?: Record<string, string> },
    status: number,
    errorCode: number,
    message: RegExp,
  ) {
    for (const [method, path, body] of routes()) {
      const res = await t.request(method, path, { ...options, body });
      expectCrmError(res, status, errorCode, message);
    }
    // Nothing changed.
    expect(await t.sql('SELECT status FROM entitlement WHERE id = $1', ['access-1'])).toEqual([{ status: 'ACTIVE' }]);
    expect(await t.sql("SELECT id FROM entitlement WHERE subject_id = 'acc-refused'")).toEqual([]);
  }

  it('answers 404 (4040) for an unknown tenant', async () => {
    await expectRefusedEverywhere(
      { token: crm.token, headers: { 'nv-tenant-id': 'no-such-tenant' } },
      404,
      4040,
      /tenant "no-such-tenant" does not exist/,
    );
  });

  it('answers 400 (4002) without nv-tenant-id when no default tenant is configured', async () => {
    await expectRefusedEverywhere({ token: crm.token }, 400, 4002, /missing nv-tenant-id header/);
  });

  it('answers 403 (4030) without a token, or with an invalid one', async () => {
    await expectRefusedEverywhere({ headers: { 'nv-tenant-id': 'demo' } }, 403, 4030, /missing bearer token/);
    await expectRefusedEverywhere(
      { token: 'not-a-jwt', headers: { 'nv-tenant-id': 'demo' } },
      403,
      4030,
      /invalid token/,
    );
    await expectRefusedEverywhere(
      { headers: { 'nv-tenant-id': 'demo', authorization: 'Basic dXNlcjpwYXNz' } },
      403,
      4030,
      /missing bearer token/,
    );
  });

  it('answers 403 (4030) for an expired token', async () => {
    const expired = await t.devKey.keycloakToken({
      roles: ['operatorRole'],
      tenantsClaim: t.config.auth.keycloakTenantsClaim,
      ttlSeconds: -120,
    });
    await expectRefusedEverywhere({ token: expired, headers: { 'nv-tenant-id': 'demo' } }, 403, 4030, /expired/);
  });

  it('answers 403 (4030) for a platform (Motto-style) token', async () => {
    const platform = await t.platformToken('*', 'admin');
    await expectRefusedEverywhere(
      { token: platform, headers: { 'nv-tenant-id': 'demo' } },
      403,
      4030,
      /untrusted issuer|invalid token/,
    );
  });

  it('answers 403 (4031) for a token without operatorRole or adminRole', async () => {
    const token = await t.operatorToken({ roles: ['offline_access', 'uma_authorization'] });
    await expectRefusedEverywhere(
      { token, headers: { 'nv-tenant-id': 'demo' } },
      403,
      4031,
      /realm role operatorRole or adminRole/,
    );
  });

  it("answers 403 (4031) when the token's tenants claim does not include the tenant", async () => {
    const token = await t.operatorToken({ tenants: ['other-tenant'] });
    await expectRefusedEverywhere(
      { token, headers: { 'nv-tenant-id': 'demo' } },
      403,
      4031,
      /does not grant access to tenant "demo"/,
    );
  });

  it('accepts adminRole, and a tenants claim that includes the tenant', async () => {
    for (const token of [
      await t.operatorToken({ roles: ['adminRole'] }),
      await t.operatorToken({ tenants: ['other', 'demo'] }),
    ]) {
      const res = await t.get(`${CRM_BASE}/${existing}`, { token, headers: { 'nv-tenant-id': 'demo' } });
      expect(res.status).toBe(200);
    }
  });

  it('keeps tenants apart: an entitlement of tenant A is invisible and untouchable from tenant B', async () => {
    await t.createProject('tenant-a');
    await t.createProject('tenant-b');
    const a = await CrmClient.of(t, 'tenant-a');
    const b = await CrmClient.of(t, 'tenant-b');
    const created = await a.create({ ...SUBSCRIPTION, _id: 'shared-id', accountId: 'acc-a' });
    expect(created.status).toBe(201);

    expectCrmError(await b.get('shared-id'), 404, 4041, 'entitlement "shared-id" does not exist in tenant "tenant-b"');
    expectCrmError(await b.update('shared-id', { status: 'UNSUBSCRIBED' }), 404, 4041);
    expectCrmError(await b.delete('shared-id'), 404, 4041);
    expect((await b.list()).body).toEqual({ totalRecords: 0, resourceSet: [] });
    expect((await b.list({ filter: JSON.stringify({ accountId: 'acc-a' }) })).body.totalRecords).toBe(0);

    // The same _id is free in tenant B (ids are unique per tenant), and A's is unchanged.
    expect((await b.create({ ...SUBSCRIPTION, _id: 'shared-id', accountId: 'acc-b' })).status).toBe(201);
    const inA = await a.get('shared-id');
    expect(inA.body).toMatchObject({ accountId: 'acc-a', status: 'SUBSCRIBED' });
    expect((await a.list()).body.resourceSet.map((e: { accountId: string }) => e.accountId)).toEqual(['acc-a']);
  });

  describe('with a default tenant (CRM_DEFAULT_TENANT)', () => {
    let d: TestApp;
    beforeAll(async () => {
      d = await TestApp.start({ CRM_DEFAULT_TENANT: 'demo' });
      await d.createProject('other-tenant');
    });
    afterAll(() => d.close());

    it('uses the default without nv-tenant-id, and the header when given', async () => {
      const token = await d.operatorToken();
      const res = await d.post(CRM_BASE, { ...SUBSCRIPTION, _id: 'default-1' }, { token });
      expect(res.status).toBe(201);
      expect(await d.sql('SELECT project_id FROM entitlement WHERE id = $1', ['default-1'])).toEqual([
        { project_id: 'demo' },
      ]);
      expect((await d.get(`${CRM_BASE}/default-1`, { token })).status).toBe(200);

      const other = await d.post(
        CRM_BASE,
        { ...SUBSCRIPTION, _id: 'other-1' },
        { token, headers: { 'nv-tenant-id': 'other-tenant' } },
      );
      expect(other.status).toBe(201);
      expect(await d.sql('SELECT project_id FROM entitlement WHERE id = $1', ['other-1'])).toEqual([
        { project_id: 'other-tenant' },
      ]);
      expectCrmError(await d.get(`${CRM_BASE}/other-1`, { token }), 404, 4041);
    });

    it('still checks the tenants claim against the default tenant', async () => {
      const token = await d.operatorToken({ tenants: ['other-tenant'] });
      expectCrmError(await d.get(CRM_BASE, { token }), 403, 4031);
      expect(await countEntitlements(d)).toBe(1);
    });
  });
});
