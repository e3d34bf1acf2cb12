import type { RedisClient } from '../redis.js';
import { loadAuthorRecords, type AuthorRecords } from '../store/authors/author-records.js';
import { eraseQueuedJobsMentioning } from '../queue/erase-queued-jobs.js';
import type { Pool, Queryable } from '../store/db.js';
import { hashEmail } from '../store/privacy.js';
import type { Reader } from './reader-store.js';

/*
 * A signed-in reader's own account (issue 14): the comments they wrote, the reply-mail switches, the
 * export of everything kept about them and its erasure. Every query is keyed on the reader's id (the
 * bearer token named them), never on an email: a guest who typed the same address is somebody else,
 * and their comments are not the reader's to list, mute or erase.
 */

/** A comment's state as its author may see it: spam shows as held, as GET /api/comments/:id says. */
export type OwnCommentStatus = 'published' | 'held' | 'rejected' | 'deleted';

export interface OwnComment {
  id: string;
  page: string;
  pageUrl: string | null;
  /** Only a title confirmed for the page: a submission's suggestion is no page's name (sql/0016). */
  pageTitle: string | null;
  status: OwnCommentStatus;
  /** The sanitised HTML the worker rendered; '' for a deleted comment. */
  html: string;
  createdAt: Date;
  editedAt: Date | null;
  /** Reply mails for this comment: the reader's global switch and this comment's. */
  notifyReplies: boolean;
}

/** Where the next page of "my comments" starts (newest first): the last row's received_at and id. */
export interface OwnCommentsCursor {
  receivedAt: Date;
  id: string;
}

interface OwnCommentRow {
  id: string;
  page: string;
  page_url: string | null;
  page_title: string | null;
  status: 'approved' | 'pending' | 'spam' | 'rejected' | 'deleted';
  body_html: string;
  received_at: Date;
  edited_at: Date | null;
  muted: boolean;
}

export function toOwnStatus(status: OwnCommentRow['status']): OwnCommentStatus {
  switch (status) {
    case 'approved':
      return 'published';
    // Telling a spammer which rule caught them helps only the spammer.
    case 'pending':
    case 'spam':
      return 'held';
    case 'rejected':
      return 'rejected';
    case 'deleted':
      return 'deleted';
  }
}

/**
 * One page of a reader's comments, newest first, keyset on (received_at, id) so a comment arriving
 * while they page neither repeats nor hides one. Held and rejected ones too: they are the author's.
 */
export async function listReaderComments(
  db: Queryable,
  reader: Pick<Reader, 'id' | 'notifyReplies'>,
  q: { cursor: OwnCommentsCursor | null; limit: number },
): Promise<{ comments: OwnComment[]; next: OwnCommentsCursor | null }> {
  const { rows } = await db.query<OwnCommentRow>(
    `select c.id, p.identifier as page, p.url as page_url, p.title as page_title, c.status, c.body_html,
            c.received_at, c.edited_at, exists (select 1 from reader_reply_mutes m where m.comment_id = c.id) as muted
       from comments c join pages p on p.id = c.page_id
      where c.reader_id = $1 and ($2::timestamptz is null or (c.received_at, c.id) < ($2, $3::uuid))
      order by c.received_at desc, c.id desc
      limit $4`,
    [reader.id, q.cursor?.receivedAt ?? null, q.cursor?.id ?? null, q.limit + 1],
  );
  const page = rows.slice(0, q.limit);
  const last = page[page.length - 1];
  return {
    comments: page.map((r) => ({
      id: r.id,
      page: r.page,
      pageUrl: r.page_url,
      pageTitle: r.page_title,
      status: toOwnStatus(r.status),
      html: r.status === 'deleted' ? '' : r.body_html,
      createdAt: r.received_at,
      editedAt: r.edited_at,
      notifyReplies: reader.notifyReplies && !r.muted,
    })),
    next: rows.length > q.limit && last ? { receivedAt: last.received_at, id: last.id } : null,
  };
}

