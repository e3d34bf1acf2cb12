import type { Queryable } from '../db.js';

/*
 * What desk notices (src/queue/desk-notices-queue.ts) and the brigade detector read: a page and its
 * site as a notice names them, counts of what waits, readers' flags on a page, and who is mailed.
 */

/** A page as a notice shows it: only a confirmed title (sql/0016), else its URL, else its identifier. */
export interface NoticePage {
  id: number;
  siteId: string;
  siteName: string;
  identifier: string;
  url: string | null;
  title: string | null;
  /** Comments on the page waiting for a moderator now. */
  pending: number;
}

export async function loadNoticePage(db: Queryable, pageId: number): Promise<NoticePage | null> {
  const { rows } = await db.query<{
    id: string;
    site_id: string;
    site_name: string;
    identifier: string;
    url: string | null;
    title: string | null;
    pending: number;
  }>(
    `select p.id, p.site_id, s.name as site_name, p.identifier, p.url, p.title,
            (select count(*)::int from comments c where c.page_id = p.id and c.status = 'pending') as pending
       from pages p join sites s on s.id = p.site_id where p.id = $1`,
    [pageId],
  );
  const r = rows[0];
  if (!r) return null;
  return {
    id: Number(r.id),
    siteId: r.site_id,
    siteName: r.site_name,
    identifier: r.identifier,
    url: r.url,
    title: r.title,
    pending: r.pending,
  };
}

/** Pages for the desk's banner, by id: the identifier (the queue's page filter) and a name (a confirmed title, else URL, else identifier). */
export async function loadPageNames(
  db: Queryable,
  pageIds: readonly number[],
): Promise<Map<number, { identifier: string; name: string }>> {
  if (pageIds.length === 0) return new Map();
  const { rows } = await db.query<{ id: string; identifier: string; name: string }>(
    'select id, identifier, coalesce(title, url, identifier) as name from pages where id = any($1::bigint[])',
    [pageIds],
  );
  return new Map(rows.map((r) => [Number(r.id), { identifier: r.identifier, name: r.name }]));
}

/** A site's name, and how many of its comments wait: all of them, and those received after `since`. */
export async function countHeldWaiting(
  db: Queryable,
  siteId: string,
  since: Date | null,
): Promise<{ siteName: string; total: number; fresh: number; oldestAt: Date | null } | null> {
  const { rows } = await db.query<{ name: string; total: number; fresh: number; oldest_at: Date | null }>(
    `select s.name,
            count(c.id)::int as total,
            count(c.id) filter (where $2::timestamptz is null or c.received_at > $2)::int as fresh,
            min(c.received_at) as oldest_at
       from sites s left join comments c on c.site_id = s.id and c.status = 'pending'
      where s.id = $1 group by s.name`,
    [siteId, since],
  );
  const r = rows[0];
  return r ? { siteName: r.name, total: r.total, fresh: r.fresh, oldestAt: r.oldest_at } : null;
}

/** Readers' flags on the page's comments since `since`: the brigade score's flag velocity. */
export async function countRecentPageFlags(db: Queryable, pageId: number, since: Date): Promise<number> {
  const { rows } = await db.query<{ n: number }>(
    `select count(*)::int as n from flags f join comments c on c.id = f.comment_id
      where c.page_id = $1 and f.created_at > $2`,
    [pageId, since],
  );
  return rows[0]?.n ?? 0;
}

/** Who hears of a brigade by mail: the moderators who asked for held-comment mail and may act on the site. */
export async function listSiteMailRecipients(
  db: Queryable,
  siteId: string,
): Promise<{ id: number; name: string; email: string }[]> {
  const { rows } = await db.query<{ id: string; display_name: string; email: string }>(
    `select m.id, m.display_name, m.email from moderators m
      where m.notify_held and not m.disabled
        and (m.role = 'admin' or exists (select 1 from moderator_sites ms where ms.moderator_id = m.id and ms.site_id = $1))
      order by m.id`,
    [siteId],
  );
  return rows.map((r) => ({ id: Number(r.id), name: r.display_name, email: r.email }));
}

/**
 * Records in the audit log that a brigade began (actor 'worker'). Once per notice: a retried fan-out
 * finds its row and adds none.
 */
export async function insertPageSurgeAudit(
  db: Queryable,
  e: { noticeId: string; siteId: string; pageId: number; score: number; signals: unknown; since: string },
): Promise<void> {
  await db.query(
    `insert into moderation_events (actor_id, actor, action, site_id, detail)
     select null, 'worker', 'page_surge', $2,
            jsonb_build_object('notice', $1::text, 'page', $3::bigint, 'score', $4::float8, 'signals', $5::jsonb, 'since', $6::text)
      where not exists (select 1 from moderation_events where action = 'page_surge' and detail->>'notice' = $1)`,
    [e.noticeId, e.siteId, e.pageId, e.score, JSON.stringify(e.signals), e.since],
  );
}

/** The page a comment is on (an appeal's notice names its story). */
export async function loadCommentPageId(db: Queryable, commentId: string): Promise<number | null> {
  const { rows } = await db.query<{ page_id: string }>('select page_id from comments where id = $1', [commentId]);
  return rows[0] ? Number(rows[0].page_id) : null;
}
