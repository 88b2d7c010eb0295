import { ProjectStore } from '@app/database';
import { TestApp } from '../support/test-app';

/** Projects are never deleted, so an instance remembers that one exists and skips that read afterwards. */
describe('project existence, remembered', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await TestApp.start();
    await t.createProject('known-proj');
  });
  afterAll(() => t.close());

  it('reads the project once for the Motto-style lists, and keeps answering not_found for unknown ones', async () => {
    const token = await t.platformToken('*', 'viewer');
    const find = jest.spyOn(t.app.get(ProjectStore), 'find');
    try {
      for (let i = 0; i < 3; i++) {
        const res = await t.get('/monetization/entitlements/v1', { token, query: { project_id: 'known-proj' } });
        expect(res.status).toBe(200);
      }
      expect(find.mock.calls.filter(([id]) => id === 'known-proj')).toHaveLength(1);
      for (let i = 0; i < 2; i++) {
        const res = await t.get('/monetization/entitlements/v1', { token, query: { project_id: 'not-yet' } });
        expect(res.status).toBe(404);
      }
      expect(find.mock.calls.filter(([id]) => id === 'not-yet')).toHaveLength(2);
      await t.createProject('not-yet');
      expect((await t.get('/monetization/entitlements/v1', { token, query: { project_id: 'not-yet' } })).status).toBe(
        200,
      );
    } finally {
      find.mockRestore();
    }
  });
});
