import { toSiteSettings, type SiteSettings } from '../domain/site-settings.js';
import type { CommentStatus, ParentFacts } from '../moderation/verdict.js';
import type { Queryable } from './db.js';

/** What the database knows that the rules need, for one submission. */
export interface CheckFacts {
  settings: SiteSettings;
  page: { id: number; closed: boolean; firstCommentAt: Date | null };
  /** Set when this submission was stored already (a retried job): nothing more to do. */
  storedStatus: CommentStatus | null;
  parent: ParentFacts | 'missing' | null;
  duplicate: boolean;
  lastFromAuthorAt: Date | null;
  authorHasApproved: boolean;
  ban: { kind: 'email' | 'ip' | 'domain'; value: string } | null;
  trusted: boolean;
}

export interface FactsQuery {
  id: string;
  siteId: string;
  page: string;
  pageUrl: string | null;
  pageTitle: string | null;
  parentId: string | null;
  email: string;
  ip: string | null;
  contentHash: Buffer;
  receivedAt: Date;
  /** The host of the author's website, for domain bans ('' when none). */
  websiteHost: string;
}

interface FactsRow {
  settings: unknown;
  page_id: number;
  closed: boolean;
  first_comment_at: Date | null;
  stored_status: CommentStatus | null;
  parent_page_id: number | null;
  parent_status: CommentStatus | null;
  parent_depth: number | null;
  duplicate: boolean;
  last_from_author_at: Date | null;
  author_has_approved: boolean;
  ban_kind: 'email' | 'ip' | 'domain' | null;
  ban_value: string | null;
  trusted: boolean;
}

// One round trip: upsert the page (a thread starts with its first submission) and read every fact the
// rules need. The page row comes from the insert or, when it existed, from the table.
const factsSql = `
with site as (
  select id, settings from sites where id = $1
), new_page as (
  insert into pages (site_id, identifier, url, title)
  select id, $2, $3, $4 from site
  on conflict (site_id, identifier) do nothing
  returning id, closed, first_comment_at
), page as (
  select id, closed, first_comment_at from new_page
  union all
  select id, closed, first_comment_at from pages where site_id = $1 and identifier = $2
  limit 1
)
select (select settings from site) as settings,
       p.id as page_id, p.closed, p.first_comment_at,
       (select status from comments where id = $5) as stored_status,
       par.page_id as parent_page_id, par.status as parent_status, par.depth as parent_depth,
       exists (select 1 from comments where content_hash = $7 and status <> 'rejected' and id <> $5) as duplicate,
       greatest(
         (select max(received_at) from comments
           where site_id = $1 and $8 <> '' and author_email = $8 and status <> 'rejected' and received_at <= $10 and id <> $5),
         (select max(received_at) from comments
           where site_id = $1 and ip = $9::inet and status <> 'rejected' and received_at <= $10 and id <> $5)
       ) as last_from_author_at,
       exists (select 1 from comments where site_id = $1 and $8 <> '' and author_email = $8 and status = 'approved')
         as author_has_approved,
       b.kind as ban_kind, b.value as ban_value,
       exists (select 1 from trusted_authors where site_id = $1 and $8 <> '' and email = $8) as trusted
  from page p
  left join comments par on par.id = $6 and par.site_id = $1
  -- A domain ban covers its subdomains, in the email's domain or the website's host.
  left join lateral (
    select kind, value from bans
     where site_id = $1
       and ((kind = 'email' and $8 <> '' and value = $8)
         or (kind = 'ip' and network >>= $9::inet)
         or (kind = 'domain' and (split_part($8, '@', 2) = value or split_part($8, '@', 2) like '%.' || value
                                  or $11 = value or $11 like '%.' || value)))
     order by kind limit 1
  ) b on true`;

/**
 * Loads the facts for one submission, creating its page on first sight. Returns null when the site
 * does not exist (it was deleted after the comment was queued).
 */
export async function loadCheckFacts(db: Queryable, q: FactsQuery): Promise<CheckFacts | null> {
  const params = [q.siteId, q.page, q.pageUrl, q.pageTitle, q.id, q.parentId, q.contentHash, q.email, q.ip, q.receivedAt, q.websiteHost];
  // A named (prepared) statement: each connection parses and plans this long query once, not per job.
  const query = { name: 'load-check-facts', text: factsSql, values: params };
  let { rows } = await db.query<FactsRow>(query);
  if (rows.length === 0) {
    // Another worker may have inserted the page after this statement's snapshot was taken: our insert
    // then does nothing and the select cannot see theirs yet. A new statement sees it.
    ({ rows } = await db.query<FactsRow>(query));
  }
  const row = rows[0];
  if (!row) return null;
  return {
    settings: toSiteSettings(row.settings),
    page: { id: row.page_id, closed: row.closed, firstCommentAt: row.first_comment_at },
    storedStatus: row.stored_status,
    parent:
      q.parentId === null
        ? null
        : row.parent_page_id === null || row.parent_status === null || row.parent_depth === null
          ? 'missing'
          : { pageId: row.parent_page_id, status: row.parent_status, depth: row.parent_depth },
    duplicate: row.duplicate,
    lastFromAuthorAt: row.last_from_author_at,
    authorHasApproved: row.author_has_approved,
    ban: row.ban_kind !== null && row.ban_value !== null ? { kind: row.ban_kind, value: row.ban_value } : null,
    trusted: row.trusted,
  };
}
