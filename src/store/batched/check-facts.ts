import { storedSiteSettings, type SiteSettings } from '../../domain/site-settings.js';
import { effectivePageSettings, toPageSettings } from '../../domain/pages/page-settings.js';
import { staffSql } from '../../readers/reader-store.js';
import type { CommentStatus, ParentFacts } from '../../moderation/verdict.js';
import { createBatcher, type Batcher } from './batcher.js';
import type { Queryable } from '../db.js';
import { webhookEventTypes, type StoredEventAudience, type WebhookEventType } from '../../webhooks/comment-events.js';

/** What the database knows that the rules need, for one submission. */
export interface CheckFacts {
  /** The settings on this page at check time: the site's with the page's overrides (issue 16). */
  settings: SiteSettings;
  page: { id: number; closed: boolean; firstCommentAt: Date | null };
  /** Set when this submission was stored already (a retried job): nothing more to do. */
  storedStatus: CommentStatus | null;
  parent: ParentFacts | 'missing' | null;
  duplicate: boolean;
  /** The author's last accepted comment here: a reader's own, or a guest's by email among guests' comments, or the IP's. */
  lastFromAuthorAt: Date | null;
  /** A reader: one of their own comments is approved; a guest: a guest comment with this email is. */
  authorHasApproved: boolean;
  ban: { kind: 'email' | 'ip' | 'domain' | 'reader'; value: string } | null;
  /** Only ever true for a reader (readers.trusted, a trusted_authors row with their verified email, a moderator). */
  trusted: boolean;
  /**
   * A reader's own earlier comment, or for a guest an earlier guest comment's email, or the IP or website
   * domain of this comment, that a moderator marked as spam on this site before, and when that decision
   * was learned (an IP's memory fades with it: src/moderation/rules/flood-rules.ts).
   */
  spamMemory: { kind: 'email' | 'ip' | 'domain' | 'reader'; value: string; at: Date } | null;
  /**
   * The submission's reader as the database knows them now: whether they are staff (the badge shown)
   * and whether the row still exists (false: erased after intake). Null for a guest.
   */
  reader: { found: boolean; staff: boolean } | null;
  /** Who could hear of this comment's events (the site's webhook subscriptions, a reply mail's recipient). */
  eventAudience: StoredEventAudience;
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
  /**
   * The IP when it tells readers apart, else null (a proxy's or loopback address, shared by every
   * reader): the "too fast" and spam-memory lookups key on this one, bans on `ip`.
   */
  distinctIp: string | null;
  contentHash: Buffer;
  receivedAt: Date;
  /** The host of the author's website, for domain bans ('' when none). */
  websiteHost: string;
  /**
   * The signed-in reader who wrote it (`email` is then their verified one), or null for a guest: the
   * author's history, trust and bans key on it; a guest's on their email among guests' comments only.
   */
  readerId: number | null;
}

interface FactsRow {
  settings: unknown;
  page_settings: unknown;
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
  ban_kind: 'email' | 'ip' | 'domain' | 'reader' | null;
  ban_value: string | null;
  trusted: boolean;
  memory_kind: 'email' | 'ip' | 'domain' | 'reader' | null;
  memory_value: string | null;
  memory_at: Date | null;
  reader_found: boolean;
  reader_staff: boolean;
  subscribed_events: string[];
  parent_reply_mail: boolean;
}

