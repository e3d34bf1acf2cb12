import pg from 'pg';

export type Pool = pg.Pool;
export type PoolClient = pg.PoolClient;
export type Queryable = Pick<pg.Pool, 'query'>;

// bigint columns (page ids, counts) fit in a JS number for any realistic install; parse them as numbers.
pg.types.setTypeParser(pg.types.builtins.INT8, (v) => Number(v));

/** A connection pool; nothing connects until the first query. */
export function createPool(databaseUrl: string, max: number): Pool {
  const pool = new pg.Pool({
    connectionString: databaseUrl,
    max,
    connectionTimeoutMillis: 5000,
    idleTimeoutMillis: 30_000,
    application_name: 'reply-desk',
  });
  // An idle client losing its connection (Postgres restart) must not crash the process; the next
  // query gets a fresh connection.
  pool.on('error', () => {});
  return pool;
}
