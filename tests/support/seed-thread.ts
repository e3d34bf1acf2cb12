import { randomUUID } from 'node:crypto';
import type { Pool } from '../../src/store/db.js';

/** A comment to seed straight into the table (no pipeline): approved unless said otherwise. */
export interface SeedComment {
  id?: string;
  parent?: string | null;
  depth?: number;
  body?: string;
  html?: string;
  status?: string;
  /** Milliseconds after the thread's start time. */
  at: number;
}

/**
 * Creates the page row (if missing) and inserts comments into it as stored ones; returns their ids in
 * order. Fast enough for threads of thousands, which the pipeline would take minutes to write.
 */
export async function seedThread(
  pool: Pool,
  site: string,
  page: string,
  comments: SeedComment[],
  start = new Date('2026-01-01T00:00:00Z'),
): Promise<string[]> {
  const { rows } = await pool.query<{ id: number }>(
    `insert into pages (site_id, identifier) values ($1, $2)
     on conflict (site_id, identifier) do update set identifier = excluded.identifier returning id`,
    [site, page],
  );
  const pageId = rows[0]!.id;
  const ids = comments.map((c) => c.id ?? randomUUID());
  await pool.query(
    `insert into comments (id, site_id, page_id, parent_id, depth, author_name, body, body_html, status, verdict, content_hash, received_at)
     select t.id, $1, $2, t.parent, t.depth, 'Reader', t.body, t.html, t.status, '{"status":"approved","score":0,"reasons":[]}',
            sha256(convert_to(t.id::text, 'UTF8')), t.at
       from unnest($3::uuid[], $4::uuid[], $5::int[], $6::text[], $7::text[], $8::text[], $9::timestamptz[])
            as t(id, parent, depth, body, html, status, at)`,
    [
      site,
      pageId,
      ids,
      comments.map((c) => c.parent ?? null),
      comments.map((c) => c.depth ?? 0),
      comments.map((c, i) => c.body ?? `comment ${i}`),
      comments.map((c, i) => c.html ?? `<p>comment ${i}</p>`),
      comments.map((c) => c.status ?? 'approved'),
      comments.map((c) => new Date(start.getTime() + c.at)),
    ],
  );
  return ids;
}
