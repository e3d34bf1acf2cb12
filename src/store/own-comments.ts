import type { CommentStatus, RuleOutcome, Verdict } from '../moderation/verdict.js';
import { storedSiteSettings, type SiteSettings } from '../domain/site-settings.js';
import { effectivePageSettings, toPageSettings } from '../domain/pages/page-settings.js';
import type { Pool, Queryable } from './db.js';

/*
 * A comment as its own author changes it (issue 14): PATCH and DELETE /api/comments/:id, and the edit
 * worker (workers/edit-processor.ts). Moderators' edits are src/store/comment-edits.ts.
 */

/** What the API needs to decide whether this author may change this comment now. */
export interface OwnComment {
  id: string;
  siteId: string;
  status: CommentStatus;
  /** The signed-in reader who wrote it; null for a guest (or a reader since erased). */
  readerId: number | null;
  receivedAt: Date;
  body: string;
}

export async function loadOwnComment(db: Queryable, id: string): Promise<OwnComment | null> {
  const { rows } = await db.query<{
    id: string;
    site_id: string;
    status: CommentStatus;
    reader_id: string | null;
    received_at: Date;
    body: string;
  }>('select id, site_id, status, reader_id, received_at, body from comments where id = $1', [id]);
  const r = rows[0];
  if (!r) return null;
  return {
    id: r.id,
    siteId: r.site_id,
    status: r.status,
    readerId: r.reader_id === null ? null : Number(r.reader_id),
    receivedAt: r.received_at,
    body: r.body,
  };
}

/** The author's own last edit of a comment, as the status answer reports it. */
export interface LastAuthorEdit {
  editId: string;
  outcome: 'applied' | 'held' | 'spam' | 'refused';
  /** The reasons of the edit's verdict (a refused edit's say why). */
  reasons: RuleOutcome[];
  createdAt: Date;
}

/** When the comment's text last changed (by its author or a moderator) and the author's last edit. */
export async function loadEditState(
  db: Queryable,
  commentId: string,
): Promise<{ editedAt: Date | null; lastEdit: LastAuthorEdit | null }> {
  const { rows } = await db.query<{
    edited_at: Date | null;
    edit_id: string | null;
    outcome: LastAuthorEdit['outcome'] | null;
    verdict: { reasons?: RuleOutcome[] } | null;
    created_at: Date | null;
  }>(
    `select c.edited_at, e.edit_id, e.outcome, e.verdict, e.created_at
       from comments c
       left join lateral (
         select edit_id, outcome, verdict, created_at from comment_edits
          where comment_id = c.id and by_author and edit_id is not null order by id desc limit 1
       ) e on true
      where c.id = $1`,
    [commentId],
  );
  const r = rows[0];
  if (!r) return { editedAt: null, lastEdit: null };
  return {
    editedAt: r.edited_at,
    lastEdit:
      r.edit_id === null || r.outcome === null || r.created_at === null
        ? null
        : { editId: r.edit_id, outcome: r.outcome, reasons: r.verdict?.reasons ?? [], createdAt: r.created_at },
  };
}

/**
 * The id of the author's edit that left the comment with `body`, if that is how it got its text: a
 * PATCH retried after its edit was applied answers with the edit it repeats, and queues nothing.
 */
export async function findAuthorEditTo(db: Queryable, commentId: string, body: string): Promise<string | null> {
  const { rows } = await db.query<{ edit_id: string }>(
    `select edit_id from comment_edits
      where comment_id = $1 and by_author and edit_id is not null and outcome <> 'refused' and body_after = $2
      order by id desc limit 1`,
    [commentId, body],
  );
  return rows[0]?.edit_id ?? null;
}

/** How many of the author's edits of a comment were taken (applied, held or spam; refused ones changed nothing). */
export async function countAuthorEdits(db: Queryable, commentId: string): Promise<number> {
  const { rows } = await db.query<{ n: number }>(
    `select count(*)::int as n from comment_edits
      where comment_id = $1 and by_author and edit_id is not null and outcome <> 'refused'`,
    [commentId],
  );
  return rows[0]?.n ?? 0;
}

