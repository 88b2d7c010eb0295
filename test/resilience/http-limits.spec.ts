import { connect, Socket } from 'node:net';
import { TestApp } from '../support/test-app';

/** Opens a raw TCP connection; resolves when connected. */
function openSocket(baseUrl: string): Promise<{ socket: Socket; closed: Promise<string> }> {
  const { hostname, port } = new URL(baseUrl);
  return new Promise((resolve, reject) => {
    const socket = connect(Number(port), hostname);
    let received = '';
    socket.on('data', (d) => (received += d.toString()));
    const closed = new Promise<string>((r) => socket.on('close', () => r(received)));
    socket.on('error', () => undefined);
    socket.once('connect', () => resolve({ socket, closed }));
    socket.once('error', reject);
  });
}

describe('HTTP limits against slow and idle clients', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await TestApp.start({ HTTP_REQUEST_TIMEOUT_MS: '1000' });
  });
  afterAll(() => t.close());

  it('cuts off a request whose declared body never arrives (request/body timeout)', async () => {
    const { socket, closed } = await openSocket(t.baseUrl);
    const started = Date.now();
    socket.write(
      'POST /crm-gateway/v1/rmg/v1/entitlements HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n' +
        'Content-Length: 100\r\n\r\n{"productId":',
    );
    const answer = await closed;
    // HTTP_REQUEST_TIMEOUT_MS (1 s), checked every second, plus a generous margin.
    expect(Date.now() - started).toBeLessThan(1000 + 1000 + 3000);
    expect(answer).toMatch(/^HTTP\/1\.1 408 /);
  });

  it('sends security headers and Cache-Control: no-store on API responses', async () => {
    const res = await t.get('/iam/projects/v1', { token: await t.platformToken('*', 'admin') });
    expect(res.status).toBe(200);
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    expect(res.headers.get('x-frame-options')).toBe('DENY');
    expect(res.headers.get('content-security-policy')).toContain("frame-ancestors 'none'");
    expect(res.headers.get('cache-control')).toBe('no-store');
    const crm = await t.get('/crm-gateway/v1/rmg/v1/entitlements', {
      token: await t.operatorToken(),
      headers: { 'nv-tenant-id': 'none-such' },
    });
    expect(crm.headers.get('cache-control')).toBe('no-store');
    expect(crm.headers.get('x-content-type-options')).toBe('nosniff');
  });
});

describe('HTTP connection cap', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await TestApp.start({ HTTP_MAX_CONNECTIONS: '5' });
  });
  afterAll(() => t.close());

  it('closes connections beyond HTTP_MAX_CONNECTIONS at once, and serves again when some close', async () => {
    const held = await Promise.all(Array.from({ length: 5 }, () => openSocket(t.baseUrl)));
    const extra = await openSocket(t.baseUrl);
    extra.socket.write('GET /health/live HTTP/1.1\r\nHost: localhost\r\n\r\n');
    // Closed without an answer (well before the 10 s request timeout would close an idle one).
    expect(await extra.closed).toBe('');
    expect(held.every((h) => !h.socket.destroyed)).toBe(true);
    for (const h of held) h.socket.destroy();
    await Promise.all(held.map((h) => h.closed));
    expect((await t.get('/health/live')).status).toBe(200);
  });
});
