import { randomUUID } from 'node:crypto';
import { contentHash } from '../../domain/content-hash.js';
import { renderCommentHtml } from '../../domain/render-comment.js';
import { readerColumns, toReader, type Reader } from '../../readers/reader-store.js';
import { insertComments } from '../batched/comment-writer.js';
import type { Pool, Queryable } from '../db.js';

/*
 * A moderator's reply from a card (POST /admin/api/comments/:id/reply), stored as their own reader's
 * comment on the site: the reader with their moderator address (via 'email', identity
 * 'email:<address>'), as if they had signed in by email, so it is the same person, history and badge
 * as when they comment from the widget. Stored here, not queued for the worker: a moderator is trusted
 * (no hold applies to them, src/store/batched/check-facts.ts) and must see their reply published when
 * the answer comes back. Everything the worker would refuse anyway (an unpublished parent, a closed
 * page, too deep, the same reply twice) the route refuses first.
 */

/** The comment replied to, with what decides whether it takes a reply. */
export interface ReplyTarget {
  id: string;
  siteId: string;
  status: string;
  depth: number;
  pageId: number;
  page: string;
  pageClosed: boolean;
  firstCommentAt: Date | null;
}

export async function loadReplyTarget(db: Queryable, id: string): Promise<ReplyTarget | null> {
  const { rows } = await db.query<{
    id: string;
    site_id: string;
    status: string;
    depth: number;
    page_id: string;
    identifier: string;
    closed: boolean;
    first_comment_at: Date | null;
  }>(
    `select c.id, c.site_id, c.status, c.depth, c.page_id, p.identifier, p.closed, p.first_comment_at
       from comments c join pages p on p.id = c.page_id
      where c.id = $1 and c.status <> 'deleted'`,
    [id],
  );
  const r = rows[0];
  if (!r) return null;
  return {
    id: r.id,
    siteId: r.site_id,
    status: r.status,
    depth: r.depth,
    pageId: Number(r.page_id),
    page: r.identifier,
    pageClosed: r.closed,
    firstCommentAt: r.first_comment_at,
  };
}

/**
 * The moderator's reader on a site, created on first use with the account's name. An existing reader
 * keeps the name they chose (or their sign-in gave them): the reply is theirs, under the name readers know.
 */
export async function findStaffReader(
  db: Queryable,
  q: { siteId: string; email: string; name: string },
): Promise<Reader> {
  const email = q.email.trim().toLowerCase();
  const { rows } = await db.query<Parameters<typeof toReader>[0]>(
    `with up as (
       insert into readers as r (site_id, via, identity, name, email)
       values ($1, 'email', 'email:' || $2, $3, $2)
       on conflict (site_id, identity) do update set last_seen_at = now()
       returning r.*
     )
     select ${readerColumns('up')} from up`,
    [q.siteId, email, q.name.trim().slice(0, 100) || email.split('@')[0] || 'Staff'],
  );
  return toReader(rows[0]!);
}

/** The same page, parent, author and text already stands (the worker would reject it as a duplicate). */
export function replyHash(target: ReplyTarget, reader: Reader, body: string): Buffer {
  return contentHash({
    siteId: target.siteId,
    page: target.page,
    parentId: target.id,
    author: reader.name,
    email: reader.email,
    body,
  });
}

/**
 * Stores the reply, published, in one transaction with its reader; null (nothing stored) when the same
 * reply already stands under this parent.
 */
export async function insertStaffReply(
  pool: Pool,
  q: { target: ReplyTarget; email: string; name: string; body: string; userAgent: string; now: Date },
): Promise<{ id: string; reader: Reader } | null> {
  const client = await pool.connect();
  try {
    await client.query('begin');
    const reader = await findStaffReader(client, { siteId: q.target.siteId, email: q.email, name: q.name });
    const id = randomUUID();
    const [result] = await insertComments(client, [
      {
        id,
        siteId: q.target.siteId,
        pageId: q.target.pageId,
        parentId: q.target.id,
        depth: q.target.depth + 1,
        authorName: reader.name,
        authorEmail: reader.email,
        authorUrl: reader.url,
        body: q.body,
        bodyHtml: renderCommentHtml(q.body),
        verdict: { status: 'approved', score: 0, reasons: [] },
        contentHash: replyHash(q.target, reader, q.body),
        // A moderator's own address is nobody's business in the spam filter or the IP rules.
        ip: null,
        userAgent: q.userAgent.slice(0, 500),
        referrer: '',
        idempotencyKey: null,
        receivedAt: q.now,
        reader: { id: reader.id, staff: reader.staff, avatar: reader.avatar },
      },
    ]);
    // Lost to the same reply posted a moment before (the live-duplicate index): store nothing.
    if (result?.status !== 'approved') {
      await client.query('rollback');
      return null;
    }
    await client.query('commit');
    return { id, reader };
  } catch (err) {
    await client.query('rollback').catch(() => {});
    throw err;
  } finally {
    client.release();
  }
}
