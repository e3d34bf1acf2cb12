import type { Actor } from '../moderation-actions.js';
import type { Queryable } from '../db.js';
import { recordAuthorEvent } from './author-events.js';

/** A suspension (sql/0044): the author's comments are refused until `endsAt`, unless lifted before. */
export interface AuthorSuspension {
  id: number;
  reason: string;
  startsAt: Date;
  endsAt: Date;
  by: string;
  liftedAt: Date | null;
}

/** Suspends an author until `endsAt`, with its audit row (suspend). Run in a transaction. */
export async function suspendAuthor(
  db: Queryable,
  q: { siteId: string; authorKey: string; reason: string; now: Date; endsAt: Date; actor: Actor },
): Promise<number> {
  const { rows } = await db.query<{ id: string }>(
    `insert into author_suspensions (site_id, author_key, reason, starts_at, ends_at, created_by, created_by_label)
     values ($1, $2, $3, $4, $5, $6, $7) returning id`,
    [q.siteId, q.authorKey, q.reason, q.now, q.endsAt, q.actor.id, q.actor.label],
  );
  const id = Number(rows[0]!.id);
  await recordAuthorEvent(db, {
    actor: q.actor,
    action: 'suspend',
    siteId: q.siteId,
    detail: { author: q.authorKey, until: q.endsAt.toISOString(), reason: q.reason, suspensionId: id },
  });
  return id;
}

/** Lifts the author's suspensions that are still running; returns how many. Run in a transaction. */
export async function liftSuspensions(
  db: Queryable,
  q: { siteId: string; authorKey: string; now: Date; actor: Actor },
): Promise<number> {
  const { rowCount } = await db.query(
    `update author_suspensions set lifted_at = $3, lifted_by_label = $4
      where site_id = $1 and author_key = $2 and lifted_at is null and ends_at > $3`,
    [q.siteId, q.authorKey, q.now, q.actor.label],
  );
  if (rowCount)
    await recordAuthorEvent(db, {
      actor: q.actor,
      action: 'unsuspend',
      siteId: q.siteId,
      detail: { author: q.authorKey },
    });
  return rowCount ?? 0;
}

export async function listAuthorSuspensions(
  db: Queryable,
  siteId: string,
  authorKey: string,
): Promise<AuthorSuspension[]> {
  const { rows } = await db.query<{
    id: string;
    reason: string;
    starts_at: Date;
    ends_at: Date;
    by: string;
    lifted_at: Date | null;
  }>(
    `select s.id, s.reason, s.starts_at, s.ends_at, coalesce(nullif(m.display_name, ''), s.created_by_label) as by, s.lifted_at
       from author_suspensions s left join moderators m on m.id = s.created_by
      where s.site_id = $1 and s.author_key = $2 order by s.starts_at desc, s.id desc`,
    [siteId, authorKey],
  );
  return rows.map((r) => ({
    id: Number(r.id),
    reason: r.reason,
    startsAt: r.starts_at,
    endsAt: r.ends_at,
    by: r.by,
    liftedAt: r.lifted_at,
  }));
}

/** The end of each running suspension on a site, by author key (the latest end when there are several). */
export async function loadActiveSuspensions(db: Queryable, siteId: string, now: Date): Promise<Map<string, Date>> {
  const { rows } = await db.query<{ author_key: string; ends_at: Date }>(
    `select author_key, max(ends_at) as ends_at from author_suspensions
      where site_id = $1 and lifted_at is null and ends_at > $2 group by author_key`,
    [siteId, now],
  );
  return new Map(rows.map((r) => [r.author_key, r.ends_at]));
}

/** Intake's question: until when is this author suspended, if at all (src/http/public/public-routes.ts). */
export interface SuspensionLookup {
  /** The end of the author's running suspension, or null. Never rejects: a database that cannot answer lets the comment through (fail open, as intake queues comments while Postgres is down). */
  endOf(siteId: string, authorKey: string, now: Date): Promise<Date | null>;
  /** Forgets a site's cached list: the desk just suspended or lifted someone there. */
  forget(siteId: string): void;
}

/**
 * A site's running suspensions, kept for `ttlMs` so that a comment post costs no query of its own on a
 * busy site. One API process hears of its own desk's changes at once (`forget`); other processes within
 * `ttlMs`. The end is compared with the clock on every call, so a suspension ends on time whatever the cache holds.
 * `ttlMs` @defaultValue 2000; `waitMs`, the longest a post waits for the list, @defaultValue 300.
 */
export function createSuspensionLookup(
  db: Queryable,
  opts: { ttlMs?: number; waitMs?: number; onError?: (err: unknown) => void } = {},
): SuspensionLookup {
  const ttlMs = opts.ttlMs ?? 2000;
  const waitMs = opts.waitMs ?? 300;
  const cache = new Map<string, { at: number; ends: Promise<Map<string, Date>> }>();
  return {
    async endOf(siteId, authorKey, now) {
      const t = Date.now();
      let hit = cache.get(siteId);
      if (hit === undefined || t - hit.at > ttlMs) {
        const entry = { at: t, ends: loadActiveSuspensions(db, siteId, now) };
        cache.set(siteId, entry);
        // A failed load is not kept: the next post asks again.
        entry.ends.catch(() => {
          if (cache.get(siteId) === entry) cache.delete(siteId);
        });
        hit = entry;
      }
      try {
        // A slow or absent database must not slow posts down: past `waitMs` the comment goes through.
        let timer: NodeJS.Timeout | undefined;
        const late = new Promise<null>((resolve) => {
          timer = setTimeout(() => resolve(null), waitMs);
        });
        const ends = await Promise.race([hit.ends, late]).finally(() => clearTimeout(timer));
        const end = ends?.get(authorKey);
        return end !== undefined && end > now ? end : null;
      } catch (err) {
        opts.onError?.(err);
        return null;
      }
    },
    forget(siteId) {
      cache.delete(siteId);
    },
  };
}