/** What the edit worker's checks read about a comment and its author. */
export interface EditFacts {
  siteId: string;
  settings: SiteSettings;
  page: { id: number; identifier: string; url: string | null; closed: boolean; firstCommentAt: Date | null };
  status: CommentStatus;
  parentId: string | null;
  readerId: number | null;
  author: string;
  email: string;
  url: string;
  body: string;
  ip: string | null;
  userAgent: string;
  referrer: string;
  receivedAt: Date;
  /**
   * A ban of the site that matches the author: their reader id, email, IP or email/website domain.
   * 'reader' bans are the readers' own kind (sql/0025).
   */
  ban: { kind: 'email' | 'ip' | 'domain' | 'reader'; value: string } | null;
  /**
   * A moderator trusts the author: only a signed-in reader can be trusted (the reader, or a trusted
   * author's email the reader verified); a guest's typed email earns no one's trust (issue 14).
   */
  trusted: boolean;
  /** An earlier comment of this email or website domain a moderator marked as spam here. */
  spamMemory: { kind: 'email' | 'domain'; value: string; at: Date } | null;
  /** This edit was stored already (a retried job). */
  alreadyStored: boolean;
}

export async function loadEditFacts(
  db: Queryable,
  q: { commentId: string; editId: string },
): Promise<EditFacts | null> {
  const { rows } = await db.query<{
    site_id: string;
    settings: unknown;
    page_settings: unknown;
    page_id: string;
    identifier: string;
    page_url: string | null;
    closed: boolean;
    first_comment_at: Date | null;
    status: CommentStatus;
    parent_id: string | null;
    reader_id: string | null;
    author_name: string;
    author_email: string;
    author_url: string;
    body: string;
    ip: string | null;
    user_agent: string;
    referrer: string;
    received_at: Date;
    ban_kind: 'email' | 'ip' | 'domain' | 'reader' | null;
    ban_value: string | null;
    trusted: boolean;
    memory_kind: 'email' | 'domain' | null;
    memory_value: string | null;
    memory_at: Date | null;
    already_stored: boolean;
  }>(
    `select c.site_id, s.settings, p.settings as page_settings, p.id as page_id, p.identifier, p.url as page_url, p.closed, p.first_comment_at,
            c.status, c.parent_id, c.reader_id, c.author_name, c.author_email, c.author_url, c.body, host(c.ip) as ip,
            c.user_agent, c.referrer, c.received_at,
            b.kind as ban_kind, b.value as ban_value,
            (r.id is not null and (r.trusted or (r.email <> '' and exists (
               select 1 from trusted_authors t where t.site_id = c.site_id and t.email = r.email)))) as trusted,
            sm.kind as memory_kind, sm.value as memory_value, sm.at as memory_at,
            exists (select 1 from comment_edits e where e.edit_id = $2) as already_stored
       from comments c
       join sites s on s.id = c.site_id
       join pages p on p.id = c.page_id
       left join readers r on r.id = c.reader_id
       left join lateral (
         select kind, value from bans
          where site_id = c.site_id
            and ((kind = 'reader' and c.reader_id is not null and value = c.reader_id::text)
              or (kind = 'email' and c.author_email <> '' and value = c.author_email)
              or (kind = 'ip' and c.ip is not null and network >>= c.ip)
              or (kind = 'domain' and (split_part(c.author_email, '@', 2) = value
                                       or split_part(c.author_email, '@', 2) like '%.' || value
                                       or comment_url_host(c.author_url) = value
                                       or comment_url_host(c.author_url) like '%.' || value)))
          order by kind limit 1
       ) b on true
       -- As check-facts.ts, for the email and the website domain; an IP's fading memory is left out:
       -- it says little about a known author, whose comment was taken already.
       left join lateral (
         select m.kind, m.value, m.at from (
           select 1 as o, 'email' as kind, c.author_email as value, t.trained_at as at from comments x
             join spam_training t on t.model = c.site_id and t.example = x.id::text and t.label = 'spam'
            where c.author_email <> '' and x.site_id = c.site_id and x.author_email = c.author_email
              and x.status = 'spam' and x.id <> c.id
           union all
           select 2, 'domain', comment_url_host(x.author_url), t.trained_at from comments x
             join spam_training t on t.model = c.site_id and t.example = x.id::text and t.label = 'spam'
            where comment_url_host(c.author_url) <> '' and x.site_id = c.site_id and x.status = 'spam' and x.id <> c.id
              and comment_url_host(x.author_url) = comment_url_host(c.author_url)
         ) m order by m.o, m.at desc limit 1
       ) sm on true
      where c.id = $1`,
    [q.commentId, q.editId],
  );
  const r = rows[0];
  if (!r) return null;
  return {
    siteId: r.site_id,
    // An edit is checked as a new comment on this page is: with the page's own settings (issue 16).
    settings: effectivePageSettings(storedSiteSettings(r.settings).settings, toPageSettings(r.page_settings)),
    page: {
      id: Number(r.page_id),
      identifier: r.identifier,
      url: r.page_url,
      closed: r.closed,
      firstCommentAt: r.first_comment_at,
    },
    status: r.status,
    parentId: r.parent_id,
    readerId: r.reader_id === null ? null : Number(r.reader_id),
    author: r.author_name,
    email: r.author_email,
    url: r.author_url,
    body: r.body,
    ip: r.ip,
    userAgent: r.user_agent,
    referrer: r.referrer,
    receivedAt: r.received_at,
    ban: r.ban_kind !== null && r.ban_value !== null ? { kind: r.ban_kind, value: r.ban_value } : null,
    trusted: r.trusted,
    spamMemory:
      r.memory_kind !== null && r.memory_value !== null && r.memory_at !== null
        ? { kind: r.memory_kind, value: r.memory_value, at: r.memory_at }
        : null,
    alreadyStored: r.already_stored,
  };
}