/**
 * Switches reply mails for one of the reader's comments on or off; false when the comment is not
 * theirs (or does not exist: the two are not told apart).
 */
export async function setCommentReplyMails(
  db: Queryable,
  readerId: number,
  commentId: string,
  on: boolean,
): Promise<boolean> {
  const { rows } = await db.query<{ id: string }>(
    `with own as (select id from comments where id = $1 and reader_id = $2),
          muted as (insert into reader_reply_mutes (comment_id) select id from own where not $3 on conflict do nothing),
          unmuted as (delete from reader_reply_mutes where $3 and comment_id in (select id from own))
     select id from own`,
    [commentId, readerId, on],
  );
  return rows.length === 1;
}

/** Changes what a reader may change about themselves (a field left out stays as it is). */
export async function updateReaderSettings(
  db: Queryable,
  readerId: number,
  change: { notifyReplies?: boolean; name?: string },
): Promise<void> {
  await db.query(
    `update readers set notify_replies = coalesce($2, notify_replies), name = coalesce($3, name) where id = $1`,
    [readerId, change.notifyReplies ?? null, change.name ?? null],
  );
}

/** Everything kept about a reader on their site, as the JSON download gives it. */
/** A reader's own data; with what the desk told them (issue 16: src/store/authors/author-records.ts). */
export interface ReaderExport extends AuthorRecords {
  generatedAt: string;
  site: string;
  profile: {
    id: string;
    via: Reader['via'];
    name: string;
    email: string;
    url: string;
    avatar: string;
    notifyReplies: boolean;
    trusted: boolean;
    createdAt: Date;
  };
  comments: {
    id: string;
    page: string;
    pageUrl: string | null;
    parent: string | null;
    status: OwnCommentStatus;
    authorName: string;
    body: string;
    receivedAt: Date;
    editedAt: Date | null;
    replyMails: boolean;
    edits: { at: Date; bodyBefore: string; bodyAfter: string }[];
  }[];
  /** Votes on comments (issue 15): which comment, up (1) or down (-1), when. */
  votes: { comment: string; page: string; value: 1 | -1; at: Date }[];
  /** Signed-in browsers: when, and with which browser; never the token (only its hash is kept anyway). */
  sessions: { createdAt: Date; lastUsedAt: Date; expiresAt: Date; userAgent: string }[];
  notes: string[];
}

const EXPORT_NOTES = [
  'Your sign-in tokens are not listed: only a hash of each is kept, and it signs nobody in.',
  'Comments you wrote as a guest (a name and email typed into the form) are not part of your account; the site can export those by email address.',
];

