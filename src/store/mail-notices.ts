import { randomBytes } from 'node:crypto';
import type { Queryable } from './db.js';

/**
 * Records a commenter's opt-in to reply notices for their comment, and, unless their address is
 * confirmed for the site already (or the comment is a signed-in reader's, whose address whoever signed
 * them in verified), that it is owed a confirmation mail (sql/0016). Called once the comment is stored. Idempotent: a
 * retried job adds nothing, and the mail sweep paces confirmations whatever is asked here.
 */
export async function insertReplySubscription(
  db: Queryable,
  s: { commentId: string; siteId: string; email: string; lang?: string },
): Promise<void> {
  // The confirmation goes in the language of the latest comment that asked for it (sql/0037).
  await db.query(
    `with sub as (insert into reply_subscriptions (comment_id) values ($1) on conflict (comment_id) do nothing)
     insert into reply_mail_addresses as a (site_id, email, nonce, wanted_at, lang)
     select $2, lower($3), $4, now(), $5
      -- A signed-in reader's address is verified already: no confirmation mail (loadReplyNotice).
      where not exists (select 1 from comments c where c.id = $1 and c.reader_id is not null)
     on conflict (site_id, email) do update set wanted_at = coalesce(a.wanted_at, now()), lang = excluded.lang
      where a.confirmed_at is null`,
    [s.commentId, s.siteId, s.email, randomBytes(18).toString('base64url'), s.lang ?? ''],
  );
}

/** At most one confirmation mail per address per site in this long, however often it is typed in. */
export const CONFIRMATION_INTERVAL_HOURS = 24;

/** An address owed a confirmation mail, with what the mail may say: the site's name (set by its admin), nothing a reader typed. */
export interface DueConfirmation {
  siteId: string;
  siteName: string;
  email: string;
  /** The language to write in: the asking comment's, else the site's `language` ('': English). */
  lang: string;
}

/** Addresses owed a confirmation mail now (not confirmed, and none mailed in the last interval). */
export async function listDueConfirmations(db: Queryable, limit = 100): Promise<DueConfirmation[]> {
  const { rows } = await db.query<{ site_id: string; site_name: string; email: string; lang: string }>(
    `select a.site_id, s.name as site_name, a.email, coalesce(nullif(a.lang, ''), nullif(s.settings->>'language', 'auto'), '') as lang
       from reply_mail_addresses a join sites s on s.id = a.site_id
      where a.wanted_at is not null and a.confirmed_at is null
        and (a.confirm_sent_at is null or a.confirm_sent_at <= now() - make_interval(hours => $1))
      order by a.wanted_at limit $2`,
    [CONFIRMATION_INTERVAL_HOURS, limit],
  );
  return rows.map((r) => ({ siteId: r.site_id, siteName: r.site_name, email: r.email, lang: r.lang }));
}

/**
 * Claims the right to send one address its confirmation mail now; the nonce for its link, or null
 * when it is not due (confirmed, mailed within the interval, or another worker claimed it first: the
 * update's row lock makes the second claimant re-read the row). Call in the sending transaction.
 */
export async function claimConfirmation(db: Queryable, siteId: string, email: string): Promise<string | null> {
  const { rows } = await db.query<{ nonce: string }>(
    `update reply_mail_addresses set wanted_at = null, confirm_sent_at = now()
      where site_id = $1 and email = $2 and wanted_at is not null and confirmed_at is null
        and (confirm_sent_at is null or confirm_sent_at <= now() - make_interval(hours => $3))
      returning nonce`,
    [siteId, email, CONFIRMATION_INTERVAL_HOURS],
  );
  return rows[0]?.nonce ?? null;
}

/**
 * After a confirmation mail failed to go out: the attempt counts as the day's mail (the address stays
 * owed one). Without this, addresses whose server refuses mail would be retried on every sweep, ahead
 * of everyone else's, and anyone could keep the service knocking on a mail server that says no.
 */
export async function deferConfirmation(db: Queryable, siteId: string, email: string): Promise<void> {
  await db.query(
    `update reply_mail_addresses set confirm_sent_at = now(), wanted_at = coalesce(wanted_at, now())
      where site_id = $1 and email = $2 and confirmed_at is null`,
    [siteId, email],
  );
}

