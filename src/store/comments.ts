import type { CommentStatus, RuleOutcome } from '../moderation/verdict.js';
import type { Queryable } from './db.js';

/** A published comment as readers see it: no email, no IP, no verdict. */
export interface PublicComment {
  id: string;
  parentId: string | null;
  depth: number;
  author: string;
  /** Written by a signed-in reader (issue 14): the name is their verified identity's, not typed. */
  authorVerified: boolean;
  /** The reader is a moderator of the site who shows the Staff badge. */
  authorStaff: boolean;
  /** The reader's avatar URL ('' for none). */
  authorAvatar: string;
  /**
   * Who the identicon is drawn for (src/domain/avatar-url.ts): the signed-in reader, else the email.
   * Never sent as they are: the thread item carries only the avatar URL made of them.
   */
  readerId: number | null;
  authorEmail: string;
  website: string;
  html: string;
  createdAt: Date;
  /** Set when its author (or a moderator) changed the text after it was written. */
  editedAt: Date | null;
  /** Readers' votes (issue 15), kept on the row by src/store/conversation/votes.ts. */
  up: number;
  down: number;
  /** When a moderator made it an editors' pick (issue 15); null when it is not one. */
  featuredAt: Date | null;
  /** In a newest-first page, on a conversation's root: where the replies not shown yet start. */
  moreReplies?: ThreadCursor;
}

/** Where a thread page starts: after this (received_at, id); for "top", after this (score, received_at, id). */
export interface ThreadCursor {
  receivedAt: Date;
  id: string;
  score?: number;
}

/** What every public list reads of a comment: one list, so the thread, "top" and the picks agree. */
const PUBLIC_COLUMNS = `c.id, c.parent_id, c.depth, c.author_name, c.author_url, c.body_html, c.received_at,
            c.author_verified, c.author_staff, c.author_avatar, c.edited_at, c.votes_up, c.votes_down, c.featured_at,
            c.reader_id, c.author_email`;

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
    id: string;
    parent_id: string | null;
    depth: number;
    author_name: string;
    author_url: string;
    body_html: string;
    received_at: Date;
    author_verified: boolean;
    author_staff: boolean;
    author_avatar: string;
    reader_id: number | null;
    author_email: string;
    edited_at: Date | null;
    votes_up: number;
    votes_down: number;
    featured_at: Date | null;
  }>({
    // Named: the hottest read, planned once per connection.
    name: 'list-approved-comments',
    text: `select ${PUBLIC_COLUMNS}
       from comments c
      where c.page_id = (select p.id from pages p where p.site_id = $1 and p.identifier = $2)
        and c.status = 'approved'
        and (c.received_at, c.id) > (coalesce($3::timestamptz, '-infinity'), coalesce($4::uuid, '00000000-0000-0000-0000-000000000000'))
      order by c.received_at, c.id
      limit $5`,
    values: [q.siteId, q.page, q.after?.receivedAt ?? null, q.after?.id ?? null, q.limit + 1],
  });
  return toBoundedPage(rows, q.limit);
}

type PublicCommentRow = {
  id: string;
  parent_id: string | null;
  depth: number;
  author_name: string;
  author_url: string;
  body_html: string;
  received_at: Date;
  author_verified: boolean;
  author_staff: boolean;
  author_avatar: string;
  reader_id: number | null;
  author_email: string;
  edited_at: Date | null;
  votes_up: number;
  votes_down: number;
  featured_at: Date | null;
};

/** Replies shown under each conversation of a newest-first page; the rest come from listApprovedReplies. */
export const REPLIES_PER_CONVERSATION = 10;
/**
 * Comment HTML one thread answer carries at most (a comment may render to ~100 KB): a page stops early,
 * with its cursor, rather than grow without bound. Always at least one comment (or conversation).
 */
export const MAX_ANSWER_HTML_BYTES = 1_000_000;

/** How many of `sizes` fit in the answer's budget, counted in order; never fewer than one. */
function fitting(sizes: number[], budget = MAX_ANSWER_HTML_BYTES): number {
  let used = 0;
  for (let i = 0; i < sizes.length; i++) {
    used += sizes[i] as number;
    if (used > budget && i > 0) return i;
  }
  return sizes.length;
}

