import type { Pool } from '../store/db.js';

/**
 * Several queries in the same snapshot, one after the other (pages, then comments). Each is read
 * through its own cursor on the same connection.
 */
export async function* streamSnapshot<T>(
  pool: Pool,
  queries: { sql: string; params: unknown[]; tag: string }[],
  fetchSize = 1000,
): AsyncGenerator<{ tag: string; rows: T[] }> {
  const client = await pool.connect();
  let open = false;
  try {
    await client.query('begin isolation level repeatable read read only');
    open = true;
    for (const [i, q] of queries.entries()) {
      await client.query(`declare export_rows_${i} no scroll cursor for ${q.sql}`, q.params);
      for (;;) {
        const { rows } = await client.query<T & object>(`fetch ${fetchSize} from export_rows_${i}`);
        if (rows.length === 0) break;
        yield { tag: q.tag, rows };
      }
      await client.query(`close export_rows_${i}`);
    }
    await client.query('commit');
    open = false;
  } finally {
    if (open) await client.query('rollback').catch(() => {});
    client.release();
  }
}
