import { Client } from 'pg';
import { TestApp } from '../support/test-app';
import { sleep } from './private-postgres';

/**
 * Readiness reflects the database, not the request queue: with every pooled connection busy and requests
 * waiting for one, /health/ready still answers 200 (its ping has a connection of its own) and reports the
 * pool's saturation beside it.
 */
describe('readiness under load', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await TestApp.start({ DB_POOL_MAX: '2', DB_POOL_ACQUIRE_TIMEOUT_MS: '20000' });
    await t.createProject('busy');
  });
  afterAll(() => t.close());

  it('answers 200 with the pool saturated, reporting used and pending connections', async () => {
    const viewer = await t.platformToken(['busy'], 'viewer');
    // Every read of the entitlement table waits behind this lock, holding its pooled connection.
    const locker = new Client({ connectionString: t.databaseUrl });
    await locker.connect();
    await locker.query('BEGIN; LOCK TABLE entitlement IN ACCESS EXCLUSIVE MODE');
    let lists: Promise<{ status: number }[]> | undefined;
    try {
      lists = Promise.all(
        Array.from({ length: 8 }, () =>
          t.get('/monetization/entitlements/v1', { token: viewer, query: { project_id: 'busy' } }),
        ),
      );
      // Wait until the pool is saturated (both connections taken, requests queued for one).
      let ready = await t.get('/health/ready');
      const saturated = (pool?: { used: number; pending: number }) => pool?.used === 2 && pool.pending > 0;
      for (let i = 0; i < 100 && !saturated(ready.body.details?.pool); i++) {
        await sleep(50);
        ready = await t.get('/health/ready');
      }
      expect(ready.status).toBe(200);
      expect(ready.body.details.database.status).toBe('up');
      expect(ready.body.details.pool).toMatchObject({ status: 'up', used: 2, max: 2 });
      expect(ready.body.details.pool.pending).toBeGreaterThan(0);
    } finally {
      await locker.query('ROLLBACK');
      await locker.end();
    }
    // The queued requests complete once the lock is gone.
    expect((await lists).map((r) => r.status)).toEqual(Array(8).fill(200));
  });
});