/** Spends a confirmation link: 'confirmed' the first time, 'already' after (idempotent), null when no such address. */
export async function confirmReplyMailAddress(
  db: Queryable,
  siteId: string,
  nonce: string,
): Promise<'confirmed' | 'already' | null> {
  const { rows } = await db.query<{ already: boolean }>(
    `update reply_mail_addresses n set confirmed_at = coalesce(o.confirmed_at, now()), wanted_at = null
       from reply_mail_addresses o
      where n.site_id = $1 and n.nonce = $2 and o.site_id = n.site_id and o.email = n.email
      returning o.confirmed_at is not null as already`,
    [siteId, nonce],
  );
  const r = rows[0];
  return r === undefined ? null : r.already ? 'already' : 'confirmed';
}

/**
 * One-click unsubscribe; true when the comment had an opt-in (already unsubscribed counts). A signed-in
 * reader's comment is muted instead (sql/0026), the same switch as in their "my comments".
 */
export async function unsubscribeReplies(db: Queryable, commentId: string): Promise<boolean> {
  const { rows } = await db.query<{ done: boolean }>(
    `with sub as (
       update reply_subscriptions set unsubscribed_at = coalesce(unsubscribed_at, now()) where comment_id = $1
       returning 1
     ), mute as (
       insert into reader_reply_mutes (comment_id) select id from comments where id = $1 and reader_id is not null
       on conflict (comment_id) do update set created_at = reader_reply_mutes.created_at
       returning 1
     )
     select exists (select 1 from sub) or exists (select 1 from mute) as done`,
    [commentId],
  );
  return rows[0]?.done === true;
}

/** Whether a comment's author still wants reply notices. */
export async function loadReplySubscription(db: Queryable, commentId: string): Promise<{ active: boolean } | null> {
  const { rows } = await db.query<{ active: boolean }>(
    'select unsubscribed_at is null as active from reply_subscriptions where comment_id = $1',
    [commentId],
  );
  return rows[0] ?? null;
}

/** A reply whose parent's author asked for notices, with what the mail needs (never the replier's email). */
export interface ReplyNotice {
  replyId: string;
  replyAuthor: string;
  replyText: string;
  parentId: string;
  recipientName: string;
  recipientEmail: string;
  page: string;
  pageUrl: string | null;
  /** The language the recipient wrote their comment in, else the site's `language` ('': English). */
  lang: string;
}

/**
 * The notice a newly approved reply owes, or null: the parent's author opted in and has not
 * unsubscribed, has an email confirmed for this site (double opt-in: an address nobody confirmed is
 * never sent a reader's text), and is not the replier (nobody is told about their own reply).
 */
export async function loadReplyNotice(db: Queryable, replyId: string): Promise<ReplyNotice | null> {
  const { rows } = await db.query<{
    reply_id: string;
    reply_author: string;
    reply_text: string;
    parent_id: string;
    recipient_name: string;
    recipient_email: string;
    title: string | null;
    identifier: string;
    url: string | null;
    lang: string;
  }>(
    `select r.id as reply_id, r.author_name as reply_author, r.body as reply_text, p.id as parent_id,
            -- The parent's language, else the site's ('auto', or no setting: '', English; a mail has no browser to ask).
            coalesce(nullif(p.lang, ''), nullif(st.settings->>'language', 'auto'), '') as lang,
            coalesce(rd.name, p.author_name) as recipient_name, coalesce(rd.email, p.author_email) as recipient_email,
            pg.title, pg.identifier, pg.url
       from comments r
       join comments p on p.id = r.parent_id
       left join readers rd on rd.id = p.reader_id
       join pages pg on pg.id = r.page_id
       join sites st on st.id = r.site_id
      where r.id = $1 and r.status = 'approved' and p.status not in ('deleted', 'spam')
        and case when rd.id is not null then
              -- A signed-in reader (issue 14): their address is verified, so no confirmation step; their
              -- global switch and the comment's own (sql/0026) decide, and their own replies tell nobody.
              rd.email <> '' and rd.notify_replies
              and not exists (select 1 from reader_reply_mutes m where m.comment_id = p.id)
              and r.reader_id is distinct from rd.id and lower(r.author_email) <> rd.email
            else
              p.author_email <> '' and lower(p.author_email) <> lower(r.author_email)
              and exists (select 1 from reply_subscriptions s where s.comment_id = p.id and s.unsubscribed_at is null)
              and exists (select 1 from reply_mail_addresses a
                           where a.site_id = p.site_id and a.email = lower(p.author_email) and a.confirmed_at is not null)
            end`,
    [replyId],
  );
  const r = rows[0];
  if (!r) return null;
  return {
    replyId: r.reply_id,
    replyAuthor: r.reply_author,
    replyText: r.reply_text,
    parentId: r.parent_id,
    recipientName: r.recipient_name,
    // Only a confirmed title: a submission's suggestion never reaches a mail (sql/0016).
    recipientEmail: r.recipient_email,
    page: r.title ?? r.url ?? r.identifier,
    pageUrl: r.url,
    lang: r.lang,
  };
}

