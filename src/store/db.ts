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

/** How a pool's queries reach Postgres, besides its timeouts. */
export interface PoolStatements {
  /**
   * false: every query goes as an unnamed statement, its `name` dropped (DB_PREPARED_STATEMENTS=off).
   * PgBouncer in transaction mode before 1.21 hands the next transaction another server connection,
   * where a statement this connection named is unknown (or one of that name is another's).
   * @defaultValue true
   */
  preparedStatements?: boolean;
}

/**
 * The query config without its statement name; strings, and query objects of their own (cursors,
 * COPY streams: they have `submit`), pass unchanged.
 */
export function withoutStatementName(config: unknown): unknown {
  if (typeof config !== 'object' || config === null || !('name' in config)) return config;
  if (typeof (config as { submit?: unknown }).submit === 'function') return config;
  const { name: _name, ...unnamed } = config as Record<string, unknown>;
  return unnamed;
}

/**
 * A connection pool; nothing connects until the first query. Besides the server-side timeouts, each
 * query has a client-side `query_timeout` (statement timeout + 5 s): a network that stalls (no RST,
 * no answer) cannot deliver the server's cancellation, and the caller must not wait for TCP keepalive.
 */
export function createPool(
  databaseUrl: string,
  max: number,
  timeouts: PoolTimeouts = {},
  statements: PoolStatements = {},
): Pool {
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
  // Every query of the pool, and of a checked-out client, goes through its client's query(): one place.
  if (statements.preparedStatements === false) {
    pool.on('connect', (client) => {
      const query = client.query.bind(client) as (...args: unknown[]) => unknown;
      (client as { query: unknown }).query = (config: unknown, ...rest: unknown[]) =>
        query(withoutStatementName(config), ...rest);
    });
  }
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
