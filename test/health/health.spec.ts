import { TestApp } from '../support/test-app';

describe('health and correlation ids', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await TestApp.start();
  });
  afterAll(() => t.close());

  it('GET /health/live answers 200', async () => {
    const res = await t.get('/health/live');
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ status: 'ok', info: {}, error: {}, details: {} });
    expect(res.headers.get('content-type')).toBe('application/json; charset=utf-8');
  });

  it('GET /health/ready answers 200 with the database up', async () => {
    const res = await t.get('/health/ready');
    expect(res.status).toBe(200);
    expect(res.body.details.database.status).toBe('up');
  });

  it("echoes the caller's x-correlation-id", async () => {
    const res = await t.get('/health/live', { headers: { 'x-correlation-id': 'crm-call-42' } });
    expect(res.headers.get('x-correlation-id')).toBe('crm-call-42');
  });

  it('generates a correlation id when none (or an unusable one) is sent, on errors too', async () => {
    const none = await t.get('/no/such/route');
    expect(none.status).toBe(404);
    expect(none.headers.get('x-correlation-id')).toMatch(/^[0-9a-f-]{36}$/);
    const bad = await t.get('/health/live', { headers: { 'x-correlation-id': 'has spaces and {braces}' } });
    expect(bad.headers.get('x-correlation-id')).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('runs no Express-style middleware layer: the request scope is Fastify hooks (logging/request-scope.ts)', () => {
    const fastify = t.app.getHttpAdapter().getInstance();
    expect(fastify.hasPlugin('@fastify/middie')).toBe(false);
    expect('use' in fastify).toBe(false);
  });
});

describe('errors raised before routing', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await TestApp.start();
  });
  afterAll(() => t.close());

  it('a malformed URL answers 400 in the error body of the API it was sent to', async () => {
    const crm = await t.get('/crm-gateway/v1/rmg/v1/entitlements/%E0%A4%A');
    expect(crm.status).toBe(400);
    expect(crm.body).toMatchObject({ code: 400, errorCode: 4000 });
    expect(crm.headers.get('x-correlation-id')).toBeTruthy();
    const motto = await t.get('/iam/projects/v1/%E0%A4%A');
    expect(motto.status).toBe(400);
    expect(motto.body.code).toBe('invalid_argument');
  });
});