/** Claims the right to mail about a reply (once per reply, ever); false when it was mailed before. */
export async function claimReplyNotice(db: Queryable, replyId: string): Promise<boolean> {
  const { rowCount } = await db.query(
    'insert into reply_notices (reply_id) values ($1) on conflict (reply_id) do nothing',
    [replyId],
  );
  return rowCount === 1;
}

/**
 * Queues a held comment for the next digest of every moderator who asked for notices and may act on
 * its site (admins: every site; a viewer acts nowhere, sql/0041, so gets no action links). Idempotent. Returns how many moderators will hear of it.
 */
export async function queueHeldNotices(db: Queryable, commentId: string, siteId: string): Promise<number> {
  const { rowCount } = await db.query(
    `insert into held_notices (moderator_id, comment_id)
     select m.id, $1 from moderators m
      where m.notify_held and not m.disabled
        and (m.role = 'admin' or exists (select 1 from moderator_sites ms
                                          where ms.moderator_id = m.id and ms.site_id = $2 and ms.role <> 'viewer'))
     on conflict do nothing`,
    [commentId, siteId],
  );
  return rowCount ?? 0;
}

/** Moderators with unsent notices who were last mailed at least `intervalMs` ago (or never). */
export async function listDueDigests(db: Queryable, intervalMs: number): Promise<number[]> {
  const { rows } = await db.query<{ moderator_id: number }>(
    `select distinct n.moderator_id from held_notices n
      where n.sent_at is null
        and not exists (select 1 from held_notices s where s.moderator_id = n.moderator_id
                          and s.sent_at > now() - make_interval(secs => $1::double precision / 1000))`,
    [intervalMs],
  );
  return rows.map((r) => r.moderator_id);
}

export interface HeldDigestRow {
  commentId: string;
  siteId: string;
  authorName: string;
  body: string;
  page: string;
  receivedAt: Date;
}

/**
 * Locks a moderator's unsent notices (call in a transaction; a second worker skips them) and returns
 * the comments still pending, oldest first. Notices of comments someone already decided are dropped:
 * there is nothing left to do about them, and they must not make the next digest wait.
 */
