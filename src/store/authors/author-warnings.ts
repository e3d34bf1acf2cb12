import type { Actor } from '../moderation-actions.js';
import type { Queryable } from '../db.js';
import { recordAuthorEvent } from './author-events.js';

/** A warning a moderator gave an author (sql/0044): shown to them once in the widget, then marked seen. */
export interface AuthorWarning {
  id: number;
  message: string;
  by: string;
  createdAt: Date;
  seenAt: Date | null;
}

/** Gives a warning and its audit row (warn). Run in a transaction. */
export async function warnAuthor(
  db: Queryable,
  q: { siteId: string; authorKey: string; message: string; actor: Actor },
): Promise<number> {
  const { rows } = await db.query<{ id: string }>(
    `insert into author_warnings (site_id, author_key, message, created_by, created_by_label) values ($1, $2, $3, $4, $5) returning id`,
    [q.siteId, q.authorKey, q.message, q.actor.id, q.actor.label],
  );
  const id = Number(rows[0]!.id);
  await recordAuthorEvent(db, {
    actor: q.actor,
    action: 'warn',
    siteId: q.siteId,
    detail: { author: q.authorKey, message: q.message, warningId: id },
  });
  return id;
}

export async function listAuthorWarnings(db: Queryable, siteId: string, authorKey: string): Promise<AuthorWarning[]> {
  const { rows } = await db.query<{ id: string; message: string; by: string; created_at: Date; seen_at: Date | null }>(
    `select w.id, w.message, coalesce(nullif(m.display_name, ''), w.created_by_label) as by, w.created_at, w.seen_at
       from author_warnings w left join moderators m on m.id = w.created_by
      where w.site_id = $1 and w.author_key = $2 order by w.created_at desc, w.id desc`,
    [siteId, authorKey],
  );
  return rows.map((r) => ({
    id: Number(r.id),
    message: r.message,
    by: r.by,
    createdAt: r.created_at,
    seenAt: r.seen_at,
  }));
}

/** What the reader is shown: the warnings not seen yet, oldest first, without who gave them. */
export async function listUnseenWarnings(
  db: Queryable,
  siteId: string,
  authorKey: string,
): Promise<{ id: number; message: string; createdAt: Date }[]> {
  const { rows } = await db.query<{ id: string; message: string; created_at: Date }>(
    `select id, message, created_at from author_warnings
      where site_id = $1 and author_key = $2 and seen_at is null order by created_at, id limit 10`,
    [siteId, authorKey],
  );
  return rows.map((r) => ({ id: Number(r.id), message: r.message, createdAt: r.created_at }));
}

/** Marks a warning of this author seen; false when it is not theirs or was seen already. */
export async function markWarningSeen(
  db: Queryable,
  q: { siteId: string; authorKey: string; id: number; now: Date },
): Promise<boolean> {
  const { rowCount } = await db.query(
    'update author_warnings set seen_at = $4 where id = $1 and site_id = $2 and author_key = $3 and seen_at is null',
    [q.id, q.siteId, q.authorKey, q.now],
  );
  return rowCount === 1;
}

/** Whose a comment is, for a guest proving authorship with its edit key: its site, reader and typed email. */
export async function loadCommentAuthor(
  db: Queryable,
  commentId: string,
): Promise<{ siteId: string; readerId: number | null; email: string } | null> {
  const { rows } = await db.query<{ site_id: string; reader_id: string | null; author_email: string }>(
    'select site_id, reader_id, author_email from comments where id = $1',
    [commentId],
  );
  const r = rows[0];
  return r
    ? { siteId: r.site_id, readerId: r.reader_id === null ? null : Number(r.reader_id), email: r.author_email }
    : null;
}
