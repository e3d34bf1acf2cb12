import type { Pool } from '../db.js';
import { inTransaction } from '../moderation-actions.js';

/** Who closes or reopens a thread, as the audit log records it: a moderator, or the command line. */
export interface PageActor {
  id: number | null;
  label: string;
}

/** What happened: the page's state after, and whether this call changed it (false: it already was). */
export interface PageClosureChange {
  closed: boolean;
  changed: boolean;
}

/**
 * Closes or reopens a page's thread by hand (pages.closed, which src/domain/thread-closure.ts reads for
 * the worker, the widget and the no-JS page). The same statement moves pages.thread_version: closing
 * changes what every reader is shown ("Comments are closed.", no form), and cached thread answers are
 * used only for the version they were rendered at (src/http/public/thread-cache.ts), so they show it
 * at once. Audited as page_close / page_open in the same transaction; closing a closed page changes
 * and records nothing. Null when the site has no such page.
 */
export async function setPageClosed(
  pool: Pool,
  p: { siteId: string; identifier: string; closed: boolean; actor: PageActor },
): Promise<PageClosureChange | null> {
  return inTransaction(pool, async (client) => {
    const { rows } = await client.query<{ id: number }>(
      `update pages set closed = $3, thread_version = thread_version + 1
        where site_id = $1 and identifier = $2 and closed <> $3 returning id`,
      [p.siteId, p.identifier, p.closed],
    );
    if (rows[0] === undefined) {
      const exists = await client.query('select 1 from pages where site_id = $1 and identifier = $2', [
        p.siteId,
        p.identifier,
      ]);
      return exists.rowCount ? { closed: p.closed, changed: false } : null;
    }
    await client.query(
      `insert into moderation_events (actor_id, actor, action, site_id, detail) values ($1, $2, $3, $4, $5)`,
      [
        p.actor.id,
        p.actor.label,
        p.closed ? 'page_close' : 'page_open',
        p.siteId,
        JSON.stringify({ page: p.identifier }),
      ],
    );
    return { closed: p.closed, changed: true };
  });
}
