import type { Pool, Queryable } from './db.js';
import { inTransaction } from './moderation-actions.js';

/** Why a reader flags a comment (the check on flags.reason). */
export const flagReasons = ['spam', 'abuse', 'off_topic', 'other'] as const;
export type FlagReason = (typeof flagReasons)[number];

/** A comment's site and status, to check the reader's origin and that it is published. */
export async function loadFlaggable(db: Queryable, id: string): Promise<{ siteId: string; status: string } | null> {
  const { rows } = await db.query<{ site_id: string; status: string }>(
    'select site_id, status from comments where id = $1',
    [id],
  );
  return rows[0] ? { siteId: rows[0].site_id, status: rows[0].status } : null;
}

export type FlagOutcome =
  | { outcome: 'not_published' | 'repeat' | 'full' | 'counted' | 'reported' }
  | { outcome: 'rate_limited'; retryAfterSeconds: number };

/** Flags one network may give in {@link FLAG_RATE_WINDOW_S}: a reader flags a few, never hundreds. */
export const FLAG_RATE_LIMIT = 20;
export const FLAG_RATE_WINDOW_S = 3600;
/**
 * Most flag rows one comment keeps. Far above any threshold (at most 100): the comment was reported
 * long before, and more rows would tell a moderator nothing new.
 */
export const MAX_FLAGS_PER_COMMENT = 100;

/**
 * Records one reader's flag on a published comment and, when the networks that flagged it since its
 * last report reach `threshold`, sends it back to the queue as reported with an audit row — all in
 * one transaction.
 *
 * A flag counts once per network (`network`: a hash of the IPv4 address or IPv6 /64): the browser key
 * in `reporter` is the client's own choice, so one client with fresh keys is still one reader. A
 * comment keeps one flag per network (unique index, sql/0015) and at most MAX_FLAGS_PER_COMMENT rows;
 * a network gives at most FLAG_RATE_LIMIT flags an hour (`rateLimited` false for an address shared by
 * every reader, which counts as one network anyway and must not throttle them all).
 *
 * The comment row is locked first, so concurrent flags run one after another: exactly one of them sees
 * the count reach the threshold while the comment is still approved, and reports it. Then the network's
 * advisory lock (always in this order, so two flags cannot deadlock), so its count cannot be raced past
 * the limit. A flag arriving while the comment is already reported is still recorded (the reader saw it
 * published a moment ago, and moderators see every reason), but reports nothing again. A repeat flag
 * from the same network changes nothing. Counting only flags since the last report means a comment a
 * moderator approved again needs `threshold` new networks to send it back.
 */
export async function flagComment(
  pool: Pool,
  q: { id: string; reason: FlagReason; reporter: string; network: string; rateLimited: boolean; threshold: number },
): Promise<FlagOutcome> {
  return inTransaction(pool, async (client): Promise<FlagOutcome> => {
    const locked = await client.query<{ site_id: string; status: string; reported: boolean }>(
      `select site_id, status, reported_at is not null as reported from comments where id = $1 for update`,
      [q.id],
    );
    const c = locked.rows[0];
    if (!c || !(c.status === 'approved' || (c.status === 'pending' && c.reported))) return { outcome: 'not_published' };
    if (q.rateLimited) {
      await client.query(`select pg_advisory_xact_lock(hashtextextended('reply-desk flags ' || $1, 0))`, [q.network]);
      const { rows } = await client.query<{ n: number; wait: number | null }>(
        `select count(*)::int as n,
                ceil(extract(epoch from min(created_at) + make_interval(secs => $2) - now()))::int as wait
           from flags where network = $1 and created_at > now() - make_interval(secs => $2)`,
        [q.network, FLAG_RATE_WINDOW_S],
      );
      const r = rows[0];
      if (r && r.n >= FLAG_RATE_LIMIT) return { outcome: 'rate_limited', retryAfterSeconds: Math.max(1, r.wait ?? 1) };
    }
    const { rows: stored } = await client.query<{ n: number }>(
      'select count(*)::int as n from flags where comment_id = $1',
      [q.id],
    );
    if ((stored[0]?.n ?? 0) >= MAX_FLAGS_PER_COMMENT) return { outcome: 'full' };
    const inserted = await client.query(
      `insert into flags (comment_id, reason, reporter, network) values ($1, $2, $3, $4) on conflict do nothing`,
      [q.id, q.reason, q.reporter, q.network],
    );
    if (!inserted.rowCount) return { outcome: 'repeat' };
    await client.query('update comments set flag_count = flag_count + 1 where id = $1', [q.id]);
    if (c.status !== 'approved') return { outcome: 'counted' };
    // Rows from before sql/0015 have no network: each counts as its own reader, as it did.
    const { rows } = await client.query<{ recent: number }>(
      `select count(distinct coalesce(network, reporter))::int as recent from flags
        where comment_id = $1
          and created_at > coalesce((select max(created_at) from moderation_events where comment_id = $1 and action = 'report'), '-infinity')`,
      [q.id],
    );
    if ((rows[0]?.recent ?? 0) < q.threshold) return { outcome: 'counted' };
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
    return { outcome: 'reported' };
  });
}
