import { Logger } from '@nestjs/common';
import { ProjectStore } from '@app/database';
import { TestApp } from '../support/test-app';

/**
 * Each API style renders its own errors (@MottoApi, @CrmApi); errors no controller sees are rendered by URL
 * in one place (app-exception.filter.ts).
 */
describe('error rendering per API style', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await TestApp.start();
  });
  afterAll(() => t.close());

  it('an unknown route answers 404 in the body of the API its URL belongs to', async () => {
    const crm = await t.get('/crm-gateway/v1/no-such-route');
    expect(crm.status).toBe(404);
    expect(crm.body).toEqual({ code: 404, errorCode: 4042, message: 'Cannot GET /crm-gateway/v1/no-such-route' });
    expect(crm.headers.get('x-correlation-id')).toBeTruthy();
    const motto = await t.get('/monetization/no-such-route');
    expect(motto.status).toBe(404);
    expect(motto.body).toEqual({ code: 'not_found', message: 'Cannot GET /monetization/no-such-route' });
  });

  it('a bug answers 500 without internals, logged once, in each style', async () => {
    const admin = await t.platformToken('*', 'admin');
    const operator = await t.operatorToken();
    const store: object = t.app.get(ProjectStore);
    const projects = store as Record<string, unknown>;
    const methods = Object.getOwnPropertyNames(Object.getPrototypeOf(projects)).filter(
      (name) => name !== 'constructor',
    );
    for (const name of methods) {
      projects[name] = () => {
        throw new Error(`secret internals of ${name}`);
      };
    }
    const logged = jest.spyOn(Logger.prototype, 'error');
    const countLogged = () => logged.mock.calls.filter((call) => String(call[0]).includes('secret internals')).length;
    try {
      const motto = await t.get('/iam/projects/v1/demo', { token: admin });
      expect([motto.status, motto.body]).toEqual([500, { code: 'internal', message: 'internal error' }]);
      expect(countLogged()).toBe(1);
      logged.mockClear();
      const crm = await t.get('/crm-gateway/v1/rmg/v1/entitlements', {
        token: operator,
        headers: { 'nv-tenant-id': 'demo' },
      });
      expect([crm.status, crm.body]).toEqual([500, { code: 500, errorCode: 5000, message: 'internal error' }]);
      expect(countLogged()).toBe(1);
    } finally {
      logged.mockRestore();
      for (const name of methods) delete projects[name];
    }
  });
});
