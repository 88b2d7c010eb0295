import { randomUUID } from 'node:crypto';
import { CRM_BASE } from '../crm-gateway/crm-client';
import { insertOffer } from '../support/fixtures';
import { HttpResponse, TestApp } from '../support/test-app';
import { PrivatePostgres, sleep } from './private-postgres';

const MOTTO = '/monetization/entitlements/v1';
const PROJECT = 'outage';

interface Outcome {
  api: 'crm' | 'motto';
  id: string;
  startedAt: number;
  answeredAt: number;
  res: HttpResponse;
}

/** A 503 as each API style documents it: its error body, and Retry-After. */
function expectUnavailable(o: Outcome): void {
  expect(o.res.status).toBe(503);
  expect(Number(o.res.headers.get('retry-after'))).toBeGreaterThan(0);
  if (o.api === 'crm') expect(o.res.body).toMatchObject({ code: 503, errorCode: 5030 });
  else expect(o.res.body).toMatchObject({ code: 'unavailable' });
}

describe('the database away', () => {
  let pg: PrivatePostgres;
  let t: TestApp;
  let offer: string;
  let editor: string;
  let operator: string;

  beforeAll(async () => {
    pg = await PrivatePostgres.start();
    t = await TestApp.start(
      {
        DB_POOL_MAX: '4',
        DB_POOL_ACQUIRE_TIMEOUT_MS: '2000',
        DB_CONNECT_TIMEOUT_MS: '1000',
        DB_STATEMENT_TIMEOUT_MS: '2000',
        REQUEST_DEADLINE_MS: '3000',
      },
      { ownDatabaseUrl: pg.url },
    );
    await t.createProject(PROJECT);
    offer = await insertOffer(t, PROJECT);
    editor = await t.platformToken([PROJECT], 'editor');
    operator = await t.operatorToken();
  });
  afterAll(async () => {
    await t?.close();
    await pg?.destroy();
  });

  /** One write through either API, under a new id; its outcome. */
  async function write(api: 'crm' | 'motto'): Promise<Outcome> {
    const id = `w-${randomUUID()}`;
    const startedAt = Date.now();
    const res =
      api === 'crm'
        ? await t.post(
            CRM_BASE,
            {
              _id: id,
              productId: 'sports-pack',
              accountId: id,
              validityType: 'ABSOLUTE',
              productType: 'SUBSCRIPTION',
              validFrom: '2024-01-01T00:00:00.000Z',
              expiryDate: '2035-01-01T00:00:00.000Z',
            },
            { token: operator, headers: { 'nv-tenant-id': PROJECT } },
          )
        : await t.post(MOTTO, { project_id: PROJECT, user_id: id, offer_id: offer }, { token: editor });
    return { api, id, startedAt, answeredAt: Date.now(), res };
  }

  /** Writers in a loop until `until()`: every outcome, in order. */
  async function load(workers: number, until: () => boolean): Promise<Outcome[]> {
    const outcomes: Outcome[] = [];
    await Promise.all(
      Array.from({ length: workers }, async (_, w) => {
        for (let i = 0; !until(); i++) {
          const o = await write((w + i) % 2 ? 'crm' : 'motto');
          outcomes.push(o);
          if (o.res.status >= 500) await sleep(50); // a client backing off a little
        }
      }),
    );
    return outcomes;
  }

  /** Every acknowledged write is stored: by `_id` (CRM) or by user (Motto). */
  async function expectStored(acknowledged: Outcome[]): Promise<void> {
    const rows = await pg.query<{ id: string; subject_id: string }>(
      'select id, subject_id from entitlement where project_id = $1',
      [PROJECT],
    );
    const ids = new Set(rows.map((r) => r.id));
    const subjects = new Set(rows.map((r) => r.subject_id));
    const lost = acknowledged.filter((o) => !(o.api === 'crm' ? ids.has(o.id) : subjects.has(o.id)));
    expect(lost.map((o) => `${o.api} ${o.id}`)).toEqual([]);
  }

  it('restarted under load: 503 with Retry-After in each API style, no acknowledged write lost, recovered within 5 s', async () => {
    let back = Infinity;
    let done = false;
    const running = load(6, () => done);
    await sleep(1000);
    await pg.stop();
    await sleep(1500);
    await pg.restart();
    back = Date.now();
    await sleep(6000);
    done = true;
    const outcomes = await running;

    const failed = outcomes.filter((o) => o.res.status !== 200 && o.res.status !== 201);
    for (const o of failed) expectUnavailable(o);
    expect(failed.some((o) => o.api === 'crm')).toBe(true);
    expect(failed.some((o) => o.api === 'motto')).toBe(true);
    // Recovered within 5 s of the database's return: every write started after that succeeded.
    const late = outcomes.filter((o) => o.startedAt > back + 5000);
    expect(late.length).toBeGreaterThan(0);
    expect(late.filter((o) => o.res.status >= 300).map((o) => o.res.status)).toEqual([]);
    await expectStored(outcomes.filter((o) => o.res.status < 300));
  });

  it('frozen (SIGSTOP): requests answer 503 within the deadline, readiness says down, and all is well after SIGCONT', async () => {
    pg.freeze();
    let thawedAt = Infinity;
    try {
      const started = Date.now();
      const during = await Promise.all([
        write('crm'),
        write('motto'),
        write('crm'),
        write('motto'),
        write('crm'),
        write('motto'),
        write('crm'),
        write('motto'),
      ]);
      for (const o of during) {
        expectUnavailable(o);
        expect(o.answeredAt - o.startedAt).toBeLessThan(3000 + 3000); // REQUEST_DEADLINE_MS + margin
      }
      const ready = await t.get('/health/ready');
      expect(ready.status).toBe(503);
      expect(ready.body.error.database.status).toBe('down');
      expect(Date.now() - started).toBeLessThan(20_000);
    } finally {
      pg.thaw();
      thawedAt = Date.now();
    }
    // Back within 5 s of SIGCONT.
    let ok: Outcome | undefined;
    while (!ok && Date.now() - thawedAt < 5000) {
      const [crm, motto] = await Promise.all([write('crm'), write('motto')]);
      if (crm.res.status === 201 && motto.res.status === 200) ok = crm;
      else await sleep(100);
    }
    expect(ok).toBeDefined();
    expect((await t.get('/health/ready')).status).toBe(200);
  });
});
