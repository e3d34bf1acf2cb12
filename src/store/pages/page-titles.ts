import type { Pool, Queryable } from '../db.js';
import { inTransaction } from '../moderation-actions.js';

/** Who set a title, as the audit log records it: a moderator, or the command line. */
export interface TitleActor {
  id: number | null;
  label: string;
}

/**
 * Sets a page's confirmed title (sql/0016: `title` is confirmed, `suggested_title` only a submission's
 * suggestion) and records it in the audit log, in one transaction. False when the site has no such
 * page. The suggestion stays, for the record.
 */
export async function setPageTitle(
  pool: Pool,
  p: { siteId: string; identifier: string; title: string; actor: TitleActor },
): Promise<boolean> {
  return inTransaction(pool, async (client) => {
    const { rows } = await client.query<{ before: string | null }>(
      `update pages n set title = $3 from pages o
        where n.site_id = $1 and n.identifier = $2 and o.id = n.id
        returning o.title as before`,
      [p.siteId, p.identifier, p.title],
    );
    const row = rows[0];
    if (row === undefined) return false;
    await client.query(
      `insert into moderation_events (actor_id, actor, action, site_id, detail) values ($1, $2, 'page_title', $3, $4)`,
      [p.actor.id, p.actor.label, p.siteId, JSON.stringify({ page: p.identifier, before: row.before, after: p.title })],
    );
    return true;
  });
}

/** A site's pages whose title is only a suggestion, for the CLI's list (newest first). */
export async function listSuggestedTitles(
  db: Queryable,
  siteId: string,
  limit = 100,
): Promise<{ identifier: string; suggestedTitle: string }[]> {
  const { rows } = await db.query<{ identifier: string; suggested_title: string }>(
    `select identifier, suggested_title from pages where site_id = $1 and title is null and suggested_title is not null
      order by id desc limit $2`,
    [siteId, limit],
  );
  return rows.map((r) => ({ identifier: r.identifier, suggestedTitle: r.suggested_title }));
}
