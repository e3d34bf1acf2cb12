import type { Queryable } from './db.js';
import { queueWhere, type QueueFilter } from './moderation-queue.js';

/*
 * Queries behind bulk actions: counting and walking a queue view (the same WHERE the queue page
 * shows, from queueWhere), and the batch's 'bulk' summary event in the audit log.
 */

/**
 * How many comments a view holds right now, and Postgres' "now" as the view's bound: the job then
 * touches only comments received by the moment the moderator clicked.
 */
export async function countBulkFilter(db: Queryable, filter: QueueFilter): Promise<{ total: number; until: string }> {
  const where = queueWhere(filter);
  const { rows } = await db.query<{ total: number; until: string }>(
    `select now()::text as until,
            (select count(*)::int from comments c where ${where.sql} and c.received_at <= now()) as total`,
    where.params,
  );
  const row = rows[0]!;
  return { total: row.total, until: row.until };
}

/** The same count for a view bounded by an earlier `until` (a job queued without its total). */
export async function countFilterUntil(db: Queryable, filter: QueueFilter, until: string): Promise<number> {
  const where = queueWhere(filter);
  const { rows } = await db.query<{ n: number }>(
    `select count(*)::int as n from comments c where ${where.sql} and c.received_at <= $${where.params.length + 1}::timestamptz`,
    [...where.params, until],
  );
  return rows[0]?.n ?? 0;
}

/** A position in a view: the last (received_at, id) done, received_at as Postgres' own text. */
export interface FilterCursor {
  receivedAt: string;
  id: string;
}

/**
 * The next chunk of a view by keyset on (received_at, id), oldest first: a 100,000-comment view is
 * never loaded at once, and each chunk costs what the first does. The cursor travels as Postgres'
 * text so microseconds survive the round trip (a JS Date would truncate them and revisit rows).
 */
export async function listFilterChunk(
  db: Queryable,
  filter: QueueFilter,
  until: string,
  after: FilterCursor | null,
  limit: number,
): Promise<FilterCursor[]> {
  const where = queueWhere(filter);
  const params: unknown[] = [...where.params, until];
  let keyset = '';
  if (after !== null) {
    params.push(after.receivedAt, after.id);
    keyset = ` and (c.received_at, c.id) > ($${params.length - 1}::timestamptz, $${params.length}::uuid)`;
  }
  params.push(limit);
  const { rows } = await db.query<{ id: string; received_at: string }>(
    `select c.id, c.received_at::text as received_at from comments c
      where ${where.sql} and c.received_at <= $${where.params.length + 1}::timestamptz${keyset}
      order by c.received_at, c.id limit $${params.length}`,
    params,
  );
  return rows.map((r) => ({ receivedAt: r.received_at, id: r.id }));
}

/** A finished bulk action as the audit log has it. */
export interface BulkSummary {
  batchId: string;
  actorId: number | null;
  actor: string;
  /** {action, scope, count, total, filter?, partial?} as the processor wrote it. */
  detail: { action?: string; scope?: string; count?: number; total?: number; partial?: boolean };
  createdAt: Date;
}

/**
 * Writes the one 'bulk' event that sums a batch up. It marks the batch finished (undo waits for it)
 * and is what findLastUndoableBatch finds for the "u" key. Written once even when a retried job gets
 * here twice.
 */
export async function recordBulkSummary(
  db: Queryable,
  s: { batchId: string; actorId: number | null; actor: string; siteId: string | null; detail: object },
): Promise<void> {
  await db.query(
    `insert into moderation_events (actor_id, actor, action, site_id, batch_id, detail)
     select $1, $2, 'bulk', $3, $4, $5::jsonb
      where not exists (select 1 from moderation_events where batch_id = $4 and action = 'bulk')`,
    [s.actorId, s.actor, s.siteId, s.batchId, JSON.stringify(s.detail)],
  );
}

export async function loadBulkSummary(db: Queryable, batchId: string): Promise<BulkSummary | null> {
  const { rows } = await db.query<{
    actor_id: string | null;
    actor: string;
    detail: BulkSummary['detail'];
    created_at: Date;
  }>(
    `select actor_id, actor, detail, created_at from moderation_events where batch_id = $1 and action = 'bulk' limit 1`,
    [batchId],
  );
  const r = rows[0];
  return r
    ? {
        batchId,
        actorId: r.actor_id === null ? null : Number(r.actor_id),
        actor: r.actor,
        detail: r.detail,
        createdAt: r.created_at,
      }
    : null;
}

/** How many comments a batch changed (what an undo has to look at). */
export async function countBatchChanges(db: Queryable, batchId: string): Promise<number> {
  const { rows } = await db.query<{ n: number }>(
    `select count(*)::int as n from moderation_events where batch_id = $1 and comment_id is not null and action <> 'undo'`,
    [batchId],
  );
  return rows[0]?.n ?? 0;
}

/** Whether the batch has been undone (by the bulk page's button or the "u" key). */
export async function isBatchUndone(db: Queryable, batchId: string): Promise<boolean> {
  const { rowCount } = await db.query(
    `select 1 from moderation_events where action = 'undo' and detail->>'undoes' = $1 limit 1`,
    [batchId],
  );
  return (rowCount ?? 0) > 0;
}