/** Another live comment has this fingerprint (the one the edited text would give the comment). */
export async function hasLiveDuplicate(db: Queryable, commentId: string, hash: Buffer): Promise<boolean> {
  const { rows } = await db.query<{ found: boolean }>(
    `select exists (select 1 from comments where content_hash = $2 and status <> 'rejected' and id <> $1) as found`,
    [commentId, hash],
  );
  return rows[0]!.found;
}

/** Postgres refused the new fingerprint: another live comment took it between the check and the update. */
export function isFingerprintTaken(err: unknown): boolean {
  const e = err as { code?: unknown; constraint?: unknown } | null;
  return e?.code === '23505' && e.constraint === 'comments_content_hash_live_idx';
}

/** An author's edit as the worker decided it. */
export interface AuthorEdit {
  editId: string;
  commentId: string;
  readerId: number | null;
  requestedAt: Date;
  body: string;
  bodyHtml: string;
  contentHash: Buffer;
  /** The checks' verdict of the new text. */
  verdict: Verdict;
  /**
   * What the verdict does to a comment in a given status (src/moderation/edit-check.ts, toEditOutcome):
   * decided under the row lock, from the status the comment has then.
   */
  decide(current: CommentStatus): { outcome: 'applied' | 'held' | 'spam' | 'refused'; status: CommentStatus };
}

export type StoredEdit =
  | { result: 'stored'; outcome: 'applied' | 'held' | 'spam' | 'refused'; from: CommentStatus; to: CommentStatus }
  | { result: 'already_stored' }
  /** A newer edit of the comment was applied first (jobs ran out of order): this older text is dropped. */
  | { result: 'superseded' }
  /** The comment is gone, deleted or rejected meanwhile: nothing to edit. */
  | { result: 'gone' };

/**
 * Stores one author's edit in one transaction, under the comment's row lock: the new text (unless a
 * rule refused it), the status the verdict leads to, the history row (comment_edits, which also makes
 * a retried job find it stored: edit_id is unique) and the audit event. Edits apply in the order the
 * API took them: one older than an edit already applied is dropped.
 */
