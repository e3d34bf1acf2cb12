import type { Queryable } from '../db.js';
import { pageColumns, toStoredPage, type PageRow, type StoredPage } from './page-settings-store.js';

/** Which of a site's pages the Pages list shows. */
export type PageListView = 'active' | 'closed' | 'overridden' | 'all';

export const pageListViews: readonly PageListView[] = ['active', 'closed', 'overridden', 'all'];

export interface PageListItem extends StoredPage {
  /** Comments received in the last 24 hours, whatever their status: what "most active now" sorts by. */
  recentCount: number;
  lastCommentAt: Date | null;
}

/**
 * A site's pages for the Pages list: `active` is the most active now (comments in the last 24 hours,
 * then the latest comment), `closed` the threads closed by hand, `overridden` the pages with settings
 * of their own (issue 16), `all` every page, newest first. `q`
 * narrows to pages whose identifier, title or URL contains it. At most `limit` rows.
 */
export async function listSitePages(
  db: Queryable,
  q: { siteId: string; view: PageListView; search: string | null; now: Date; limit?: number },
): Promise<PageListItem[]> {
  const order =
    q.view === 'active'
      ? 'recent_count desc, last_comment_at desc nulls last, p.id desc'
      : q.view === 'closed' || q.view === 'overridden'
        ? 'last_comment_at desc nulls last, p.id desc'
        : 'p.id desc';
  const { rows } = await db.query<PageRow & { recent_count: number; last_comment_at: Date | null }>(
    `select ${pageColumns('p')}, a.recent_count, a.last_comment_at
       from pages p
       cross join lateral (
         select count(*) filter (where c.received_at > $4::timestamptz - interval '24 hours')::int as recent_count,
                max(c.received_at) as last_comment_at
           from comments c where c.page_id = p.id) a
      where p.site_id = $1
        and ($2::boolean is false or p.closed)
        and ($6::boolean is false or p.settings <> '{}'::jsonb)
        and ($3::text is null or strpos(lower(p.identifier || ' ' || coalesce(p.title, '') || ' ' || coalesce(p.url, '')), lower($3)) > 0)
      order by ${order}
      limit $5`,
    [q.siteId, q.view === 'closed', q.search, q.now, q.limit ?? 50, q.view === 'overridden'],
  );
  return rows.map((r) => ({
    ...toStoredPage(r),
    recentCount: r.recent_count,
    lastCommentAt: r.last_comment_at,
  }));
}
