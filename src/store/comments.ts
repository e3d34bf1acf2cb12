import type { CommentStatus, RuleOutcome } from '../moderation/verdict.js';
import type { Queryable } from './db.js';

/** A published comment as readers see it: no email, no IP, no verdict. */
export interface PublicComment {
  id: string;
  parentId: string | null;
  depth: number;
  author: string;
  website: string;
  html: string;
  createdAt: Date;
}

/** Where a thread page starts: after this (received_at, id). */
export interface ThreadCursor {
  receivedAt: Date;
  id: string;
}

export async function listApprovedComments(
  db: Queryable,
  q: { siteId: string; page: string; after: ThreadCursor | null; limit: number },
): Promise<{ comments: PublicComment[]; next: ThreadCursor | null }> {
  // Keyset pagination on the partial index (page_id, received_at, id) where approved: a page reads its
  // limit + 1 index entries and rows, however long the thread and however deep the page. That needs the
  // page id as a value (the subquery, an InitPlan) and the cursor as an index condition (coalesce to
  // "before everything" on the first page): a join to pages, or "$3 is null or …", plans a scan of the
  // page's whole thread and a sort (2,000 rows for 51 on the bench's thread).
  const { rows } = await db.query<{
    id: string; parent_id: string | null; depth: number; author_name: string; author_url: string;
    body_html: string; received_at: Date;
  }>({
    // Named: the hottest read, planned once per connection.
    name: 'list-approved-comments',
    text: `select c.id, c.parent_id, c.depth, c.author_name, c.author_url, c.body_html, c.received_at
       from comments c
      where c.page_id = (select p.id from pages p where p.site_id = $1 and p.identifier = $2)
        and c.status = 'approved'
        and (c.received_at, c.id) > (coalesce($3::timestamptz, '-infinity'), coalesce($4::uuid, '00000000-0000-0000-0000-000000000000'))
      order by c.received_at, c.id
      limit $5`,
    values: [q.siteId, q.page, q.after?.receivedAt ?? null, q.after?.id ?? null, q.limit + 1],
  });
  const more = rows.length > q.limit;
  const page = rows.slice(0, q.limit);
  const last = page[page.length - 1];
  return {
    comments: page.map((r) => ({
      id: r.id, parentId: r.parent_id, depth: r.depth, author: r.author_name, website: r.author_url,
      html: r.body_html, createdAt: r.received_at,
    })),
    next: more && last ? { receivedAt: last.received_at, id: last.id } : null,
  };
}

type PublicCommentRow = {
  id: string; parent_id: string | null; depth: number; author_name: string; author_url: string; body_html: string; received_at: Date;
};

/**
 * Newest conversations first: a page is `limit` top-level comments, newest first, each followed by
 * all of its approved replies in the order they were written (as Disqus and Coral sort "newest"), so
 * a reply never arrives before the comment it answers. The cursor is the last top-level comment's.
 * A reply whose parent is not public (rejected or deleted later) counts as top-level, as in the
 * oldest-first list, where it stands alone.
 */
export async function listApprovedConversationsNewest(
  db: Queryable,
  q: { siteId: string; page: string; before: ThreadCursor | null; limit: number },
): Promise<{ comments: PublicComment[]; next: ThreadCursor | null }> {
  // Backwards on the same index as listApprovedComments, and for the same reason written the same way.
  const { rows: roots } = await db.query<{ id: string; received_at: Date }>(
    `select c.id, c.received_at
       from comments c
      where c.page_id = (select p.id from pages p where p.site_id = $1 and p.identifier = $2)
        and c.status = 'approved'
        and (c.received_at, c.id) < (coalesce($3::timestamptz, 'infinity'), coalesce($4::uuid, 'ffffffff-ffff-ffff-ffff-ffffffffffff'))
        and (c.parent_id is null
             or not exists (select 1 from comments pc where pc.id = c.parent_id and pc.status = 'approved'))
      order by c.received_at desc, c.id desc
      limit $5`,
    [q.siteId, q.page, q.before?.receivedAt ?? null, q.before?.id ?? null, q.limit + 1],
  );
  const page = roots.slice(0, q.limit);
  const last = page[page.length - 1];
  if (page.length === 0) return { comments: [], next: null };
  // Walk down from the page's roots only (comments_parent_idx), so a deep page costs what it returns.
  const { rows } = await db.query<PublicCommentRow & { root: number }>(
    `with recursive tree as (
       select c.id, c.parent_id, c.depth, c.author_name, c.author_url, c.body_html, c.received_at, r.ord as root
         from unnest($1::uuid[]) with ordinality as r(id, ord)
         join comments c on c.id = r.id
       union all
       select c.id, c.parent_id, c.depth, c.author_name, c.author_url, c.body_html, c.received_at, t.root
         from tree t
         join comments c on c.parent_id = t.id and c.status = 'approved'
     )
     select * from tree order by root, received_at, id`,
    [page.map((r) => r.id)],
  );
  return {
    comments: rows.map(toPublicComment),
    next: roots.length > q.limit && last ? { receivedAt: last.received_at, id: last.id } : null,
  };
}

function toPublicComment(r: PublicCommentRow): PublicComment {
  return {
    id: r.id, parentId: r.parent_id, depth: r.depth, author: r.author_name, website: r.author_url,
    html: r.body_html, createdAt: r.received_at,
  };
}

/** A submission's stored outcome, as its author may see it (no email, no IP). */
export interface StoredOutcome {
  id: string;
  status: CommentStatus;
  html: string;
  page: string;
  reasons: RuleOutcome[];
}

export async function loadStoredOutcome(db: Queryable, id: string): Promise<StoredOutcome | null> {
  const { rows } = await db.query<{ id: string; status: CommentStatus; body_html: string; identifier: string; verdict: { reasons?: RuleOutcome[] } }>(
    `select c.id, c.status, c.body_html, p.identifier, c.verdict
       from comments c join pages p on p.id = c.page_id where c.id = $1`,
    [id],
  );
  const r = rows[0];
  if (!r) return null;
  return { id: r.id, status: r.status, html: r.body_html, page: r.identifier, reasons: r.verdict.reasons ?? [] };
}

/** Approved counts of many pages of a site; pages never commented on count 0. */
export async function countApproved(db: Queryable, siteId: string, pages: string[]): Promise<Record<string, number>> {
  const { rows } = await db.query<{ identifier: string; approved_count: number }>({
    name: 'count-approved',
    text: 'select identifier, approved_count from pages where site_id = $1 and identifier = any($2::text[])',
    values: [siteId, pages],
  });
  const counts: Record<string, number> = Object.create(null) as Record<string, number>;
  for (const p of pages) counts[p] = 0;
  for (const r of rows) counts[r.identifier] = r.approved_count;
  return counts;
}