export async function exportReaderData(db: Queryable, reader: Reader, now: Date): Promise<ReaderExport> {
  const comments = await db.query<{
    id: string;
    page: string;
    page_url: string | null;
    parent_id: string | null;
    status: OwnCommentRow['status'];
    author_name: string;
    body: string;
    received_at: Date;
    edited_at: Date | null;
    muted: boolean;
  }>(
    `select c.id, p.identifier as page, p.url as page_url, c.parent_id, c.status, c.author_name, c.body,
            c.received_at, c.edited_at, exists (select 1 from reader_reply_mutes m where m.comment_id = c.id) as muted
       from comments c join pages p on p.id = c.page_id
      where c.reader_id = $1 order by c.received_at, c.id`,
    [reader.id],
  );
  const edits = await db.query<{ comment_id: string; at: Date; body_before: string; body_after: string }>(
    `select comment_id, created_at as at, body_before, body_after from comment_edits
      where comment_id = any($1::uuid[]) order by created_at, id`,
    [comments.rows.map((c) => c.id)],
  );
  const sessions = await db.query<ReaderExport['sessions'][number]>(
    `select created_at as "createdAt", last_used_at as "lastUsedAt", expires_at as "expiresAt", user_agent as "userAgent"
       from reader_sessions where reader_id = $1 and expires_at > now() order by created_at`,
    [reader.id],
  );
  const votes = await db.query<ReaderExport['votes'][number]>(
    `select v.comment_id as comment, p.identifier as page, v.value, v.voted_at as at
       from comment_votes v join comments c on c.id = v.comment_id join pages p on p.id = c.page_id
      where v.voter = $1 and v.value <> 0 order by v.voted_at`,
    [`r:${reader.id}`],
  );
  return {
    generatedAt: now.toISOString(),
    site: reader.siteId,
    profile: {
      id: String(reader.id),
      via: reader.via,
      name: reader.name,
      email: reader.email,
      url: reader.url,
      avatar: reader.avatar,
      notifyReplies: reader.notifyReplies,
      trusted: reader.trusted,
      createdAt: reader.createdAt,
    },
    comments: comments.rows.map((c) => ({
      id: c.id,
      page: c.page,
      pageUrl: c.page_url,
      parent: c.parent_id,
      status: toOwnStatus(c.status),
      authorName: c.author_name,
      body: c.body,
      receivedAt: c.received_at,
      editedAt: c.edited_at,
      replyMails: reader.notifyReplies && !c.muted,
      edits: edits.rows
        .filter((e) => e.comment_id === c.id)
        .map((e) => ({ at: e.at, bodyBefore: e.body_before, bodyAfter: e.body_after })),
    })),
    votes: votes.rows,
    sessions: sessions.rows,
    ...(await loadAuthorRecords(db, {
      commentIds: comments.rows.map((c) => c.id),
      authorKeys: [`reader:${reader.id}`],
      siteId: reader.siteId,
    })),
    notes: EXPORT_NOTES,
  };
}

export type ReaderErasureMode = 'anonymize' | 'remove';

export interface ReaderErasure {
  mode: ReaderErasureMode;
  /** The reader's comments changed: kept as a deleted user's, or removed. */
  comments: number;
  sessions: number;
}

/**
 * Erases a reader, in one transaction: every session (the token stops working at once), the reader
 * row, and their comments as the site chose. `anonymize` keeps each comment's text and status but
 * nothing of who wrote it (name, email, website, avatar, the verified and staff marks, the link to the
 * reader, IP, user agent, referrer): the thread shows a deleted user. `remove` blanks the text too and
 * marks the comment deleted, as the commenter erasure does (src/store/privacy.ts): the row stays as a
 * tombstone so replies keep their place, and because the append-only audit log points at it. Either
 * way edit history and reply-mail opt-ins go (they hold the text, the address), and audit events that
 * quote an edit's text are redacted. One `privacy_erase` event records it (the email as a hash). The
 * queues hold the reader's submissions too: the route purges them (src/queue/erase-queued-jobs.ts).
 */
