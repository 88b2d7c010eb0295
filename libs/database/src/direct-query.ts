import { EntityManager } from '@mikro-orm/postgresql';

/** What node-postgres' client answers to `query({ text, values })`. */
interface PgConnection {
  query(config: { text: string; values: unknown[] }): Promise<{ rows: Record<string, unknown>[] }>;
}

/** The part of knex's client that lends the pool's connections. */
interface PoolClient {
  acquireConnection(): Promise<PgConnection>;
  releaseConnection(connection: PgConnection): Promise<void>;
}

/**
 * A statement on a hot path straight through node-postgres, on a connection of the ORM's own pool (one pool, one
 * set of limits and timeouts), or on the connection of `em`'s transaction when it has one: parameters bound
 * (`$1`), no query formatting or unit of work. Reads map rows to domain objects (rows.ts); the stores' writes
 * use direct-write.ts inside their transactions.
 */
export async function directQuery(
  em: EntityManager,
  text: string,
  values: unknown[],
): Promise<Record<string, unknown>[]> {
  // Inside em.transactional, the transaction's knex client lends its one connection (and releasing it is a no-op).
  const knex = (em.getTransactionContext() ?? em.getConnection().getKnex()) as unknown as { client: PoolClient };
  const client = knex.client;
  const started = performance.now();
  const connection = await client.acquireConnection();
  try {
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
  } finally {
    await client.releaseConnection(connection);
  }
}
