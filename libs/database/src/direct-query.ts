import { EntityManager } from '@mikro-orm/postgresql';

/** What node-postgres' client answers to `query({ text, values })`. */
interface PgConnection {
  query(config: { text: string; values: unknown[] }): Promise<{ rows: Record<string, unknown>[] }>;
  /** Set by knex when the connection failed: the pool then discards it instead of lending it again. */
  __knex__disposed?: unknown;
}

/** The part of knex's client that lends the pool's connections. */
interface PoolClient {
  acquireConnection(): Promise<PgConnection>;
  releaseConnection(connection: PgConnection): Promise<void>;
}

/** One transaction of directTransaction: its connection, and the ORM (metadata, platform, query log). */
export interface DirectTx {
  readonly em: EntityManager;
  readonly connection: PgConnection;
}

/** Where a direct statement runs: a pooled connection of `em` (or of its ORM transaction), or a DirectTx. */
export type Db = EntityManager | DirectTx;

export const emOf = (db: Db): EntityManager => ('connection' in db ? db.em : db);

const poolOf = (em: EntityManager): PoolClient =>
  // Inside em.transactional, the transaction's knex client lends its one connection (releasing it is a no-op).
  ((em.getTransactionContext() ?? em.getConnection().getKnex()) as unknown as { client: PoolClient }).client;

/**
 * A statement on a hot path straight through node-postgres, on a connection of the ORM's own pool (one pool, one
 * set of limits and timeouts), or on a transaction's connection: parameters bound (`$1`), no query formatting or
 * unit of work. Reads map rows to domain objects (rows.ts); the stores' writes use direct-write.ts inside
 * directTransaction.
 */
export async function directQuery(db: Db, text: string, values: unknown[]): Promise<Record<string, unknown>[]> {
  if ('connection' in db) return run(db.em, db.connection, text, values);
  const pool = poolOf(db);
  const connection = await pool.acquireConnection();
  try {
    return await run(db, connection, text, values);
  } finally {
    await pool.releaseConnection(connection);
  }
}

async function run(
  em: EntityManager,
  connection: PgConnection,
  text: string,
  values: unknown[],
): Promise<Record<string, unknown>[]> {
  const started = performance.now();
  const { rows } = await connection.query({ text, values });
  // The ORM's query log (debug) stays complete: these statements appear in it like the ORM's own, with the
  // parameters inlined (runnable as logged).
  const logger = em.config.getLogger();
  if (logger.isEnabled('query')) {
    const platform = em.getPlatform();
    logger.logQuery({
      query: text.replace(/\$(\d+)/g, (_, n: string) => platform.quoteValue(values[Number(n) - 1])),
      params: values,
      took: Math.round(performance.now() - started),
      results: rows.length,
    });
  }
  return rows;
}

/**
 * One transaction on one pooled connection (BEGIN … COMMIT), for the stores' write paths whose statements all go
 * through directQuery/direct-write: what `work` writes commits together or not at all (a thrown error rolls back).
 * Without the ORM's transaction machinery (an EntityManager fork, knex's transactor) on paths that run per
 * purchase and per playback start. A connection whose ROLLBACK fails (a lost or frozen server) is discarded, not
 * lent again.
 */
export async function directTransaction<T>(em: EntityManager, work: (tx: DirectTx) => Promise<T>): Promise<T> {
  const pool = poolOf(em);
  const connection = await pool.acquireConnection();
  // Whether the connection is known to be back outside any transaction, fit to be lent again.
  let idle = false;
  const end = async (statement: 'commit' | 'rollback') => {
    try {
      await run(em, connection, statement, []);
      idle = true;
    } catch (err) {
      // The server answered (a failed COMMIT ends the transaction too); a timeout or a lost connection did not.
      idle = sqlState(err) !== undefined;
      throw err;
    }
  };
  try {
    await run(em, connection, 'begin', []);
    let result: T;
    try {
      result = await work({ em, connection });
    } catch (err) {
      await end('rollback').catch(() => undefined);
      throw err;
    }
    await end('commit');
    return result;
  } finally {
    if (!idle) connection.__knex__disposed ??= 'the transaction did not end cleanly';
    await pool.releaseConnection(connection);
  }
}

/** The SQLSTATE of an error PostgreSQL answered with (node-postgres' `code`); undefined for any other error. */
export function sqlState(err: unknown): string | undefined {
  const code = (err as { code?: unknown } | null)?.code;
  return typeof code === 'string' && /^[0-9A-Z]{5}$/.test(code) ? code : undefined;
}