export async function eraseReader(pool: Pool, reader: Reader, mode: ReaderErasureMode): Promise<ReaderErasure> {
  const client = await pool.connect();
  try {
    await client.query('begin');
    await client.query(`set local reply_desk.privacy_erase = 'on'`);
    // The reader row is locked first: a comment the worker stores for them meanwhile waits, then
    // finds the reader gone (reader_id on delete set null) rather than slipping past the erasure.
    await client.query('select 1 from readers where id = $1 for update', [reader.id]);
    const common = `author_name = '', author_email = '', author_url = '', author_avatar = '',
                    author_verified = false, author_staff = false, reader_id = null,
                    ip = null, user_agent = '', referrer = '', updated_at = now(), check_facts = null`;
    const changed = await client.query<{ id: string }>(
      mode === 'anonymize'
        ? `update comments set ${common} where reader_id = $1 returning id`
        : `update comments
              set ${common}, status = 'deleted', body = '', body_html = '', idempotency_key = null, edited_at = null,
                  content_hash = sha256(convert_to('erased:' || id::text, 'UTF8')),
                  verdict = jsonb_set(verdict, '{status}', '"deleted"')
            where reader_id = $1 returning id`,
      [reader.id],
    );
    const ids = changed.rows.map((r) => r.id);
    // Kept text (anonymize) keeps its current version only: earlier versions are what the reader wrote
    // and took back, and they name nobody but may say who they are.
    await client.query('delete from comment_edits where comment_id = any($1::uuid[])', [ids]);
    await client.query('delete from reply_subscriptions where comment_id = any($1::uuid[])', [ids]);
    await client.query('delete from reader_reply_mutes where comment_id = any($1::uuid[])', [ids]);
    await client.query(
      `update moderation_events set detail = '{"redacted": "privacy_erase"}'::jsonb
        where comment_id = any($1::uuid[]) and action = 'edit'`,
      [ids],
    );
    // Their votes stay counted (the counts on the comments are the sum of the rows), but as nobody's:
    // the voter and network that tied them together go.
    await client.query(
      `update comment_votes set voter = 'x:' || md5(random()::text || comment_id::text), reader_id = null, network = ''
        where voter = $1`,
      [`r:${reader.id}`],
    );
    // What the desk kept about this reader (issue 16) goes with them; the audit log keeps who did what.
    await client.query("update appeals set statement = '' where comment_id = any($1::uuid[])", [ids]);
    for (const table of ['author_notes', 'author_warnings', 'author_suspensions'])
      await client.query(`delete from ${table} where author_key = $1`, [`reader:${reader.id}`]);
    const sessions = await client.query('delete from reader_sessions where reader_id = $1', [reader.id]);
    await client.query('delete from readers where id = $1', [reader.id]);
    const result: ReaderErasure = { mode, comments: ids.length, sessions: sessions.rowCount ?? 0 };
    await client.query(
      `insert into moderation_events (actor_id, actor, action, site_id, detail) values (null, 'readers', 'privacy_erase', $1, $2)`,
      [
        reader.siteId,
        JSON.stringify({
          reader: String(reader.id),
          ...(reader.email ? { emailSha256: hashEmail(reader.email) } : {}),
          mode,
          comments: result.comments,
        }),
      ],
    );
    await client.query('commit');
    return result;
  } catch (err) {
    await client.query('rollback').catch(() => {});
    throw err;
  } finally {
    client.release();
  }
}

/** Where the queues live (QUEUE_PREFIX), for purging what a reader's queued jobs hold. */
export interface ReaderQueueStore {
  redis: RedisClient;
  prefix: string;
  /** SUBMISSION_SHARDS: the other shards' submission queues are purged too. @defaultValue 1 */
  submissionShards?: number;
}

export interface ReaderErasureEverywhere extends ReaderErasure {
  /** Queued jobs removed; null when no queue store was given or Redis could not be reached. */
  queuedRemoved: number | null;
}

/**
 * Erases a reader in the queues, Postgres, then the queues again, as src/erase-commenter.ts does for a
 * guest's address: the first pass removes waiting submissions (which would store a comment after the
 * erasure), the second what jobs running meanwhile left behind. A job is the reader's when it carries
 * their verified address or their reader id. Redis being away does not stop the erasure in Postgres.
 */
export async function eraseReaderEverywhere(
  pool: Pool,
  queues: ReaderQueueStore | null,
  reader: Reader,
  mode: ReaderErasureMode,
  logger?: { warn(obj: object, msg: string): void },
): Promise<ReaderErasureEverywhere> {
  const email = reader.email.toLowerCase();
  const find = [
    // A submission's JSON carries `"reader":{"id":N,…}` (src/domain/submission.ts) and the address.
    `"reader":{"id":${reader.id},`,
    ...(email ? [email, JSON.stringify(email).slice(1, -1)] : []),
  ];
  const sweep = async (): Promise<number | null> => {
    if (queues === null) return null;
    return eraseQueuedJobsMentioning(queues.redis, queues.prefix, find, reader.siteId, queues.submissionShards).then(
      (r) => r.removed,
      (err: unknown) => {
        logger?.warn({ err, readerId: reader.id }, 'queued jobs of an erased reader not purged (Redis)');
        return null;
      },
    );
  };
  const first = await sweep();
  const erased = await eraseReader(pool, reader, mode);
  const second = await sweep();
  return { ...erased, queuedRemoved: first === null || second === null ? null : first + second };
}