// One round trip for every submission a worker is checking at this moment: upsert their pages (a thread
// starts with its first submission) and read every fact the rules need, one row per submission (`ord`
// is its place in the arrays). A page row comes from the insert or, when it existed, from the table.
// Exported for tests/integration/check-facts-plan-c.test.ts, which checks its plan stays on indexes.
//
// Whose history (issue 14): a signed-in reader's is their own comments (`reader_id`, on
// comments_reader_idx); a guest's is the guest comments (`reader_id is null`) with the email they typed,
// so a guest typing a reader's, a moderator's or a trusted author's address inherits none of their
// approvals, and a reader none of a guest's. Trust only ever comes with a verified identity: a guest is
// never trusted, whatever they type. Each key's subquery is gated on the kind of author (`i.reader_id is
// [not] null`, a one-time filter), so only one of them runs.
export const checkFactsSql = `
with input as (
  select * from unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::uuid[], $6::uuid[], $7::bytea[],
                       $8::text[], $9::inet[], $10::timestamptz[], $11::text[], $13::bigint[])
    with ordinality as t(site_id, page, page_url, page_title, id, parent_id, content_hash, email, ip, received_at,
                         website_host, reader_id, ord)
), new_page as (
  -- A submission's title is only a suggestion (sql/0016): it never becomes the page's title by itself.
  insert into pages (site_id, identifier, url, suggested_title)
  select distinct on (i.site_id, i.page) i.site_id, i.page, i.page_url, i.page_title
    from input i join sites s on s.id = i.site_id
   order by i.site_id, i.page, i.ord
  on conflict (site_id, identifier) do nothing
  returning id, site_id, identifier, closed, first_comment_at, settings
)
select i.ord, s.settings, p.settings as page_settings,
       p.id as page_id, p.closed, p.first_comment_at,
       (select status from comments where id = i.id) as stored_status,
       par.page_id as parent_page_id, par.status as parent_status, par.depth as parent_depth,
       exists (select 1 from comments where content_hash = i.content_hash and status <> 'rejected' and id <> i.id) as duplicate,
       greatest(
         (select max(received_at) from comments
           where i.reader_id is not null and reader_id = i.reader_id and status <> 'rejected'
             and received_at <= i.received_at and id <> i.id),
         (select max(received_at) from comments
           where i.reader_id is null and site_id = i.site_id and i.email <> '' and author_email = i.email
             and reader_id is null and status <> 'rejected' and received_at <= i.received_at and id <> i.id),
         (select max(received_at) from comments
           where site_id = i.site_id and ip = ($12::inet[])[i.ord::int] and status <> 'rejected' and received_at <= i.received_at and id <> i.id)
       ) as last_from_author_at,
       (exists (select 1 from comments where i.reader_id is not null and reader_id = i.reader_id and status = 'approved')
        or exists (select 1 from comments
                    where i.reader_id is null and site_id = i.site_id and i.email <> '' and author_email = i.email
                      and reader_id is null and status = 'approved'))
         as author_has_approved,
       b.kind as ban_kind, b.value as ban_value,
       -- A reader a moderator trusts, or whose verified email is a trusted author's (rows from before
       -- identities apply to verified readers only), or a moderator of this site (badge on or off).
       (rd.id is not null
        and (rd.trusted
          or (i.email <> '' and exists (select 1 from trusted_authors where site_id = i.site_id and email = i.email))
          or (i.email <> '' and exists (
                select 1 from moderators m
                 where m.email = i.email and not m.disabled
                   and (m.role = 'admin'
                     or exists (select 1 from moderator_sites ms where ms.moderator_id = m.id and ms.site_id = i.site_id))))))
         as trusted,
       sm.kind as memory_kind, sm.value as memory_value, sm.at as memory_at,
       rd.id is not null as reader_found,
       coalesce(${staffSql('rd')}, false) as reader_staff,
       -- Who could hear of its events (src/webhooks/comment-events.ts, storedEventWanted): the event
       -- types the site's active webhooks ask for (webhook_subscriptions_site_idx), and whether the
       -- parent's author may be mailed about replies (as loadReplyNotice will check in full).
       array(select distinct e from webhook_subscriptions w cross join unnest(w.events) e
              where w.site_id = i.site_id and w.active) as subscribed_events,
       (par.reader_id is not null
        or exists (select 1 from reply_subscriptions rs where rs.comment_id = par.id and rs.unsubscribed_at is null))
         as parent_reply_mail
  from input i
  join sites s on s.id = i.site_id
  join lateral (
    select id, closed, first_comment_at, settings from new_page np where np.site_id = i.site_id and np.identifier = i.page
    union all
    select id, closed, first_comment_at, settings from pages pp where pp.site_id = i.site_id and pp.identifier = i.page
    limit 1
  ) p on true
  left join comments par on par.id = i.parent_id and par.site_id = i.site_id
  -- Only a reader of this site: a session is bound to one (src/readers/reader-sessions.ts).
  left join readers rd on rd.id = i.reader_id and rd.site_id = i.site_id
  -- A domain ban covers its subdomains, in the email's domain or the website's host. A reader ban (the
  -- desk's "ban reader") holds whatever address or network they post from; their verified email, its
  -- domain and the IP are matched too, as a guest's typed ones are.
  left join lateral (
    select kind, value from bans
     where site_id = i.site_id
       and ((kind = 'email' and i.email <> '' and value = i.email)
         or (kind = 'ip' and network >>= i.ip)
         or (kind = 'reader' and i.reader_id is not null and value = i.reader_id::text)
         or (kind = 'domain' and (split_part(i.email, '@', 2) = value or split_part(i.email, '@', 2) like '%.' || value
                                  or i.website_host = value or i.website_host like '%.' || value)))
     order by kind limit 1
  ) b on true
  -- Spam memory: an earlier comment on this site by the same reader (for a guest: a guest comment with
  -- the same email), website domain or IP that a moderator marked as spam (it is spam now, and the spam
  -- filter learned it as spam from that decision: spam_training only holds moderators' decisions, so
  -- rules' own spam verdicts never count). A guest's spam under a reader's address is not the reader's.
  -- The IP comes last and only when it tells readers apart: it is weaker evidence (a rule decides how
  -- much, from the latest decision's age), so a matching author or domain is the one to report.
  left join lateral (
    select m.kind, m.value, m.at from (
      select 0 as o, 'reader' as kind, i.reader_id::text as value, t.trained_at as at from comments c
        join spam_training t on t.model = i.site_id and t.example = c.id::text and t.label = 'spam'
       where i.reader_id is not null and c.reader_id = i.reader_id and c.status = 'spam' and c.id <> i.id
      union all
      select 1, 'email', i.email, t.trained_at from comments c
        join spam_training t on t.model = i.site_id and t.example = c.id::text and t.label = 'spam'
       where i.reader_id is null and i.email <> '' and c.site_id = i.site_id and c.author_email = i.email
         and c.reader_id is null and c.status = 'spam' and c.id <> i.id
      union all
      select 2, 'domain', comment_url_host(c.author_url), t.trained_at from comments c
        join spam_training t on t.model = i.site_id and t.example = c.id::text and t.label = 'spam'
       where i.website_host <> '' and c.site_id = i.site_id and c.status = 'spam' and c.id <> i.id
         and comment_url_host(c.author_url) = regexp_replace(i.website_host, '^www\\.', '')
      union all
      select 3, 'ip', host(c.ip), t.trained_at from comments c
        join spam_training t on t.model = i.site_id and t.example = c.id::text and t.label = 'spam'
       where ($12::inet[])[i.ord::int] is not null and c.site_id = i.site_id and c.ip = ($12::inet[])[i.ord::int]
         and c.status = 'spam' and c.id <> i.id
    ) m order by m.o, m.at desc limit 1
  ) sm on true`;