/**
 * Newest conversations first: a page is up to `limit` top-level comments, newest first, each followed
 * by its first {@link REPLIES_PER_CONVERSATION} approved replies in the order they were written (as
 * Disqus and Coral sort "newest"), so a reply never arrives before the comment it answers. A root with
 * more replies carries `moreReplies`, the cursor listApprovedReplies continues from. The page's cursor
 * is the last top-level comment's. A reply whose parent is not public (rejected or deleted later)
 * counts as top-level, as in the oldest-first list, where it stands alone.
 */
export async function listApprovedConversationsNewest(
  db: Queryable,
  q: { siteId: string; page: string; before: ThreadCursor | null; limit: number },
): Promise<{ comments: PublicComment[]; next: ThreadCursor | null }> {
  // Backwards on the same index as listApprovedComments, and for the same reason written the same way.
  const { rows: roots } = await db.query<{ id: string; received_at: Date; top_score: number }>(
    `select c.id, c.received_at, c.top_score
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
  return withReplies(db, roots, q.limit, false);
}

/**
 * "Top" (issue 15): conversations by their root's vote score (src/domain/vote-score.ts, stored as
 * top_score), highest first, ties newest first, each with its first replies in the order written, as
 * in {@link listApprovedConversationsNewest}. The cursor is the last root's (score, received_at, id)
 * *as that page was read*: the next page continues below that point of the ranking as it stands then.
 * Votes that move a conversation across the cursor between two pages can show it twice (the widget
 * keeps the first) or not at all until a reload, as on any live ranking (Reddit, Hacker News).
 */
export async function listApprovedConversationsTop(
  db: Queryable,
  q: { siteId: string; page: string; before: ThreadCursor | null; limit: number },
): Promise<{ comments: PublicComment[]; next: ThreadCursor | null }> {
  // On comments_page_top_all_idx (sql/0051), the cursor as an index condition. The walk takes every
  // approved comment in score order and only says of each whether it stands as a conversation (no
  // parent, or one no longer public): a filter in the WHERE left the planner free to read the whole
  // page and sort it instead, which it did on some ANALYZE samples (the bench saw 4× the p99 of
  // "oldest"). Replies with a public parent are skipped here; a batch of nothing but those asks again
  // from where it ended.
  const roots: { id: string; received_at: Date; top_score: number }[] = [];
  const batch = Math.max(20, (q.limit + 1) * 2);
  let after = q.before;
  for (;;) {
    const { rows } = await db.query<{ id: string; received_at: Date; top_score: number; stands: boolean }>(
      `select c.id, c.received_at, c.top_score,
              (c.parent_id is null
               or not exists (select 1 from comments pc where pc.id = c.parent_id and pc.status = 'approved')) as stands
         from comments c
        where c.page_id = (select p.id from pages p where p.site_id = $1 and p.identifier = $2)
          and c.status = 'approved'
          and (c.top_score, c.received_at, c.id) < (coalesce($3::float8, 'infinity'), coalesce($4::timestamptz, 'infinity'),
                                                    coalesce($5::uuid, 'ffffffff-ffff-ffff-ffff-ffffffffffff'))
        order by c.top_score desc, c.received_at desc, c.id desc
        limit $6`,
      [q.siteId, q.page, after?.score ?? null, after?.receivedAt ?? null, after?.id ?? null, batch],
    );
    for (const r of rows) if (r.stands && roots.length <= q.limit) roots.push(r);
    const last = rows[rows.length - 1];
    if (roots.length > q.limit || rows.length < batch || !last) break;
    after = { score: last.top_score, receivedAt: last.received_at, id: last.id };
  }
  return withReplies(db, roots, q.limit, true);
}

/** A page of conversation roots (fetched: limit + 1) with their first replies, cut to the answer's budget. */
async function withReplies(
  db: Queryable,
  roots: { id: string; received_at: Date; top_score: number }[],
  limit: number,
  scored: boolean,
): Promise<{ comments: PublicComment[]; next: ThreadCursor | null }> {
  const page = roots.slice(0, limit);
  if (page.length === 0) return { comments: [], next: null };
  // Walk down from the page's roots only (comments_parent_idx), carrying ids and times alone: a
  // conversation of thousands of replies costs its index walk, and only the replies shown (one more
  // per root, to know there are more) are read whole.
  const { rows } = await db.query<PublicCommentRow & { root: number; n: number }>(
    `with recursive tree as (
       select c.id, c.received_at, r.ord as root, c.id as top
         from unnest($1::uuid[]) with ordinality as r(id, ord)
         join comments c on c.id = r.id
       union all
       select c.id, c.received_at, t.root, t.top
         from tree t
         join comments c on c.parent_id = t.id and c.status = 'approved'
     ), ranked as (
       select id, received_at, root,
              case when id = top then 0 else row_number() over (partition by root, id = top order by received_at, id) end as n
         from tree
     )
     select ${PUBLIC_COLUMNS}, k.root, k.n::int as n
       from ranked k join comments c on c.id = k.id
      where k.n <= $2 + 1
      order by k.root, k.n`,
    [page.map((r) => r.id), REPLIES_PER_CONVERSATION],
  );
  const conversations: PublicComment[][] = page.map(() => []);
  for (const r of rows) {
    const conversation = conversations[r.root - 1] as PublicComment[];
    if (r.n > REPLIES_PER_CONVERSATION) {
      const last = conversation[conversation.length - 1] as PublicComment;
      const rootComment = conversation[0] as PublicComment;
      rootComment.moreReplies = { receivedAt: last.createdAt, id: last.id };
    } else conversation.push(toPublicComment(r));
  }
  const kept = fitting(conversations.map((c) => c.reduce((sum, x) => sum + Buffer.byteLength(x.html), 0)));
  const last = page[kept - 1];
  return {
    comments: conversations.slice(0, kept).flat(),
    next:
      (kept < page.length || roots.length > limit) && last
        ? { receivedAt: last.received_at, id: last.id, ...(scored ? { score: last.top_score } : {}) }
        : null,
  };
}

/**
 * The replies of one conversation (every approved comment below `root`, at any depth) in the order
 * they were written, after the cursor: what a newest-first page's `moreReplies` continues with. Empty
 * when `root` is not an approved comment of this page.
 */
export async function listApprovedReplies(
  db: Queryable,
  q: { siteId: string; page: string; root: string; after: ThreadCursor | null; limit: number },
): Promise<{ comments: PublicComment[]; next: ThreadCursor | null }> {
  const { rows } = await db.query<PublicCommentRow>(
    `with recursive tree as (
       select c.id, c.received_at
         from comments r
         join comments c on c.parent_id = r.id and c.status = 'approved'
        where r.id = $3 and r.status = 'approved'
          and r.page_id = (select p.id from pages p where p.site_id = $1 and p.identifier = $2)
       union all
       select c.id, c.received_at
         from tree t
         join comments c on c.parent_id = t.id and c.status = 'approved'
     )
     select ${PUBLIC_COLUMNS}
       from tree t join comments c on c.id = t.id
      where (t.received_at, t.id) > (coalesce($4::timestamptz, '-infinity'), coalesce($5::uuid, '00000000-0000-0000-0000-000000000000'))
      order by t.received_at, t.id
      limit $6`,
    [q.siteId, q.page, q.root, q.after?.receivedAt ?? null, q.after?.id ?? null, q.limit + 1],
  );
  return toBoundedPage(rows, q.limit);
}

/**
 * A page's editors' picks (issue 15): its published featured comments, the latest pick first, on
 * comments_page_featured_idx (sql/0036). A pick that was removed later is not listed (only approved
 * comments are), and is again if the removal is undone. No cursor: a strip holds a handful.
 */
export async function listFeaturedComments(
  db: Queryable,
  q: { siteId: string; page: string; limit: number },
): Promise<{ comments: PublicComment[]; next: ThreadCursor | null }> {
  const { rows } = await db.query<PublicCommentRow>(
    `select ${PUBLIC_COLUMNS}
       from comments c
      where c.page_id = (select p.id from pages p where p.site_id = $1 and p.identifier = $2)
        and c.status = 'approved' and c.featured_at is not null
      order by c.featured_at desc, c.id desc
      limit $3`,
    [q.siteId, q.page, q.limit],
  );
  const kept = fitting(rows.map((r) => Buffer.byteLength(r.body_html)));
  return { comments: rows.slice(0, kept).map(toPublicComment), next: null };
}

/** A comment as readers would see it, wherever it is now: for live threads (src/http/public/live-routes.ts). */
export interface LiveComment extends PublicComment {
  siteId: string;
  page: string;
  status: CommentStatus;
}

/** The given comments (those that still exist), with their page and status, in one query. */
export async function loadLiveComments(db: Queryable, ids: string[]): Promise<LiveComment[]> {
  if (ids.length === 0) return [];
  const { rows } = await db.query<PublicCommentRow & { site_id: string; identifier: string; status: CommentStatus }>(
    `select ${PUBLIC_COLUMNS}, c.site_id, p.identifier, c.status
       from comments c join pages p on p.id = c.page_id
      where c.id = any($1::uuid[])`,
    [ids],
  );
  return rows.map((r) => ({ ...toPublicComment(r), siteId: r.site_id, page: r.identifier, status: r.status }));
}

/** A keyset page of `limit` (fetched: limit + 1) cut to the answer's budget, with the cursor to go on. */
function toBoundedPage(
  rows: PublicCommentRow[],
  limit: number,
): { comments: PublicComment[]; next: ThreadCursor | null } {
  const page = rows.slice(0, limit);
  const kept = fitting(page.map((r) => Buffer.byteLength(r.body_html)));
  const last = page[kept - 1];
  return {
    comments: page.slice(0, kept).map(toPublicComment),
    next: (kept < page.length || rows.length > limit) && last ? { receivedAt: last.received_at, id: last.id } : null,
  };
}

function toPublicComment(r: PublicCommentRow): PublicComment {
  return {
    id: r.id,
    parentId: r.parent_id,
    depth: r.depth,
    author: r.author_name,
    authorVerified: r.author_verified,
    authorStaff: r.author_staff,
    authorAvatar: r.author_avatar,
    readerId: r.reader_id,
    authorEmail: r.author_email,
    website: r.author_url,
    html: r.body_html,
    createdAt: r.received_at,
    editedAt: r.edited_at,
    up: r.votes_up,
    down: r.votes_down,
    featuredAt: r.featured_at,
  };
}

/** A submission's stored outcome, as its author may see it (no email, no IP). */
export interface StoredOutcome {
  id: string;
  status: CommentStatus;
  html: string;
  page: string;
  /** The name the author gave ('' for none): their own preview shows it, as the thread will. */
  author: string;
  reasons: RuleOutcome[];
  /** The language the comment was written in ('' unknown) and the site's `language` setting (null: not set). */
  lang: string;
  siteLanguage: string | null;
}

export async function loadStoredOutcome(db: Queryable, id: string): Promise<StoredOutcome | null> {
  const { rows } = await db.query<{
    id: string;
    status: CommentStatus;
    body_html: string;
    identifier: string;
    author_name: string;
    verdict: { reasons?: RuleOutcome[] };
    lang: string;
    site_language: string | null;
  }>(
    `select c.id, c.status, c.body_html, p.identifier, c.author_name, c.verdict, c.lang,
            s.settings->>'language' as site_language
       from comments c join pages p on p.id = c.page_id join sites s on s.id = c.site_id where c.id = $1`,
    [id],
  );
  const r = rows[0];
  if (!r) return null;
  return {
    id: r.id,
    status: r.status,
    html: r.body_html,
    page: r.identifier,
    author: r.author_name,
    reasons: r.verdict.reasons ?? [],
    lang: r.lang,
    siteLanguage: r.site_language,
  };
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
