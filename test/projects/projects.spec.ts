import { TestApp } from '../support/test-app';

describe('projects API (/iam/projects/v1)', () => {
  let t: TestApp;
  let admin: string;
  beforeAll(async () => {
    t = await TestApp.start();
    admin = await t.platformToken('*', 'admin');
  });
  afterAll(() => t.close());

  it('creates a project and returns every field', async () => {
    const res = await t.post(
      '/iam/projects/v1',
      { id: 'rtt-show', name: 'RTT Show', settings: { device_specific_products: true } },
      { token: admin },
    );
    expect(res.status).toBe(200);
    expect(res.body.project).toEqual({
      id: 'rtt-show',
      name: 'RTT Show',
      settings: { device_specific_products: true },
      create_time: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z$/),
      update_time: res.body.project.create_time,
    });
    const rows = await t.sql('SELECT id, name, settings FROM project WHERE id = $1', ['rtt-show']);
    expect(rows).toEqual([{ id: 'rtt-show', name: 'RTT Show', settings: { deviceSpecificProducts: true } }]);
  });

  it('defaults device_specific_products to false', async () => {
    const res = await t.post('/iam/projects/v1', { id: 'plain', name: 'Plain' }, { token: admin });
    expect(res.body.project.settings).toEqual({ device_specific_products: false });
  });

  it('answers already_exists (409) for a duplicate id and changes nothing', async () => {
    const res = await t.post('/iam/projects/v1', { id: 'rtt-show', name: 'Other name' }, { token: admin });
    expect(res.status).toBe(409);
    expect(res.body.code).toBe('already_exists');
    expect((await t.sql('SELECT name FROM project WHERE id = $1', ['rtt-show']))[0].name).toBe('RTT Show');
  });

  it.each([
    [{ id: 'Bad_Id', name: 'x' }, 'id'],
    [{ id: 'ab', name: 'x' }, 'id'],
    [{ id: '-leading', name: 'x' }, 'id'],
    [{ id: 'ok-id', name: '' }, 'name'],
    [{ id: 'ok-id', name: 'x'.repeat(201) }, 'name'],
    [{ id: 'ok-id' }, 'name'],
    [{ id: 'ok-id', name: 7 }, 'name'],
    [{ id: 'ok-id', name: 'x', settings: { device_specific_products: 'yes' } }, 'settings.device_specific_products'],
    [{ id: 'ok-id', name: 'x', settings: { devices: true } }, 'settings.devices'],
    [{ id: 'ok-id', name: 'x', nmae: 'typo' }, 'nmae'],
  ])('refuses %j naming %s, storing nothing', async (body, field) => {
    const res = await t.post('/iam/projects/v1', body, { token: admin });
    expect(res.status).toBe(400);
    expect(res.body.code).toBe('invalid_argument');
    expect(res.body.details.map((d: { field: string }) => d.field)).toContain(field);
    expect(await t.sql('SELECT id FROM project WHERE id = $1', ['ok-id'])).toEqual([]);
  });

  it('refuses a body that is not JSON, or not an object', async () => {
    const res = await t.request('POST', '/iam/projects/v1', { rawBody: '{"id": "x",', token: admin });
    expect(res.status).toBe(400);
    expect(res.body.code).toBe('invalid_argument');
    const arr = await t.request('POST', '/iam/projects/v1', { rawBody: '[1,2]', token: admin });
    expect(arr.status).toBe(400);
    expect(arr.body.code).toBe('invalid_argument');
  });

  it('gets a project, and answers not_found for an unknown one', async () => {
    expect((await t.get('/iam/projects/v1/rtt-show', { token: admin })).body.project.name).toBe('RTT Show');
    const missing = await t.get('/iam/projects/v1/nope-nope', { token: admin });
    expect(missing.status).toBe(404);
    expect(missing.body.code).toBe('not_found');
  });

  it('lists projects in pages with an opaque keyset token', async () => {
    for (const id of ['page-a', 'page-b', 'page-c', 'page-d']) await t.createProject(id);
    const ids: string[] = [];
    let token = '';
    let pages = 0;
    do {
      const res = await t.get('/iam/projects/v1', { token: admin, query: { page_size: 2, page_token: token } });
      expect(res.status).toBe(200);
      expect(res.body.projects.length).toBeLessThanOrEqual(2);
      ids.push(...res.body.projects.map((p: { id: string }) => p.id));
      token = res.body.next_page_token;
      pages++;
    } while (token && pages < 20);
    const all = (await t.sql<{ id: string }>('SELECT id FROM project ORDER BY id')).map((r) => r.id);
    expect(ids).toEqual(all);
    expect(ids).toEqual(expect.arrayContaining(['demo', 'page-a', 'page-d', 'rtt-show']));
  });

  it('lists only the projects a token names', async () => {
    const res = await t.get('/iam/projects/v1', { token: await t.platformToken(['rtt-show', 'page-b'], 'viewer') });
    expect(res.body.projects.map((p: { id: string }) => p.id)).toEqual(['page-b', 'rtt-show']);
  });

  it.each([
    [{ page_size: 'ten' }, 'page_size'],
    [{ page_size: 1001 }, 'page_size'],
    [{ page_token: 'garbage' }, 'page_token'],
  ])('refuses list query %j naming %s', async (query, field) => {
    const res = await t.get('/iam/projects/v1', { token: admin, query });
    expect(res.status).toBe(400);
    expect(res.body.details[0].field).toBe(field);
  });

  it('updates only the masked paths', async () => {
    const res = await t.patch(
      '/iam/projects/v1/rtt-show',
      {
        project_id: 'rtt-show',
        project: { name: 'Renamed', settings: { device_specific_products: false } },
        update_mask: 'name',
      },
      { token: admin },
    );
    expect(res.status).toBe(200);
    expect(res.body.project).toMatchObject({ name: 'Renamed', settings: { device_specific_products: true } });
    expect(Date.parse(res.body.project.update_time)).toBeGreaterThanOrEqual(Date.parse(res.body.project.create_time));
  });

  it('with an empty mask updates the fields present', async () => {
    const res = await t.patch(
      '/iam/projects/v1/rtt-show',
      { project: { settings: { device_specific_products: false } } },
      { token: admin },
    );
    expect(res.body.project).toMatchObject({ name: 'Renamed', settings: { device_specific_products: false } });
  });

  it.each([
    [{ project: { name: 'x' }, update_mask: 'name,colour' }, 'update_mask'],
    [{ project_id: 'other', project: { name: 'x' } }, 'project_id'],
    [{ project: { name: '' } }, 'project.name'],
    [{ project: { nmae: 'x' } }, 'project.nmae'],
    [{ name: 'x' }, 'name'],
    // null reads as absent (protobuf-JSON): a masked name must be given (this was a 500, NOT NULL violation).
    [{ project: { name: null }, update_mask: 'name' }, 'project.name'],
    [{ project: { id: 'other-id' } }, 'project.id'],
    [{ project: 'renamed' }, 'project'],
    [{}, 'project'],
  ])('refuses update %j naming %s', async (body, field) => {
    const res = await t.patch('/iam/projects/v1/rtt-show', body, { token: admin });
    expect(res.status).toBe(400);
    expect(res.body.details.map((d: { field: string }) => d.field)).toContain(field);
    expect((await t.sql('SELECT name FROM project WHERE id = $1', ['rtt-show']))[0].name).toBe('Renamed');
  });

  it('answers not_found when updating a project that does not exist', async () => {
    const res = await t.patch('/iam/projects/v1/no-such', { project: { name: 'x' } }, { token: admin });
    expect(res.status).toBe(404);
  });

  describe('who may', () => {
    it('creating needs an admin token for all projects', async () => {
      for (const token of [await t.platformToken(['rtt-show'], 'admin'), await t.platformToken('*', 'editor')]) {
        const res = await t.post('/iam/projects/v1', { id: 'sneaky', name: 'x' }, { token });
        expect(res.status).toBe(403);
        expect(res.body.code).toBe('permission_denied');
      }
      expect(await t.sql("SELECT id FROM project WHERE id = 'sneaky'")).toEqual([]);
    });

    it('a token of project A can neither read nor change project B', async () => {
      const aAdmin = await t.platformToken(['page-a'], 'admin');
      expect((await t.get('/iam/projects/v1/page-a', { token: aAdmin })).status).toBe(200);
      expect((await t.get('/iam/projects/v1/page-b', { token: aAdmin })).status).toBe(403);
      expect((await t.patch('/iam/projects/v1/page-b', { project: { name: 'x' } }, { token: aAdmin })).status).toBe(
        403,
      );
    });

    it('a viewer or an editor cannot change a project', async () => {
      for (const role of ['viewer', 'editor'] as const) {
        const res = await t.patch(
          '/iam/projects/v1/page-a',
          { project: { name: 'x' } },
          { token: await t.platformToken(['page-a'], role) },
        );
        expect(res.status).toBe(403);
      }
    });

    it('a token without a valid role can do nothing', async () => {
      const noRole = await t.devKey.platformToken({
        projects: ['*'],
        role: 'superuser' as never,
        audience: 'entitlements-api',
      });
      expect((await t.get('/iam/projects/v1', { token: noRole })).status).toBe(403);
    });

    it('an operator (Keycloak) token cannot call the Motto admin API', async () => {
      const operator = await t.operatorToken({ roles: ['operatorRole', 'adminRole'] });
      const res = await t.get('/iam/projects/v1', { token: operator });
      expect(res.status).toBe(401);
      expect(res.body.code).toBe('unauthenticated');
      expect((await t.post('/iam/projects/v1', { id: 'via-crm', name: 'x' }, { token: operator })).status).toBe(401);
    });
  });
});
