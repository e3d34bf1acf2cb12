import { createHash } from 'node:crypto';
import type { Pool, Queryable } from './db.js';
import { loadAuthorRecords, type AuthorRecords } from './authors/author-records.js';

/*
 * A commenter's data by email: everything we hold (export), its erasure, and the retention job that
 * truncates old IP addresses. docs/privacy.md lists every stored field; keep the two in step.
 */

/** Who asked: a moderator (id and email) or the CLI. */
export interface PrivacyActor {
  id: number | null;
  label: string;
}

/** The email as recorded in the audit log: a SHA-256, never the address itself. */
export function hashEmail(email: string): string {
  return createHash('sha256').update(normalizeEmail(email)).digest('hex');
}

export function normalizeEmail(email: string): string {
  return email.trim().toLowerCase();
}

export interface CommenterComment {
  id: string;
  site: string;
  page: string;
  pageUrl: string | null;
  parent: string | null;
  status: string;
  authorName: string;
  authorEmail: string;
  authorUrl: string;
  body: string;
  ip: string | null;
  userAgent: string;
  referrer: string;
  receivedAt: Date;
  editedAt: Date | null;
  flagCount: number;
  /** Mailed when someone replies (the reply opt-in), and whether they unsubscribed. */
  replyMails: { since: Date; unsubscribedAt: Date | null } | null;
  edits: { at: Date; bodyBefore: string; bodyAfter: string }[];
}

/**
 * Everything stored about one email address (the JSON a commenter receives); with issue 16's records
 * (decisions, appeals, warnings, suspensions: src/store/authors/author-records.ts).
 */
export interface CommenterData extends AuthorRecords {
  email: string;
  site: string | null;
  generatedAt: string;
  comments: CommenterComment[];
  trustedOn: { site: string; since: Date }[];
  bans: { site: string; kind: string; value: string; reason: string; since: Date }[];
  moderatorAccount: { displayName: string; role: string; createdAt: Date; lastSignInAt: Date | null } | null;
  /** Per site: the address's double opt-in for reply mails (asked, confirmation mailed, confirmed). */
  replyMailAddresses: { site: string; since: Date; confirmationSentAt: Date | null; confirmedAt: Date | null }[];
  notes: string[];
}

const NOTES = [
  'Flags you raised on other comments are stored only as a hash of your IP address and a random browser key, so they cannot be found by email and are not listed here.',
  "IP addresses are truncated (IPv4 to /24, IPv6 to /48) and user agents cleared after the site's retention window; an address ending in /24 or /48 is already truncated.",
];

/** Collects everything stored about an email, on one site or all. */
export async function exportCommenterData(
  db: Queryable,
  email: string,
  siteId: string | null,
  now: Date,
): Promise<CommenterData> {
  const e = normalizeEmail(email);
  const comments = await db.query<Omit<CommenterComment, 'edits'>>(
    `select c.id, c.site_id as site, p.identifier as page, p.url as "pageUrl", c.parent_id as parent, c.status,
            c.author_name as "authorName", c.author_email as "authorEmail", c.author_url as "authorUrl", c.body,
            abbrev(c.ip) as ip, c.user_agent as "userAgent", c.referrer, c.received_at as "receivedAt", c.edited_at as "editedAt",
            c.flag_count as "flagCount",
            case when r.comment_id is null then null
                 else json_build_object('since', r.created_at, 'unsubscribedAt', r.unsubscribed_at) end as "replyMails"
       from comments c join pages p on p.id = c.page_id
       left join reply_subscriptions r on r.comment_id = c.id
      where lower(c.author_email) = $1 and ($2::text is null or c.site_id = $2)
      order by c.received_at, c.id`,
    [e, siteId],
  );
  const edits = await db.query<{ commentId: string; at: Date; bodyBefore: string; bodyAfter: string }>(
    `select comment_id as "commentId", created_at as at, body_before as "bodyBefore", body_after as "bodyAfter"
       from comment_edits where comment_id = any($1::uuid[]) order by created_at, id`,
    [comments.rows.map((c) => c.id)],
  );
  const trusted = await db.query<{ site: string; since: Date }>(
    'select site_id as site, created_at as since from trusted_authors where email = $1 and ($2::text is null or site_id = $2) order by site_id',
    [e, siteId],
  );
  const bans = await db.query<{ site: string; kind: string; value: string; reason: string; since: Date }>(
    `select site_id as site, kind, value, reason, created_at as since from bans
      where kind = 'email' and value = $1 and ($2::text is null or site_id = $2) order by site_id`,
    [e, siteId],
  );
  const replyMail = await db.query<CommenterData['replyMailAddresses'][number]>(
    `select site_id as site, created_at as since, confirm_sent_at as "confirmationSentAt", confirmed_at as "confirmedAt"
       from reply_mail_addresses where email = $1 and ($2::text is null or site_id = $2) order by site_id`,
    [e, siteId],
  );
  const moderator = await db.query<NonNullable<CommenterData['moderatorAccount']>>(
    `select display_name as "displayName", role, created_at as "createdAt", last_sign_in_at as "lastSignInAt" from moderators where email = $1`,
    [e],
  );
  const ids = comments.rows.map((c) => c.id);
  // The profiles' records key on the author (src/domain/decisions/author-key.ts): the guest's email, and
  // the readers whose verified email this is.
  const authorKeys = await db.query<{ key: string }>(
    `select 'guest:' || $1::text as key
     union select 'reader:' || id from readers where email = $1 and ($2::text is null or site_id = $2)`,
    [e, siteId],
  );
  const keys = authorKeys.rows.map((r) => r.key);
  const records = await loadAuthorRecords(db, { commentIds: ids, authorKeys: keys, siteId });
  return {
    email: e,
    site: siteId,
    generatedAt: now.toISOString(),
    comments: comments.rows.map((c) => ({
      ...c,
      edits: edits.rows.filter((x) => x.commentId === c.id).map(({ commentId: _c, ...rest }) => rest),
    })),
    trustedOn: trusted.rows,
    bans: bans.rows,
    moderatorAccount: moderator.rows[0] ?? null,
    replyMailAddresses: replyMail.rows,
    ...records,
    notes: NOTES,
  };
}