function toCheckFacts(q: FactsQuery, row: FactsRow): CheckFacts {
  return {
    // The page's own settings are read with its row, in the same statement: a change an editor made a
    // moment ago applies to every comment checked after it.
    settings: effectivePageSettings(storedSiteSettings(row.settings).settings, toPageSettings(row.page_settings)),
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
    spamMemory:
      row.memory_kind !== null && row.memory_value !== null && row.memory_at !== null
        ? { kind: row.memory_kind, value: row.memory_value, at: row.memory_at }
        : null,
    reader: q.readerId === null ? null : { found: row.reader_found, staff: row.reader_staff },
    eventAudience: {
      subscribed: row.subscribed_events.filter((t): t is WebhookEventType =>
        (webhookEventTypes as readonly string[]).includes(t),
      ),
      replyMail: row.parent_reply_mail,
    },
  };
}

async function queryFacts(db: Queryable, qs: FactsQuery[]): Promise<Map<number, FactsRow>> {
  const col = <K extends keyof FactsQuery>(k: K) => qs.map((q) => q[k]);
  // A named (prepared) statement: each connection parses and plans this long query once, not per call.
  const { rows } = await db.query<FactsRow & { ord: number }>({
    name: 'load-check-facts',
    text: checkFactsSql,
    values: [
      col('siteId'),
      col('page'),
      col('pageUrl'),
      col('pageTitle'),
      col('id'),
      col('parentId'),
      col('contentHash'),
      col('email'),
      col('ip'),
      col('receivedAt'),
      col('websiteHost'),
      col('distinctIp'),
      col('readerId'),
    ],
  });
  return new Map(rows.map((r) => [Number(r.ord) - 1, r]));
}

/**
 * Loads the facts for many submissions in one statement, creating their pages on first sight. An entry
 * is null when its site does not exist (it was deleted after the comment was queued).
 */
export async function loadCheckFactsBatch(db: Queryable, qs: FactsQuery[]): Promise<(CheckFacts | null)[]> {
  const found = await queryFacts(db, qs);
  const missing = qs.map((_, i) => i).filter((i) => !found.has(i));
  if (missing.length > 0) {
    // Another worker may have inserted a page after this statement's snapshot was taken: our insert
    // then does nothing and the select cannot see theirs yet. A new statement sees it.
    const again = await queryFacts(
      db,
      missing.map((i) => qs[i]!),
    );
    missing.forEach((i, j) => {
      const row = again.get(j);
      if (row) found.set(i, row);
    });
  }
  return qs.map((q, i) => {
    const row = found.get(i);
    return row ? toCheckFacts(q, row) : null;
  });
}

// The jobs a worker runs at once share one facts query per turn of the event loop, as they share one
// insert (comment-writer.ts): per statement, Postgres' fixed costs (a round trip, locking a dozen
// relations, executor start-up) outweigh the index lookups themselves. Keyed by the pool or client, so
// a caller's transaction client is never mixed with another's.
const batchers = new WeakMap<Queryable, Batcher<FactsQuery, CheckFacts | null>>();
const MAX_FACTS_BATCH = 100;

/**
 * Loads the facts for one submission, creating its page on first sight. Returns null when the site
 * does not exist (it was deleted after the comment was queued). Calls made in the same moment on the
 * same `db` go to Postgres as one statement.
 */
export function loadCheckFacts(db: Queryable, q: FactsQuery): Promise<CheckFacts | null> {
  let batcher = batchers.get(db);
  if (!batcher) {
    batcher = createBatcher((qs) => loadCheckFactsBatch(db, qs), MAX_FACTS_BATCH);
    batchers.set(db, batcher);
  }
  return batcher.add(q);
}
