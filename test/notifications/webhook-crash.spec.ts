import { ChildProcess, execFileSync, spawn } from 'node:child_process';
import { rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { freeLocalPort } from '@app/database';
import { TestApp } from '../support/test-app';
import { createEndpoint, FAST_DISPATCH, outboxIds, Receiver, uniqueProject, waitFor } from './webhook-support';

/**
 * The real service process (compiled, `node main.js`) dispatching, killed with SIGKILL while deliveries are
 * in flight, then restarted: every event still reaches the receiver. The test's own app instance (no
 * dispatcher) makes the changes on the same database.
 */
const root = resolve(__dirname, '../..');
const outDir = join(root, 'dist-test-notify');
const main = join(outDir, 'apps/api/src/main.js');

interface Running {
  child: ChildProcess;
  exited: Promise<unknown>;
  output: () => string;
}

function runService(env: Record<string, string>): Running {
  const child = spawn(process.execPath, [main], {
    cwd: root,
    env: { ...process.env, LOG_LEVEL: 'warn', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout.on('data', (d) => (out += d));
  child.stderr.on('data', (d) => (out += d));
  const exited = new Promise((r) => child.on('exit', r));
  return { child, exited, output: () => out };
}

describe('change notifications: a crash mid-delivery loses nothing', () => {
  let t: TestApp;
  let receiver: Receiver;
  let service: Running | undefined;
  const project = uniqueProject('crash');

  beforeAll(async () => {
    execFileSync(process.execPath, [join(root, 'scripts/build.js'), outDir], { cwd: root, stdio: 'pipe' });
    receiver = await Receiver.start();
    t = await TestApp.start({ WEBHOOK_DISPATCHER: 'false', WEBHOOK_ALLOW_PRIVATE_TARGETS: 'true' });
    await t.createProject(project);
  });
  afterAll(async () => {
    service?.child.kill('SIGKILL');
    await service?.exited;
    await t?.close();
    await receiver?.down();
    rmSync(outDir, { recursive: true, force: true });
  });

  it('delivers every event at least once after SIGKILL and a restart', async () => {
    const editor = await t.platformToken([project], 'editor');
    await createEndpoint(t, editor, { project_id: project, url: receiver.url });
    // The receiver holds every request open: the service dies with deliveries in flight.
    receiver.answer = () => 'hang';
    for (let i = 0; i < 12; i++) {
      const res = await t.post(
        '/monetization/offers/v1',
        { project_id: project, name: `Offer ${i}`, applies_to_all: true, visibility: 'VISIBILITY_PUBLISHED' },
        { token: editor },
      );
      expect(res.status).toBe(200);
    }
    const env = {
      ...FAST_DISPATCH,
      NODE_ENV: 'test',
      DATABASE_URL: t.databaseUrl,
      DB_MIGRATE_ON_START: 'false',
      DATA_DIR: t.dataDir,
      HOST: '127.0.0.1',
      WEBHOOK_TIMEOUT_MS: '1000',
      WEBHOOK_CONCURRENCY: '4',
    };
    service = runService({ ...env, PORT: String(await freeLocalPort()) });
    await waitFor('deliveries in flight', () => receiver.hangingCount >= 4);
    service.child.kill('SIGKILL');
    await service.exited;

    const inFlight = await t.sql(`select id from webhook_delivery where status = 'PENDING' and attempts > 0`);
    expect(inFlight.length).toBeGreaterThanOrEqual(4);

    receiver.answer = () => 204;
    service = runService({ ...env, PORT: String(await freeLocalPort()) });
    const ids = await outboxIds(t, project);
    expect(ids).toHaveLength(12);
    await waitFor(
      'every event delivered after the restart',
      () => {
        const got = new Set(receiver.deliveredEvents().map((e) => e.id));
        return ids.every((id) => got.has(id));
      },
      30_000,
    );
    // The attempts cut short by the kill were made again once their lease ran out.
    const rows = await waitFor('the log to show them delivered', async () => {
      const found = await t.sql(`select status, attempts from webhook_delivery where id = any($1::bigint[])`, [
        inFlight.map((r) => r.id),
      ]);
      return found.every((r) => r.status === 'DELIVERED') ? found : undefined;
    });
    expect(rows.every((r) => r.attempts >= 2)).toBe(true);
  });
});