export async function storeAuthorEdit(pool: Pool, e: AuthorEdit): Promise<StoredEdit> {
  const client = await pool.connect();
  try {
    await client.query('begin');
    const { rows } = await client.query<{
      site_id: string;
      status: CommentStatus;
      body: string;
      verdict: Verdict;
    }>('select site_id, status, body, verdict from comments where id = $1 for update', [e.commentId]);
    const row = rows[0];
    const done = async <T extends StoredEdit>(result: T): Promise<T> => {
      await client.query('commit');
      return result;
    };
    if (!row || row.status === 'deleted' || row.status === 'rejected') return await done({ result: 'gone' });
    const seen = await client.query<{ already: boolean; newer: boolean }>(
      `select exists (select 1 from comment_edits where edit_id = $2) as already,
              exists (select 1 from comment_edits where comment_id = $1 and by_author and outcome <> 'refused'
                         and requested_at > $3) as newer`,
      [e.commentId, e.editId, e.requestedAt],
    );
    if (seen.rows[0]!.already) return await done({ result: 'already_stored' });
    if (seen.rows[0]!.newer) return await done({ result: 'superseded' });
    const { outcome, status } = e.decide(row.status);
    const history = `insert into comment_edits
         (comment_id, editor_id, by_author, reader_id, body_before, body_after, outcome, verdict, edit_id, requested_at)
       values ($1, null, true, $2, $3, $4, $5, $6, $7, $8)`;
    const verdictJson = JSON.stringify(e.verdict);
    if (outcome === 'refused') {
      await client.query(history, [
        e.commentId,
        e.readerId,
        row.body,
        e.body,
        outcome,
        verdictJson,
        e.editId,
        e.requestedAt,
      ]);
      return await done({ result: 'stored', outcome, from: row.status, to: row.status });
    }
    // The verdict moderators read on the card: the edit's reasons; a comment held before keeps its
    // own reasons too (it still waits for them). That it was edited, and by whom, is the history's
    // (comment_edits, the audit log): a reason here would be a hold no recheck could ever lift.
    const reasons =
      row.status === 'pending' ? [...(row.verdict.reasons ?? []), ...e.verdict.reasons] : e.verdict.reasons;
    // Once each: a comment edited twice while held lists a hold word once.
    const unique = reasons.filter(
      (r, i) => reasons.findIndex((o) => o.code === r.code && o.message === r.message) === i,
    );
    const stored: Verdict = { status, score: e.verdict.score, reasons: unique };
    await client.query(
      `update comments
          set body = $2, body_html = $3, content_hash = $4, status = $5, verdict = $6,
              edited_at = now(), updated_at = now(),
              -- The edit's own rules decided this verdict: no backtest can re-run it (sql/0054).
              check_facts = null
        where id = $1`,
      [e.commentId, e.body, e.bodyHtml, e.contentHash, status, JSON.stringify(stored)],
    );
    await client.query(history, [
      e.commentId,
      e.readerId,
      row.body,
      e.body,
      outcome,
      verdictJson,
      e.editId,
      e.requestedAt,
    ]);
    await client.query(
      `insert into moderation_events (actor_id, actor, action, site_id, comment_id, from_status, to_status, detail)
       values (null, 'reader', 'edit', $1, $2, $3, $4, $5)`,
      [
        row.site_id,
        e.commentId,
        row.status,
        status,
        JSON.stringify({
          before: row.body,
          after: e.body,
          byAuthor: true,
          readerId: e.readerId,
          editId: e.editId,
          outcome,
        }),
      ],
    );
    return await done({ result: 'stored', outcome, from: row.status, to: status });
  } catch (err) {
    await client.query('rollback').catch(() => {});
    throw err;
  } finally {
    client.release();
  }
}

/**
 * The author deletes their comment: status `deleted` (replies stay, as for a moderator's delete) and
 * an audit event by 'reader'. A comment held as spam stays spam (the site's spam memory rests on it),
 * though its author is answered as for any delete. Returns the change, or null when nothing changed.
 */
export async function deleteOwnComment(
  db: Queryable,
  q: { id: string; readerId: number | null },
): Promise<{ siteId: string; fromStatus: CommentStatus } | null> {
  const { rows } = await db.query<{ site_id: string; from_status: CommentStatus }>(
    `with target as (
       select id, site_id, status as from_status from comments
        where id = $1 and status in ('approved', 'pending') for update
     ), changed as (
       update comments c set status = 'deleted', reported_at = null, updated_at = now()
         from target t where c.id = t.id
       returning c.id, c.site_id, t.from_status
     ), audit as (
       insert into moderation_events (actor_id, actor, action, site_id, comment_id, from_status, to_status, detail)
       select null, 'reader', 'delete', site_id, id, from_status, 'deleted',
              jsonb_build_object('byAuthor', true, 'readerId', $2::bigint) from changed
     )
     select site_id, from_status from changed`,
    [q.id, q.readerId],
  );
  const r = rows[0];
  return r ? { siteId: r.site_id, fromStatus: r.from_status } : null;
}
