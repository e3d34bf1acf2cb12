import type { Queryable } from './db.js';

/**
 * Sets a page's confirmed title (sql/0016: `title` is confirmed, `suggested_title` only a submission's
 * suggestion). False when the site has no such page. The suggestion stays, for the record.
 */
export async function setPageTitle(db: Queryable, p: { siteId: string; identifier: string; title: string }): Promise<boolean> {
  const { rowCount } = await db.query('update pages set title = $3 where site_id = $1 and identifier = $2', [p.siteId, p.identifier, p.title]);
  return rowCount === 1;
}

/** A site's pages whose title is only a suggestion, for the CLI's list (newest first). */
export async function listSuggestedTitles(db: Queryable, siteId: string, limit = 100): Promise<{ identifier: string; suggestedTitle: string }[]> {
  const { rows } = await db.query<{ identifier: string; suggested_title: string }>(
    `select identifier, suggested_title from pages where site_id = $1 and title is null and suggested_title is not null
      order by id desc limit $2`,
    [siteId, limit],
  );
  return rows.map((r) => ({ identifier: r.identifier, suggestedTitle: r.suggested_title }));
}
