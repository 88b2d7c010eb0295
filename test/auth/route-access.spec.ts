import { routeAccessTable } from '../support/routes';
import { TestApp } from '../support/test-app';

/**
 * Every route and who may call it, compared with the committed snapshot: a route left public, or any
 * change of who may call what, shows up as a diff to review (`npx jest -u` rewrites the snapshot).
 */
describe('route access', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await TestApp.start();
  });
  afterAll(() => t.close());

  it('matches the reviewed snapshot', () => {
    const table = routeAccessTable(t.app).map((r) => `${r.method.padEnd(6)} ${r.path.padEnd(50)} ${r.access}`);
    expect(table.join('\n')).toMatchSnapshot();
  });

  it('leaves only health, docs and the development JWKS public, and no route without a rule', () => {
    const rows = routeAccessTable(t.app);
    expect(rows.length).toBeGreaterThan(5);
    for (const r of rows) {
      expect(r.access).not.toBe('NONE (refused)');
      if (r.access === 'public') expect(r.path).toMatch(/^\/(health\/|docs|\.well-known\/jwks\.json$)/);
    }
  });
});
