import { request as httpRequest } from 'node:http';
import { AddressInfo } from 'node:net';
import { Writable } from 'node:stream';
import Fastify, { FastifyInstance } from 'fastify';
import { PinoLogger } from 'nestjs-pino';
import { storage } from 'nestjs-pino/storage';
import pino from 'pino';
import { installRequestScope } from './request-scope';

type Line = Record<string, unknown> & { msg: string; level: number };

/** A bare Fastify with the request scope: what lines does a request log, from hooks and from inside its handler? */
describe('installRequestScope (logging)', () => {
  const lines: Line[] = [];
  let app: FastifyInstance;
  let port: number;
  let ids = 0;

  beforeAll(async () => {
    const stream = new Writable({
      write(chunk: Buffer, _encoding, callback) {
        for (const l of chunk.toString().trim().split('\n')) lines.push(JSON.parse(l) as Line);
        callback();
      },
    });
    (PinoLogger as unknown as { root: pino.Logger }).root = pino({ level: 'info' }, stream);
    app = Fastify({ genReqId: () => `cid-${++ids}` });
    installRequestScope(app, undefined, {
      unlogged: (_method, url) => url.startsWith('/health/'),
      withoutOrmContext: () => true,
    });
    // Logs from inside the handler, after an await: nestjs-pino's Logger reads the same store.
    app.post('/echo', async (request) => {
      await new Promise((resolve) => setTimeout(resolve, 5));
      storage.getStore()?.logger.info({ size: JSON.stringify(request.body).length }, 'inside');
      return { ok: true };
    });
    app.get('/fail', () => {
      throw new Error('boom');
    });
    app.get('/health/live', () => ({ status: 'ok' }));
    await app.listen({ port: 0, host: '127.0.0.1' });
    port = (app.server.address() as AddressInfo).port;
  });
  afterAll(() => app.close());

  /** A request whose body arrives in `chunks` pieces, 10 ms apart (read in the socket's callbacks). */
  const send = (method: string, path: string, body?: string, chunks = 1) =>
    new Promise<number>((resolve, reject) => {
      const req = httpRequest(
        { host: '127.0.0.1', port, method, path, headers: body ? { 'content-type': 'application/json' } : {} },
        (res) => {
          res.resume();
          res.on('end', () => resolve(res.statusCode!));
        },
      );
      req.on('error', reject);
      if (!body) return void req.end();
      const size = Math.ceil(body.length / chunks);
      let i = 0;
      const next = () => {
        if (i >= body.length) return void req.end();
        req.write(body.slice(i, i + size));
        i += size;
        setTimeout(next, 10);
      };
      next();
    });

  const settle = () => new Promise((resolve) => setTimeout(resolve, 20));

  it('gives every line of a request its correlation id, inside the handler too, after a body read in pieces', async () => {
    lines.length = 0;
    const body = JSON.stringify({ text: 'x'.repeat(5000) });
    expect(await send('POST', '/echo', body, 5)).toBe(200);
    await settle();
    const inside = lines.find((l) => l.msg === 'inside');
    const done = lines.find((l) => l.msg === 'request completed');
    expect(inside).toMatchObject({ correlation_id: expect.stringMatching(/^cid-/), size: body.length });
    expect(done).toMatchObject({
      level: 30,
      correlation_id: inside!.correlation_id,
      req: { method: 'POST', url: '/echo' },
      res: { statusCode: 200 },
      responseTime: expect.any(Number),
    });
  });

  it('logs a 5xx at level error, and never the probes', async () => {
    lines.length = 0;
    expect(await send('GET', '/health/live')).toBe(200);
    expect(await send('GET', '/fail')).toBe(500);
    await settle();
    expect(lines.map((l) => [l.msg, l.level])).toEqual([['request errored', 50]]);
    expect(lines[0]).toMatchObject({ req: { method: 'GET', url: '/fail' }, res: { statusCode: 500 } });
  });
});
