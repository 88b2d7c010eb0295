import { insertOffer } from '../support/fixtures';
import { TestApp } from '../support/test-app';

/**
 * Who may call what, for every endpoint of both API styles: a token scoped to project A can neither read
 * nor write project B; a viewer cannot write; a CRM token limited to tenant A cannot use tenant B.
 * A refusal changes nothing.
 */
describe('access matrix', () => {
  let t: TestApp;
  let offerB: string;
  let crmIdB: string;

  beforeAll(async () => {
    t = await TestApp.start();
    await t.createProject('proj-a');
    await t.createProject('proj-b');
    offerB = await insertOffer(t, 'proj-b');
    const created = await t.post(
      '/crm-gateway/v1/rmg/v1/entitlements',
      {
        productId: 'p1',
        accountId: 'acc-1',
        validityType: 'ABSOLUTE',
        productType: 'SUBSCRIPTION',
        validFrom: '2026-01-01T00:00:00Z',
        expiryDate: '2027-01-01T00:00:00Z',
      },
      { token: await t.operatorToken(), headers: { 'nv-tenant-id': 'proj-b' } },
    );
    expect(created.status).toBe(201);
    crmIdB = created.body._id;
  });
  afterAll(() => t.close());

  type Call = {
    name: string;
    method: string;
    path: () => string;
    body?: () => unknown;
    query?: () => Record<string, string>;
    write: boolean;
  };
  const motto: Call[] = [
    { name: 'getProject', method: 'GET', path: () => '/iam/projects/v1/proj-b', write: false },
    {
      name: 'updateProject',
      method: 'PATCH',
      path: () => '/iam/projects/v1/proj-b',
      body: () => ({ project: { name: 'x' } }),
      write: true,
    },
    {
      name: 'createOffer',
      method: 'POST',
      path: () => '/monetization/offers/v1',
      body: () => ({ project_id: 'proj-b', name: 'x' }),
      write: true,
    },
    {
      name: 'getOffer',
      method: 'GET',
      path: () => `/monetization/offers/v1/${offerB}`,
      query: () => ({ project_id: 'proj-b' }),
      write: false,
    },
    {
      name: 'listOffers',
      method: 'GET',
      path: () => '/monetization/offers/v1',
      query: () => ({ project_id: 'proj-b' }),
      write: false,
    },
    {
      name: 'updateOffer',
      method: 'PATCH',
      path: () => `/monetization/offers/v1/${offerB}`,
      body: () => ({ offer_id: offerB, offer: { project_id: 'proj-b', name: 'renamed' }, update_mask: 'name' }),
      write: true,
    },
    {
      name: 'deleteOffer',
      method: 'DELETE',
      path: () => `/monetization/offers/v1/${offerB}`,
      query: () => ({ project_id: 'proj-b' }),
      write: true,
    },
    {
      name: 'upsertEntitlement',
      method: 'POST',
      path: () => '/monetization/entitlements/v1',
      body: () => ({ project_id: 'proj-b', user_id: 'u', offer_id: offerB }),
      write: true,
    },
    {
      name: 'listEntitlements',
      method: 'GET',
      path: () => '/monetization/entitlements/v1',
      query: () => ({ project_id: 'proj-b' }),
      write: false,
    },
    {
      name: 'listEntitlementHistory',
      method: 'GET',
      path: () => '/monetization/entitlements/v1/history',
      query: () => ({ project_id: 'proj-b' }),
      write: false,
    },
  ];

  async function snapshot(): Promise<string> {
    const rows = await t.sql(
      `select (select json_agg(p order by id) from project p) as projects, (select json_agg(o order by id) from offer o) as offers,
              (select json_agg(e order by id) from entitlement e) as entitlements`,
    );
    return JSON.stringify(rows);
  }

  it.each(motto.map((c) => [c.name, c] as const))(
    '%s: an editor and an admin of project A are refused on project B',
    async (_name, call) => {
      const before = await snapshot();
      for (const role of ['editor', 'admin'] as const) {
        const res = await t.request(call.method, call.path(), {
          token: await t.platformToken(['proj-a'], role),
          body: call.body?.(),
          query: call.query?.(),
        });
        expect([role, res.status, res.body.code]).toEqual([role, 403, 'permission_denied']);
      }
      expect(await snapshot()).toBe(before);
    },
  );

  it.each(motto.filter((c) => c.write).map((c) => [c.name, c] as const))(
    '%s: a viewer of the project cannot write',
    async (_name, call) => {
      const before = await snapshot();
      const res = await t.request(call.method, call.path(), {
        token: await t.platformToken(['proj-b'], 'viewer'),
        body: call.body?.(),
        query: call.query?.(),
      });
      expect(res.status).toBe(403);
      expect(await snapshot()).toBe(before);
    },
  );

  it.each(motto.map((c) => [c.name, c] as const))(
    '%s: a CRM operator token is not a platform token (401)',
    async (_name, call) => {
      const res = await t.request(call.method, call.path(), {
        token: await t.operatorToken({ roles: ['operatorRole', 'adminRole'] }),
        body: call.body?.(),
        query: call.query?.(),
      });
      expect(res.status).toBe(401);
    },
  );

  const crm: Call[] = [
    {
      name: 'createCrmEntitlement',
      method: 'POST',
      path: () => '/crm-gateway/v1/rmg/v1/entitlements',
      body: () => ({
        productId: 'p2',
        accountId: 'acc-2',
        validityType: 'ABSOLUTE',
        productType: 'FREE',
        validFrom: '2026-01-01T00:00:00Z',
        expiryDate: '2027-01-01T00:00:00Z',
      }),
      write: true,
    },
    { name: 'listCrmEntitlements', method: 'GET', path: () => '/crm-gateway/v1/rmg/v1/entitlements', write: false },
    {
      name: 'getCrmEntitlement',
      method: 'GET',
      path: () => `/crm-gateway/v1/rmg/v1/entitlements/${crmIdB}`,
      write: false,
    },
    {
      name: 'updateCrmEntitlement',
      method: 'PUT',
      path: () => `/crm-gateway/v1/rmg/v1/entitlements/${crmIdB}`,
      body: () => ({ status: 'UNSUBSCRIBED' }),
      write: true,
    },
    {
      name: 'deleteCrmEntitlement',
      method: 'DELETE',
      path: () => `/crm-gateway/v1/rmg/v1/entitlements/${crmIdB}`,
      write: true,
    },
  ];

  it.each(crm.map((c) => [c.name, c] as const))(
    '%s: a token limited to tenant A is refused on tenant B (403)',
    async (_name, call) => {
      const before = await snapshot();
      const res = await t.request(call.method, call.path(), {
        token: await t.operatorToken({ tenants: ['proj-a'] }),
        headers: { 'nv-tenant-id': 'proj-b' },
        body: call.body?.(),
      });
      expect(res.status).toBe(403);
      expect(res.body).toMatchObject({ code: 403, errorCode: 4031 });
      expect(await snapshot()).toBe(before);
    },
  );

  it.each(crm.map((c) => [c.name, c] as const))(
    '%s: a platform token, or a token without the realm role, is refused (403)',
    async (_name, call) => {
      const before = await snapshot();
      for (const token of [await t.platformToken('*', 'admin'), await t.operatorToken({ roles: ['viewer'] })]) {
        const res = await t.request(call.method, call.path(), {
          token,
          headers: { 'nv-tenant-id': 'proj-b' },
          body: call.body?.(),
        });
        expect(res.status).toBe(403);
        expect(res.body.code).toBe(403);
      }
      expect(await snapshot()).toBe(before);
    },
  );

  const byId = crm.filter((c) =>
    ['getCrmEntitlement', 'updateCrmEntitlement', 'deleteCrmEntitlement'].includes(c.name),
  );
  it.each(byId.map((c) => [c.name, c] as const))(
    '%s: the entitlement of tenant B is invisible from tenant A',
    async (_name, call) => {
      const res = await t.request(call.method, call.path(), {
        token: await t.operatorToken(),
        headers: { 'nv-tenant-id': 'proj-a' },
        body: call.body?.(),
      });
      expect(res.status).toBe(404);
      expect(res.body.errorCode).toBe(4041);
    },
  );
});
