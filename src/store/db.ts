import pg from 'pg';

export type Pool = pg.Pool;
export type PoolClient = pg.PoolClient;
export type Queryable = Pick<pg.Pool, 'query'>;

// bigint columns (page ids, counts) fit in a JS number for any realistic install; parse them as numbers.
pg.types.setTypeParser(pg.types.builtins.INT8, (v) => Number(v));

/** Timeouts of a pool's connections; every one bounds how long a stalled Postgres can hold a caller. */
export interface PoolTimeouts {
  /**
   * Postgres `statement_timeout`: the server cancels a statement running longer. 0 turns it off.
   * @defaultValue 30000
   */
  statementTimeoutMs?: number;
  /**
   * Postgres `idle_in_transaction_session_timeout`: the server ends a session that sits in an open
   * transaction this long (a stuck client must not hold row locks for ever). @defaultValue 60000
   */
  idleInTransactionTimeoutMs?: number;
}

/**
 * A connection pool; nothing connects until the first query. Besides the server-side timeouts, each
 * query has a client-side `query_timeout` (statement timeout + 5 s): a network that stalls (no RST,
 * no answer) cannot deliver the server's cancellation, and the caller must not wait for TCP keepalive.
 */
export function createPool(databaseUrl: string, max: number, timeouts: PoolTimeouts = {}): Pool {
  const statementTimeoutMs = timeouts.statementTimeoutMs ?? 30_000;
  const pool = new pg.Pool({
    connectionString: databaseUrl,
    max,
    connectionTimeoutMillis: 5000,
    idleTimeoutMillis: 30_000,
    application_name: 'reply-desk',
    statement_timeout: statementTimeoutMs,
    query_timeout: statementTimeoutMs === 0 ? undefined : statementTimeoutMs + 5000,
    idle_in_transaction_session_timeout: timeouts.idleInTransactionTimeoutMs ?? 60_000,
    keepAlive: true,
  });
  // An idle client losing its connection (Postgres restart) must not crash the process; the next
  // query gets a fresh connection.
  pool.on('error', () => {});
  // A checked-out client (inside a transaction, between two queries) has no pool listener: a backend
  // terminated or a connection reset then would be an unhandled 'error' event and kill the process.
  // The query in flight (or the next one) fails and the caller handles that.
  pool.on('connect', (client) => {
    client.on('error', () => {});
  });
  return pool;
}

/**
 * One connection of its own, outside any pool, for LISTEN: a pooled connection is handed to other
 * queries and closed when idle, and either loses the subscription. Nothing connects until `connect()`.
 * No statement timeout applies to it (it runs only LISTEN); keepalive notices a dead peer.
 */
export function createDedicatedClient(databaseUrl: string, applicationName: string): pg.Client {
  return new pg.Client({
    connectionString: databaseUrl,
    application_name: applicationName,
    keepAlive: true,
    // A stalled network must not leave the connect pending for ever: it fails, and the owner retries.
    connectionTimeoutMillis: 5000,
  });
}