export async function takeUnsentNotices(
  db: Queryable,
  moderatorId: number,
): Promise<{ pending: HeldDigestRow[]; moderator: { name: string; email: string; siteIds: string[] } | null }> {
  const { rows } = await db.query<{
    comment_id: string;
    status: string;
    site_id: string;
    author_name: string;
    body: string;
    page: string;
    received_at: Date;
  }>(
    `select n.comment_id, c.status, c.site_id, c.author_name, c.body, coalesce(pg.title, pg.url, pg.identifier) as page, c.received_at
       from held_notices n join comments c on c.id = n.comment_id join pages pg on pg.id = c.page_id
      where n.moderator_id = $1 and n.sent_at is null
      order by c.received_at, c.id
      for update of n skip locked`,
    [moderatorId],
  );
  const done = rows.filter((r) => r.status !== 'pending').map((r) => r.comment_id);
  if (done.length > 0)
    await db.query('delete from held_notices where moderator_id = $1 and comment_id = any($2::uuid[])', [
      moderatorId,
      done,
    ]);
  const m = await db.query<{
    display_name: string;
    email: string;
    notify_held: boolean;
    disabled: boolean;
    site_ids: string[];
  }>(
    `select display_name, email, notify_held, disabled,
            case when role = 'admin' then array(select id from sites) else array(select site_id from moderator_sites where moderator_id = m.id and role <> 'viewer') end as site_ids
       from moderators m where id = $1`,
    [moderatorId],
  );
  const mod = m.rows[0];
  // Turned notices off (or was disabled) since: nothing is sent, and what waited is dropped.
  if (!mod || !mod.notify_held || mod.disabled) {
    await db.query('delete from held_notices where moderator_id = $1 and sent_at is null', [moderatorId]);
    return { pending: [], moderator: null };
  }
  const pending = rows
    .filter((r) => r.status === 'pending' && mod.site_ids.includes(r.site_id))
    .map((r) => ({
      commentId: r.comment_id,
      siteId: r.site_id,
      authorName: r.author_name,
      body: r.body,
      page: r.page,
      receivedAt: r.received_at,
    }));
  return { pending, moderator: { name: mod.display_name, email: mod.email, siteIds: mod.site_ids } };
}

export async function markNoticesSent(db: Queryable, moderatorId: number, commentIds: string[]): Promise<void> {
  await db.query('update held_notices set sent_at = now() where moderator_id = $1 and comment_id = any($2::uuid[])', [
    moderatorId,
    commentIds,
  ]);
}

/** Held notices kept after they were sent: a week is plenty to pace digests; older rows go. */
export async function pruneSentNotices(db: Queryable): Promise<void> {
  await db.query(`delete from held_notices where sent_at < now() - interval '7 days'`);
}

/** Spends a one-click link's nonce; false when it was spent before. Call in the action's transaction. */
export async function spendMailActionNonce(
  db: Queryable,
  u: { nonce: string; moderatorId: number; commentId: string; action: string },
): Promise<boolean> {
  const { rowCount } = await db.query(
    'insert into mail_action_uses (nonce, moderator_id, comment_id, action) values ($1, $2, $3, $4) on conflict (nonce) do nothing',
    [u.nonce, u.moderatorId, u.commentId, u.action],
  );
  return rowCount === 1;
}

export async function loadNotifyHeld(db: Queryable, moderatorId: number): Promise<boolean> {
  const { rows } = await db.query<{ notify_held: boolean }>('select notify_held from moderators where id = $1', [
    moderatorId,
  ]);
  return rows[0]?.notify_held ?? false;
}

export async function saveNotifyHeld(db: Queryable, moderatorId: number, on: boolean): Promise<void> {
  await db.query('update moderators set notify_held = $2 where id = $1', [moderatorId, on]);
}

/** What a reader's mail link names: the comment of an unsubscribe link, or the address row of a confirmation. */
export type LinkLanguageOf = { commentId: string } | { siteId: string; nonce: string };

/**
 * The languages for the page behind a reader's mail link: the one stored with what the link names
 * ('' unknown; none when it is gone) and the site's `language` setting (null: not set, or no such site).
 */
export async function loadLinkLanguage(
  db: Queryable,
  of: LinkLanguageOf,
): Promise<{ lang: string; siteLanguage: string | null }> {
  const { rows } = await db.query<{ lang: string | null; site_language: string | null }>(
    'commentId' in of
      ? `select c.lang, s.settings->>'language' as site_language
           from comments c join sites s on s.id = c.site_id where c.id = $1`
      : `select a.lang, s.settings->>'language' as site_language
           from sites s left join reply_mail_addresses a on a.site_id = s.id and a.nonce = $2 where s.id = $1`,
    'commentId' in of ? [of.commentId] : [of.siteId, of.nonce],
  );
  return { lang: rows[0]?.lang ?? '', siteLanguage: rows[0]?.site_language ?? null };
}
