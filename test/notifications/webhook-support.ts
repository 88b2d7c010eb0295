import { createServer, IncomingMessage, Server, ServerResponse } from 'node:http';
import { AddressInfo } from 'node:net';
import { randomBytes } from 'node:crypto';
import { TestApp } from '../support/test-app';

export const ENDPOINTS = '/monetization/webhooks/v1/endpoints';

export const ALL_TYPES = [
  'entitlement.created',
  'entitlement.updated',
  'entitlement.revoked',
  'entitlement.deleted',
  'offer.created',
  'offer.updated',
  'offer.deleted',
];

/** The dispatcher tuned for tests: private targets allowed, short polls and backoff. */
export const FAST_DISPATCH: Record<string, string> = {
  WEBHOOK_ALLOW_PRIVATE_TARGETS: 'true',
  WEBHOOK_POLL_MS: '50',
  WEBHOOK_BACKOFF_BASE_MS: '50',
  WEBHOOK_BACKOFF_MAX_MS: '300',
  WEBHOOK_TIMEOUT_MS: '2000',
};

/** A project id of its own per run (the NATS stream outlives test runs). */
export function uniqueProject(prefix: string): string {
  return `${prefix}-${randomBytes(4).toString('hex')}`;
}

export interface Received {
  headers: IncomingMessage['headers'];
  body: string;
  json: any;
  status: number;
}

export type Answer = (req: Received) => number | 'hang';

/**
 * A real webhook receiver on 127.0.0.1: records every request (the status it answered with) and answers
 * what `answer` says (default 204); it can go down (the port refuses connections) and come back on the
 * same port.
 */
export class Receiver {
  readonly received: Received[] = [];
  answer: Answer = () => 204;
  private server?: Server;
  private readonly hanging = new Set<ServerResponse>();
  port = 0;

  static async start(): Promise<Receiver> {
    const r = new Receiver();
    await r.up();
    return r;
  }

  get url(): string {
    return `http://127.0.0.1:${this.port}/hooks`;
  }

  /** Requests answered 2xx. */
  get delivered(): Received[] {
    return this.received.filter((r) => r.status >= 200 && r.status < 300);
  }

  /** Requests being held open by a 'hang' answer. */
  get hangingCount(): number {
    return this.hanging.size;
  }

  async up(): Promise<void> {
    const server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const body = Buffer.concat(chunks).toString('utf8');
        let json: unknown;
        try {
          json = JSON.parse(body);
        } catch {
          json = undefined;
        }
        const rec: Received = { headers: req.headers, body, json, status: 0 };
        const answer = this.answer(rec);
        if (answer === 'hang') {
          this.hanging.add(res);
          res.on('close', () => this.hanging.delete(res));
          return;
        }
        rec.status = answer;
        this.received.push(rec);
        res.statusCode = answer;
        res.end();
      });
    });
    await new Promise<void>((resolve) => server.listen(this.port, '127.0.0.1', resolve));
    this.port = (server.address() as AddressInfo).port;
    this.server = server;
  }

  async down(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    if (!server) return;
    for (const res of this.hanging) res.destroy();
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  /** The first 2xx-answered event per id, in arrival order. */
  deliveredEvents(): any[] {
    const seen = new Set<string>();
    const out: any[] = [];
    for (const r of this.delivered) {
      if (!seen.has(r.json.id)) {
        seen.add(r.json.id);
        out.push(r.json);
      }
    }
    return out;
  }
}

/** Polls `check` until it returns a truthy value (or throws after `timeoutMs`, with `what` in the message). */
type Falsy = undefined | null | false | '' | 0;

export async function waitFor<T>(
  what: string,
  check: () => Promise<T | Falsy> | T | Falsy,
  timeoutMs = 30_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

/** Creates an endpoint through the API; returns its id and secret. */
export async function createEndpoint(
  t: TestApp,
  token: string,
  body: { project_id: string; url: string; event_types?: string[]; description?: string },
): Promise<{ id: string; secret: string }> {
  const res = await t.post(ENDPOINTS, { event_types: ALL_TYPES, ...body }, { token });
  if (res.status !== 200) throw new Error(`createEndpoint: ${res.status} ${res.text}`);
  return { id: res.body.endpoint.id, secret: res.body.secret };
}

/** The event ids of the project's outbox, in sequence order. */
export async function outboxIds(t: TestApp, projectId: string): Promise<string[]> {
  const rows = await t.sql<{ event_id: string }>(
    'select event_id from outbox_event where project_id = $1 order by seq',
    [projectId],
  );
  return rows.map((r) => r.event_id);
}
