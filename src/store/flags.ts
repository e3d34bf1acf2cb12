import type { Pool, Queryable } from './db.js';
import { inTransaction } from './moderation-actions.js';

/** Why a reader flags a comment (the check on flags.reason). */
export const flagReasons = ['spam', 'abuse', 'off_topic', 'other'] as const;
export type FlagReason = (typeof flagReasons)[number];

/** A comment's site and status, to check the reader's origin and that it is published. */
export async function loadFlaggable(db: Queryable, id: string): Promise<{ siteId: string; status: string } | null> {
  const { rows } = await db.query<{ site_id: string; status: string }>('select site_id, status from comments where id = $1', [id]);
  return rows[0] ? { siteId: rows[0].site_id, status: rows[0].status } : null;
}

export type FlagOutcome = 'not_published' | 'repeat' | 'counted' | 'reported';

/**
 * Records one reader's flag on a published comment and, when the flags since its last report reach
 * `threshold`, sends it back to the queue as reported with an audit row — all in one transaction.
 *
 * The comment row is locked first, so concurrent flags run one after another: exactly one of them sees
 * the count reach the threshold while the comment is still approved, and reports it. A flag arriving
 * while the comment is already reported is still recorded (the reader saw it published a moment ago,
 * and moderators see every reason), but reports nothing again. A repeat flag by the same reader
 * (unique on comment and reporter) changes nothing. Counting only flags since the last report means
 * a comment a moderator approved again needs `threshold` new readers to send it back.
 */
export async function flagComment(pool: Pool, q: { id: string; reason: FlagReason; reporter: string; threshold: number }): Promise<FlagOutcome> {
  return inTransaction(pool, async (client) => {
    const locked = await client.query<{ site_id: string; status: string; reported: boolean }>(
      `select site_id, status, reported_at is not null as reported from comments where id = $1 for update`,
      [q.id],
    );
    const c = locked.rows[0];
    if (!c || !(c.status === 'approved' || (c.status === 'pending' && c.reported))) return 'not_published';
    const inserted = await client.query(
      `insert into flags (comment_id, reason, reporter) values ($1, $2, $3) on conflict (comment_id, reporter) do nothing`,
      [q.id, q.reason, q.reporter],
    );
    if (!inserted.rowCount) return 'repeat';
    await client.query('update comments set flag_count = flag_count + 1 where id = $1', [q.id]);
    if (c.status !== 'approved') return 'counted';
    const { rows } = await client.query<{ recent: number }>(
      `select count(*)::int as recent from flags
        where comment_id = $1
          and created_at > coalesce((select max(created_at) from moderation_events where comment_id = $1 and action = 'report'), '-infinity')`,
      [q.id],
    );
    if ((rows[0]?.recent ?? 0) < q.threshold) return 'counted';
    await client.query(
      `with reported as (
         update comments set status = 'pending', reported_at = now(), updated_at = now()
          where id = $1 and status = 'approved'
         returning id, site_id, flag_count
       )
       insert into moderation_events (actor_id, actor, action, site_id, comment_id, from_status, to_status, detail)
       select null, 'readers', 'report', site_id, id, 'approved', 'pending',
              jsonb_build_object('flags', flag_count, 'threshold', $2::int,
                                 'reasons', (select jsonb_object_agg(reason, n) from (select reason, count(*) as n from flags where comment_id = $1 group by reason) r))
         from reported`,
      [q.id, q.threshold],
    );
    return 'reported';
  });
}
