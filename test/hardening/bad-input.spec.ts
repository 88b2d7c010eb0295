import { connect, Socket } from 'node:net';
import { CRM_BASE, CrmClient, expectCrmError, SUBSCRIPTION } from '../crm-gateway/crm-client';
import { HttpResponse, TestApp } from '../support/test-app';

/**
 * Regression tests of issue 14's bad input, each once answered 500 (or a misleading 4xx): every one is now a
 * 4xx naming the field, in the error body of the API it came through, with nothing stored.
 */
const OFFERS = '/monetization/offers/v1';
const PROJECTS = '/iam/projects/v1';
const HISTORY = '/monetization/entitlements/v1/history';
const DEEP = `${'['.repeat(3000)}${']'.repeat(3000)}`;

function expectMotto(res: HttpResponse, status: number, code: string, message?: string | RegExp) {
  expect([res.status, res.body.code]).toEqual([status, code]);
  expect(res.headers.get('x-correlation-id')).toBeTruthy();
  if (message !== undefined) expect(res.body.message).toMatch(message);
}

/** Sends raw bytes on a new connection and returns what the server wrote before closing it. */
function rawExchange(port: number, bytes: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1');
    let received = '';
    socket.on('data', (chunk) => (received += chunk.toString('latin1')));
    socket.on('error', () => resolve(received));
    socket.on('close', () => resolve(received));
    socket.on('connect', () => socket.write(bytes));
    setTimeout(() => reject(new Error(`no close; received: ${received}`)), 20_000).unref();
  });
}

/** Status line, headers (lower-case names) and JSON body of a raw HTTP/1.1 response. */
function parseRaw(raw: string): { status: number; headers: Record<string, string>; body: any } {
  const [head, ...rest] = raw.split('\r\n\r\n');
  const [statusLine, ...lines] = head.split('\r\n');
  const headers = Object.fromEntries(
    lines.map((l) => [l.slice(0, l.indexOf(':')).toLowerCase(), l.slice(l.indexOf(':') + 1).trim()]),
  );
  return { status: Number(statusLine.split(' ')[1]), headers, body: JSON.parse(rest.join('\r\n\r\n')) };
}

