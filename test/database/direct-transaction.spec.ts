import { directQuery, directTransaction } from '@app/database';
import { EntityManager } from '@mikro-orm/postgresql';
import { TestApp } from '../support/test-app';

/**
 * directTransaction (the write paths' transactions) on a pool of ONE connection, so that a connection left inside
 * a transaction, or broken, would show in the next use: what commits, what rolls back, and what the pool lends next.
 */
describe('directTransaction', () => {
  let t: TestApp;
  let em: EntityManager;

  beforeAll(async () => {
    t = await TestApp.start({ DB_POOL_MAX: '1', WEBHOOK_DISPATCHER: 'false' });
    em = t.app.get(EntityManager).fork();
    await t.sql('create table direct_tx_probe (id text primary key)');
  });
  afterAll(() => t.close());

  const ids = async () => (await t.sql<{ id: string }>('select id from direct_tx_probe order by id')).map((r) => r.id);
  const insert = (db: Parameters<typeof directQuery>[0], id: string) =>
    directQuery(db, 'insert into direct_tx_probe (id) values ($1)', [id]);
  /** The connection the pool lends next is outside any transaction (txid_current_if_assigned is null). */
  const lentIdle = async () =>
    expect(await directQuery(em, 'select txid_current_if_assigned() as tx, pg_backend_pid() as pid', [])).toEqual([
      { tx: null, pid: expect.any(Number) },
    ]);

  it('commits what the work wrote, and returns what it returned', async () => {
    await expect(
      directTransaction(em, async (tx) => {
        await insert(tx, 'a');
        await insert(tx, 'b');
        return 'done';
      }),
    ).resolves.toBe('done');
    expect(await ids()).toEqual(['a', 'b']);
    await lentIdle();
  });

  it('rolls everything back when the work throws, and the connection is lent again, idle', async () => {
    await expect(
      directTransaction(em, async (tx) => {
        await insert(tx, 'c');
        throw new Error('refused by a rule');
      }),
    ).rejects.toThrow('refused by a rule');
    // A failed statement (unique violation) aborts the transaction: rolled back too.
    await expect(
      directTransaction(em, async (tx) => {
        await insert(tx, 'd');
        await insert(tx, 'a');
      }),
    ).rejects.toMatchObject({ code: '23505' });
    expect(await ids()).toEqual(['a', 'b']);
    await lentIdle();
  });

  it('a connection lost mid-transaction is not lent again: the next transaction gets a new one', async () => {
    const [{ pid }] = await directQuery(em, 'select pg_backend_pid() as pid', []);
    await expect(
      directTransaction(em, async (tx) => {
        await insert(tx, 'e');
        await t.sql('select pg_terminate_backend($1)', [pid]);
        await insert(tx, 'f');
      }),
    ).rejects.toThrow();
    await directTransaction(em, (tx) => insert(tx, 'g'));
    expect(await ids()).toEqual(['a', 'b', 'g']);
    const [{ pid: next }] = await directQuery(em, 'select pg_backend_pid() as pid', []);
    expect(next).not.toBe(pid);
  });
});
