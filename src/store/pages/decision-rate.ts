import { DECISION_WINDOW_MINUTES } from '../../domain/pages/expected-wait.js';
import type { Queryable } from '../db.js';

/**
 * Held comments that people decided in the last hour on these sites (or one of them): audit events
 * that took a comment out of pending, by a moderator (the dashboard, a bulk action, a mail link), not
 * the worker's rechecks. Read on the created_at index, an hour of events at most.
 */
export async function countRecentDecisions(
  db: Queryable,
  q: { siteIds: string[]; site: string | null; now: Date },
): Promise<number> {
  const { rows } = await db.query<{ n: number }>(
    `select count(*)::int as n from moderation_events
      where created_at > $3::timestamptz - make_interval(mins => $4) and created_at <= $3::timestamptz
        and from_status = 'pending' and to_status is distinct from 'pending' and actor_id is not null
        and site_id = any($1::text[]) and ($2::text is null or site_id = $2)`,
    [q.siteIds, q.site, q.now, DECISION_WINDOW_MINUTES],
  );
  return rows[0]?.n ?? 0;
}
