import { randomUUID } from 'node:crypto';
import type { Pool } from '../../src/store/db.js';

/**
 * Stores `n` held comments on a page straight in SQL, oldest first, received over the last hour: for
 * tests of the moderators' tools, where the pipeline is not under test and 10,000 posts would take
 * minutes. Returns their ids in order.
 */
export async function insertHeldComments(pool: Pool, site: string, page: string, n: number): Promise<string[]> {
  const { rows: pages } = await pool.query<{ id: number }>(
    `insert into pages (site_id, identifier) values ($1, $2)
     on conflict (site_id, identifier) do update set identifier = excluded.identifier returning id`,
    [site, page],
  );
  const { rows } = await pool.query<{ id: string }>(
    `insert into comments (id, site_id, page_id, author_name, author_email, body, body_html, status, verdict, content_hash, received_at)
     select gen_random_uuid(), $1, $2, 'Reader ' || i, 'reader' || i || '@example.org', 'Held comment ' || i,
            '<p>Held comment ' || i || '</p>', 'pending',
            '{"status":"pending","score":1,"reasons":[{"rule":"first-time","action":"hold","code":"FIRST_COMMENT","message":"First comment","score":1}]}',
            sha256(convert_to($3 || i, 'UTF8')), now() - interval '1 hour' + i * interval '1 millisecond'
       from generate_series(1, $4::int) i
      order by i
     returning id`,
    [site, pages[0]!.id, randomUUID(), n],
  );
  return rows.map((r) => r.id);
}
