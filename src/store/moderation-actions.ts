import { randomUUID } from 'node:crypto';
import type { CommentStatus } from '../moderation/verdict.js';
import type { Pool, PoolClient, Queryable } from './db.js';

/** What a moderator can do to a comment's status. */
export type StatusAction = 'approve' | 'reject' | 'spam' | 'not_spam' | 'delete';

export const statusActions: readonly StatusAction[] = ['approve', 'reject', 'spam', 'not_spam', 'delete'];

/** The status each action leaves a comment in. "Not spam" publishes: a person has looked at it. */
export const statusAfter: Record<StatusAction, CommentStatus> = {
  approve: 'approved',
  reject: 'rejected',
  spam: 'spam',
  not_spam: 'approved',
  delete: 'deleted',
};

/** Who acts, and on which sites they may. Every query below is scoped to `siteIds`. */
export interface Actor {
  /** null for the command line and the pipeline itself. */
  id: number | null;
  /** The moderator's email at the time, or 'cli' / 'readers'. */
  label: string;
  siteIds: string[];
}

/** One comment whose status an action changed. */
export interface StatusChange {
  id: string;
  siteId: string;
  fromStatus: CommentStatus;
  toStatus: CommentStatus;
}

/**
 * Sets the status of the given comments, within the actor's sites, and records one audit event per
 * comment, all under one batch id (a single action is a batch of one, so "undo" works the same for
 * both). Comments already in the target status are left alone and not reported as changed. Any
 * action resolves a pending report. One statement: the update and its audit rows commit together.
 */
export async function changeStatus(
  db: Queryable,
  q: {
    ids: string[];
    action: StatusAction | 'undo';
    toStatus: CommentStatus;
    actor: Actor;
    batchId: string;
    onlyFrom?: CommentStatus[];
    detail?: object;
  },
): Promise<StatusChange[]> {
  if (q.ids.length === 0) return [];
  const { rows } = await db.query<{ id: string; site_id: string; from_status: CommentStatus }>(
    `with target as (
       select id, site_id, status as from_status from comments
        where id = any($1::uuid[]) and site_id = any($2::text[]) and status <> $3
          and ($8::text[] is null or status = any($8::text[]))
        for update
     ), changed as (
       update comments c set status = $3, reported_at = null, updated_at = now()
         from target t where c.id = t.id
       returning c.id, c.site_id, t.from_status
     ), audit as (
       insert into moderation_events (actor_id, actor, action, site_id, comment_id, from_status, to_status, batch_id, detail)
       select $4, $5, $6, site_id, id, from_status, $3, $7, $9::jsonb from changed
     )
     select id, site_id, from_status from changed`,
    [
      q.ids,
      q.actor.siteIds,
      q.toStatus,
      q.actor.id,
      q.actor.label,
      q.action,
      q.batchId,
      q.onlyFrom ?? null,
      JSON.stringify(q.detail ?? {}),
    ],
  );
  return rows.map((r) => ({ id: r.id, siteId: r.site_id, fromStatus: r.from_status, toStatus: q.toStatus }));
}

/** The sites of the given comments that exist at all, to tell "not yours" (403) from "not there" (404). */
export async function loadCommentSites(db: Queryable, ids: string[]): Promise<Map<string, string>> {
  const { rows } = await db.query<{ id: string; site_id: string }>(
    'select id, site_id from comments where id = any($1::uuid[])',
    [ids],
  );
  return new Map(rows.map((r) => [r.id, r.site_id]));
}

/**
 * Reverses a batch (a single action, a bulk action, a ban's rejections): every comment it changed goes
 * back to its status before, unless something changed it again since. Returns what was restored and
 * the undo's own batch id. Undoing twice does nothing the second time.
 */
