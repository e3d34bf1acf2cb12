import { applyVote, voteScore, type VoteValue } from '../../domain/vote-score.js';
import { toPageSettings, type PageSettings } from '../../domain/pages/page-settings.js';
import type { Pool, Queryable } from '../db.js';
import { inTransaction } from '../moderation-actions.js';

/** What a vote route needs to know of a comment before it votes. */
export interface Votable {
  siteId: string;
  status: string;
  /** The signed-in reader who wrote it (null for a guest's): nobody votes on their own comment. */
  readerId: number | null;
  /** The address it was sent from (maybe truncated by IP retention): a guest's own network. */
  ip: string | null;
  /** Its page's identifier: where live threads send the new counts. */
  page: string;
  /** Its page's own settings (issue 16): a page may turn votes off, or on, apart from its site. */
  pageSettings: PageSettings;
}

export async function loadVotable(db: Queryable, id: string): Promise<Votable | null> {
  const { rows } = await db.query<{
    site_id: string;
    status: string;
    reader_id: string | null;
    ip: string | null;
    identifier: string;
    settings: unknown;
  }>(
    `select c.site_id, c.status, c.reader_id, host(c.ip) as ip, p.identifier, p.settings
       from comments c join pages p on p.id = c.page_id where c.id = $1`,
    [id],
  );
  const r = rows[0];
  return r
    ? {
        siteId: r.site_id,
        status: r.status,
        readerId: r.reader_id === null ? null : Number(r.reader_id),
        ip: r.ip,
        page: r.identifier,
        pageSettings: toPageSettings(r.settings),
      }
    : null;
}

/** Votes one voter (a reader, or a guest's network) may cast in a minute: a reader votes on a few, not hundreds. */
export const VOTE_RATE_LIMIT = 30;
export const VOTE_RATE_WINDOW_S = 60;

export type VoteOutcome =
  | { outcome: 'voted'; up: number; down: number; mine: VoteValue }
  | { outcome: 'not_published' | 'network_used' }
  | { outcome: 'rate_limited'; retryAfterSeconds: number };

/**
 * Records a voter's vote (1, -1, or 0 to take it back) on a published comment and moves the comment's
 * counts and score in the same transaction, so the counts on the row are always the sum of the votes.
 *
 * The comment row is locked first: votes on one comment run one after another, so the read of the
 * voter's earlier vote, the guest-network check and the counts cannot race. Then the voter's advisory
 * lock (always in this order, so two votes cannot deadlock) for the rate limit. A guest (`voter`
 * 'g:…') counts once per browser key and once per network: a second key from a network that already
 * voted on this comment is `network_used`. A vote equal to the voter's current one changes nothing.
 */
export async function castVote(
  pool: Pool,
  q: { commentId: string; voter: string; readerId: number | null; network: string; value: VoteValue },
): Promise<VoteOutcome> {
  return inTransaction(pool, async (client): Promise<VoteOutcome> => {
    const locked = await client.query<{ status: string; votes_up: number; votes_down: number }>(
      'select status, votes_up, votes_down from comments where id = $1 for update',
      [q.commentId],
    );
    const c = locked.rows[0];
    if (!c || c.status !== 'approved') return { outcome: 'not_published' };
    const guest = q.readerId === null;
    // A reader is limited as one voter from anywhere; a guest by network (fresh browser keys are free).
    const limiter = guest ? q.network : q.voter;
    await client.query(`select pg_advisory_xact_lock(hashtextextended('reply-desk votes ' || $1, 0))`, [limiter]);
    const { rows: recent } = await client.query<{ n: number; wait: number | null }>(
      `select count(*)::int as n,
              ceil(extract(epoch from min(voted_at) + make_interval(secs => $3) - now()))::int as wait
         from comment_votes
        where ${guest ? 'network' : 'voter'} = $1 and comment_id <> $2 and voted_at > now() - make_interval(secs => $3)`,
      [limiter, q.commentId, VOTE_RATE_WINDOW_S],
    );
    const r = recent[0];
    if (r && r.n >= VOTE_RATE_LIMIT) return { outcome: 'rate_limited', retryAfterSeconds: Math.max(1, r.wait ?? 1) };

    const { rows: mineRows } = await client.query<{ value: VoteValue }>(
      'select value from comment_votes where comment_id = $1 and voter = $2',
      [q.commentId, q.voter],
    );
    const before: VoteValue = mineRows[0]?.value ?? 0;
    if (mineRows.length === 0 && guest) {
      const { rowCount } = await client.query(
        `select 1 from comment_votes where comment_id = $1 and network = $2 and voter like 'g:%'`,
        [q.commentId, q.network],
      );
      if (rowCount) return { outcome: 'network_used' };
    }
    const counts = { up: c.votes_up, down: c.votes_down };
    if (before === q.value && mineRows.length > 0) return { outcome: 'voted', ...counts, mine: before };
    await client.query(
      `insert into comment_votes (comment_id, voter, reader_id, network, value) values ($1, $2, $3, $4, $5)
       on conflict (comment_id, voter) do update set value = excluded.value, voted_at = now()`,
      [q.commentId, q.voter, q.readerId, q.network, q.value],
    );
    const next = applyVote(counts, before, q.value);
    if (next.up !== counts.up || next.down !== counts.down) {
      await client.query('update comments set votes_up = $2, votes_down = $3, top_score = $4 where id = $1', [
        q.commentId,
        next.up,
        next.down,
        voteScore(next.up, next.down),
      ]);
    }
    return { outcome: 'voted', ...next, mine: q.value };
  });
}

/** A voter's votes on a page's published comments: comment id → 1 or -1 (what the widget marks as theirs). */
export async function listVotesOnPage(
  db: Queryable,
  q: { siteId: string; page: string; voter: string },
): Promise<Record<string, 1 | -1>> {
  const { rows } = await db.query<{ comment_id: string; value: 1 | -1 }>(
    `select v.comment_id, v.value
       from comment_votes v join comments c on c.id = v.comment_id
      where v.voter = $1 and v.value <> 0 and c.status = 'approved'
        and c.page_id = (select p.id from pages p where p.site_id = $2 and p.identifier = $3)
      limit 5000`,
    [q.voter, q.siteId, q.page],
  );
  return Object.fromEntries(rows.map((r) => [r.comment_id, r.value]));
}