describe('bad input (issue 14)', () => {
  let t: TestApp;
  let admin: string;
  let crm: CrmClient;
  let offerId: string;
  let port: number;
  const counts = async () =>
    (
      await t.sql<{ n: string }>(
        `SELECT (SELECT count(*) FROM offer) || '/' || (SELECT count(*) FROM project) || '/' ||
                (SELECT count(*) FROM entitlement) || '/' || (SELECT count(*) FROM entitlement_event) AS n`,
      )
    )[0].n;

  beforeAll(async () => {
    t = await TestApp.start();
    port = Number(new URL(t.baseUrl).port);
    admin = await t.platformToken('*', 'admin');
    crm = await CrmClient.of(t);
    const offer = await t.post(OFFERS, { project_id: 'demo', name: 'Pass', applies_to_all: true }, { token: admin });
    offerId = offer.body.offer.id;
  });
  afterAll(() => t.close());

  describe('deeply nested JSON (3,000 levels) answers 400 at parse time, naming the body', () => {
    it.each([
      ['CRM create', 'POST', CRM_BASE],
      ['CRM update', 'PUT', `${CRM_BASE}/some-id`],
    ])('%s', async (_name, method, path) => {
      const before = await counts();
      const res = await crm.raw(method, path, `{"productId": ${DEEP}}`);
      expectCrmError(res, 400, 4000, 'body: must not nest arrays and objects deeper than 32 levels');
      expect(await counts()).toBe(before);
    });

    it.each([
      ['project create', 'POST', PROJECTS],
      ['project update', 'PATCH', `${PROJECTS}/demo`],
      ['offer create', 'POST', OFFERS],
      ['offer update', 'PATCH', `${OFFERS}/x?project_id=demo`],
    ])('%s', async (_name, method, path) => {
      const before = await counts();
      const res = await t.request(method, path, { rawBody: `{"name": ${DEEP}}`, token: admin });
      expectMotto(res, 400, 'invalid_argument', 'body: must not nest arrays and objects deeper than 32 levels');
      expect(res.body.details).toEqual([
        { field: 'body', description: 'must not nest arrays and objects deeper than 32 levels' },
      ]);
      expect(await counts()).toBe(before);
    });

    it('32 levels are accepted by the parser (and refused by the reader as the wrong type, by name)', async () => {
      const res = await t.request('POST', PROJECTS, {
        rawBody: `{"id": "deep-ok", "name": ${'['.repeat(31)}${']'.repeat(31)}}`,
        token: admin,
      });
      expectMotto(res, 400, 'invalid_argument', /^name: must be a string/);
    });
  });

  describe('unpaired surrogates and NUL are refused at the boundary, naming the field', () => {
    it.each(['productId', 'accountId', 'capabilityType', 'deviceId', 'userId', 'purchasedByDeviceId', '_id'])(
      'an unpaired surrogate in the CRM field %s',
      async (field) => {
        const before = await counts();
        const body = JSON.stringify({ ...SUBSCRIPTION, [field]: 'x\ud800' });
        expect(body).toContain('\\ud800');
        const res = await crm.raw('POST', CRM_BASE, body);
        expectCrmError(res, 400, 4000, `${field}: must be valid Unicode text (no unpaired surrogates)`);
        const put = await crm.raw('PUT', `${CRM_BASE}/any`, JSON.stringify({ [field]: '\udc00' }));
        expectCrmError(put, 400, 4000, `${field}: must be valid Unicode text (no unpaired surrogates)`);
        expect(await counts()).toBe(before);
      },
    );

    it('NUL in a project name, an offer id in the path, the history user_id and offer_id', async () => {
      const before = await counts();
      expectMotto(
        await t.post(PROJECTS, { id: 'nul-project', name: 'a\u0000b' }, { token: admin }),
        400,
        'invalid_argument',
        'name: must not contain NUL characters',
      );
      for (const method of ['GET', 'DELETE', 'PATCH'])
        expectMotto(
          await t.request(method, `${OFFERS}/a%00b?project_id=demo`, {
            token: admin,
            body: method === 'PATCH' ? { offer: { name: 'x' }, update_mask: 'name' } : undefined,
          }),
          400,
          'invalid_argument',
          'offer_id: must not contain NUL characters',
        );
      for (const param of ['user_id', 'offer_id'])
        expectMotto(
          await t.get(`${HISTORY}?project_id=demo&${param}=a%00b`, { token: admin }),
          400,
          'invalid_argument',
          `${param}: must not contain NUL characters`,
        );
      expectCrmError(await crm.get('a\u0000b'), 400, 4000, '_id: must not contain NUL characters');
      expect(await counts()).toBe(before);
    });

    it('a repeated query parameter is refused by name', async () => {
      expectMotto(
        await t.get(`${HISTORY}?project_id=demo&project_id=other`, { token: admin }),
        400,
        'invalid_argument',
        'project_id: must be given once (got 2 values)',
      );
      expectCrmError(
        await t.get(`${CRM_BASE}?limit=1&limit=2`, { token: crm.token, headers: { 'nv-tenant-id': 'demo' } }),
        400,
        4001,
        'limit: must be given once',
      );
    });
  });

  describe('updates are validated on the merged state', () => {
    it('PATCH a project with "name": null and mask name: 400, unchanged', async () => {
      const res = await t.patch(`${PROJECTS}/demo`, { project: { name: null }, update_mask: 'name' }, { token: admin });
      expectMotto(res, 400, 'invalid_argument', /^project\.name: /);
      expect((await t.sql("SELECT name FROM project WHERE id = 'demo'"))[0].name).not.toBe('');
    });

    it('PATCH an offer with mask name and no name: 400 naming offer.name, the name kept', async () => {
      const res = await t.patch(
        `${OFFERS}/${offerId}`,
        { offer: { project_id: 'demo' }, update_mask: 'name' },
        { token: admin },
      );
      expectMotto(res, 400, 'invalid_argument', 'offer.name: must be 1 to 200 characters');
      expect(await t.sql('SELECT name FROM offer WHERE id = $1', [offerId])).toEqual([{ name: 'Pass' }]);
    });
  });

  describe('__proto__ and constructor keys are refused by name', () => {
    it.each([
      ['{"__proto__": {"admin": true}, "id": "proto-a", "name": "x"}', '__proto__'],
      ['{"constructor": {"prototype": {"admin": true}}, "id": "proto-b", "name": "x"}', 'constructor'],
      ['{"id": "proto-c", "name": "x", "settings": {"constructor": 1}}', 'settings.constructor'],
    ])('Motto %s', async (raw, field) => {
      const res = await t.request('POST', PROJECTS, { rawBody: raw, token: admin });
      expectMotto(res, 400, 'invalid_argument');
      expect(res.body.details[0].field).toBe(field);
      expect(res.body.message).toContain(`the key ${field.split('.').pop()} is refused`);
    });

    it('CRM', async () => {
      const res = await crm.raw('POST', CRM_BASE, `{"__proto__": {"x": 1}, ${JSON.stringify(SUBSCRIPTION).slice(1)}`);
      expectCrmError(res, 400, 4000, /^__proto__: the key __proto__ is refused/);
    });
  });

  describe('media types and sizes', () => {
    it.each(['text/plain', 'application/x-www-form-urlencoded'])('CRM %s answers 415 (4150)', async (type) => {
      const res = await crm.raw('POST', CRM_BASE, 'productId=x', { headers: { 'content-type': type } });
      expectCrmError(res, 415, 4150);
    });

    it('the Motto-style API answers a body over 1 MiB with 413 resource_exhausted (not 429)', async () => {
      const res = await t.post(PROJECTS, { id: 'big-one', name: 'x'.repeat(1024 * 1024) }, { token: admin });
      expectMotto(res, 413, 'resource_exhausted');
      const crmRes = await crm.create({ ...SUBSCRIPTION, deviceId: 'x'.repeat(1024 * 1024) });
      expectCrmError(crmRes, 413, 4130);
    });
  });

  describe('errors raised before routing answer in the API error body with x-correlation-id', () => {
    it.each([
      ['/iam/projects/v1/', { code: 'resource_exhausted', message: expect.stringContaining('16 KiB') }],
      ['/crm-gateway/v1/rmg/v1/entitlements/', { code: 431, errorCode: 4310, message: expect.any(String) }],
    ])('a URL over 16 KiB under %s: 431', async (prefix, body) => {
      const res = await rawExchange(port, `GET ${prefix}${'a'.repeat(17 * 1024)} HTTP/1.1\r\nHost: x\r\n\r\n`);
      const parsed = parseRaw(res);
      expect(parsed.status).toBe(431);
      expect(parsed.headers['x-correlation-id']).toBeTruthy();
      expect(parsed.body).toEqual(body);
      // Through fetch too (the contract check of TestApp: 431 is documented).
      expect((await t.get(`${prefix}${'a'.repeat(17 * 1024)}`)).status).toBe(431);
    });

    it.each([
      ['/iam/projects/v1', { code: 'invalid_argument', message: expect.stringContaining('malformed') }],
      ['/crm-gateway/v1/rmg/v1/entitlements', { code: 400, errorCode: 4000, message: expect.any(String) }],
    ])('a malformed header under %s: 400', async (path, body) => {
      const res = await rawExchange(port, `GET ${path} HTTP/1.1\r\nHost: x\r\nBad Header: y\r\n\r\n`);
      const parsed = parseRaw(res);
      expect(parsed.status).toBe(400);
      expect(parsed.headers['x-correlation-id']).toBeTruthy();
      expect(parsed.body).toEqual(body);
    });

    it('a request arriving while the service shuts down: 503 in the API body', async () => {
      const other = await TestApp.start();
      const otherPort = Number(new URL(other.baseUrl).port);
      const socket: Socket = connect(otherPort, '127.0.0.1');
      let received = '';
      socket.on('data', (chunk) => (received += chunk.toString('latin1')));
      const closed = new Promise<void>((resolve) => socket.on('close', () => resolve()));
      await new Promise<void>((resolve) => socket.on('connect', () => resolve()));
      // A request in flight (its body not yet sent) keeps the connection open through the shutdown.
      // `Expect: 100-continue`: the server's "100 Continue" tells that it has read the request and routed it.
      socket.write(
        `POST ${PROJECTS} HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 2\r\n` +
          `Expect: 100-continue\r\n\r\n{`,
      );
      while (!received.includes('100 Continue')) await new Promise((resolve) => setTimeout(resolve, 10));
      const closing = other.close();
      while (other.app.getHttpServer().listening) await new Promise((resolve) => setTimeout(resolve, 10));
      // The rest of the first body, then a second request on the same connection, routed while closing.
      socket.write(`}GET /crm-gateway/v1/rmg/v1/entitlements HTTP/1.1\r\nHost: x\r\n\r\n`);
      await closed;
      await closing;
      const responses = received.split(/(?=HTTP\/1\.1 )/).filter((r) => !r.startsWith('HTTP/1.1 100'));
      expect(responses).toHaveLength(2);
      const second = parseRaw(responses[1]);
      expect(second.status).toBe(503);
      expect(second.body).toEqual({
        code: 503,
        errorCode: 5030,
        message: 'the service is shutting down: retry on another instance',
      });
      expect(second.headers['x-correlation-id']).toBeTruthy();
    });
  });
});
