import type { Pool, Queryable } from '../db.js';
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

/** Which of a site's pages the Pages list shows. */
export type PageListView = 'active' | 'closed' | 'all';

export const pageListViews: readonly PageListView[] = ['active', 'closed', 'all'];

export interface PageListItem {
  identifier: string;
  title: string | null;
  url: string | null;
  closed: boolean;
  approvedCount: number;
  /** Comments received in the last 24 hours, whatever their status: what "most active now" sorts by. */
  recentCount: number;
  lastCommentAt: Date | null;
}

/**
 * A site's pages for the Pages list: `active` is the most active now (comments in the last 24 hours,
 * then the latest comment), `closed` the threads closed by hand, `all` every page, newest first. `q`
 * narrows to pages whose identifier, title or URL contains it. At most `limit` rows.
 */
export async function listSitePages(
  db: Queryable,
  q: { siteId: string; view: PageListView; search: string | null; now: Date; limit?: number },
): Promise<PageListItem[]> {
  const order =
    q.view === 'active'
      ? 'recent_count desc, last_comment_at desc nulls last, p.id desc'
      : q.view === 'closed'
        ? 'last_comment_at desc nulls last, p.id desc'
        : 'p.id desc';
  const { rows } = await db.query<{
    identifier: string;
    title: string | null;
    url: string | null;
    closed: boolean;
    approved_count: number;
    recent_count: number;
    last_comment_at: Date | null;
  }>(
    `select p.identifier, p.title, p.url, p.closed, p.approved_count, a.recent_count, a.last_comment_at
       from pages p
       cross join lateral (
         select count(*) filter (where c.received_at > $4::timestamptz - interval '24 hours')::int as recent_count,
                max(c.received_at) as last_comment_at
           from comments c where c.page_id = p.id) a
      where p.site_id = $1
        and ($2::boolean is false or p.closed)
        and ($3::text is null or strpos(lower(p.identifier || ' ' || coalesce(p.title, '') || ' ' || coalesce(p.url, '')), lower($3)) > 0)
      order by ${order}
      limit $5`,
    [q.siteId, q.view === 'closed', q.search, q.now, q.limit ?? 50],
  );
  return rows.map((r) => ({
    identifier: r.identifier,
    title: r.title,
    url: r.url,
    closed: r.closed,
    approvedCount: r.approved_count,
    recentCount: r.recent_count,
    lastCommentAt: r.last_comment_at,
  }));
}