/** What an erasure removes (or would remove). */
export interface ErasureCounts {
  comments: number;
  trusted: number;
  bans: number;
  auditEventsRedacted: number;
}

/** What erasing would touch, without changing anything. */
export async function previewErasure(
  db: Queryable,
  email: string,
  siteId: string | null,
): Promise<Omit<ErasureCounts, 'auditEventsRedacted'>> {
  const e = normalizeEmail(email);
  const { rows } = await db.query<{ comments: number; trusted: number; bans: number }>(
    `select (select count(*)::int from comments where lower(author_email) = $1 and ($2::text is null or site_id = $2)
               and not (status = 'deleted' and author_email = '')) as comments,
            (select count(*)::int from trusted_authors where email = $1 and ($2::text is null or site_id = $2)) as trusted,
            (select count(*)::int from bans where kind = 'email' and value = $1 and ($2::text is null or site_id = $2)) as bans`,
    [e, siteId],
  );
  return rows[0] ?? { comments: 0, trusted: 0, bans: 0 };
}

/**
 * Erases an email's data, in one transaction. Their comments become tombstones: status deleted, and
 * name, email, website, text, IP, user agent, referrer and idempotency key blanked, fingerprint
 * replaced; the row stays so replies keep their place in the thread under a removed comment (as
 * Remark42 and Disqus do), and because the append-only audit log still points at it. Edit history
 * rows go; trusted-author and email-ban rows for the address go; audit events that quote the text
 * (edits) or the address (bans, trust) have their detail redacted, and any other event quoting the
 * address (a bulk action's filter) has it replaced by "[erased]". One `privacy_erase` event records
 * the request with the email as a hash. Redis holds the address too (queued and finished jobs):
 * src/erase-commenter.ts erases both.
 */