export async function undoBatch(
  pool: Pool,
  batchId: string,
  actor: Actor,
): Promise<{ batchId: string; restored: StatusChange[] }> {
  const client = await pool.connect();
  try {
    await client.query('begin');
    // Serialise undos of the same batch so two clicks cannot both restore.
    await client.query('select pg_advisory_xact_lock(hashtext($1))', [`undo:${batchId}`]);
    const undone = await client.query(
      `select 1 from moderation_events where action = 'undo' and detail->>'undoes' = $1 limit 1`,
      [batchId],
    );
    const undoId = randomUUID();
    if (undone.rowCount) {
      await client.query('commit');
      return { batchId: undoId, restored: [] };
    }
    const { rows } = await client.query<{ comment_id: string; from_status: CommentStatus; to_status: CommentStatus }>(
      `select comment_id, from_status, to_status from moderation_events
        where batch_id = $1 and comment_id is not null and action <> 'undo' order by id`,
      [batchId],
    );
    const restored: StatusChange[] = [];
    // Group by (to, from) so a bulk action of thousands is a handful of statements.
    const groups = new Map<string, { from: CommentStatus; to: CommentStatus; ids: string[] }>();
    for (const r of rows) {
      const key = `${r.to_status}>${r.from_status}`;
      const g = groups.get(key) ?? { from: r.to_status, to: r.from_status, ids: [] };
      g.ids.push(r.comment_id);
      groups.set(key, g);
    }
    for (const g of groups.values()) {
      restored.push(
        ...(await changeStatus(client, {
          ids: g.ids,
          action: 'undo',
          toStatus: g.to,
          actor,
          batchId: undoId,
          onlyFrom: [g.from],
          detail: { undoes: batchId },
        })),
      );
    }
    // Record the undo even when nothing could be restored, so the batch counts as undone.
    if (restored.length === 0) {
      await client.query(
        `insert into moderation_events (actor_id, actor, action, batch_id, detail) values ($1, $2, 'undo', $3, $4)`,
        [actor.id, actor.label, undoId, JSON.stringify({ undoes: batchId })],
      );
    }
    await client.query('commit');
    return { batchId: undoId, restored };
  } catch (err) {
    await client.query('rollback').catch(() => {});
    throw err;
  } finally {
    client.release();
  }
}

/**
 * Who made a batch and where: the actors of its events and the sites of the comments it changed.
 * Null when no such batch was ever recorded. Undo events are left out: undoing an undo is not a thing.
 */
export async function loadBatchOwners(
  db: Queryable,
  batchId: string,
): Promise<{ actorIds: (number | null)[]; siteIds: string[] } | null> {
  const { rows } = await db.query<{ actor_ids: (string | null)[]; site_ids: string[]; n: number }>(
    `select count(*)::int as n, array_agg(distinct actor_id) as actor_ids,
            coalesce(array_agg(distinct site_id) filter (where site_id is not null), '{}') as site_ids
       from moderation_events where batch_id = $1 and action <> 'undo'`,
    [batchId],
  );
  const r = rows[0];
  if (!r || r.n === 0) return null;
  return { actorIds: r.actor_ids.map((id) => (id === null ? null : Number(id))), siteIds: r.site_ids };
}

/** The actor's most recent status batch that has not been undone, for the "u" key. */
export async function findLastUndoableBatch(db: Queryable, actor: Actor): Promise<string | null> {
  const { rows } = await db.query<{ batch_id: string }>(
    `select e.batch_id from moderation_events e
      where e.actor_id is not distinct from $1 and e.actor = $2 and e.batch_id is not null
        and (e.action in ('bulk', 'ban')
          or (e.action in ('approve', 'reject', 'spam', 'not_spam', 'delete') and e.detail->>'bulk' is null))
        and not exists (select 1 from moderation_events u where u.action = 'undo' and u.detail->>'undoes' = e.batch_id::text)
      order by e.id desc limit 1`,
    [actor.id, actor.label],
  );
  return rows[0]?.batch_id ?? null;
}

/** Runs `work` in a transaction on one client. */
export async function inTransaction<T>(pool: Pool, work: (client: PoolClient) => Promise<T>): Promise<T> {
  const client = await pool.connect();
  try {
    await client.query('begin');
    const result = await work(client);
    await client.query('commit');
    return result;
  } catch (err) {
    await client.query('rollback').catch(() => {});
    throw err;
  } finally {
    client.release();
  }
}