export async function eraseCommenterData(
  pool: Pool,
  email: string,
  siteId: string | null,
  actor: PrivacyActor,
): Promise<ErasureCounts> {
  const e = normalizeEmail(email);
  const client = await pool.connect();
  try {
    await client.query('begin');
    await client.query(`set local reply_desk.privacy_erase = 'on'`);
    const erased = await client.query<{ id: string }>(
      `update comments
          set status = 'deleted', author_name = '', author_email = '', author_url = '', body = '', body_html = '',
              ip = null, user_agent = '', referrer = '', idempotency_key = null, edited_at = null,
              content_hash = sha256(convert_to('erased:' || id::text, 'UTF8')),
              verdict = jsonb_set(verdict, '{status}', '"deleted"'), updated_at = now(), check_facts = null
        where lower(author_email) = $1 and ($2::text is null or site_id = $2)
        returning id`,
      [e, siteId],
    );
    const ids = erased.rows.map((r) => r.id);
    await client.query('delete from comment_edits where comment_id = any($1::uuid[])', [ids]);
    // No address is left to mail; the opt-in goes with it.
    await client.query('delete from reply_subscriptions where comment_id = any($1::uuid[])', [ids]);
    // What the commenter wrote in an appeal goes with their comment; the decisions' reasons stay (the
    // moderators' words, about a tombstone). What the desk kept about the guest by this address goes too.
    await client.query(`update appeals set statement = '' where comment_id = any($1::uuid[])`, [ids]);
    await client.query(
      `update moderation_events set detail = '{"redacted": "privacy_erase"}'::jsonb
        where comment_id = any($1::uuid[]) and action = 'appeal_open'`,
      [ids],
    );
    for (const table of ['author_notes', 'author_warnings', 'author_suspensions'])
      await client.query(
        `delete from ${table} where author_key = 'guest:' || $1::text and ($2::text is null or site_id = $2)`,
        [e, siteId],
      );
    // …and so does the address's confirmation for reply mails (sql/0016), which holds the address itself.
    await client.query('delete from reply_mail_addresses where email = $1 and ($2::text is null or site_id = $2)', [
      e,
      siteId,
    ]);
    const trusted = await client.query(
      'delete from trusted_authors where email = $1 and ($2::text is null or site_id = $2)',
      [e, siteId],
    );
    const bans = await client.query(
      `delete from bans where kind = 'email' and value = $1 and ($2::text is null or site_id = $2)`,
      [e, siteId],
    );
    const redacted = await client.query(
      `update moderation_events set detail = '{"redacted": "privacy_erase"}'::jsonb
        where (comment_id = any($1::uuid[]) and action = 'edit')
           or (action in ('ban', 'unban', 'trust', 'untrust', 'reject') and ($3::text is null or site_id = $3)
               and strpos(lower(detail::text), $2) > 0)`,
      [ids, JSON.stringify(e).slice(1, -1), siteId],
    );
    // Any other event that quotes the address (a bulk action's filter: a moderator searched for it)
    // keeps its detail with the address replaced, so the bulk page and undo still read its action and
    // counts. Events of no site count for every site: a search across sites also covered this one.
    const quoting = await client.query<{ id: string; detail: unknown }>(
      `select id, detail from moderation_events
        where action not in ('privacy_erase', 'privacy_export') and strpos(lower(detail::text), $1) > 0
          and ($2::text is null or site_id = $2 or site_id is null)`,
      [JSON.stringify(e).slice(1, -1), siteId],
    );
    for (const row of quoting.rows) {
      await client.query('update moderation_events set detail = $2 where id = $1', [
        row.id,
        JSON.stringify(withoutAddress(row.detail, e)),
      ]);
    }
    const counts: ErasureCounts = {
      comments: ids.length,
      trusted: trusted.rowCount ?? 0,
      bans: bans.rowCount ?? 0,
      auditEventsRedacted: (redacted.rowCount ?? 0) + quoting.rows.length,
    };
    await client.query(
      `insert into moderation_events (actor_id, actor, action, site_id, detail) values ($1, $2, 'privacy_erase', $3, $4)`,
      [actor.id, actor.label, siteId, JSON.stringify({ emailSha256: hashEmail(e), ...counts })],
    );
    await client.query('commit');
    return counts;
  } catch (err) {
    await client.query('rollback').catch(() => {});
    throw err;
  } finally {
    client.release();
  }
}

/** What an erased address is replaced with inside audit details. */
export const ERASED_ADDRESS = '[erased]';

/** A JSON value with every occurrence of the address (any case) replaced, in keys and strings alike. */
export function withoutAddress(value: unknown, email: string): unknown {
  const pattern = new RegExp(email.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'), 'gi');
  const walk = (v: unknown): unknown => {
    if (typeof v === 'string') return v.replace(pattern, ERASED_ADDRESS);
    if (Array.isArray(v)) return v.map(walk);
    if (v !== null && typeof v === 'object')
      return Object.fromEntries(Object.entries(v).map(([k, x]) => [k.replace(pattern, ERASED_ADDRESS), walk(x)]));
    return v;
  };
  return walk(value);
}

/** Records that someone exported a commenter's data (the export holds personal data). */
export async function recordCommenterExport(
  db: Queryable,
  email: string,
  siteId: string | null,
  actor: PrivacyActor,
  comments: number,
): Promise<void> {
  await db.query(
    `insert into moderation_events (actor_id, actor, action, site_id, detail) values ($1, $2, 'privacy_export', $3, $4)`,
    [actor.id, actor.label, siteId, JSON.stringify({ emailSha256: hashEmail(email), comments })],
  );
}

/**
 * Truncates the IP addresses of a site's comments received before `cutoff` (IPv4 to /24, IPv6 to
 * /48, kept with the prefix length so the value says it is truncated) and clears their user agents,
 * at most `limit` rows per call so no statement holds many row locks for long. Idempotent: a
 * truncated address has a shorter prefix and is not touched again. Returns the rows changed.
 */
export async function anonymiseOldIps(db: Queryable, siteId: string, cutoff: Date, limit: number): Promise<number> {
  const { rowCount } = await db.query(
    `update comments c
        set ip = case when family(c.ip) = 4 then network(set_masklen(c.ip, least(masklen(c.ip), 24)))::inet
                      else network(set_masklen(c.ip, least(masklen(c.ip), 48)))::inet end,
            user_agent = ''
      where c.id in (
        select id from comments
         where site_id = $1 and received_at < $2
           and (user_agent <> '' or (family(ip) = 4 and masklen(ip) = 32) or (family(ip) = 6 and masklen(ip) = 128))
         limit $3)`,
    [siteId, cutoff, limit],
  );
  return rowCount ?? 0;
}
