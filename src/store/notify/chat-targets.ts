import type { ChatService } from '../../notify/chat-formats.js';
import type { Queryable } from '../db.js';
import type { WebhookActor } from '../webhooks.js';

/** The desk notices a chat target may ask for. */
export const chatEvents = ['held', 'surge', 'appeal'] as const;
export type ChatEvent = (typeof chatEvents)[number];

/** What an admin sets on a target. */
export interface ChatTargetFields {
  siteId: string;
  service: ChatService;
  url: string;
  events: ChatEvent[];
  /** At most one "held comments waiting" notice per this many minutes. */
  heldEveryMinutes: number;
  description: string;
}

/** A site's Slack, Teams or Mattermost incoming webhook (sql/0048). The URL is a secret: admins only. */
export interface ChatTarget extends ChatTargetFields {
  id: number;
  lastResult: 'delivered' | 'retrying' | 'failed' | null;
  lastStatusCode: number | null;
  lastError: string | null;
  lastAt: Date | null;
  createdAt: Date;
}

/** Who changed it, for the audit log (as webhooks: a moderator, or the CLI with id null). */
export type ChatActor = WebhookActor;

interface TargetRow {
  id: string | number;
  site_id: string;
  service: ChatService;
  url: string;
  events: ChatEvent[];
  held_every_minutes: number;
  description: string;
  last_result: ChatTarget['lastResult'];
  last_status_code: number | null;
  last_error: string | null;
  last_at: Date | null;
  created_at: Date;
}

const toTarget = (r: TargetRow): ChatTarget => ({
  id: Number(r.id),
  siteId: r.site_id,
  service: r.service,
  url: r.url,
  events: r.events,
  heldEveryMinutes: r.held_every_minutes,
  description: r.description,
  lastResult: r.last_result,
  lastStatusCode: r.last_status_code,
  lastError: r.last_error,
  lastAt: r.last_at,
  createdAt: r.created_at,
});

/**
 * The audit event of a change as a CTE over the changed row `t`, in the same statement. The detail
 * names the target, never its URL: the URL is the channel's key, and the audit log is read more widely.
 */
const auditChange = `audited as (
  insert into moderation_events (actor_id, actor, action, site_id, detail)
  select $1, $2, 'chat_target', t.site_id,
         jsonb_build_object('op', $3::text, 'target', t.id, 'service', t.service, 'events', t.events,
                            'heldEveryMinutes', t.held_every_minutes)
    from t)`;

export async function insertChatTarget(db: Queryable, f: ChatTargetFields, actor: ChatActor): Promise<ChatTarget> {
  const { rows } = await db.query<TargetRow>(
    `with t as (
       insert into chat_targets (site_id, service, url, events, held_every_minutes, description)
       values ($4, $5, $6, $7, $8, $9) returning *),
     ${auditChange}
     select * from t`,
    [actor.id, actor.label, 'add', f.siteId, f.service, f.url, f.events, f.heldEveryMinutes, f.description],
  );
  return toTarget(rows[0]!);
}

export async function deleteChatTarget(db: Queryable, siteId: string, id: number, actor: ChatActor): Promise<boolean> {
  const { rowCount } = await db.query(
    `with t as (delete from chat_targets where id = $4 and site_id = $5 returning *),
     ${auditChange}
     select 1 from t`,
    [actor.id, actor.label, 'delete', id, siteId],
  );
  return rowCount === 1;
}

export async function listChatTargets(db: Queryable, siteId: string): Promise<ChatTarget[]> {
  const { rows } = await db.query<TargetRow>('select * from chat_targets where site_id = $1 order by id', [siteId]);
  return rows.map(toTarget);
}

export async function loadChatTarget(db: Queryable, id: number): Promise<ChatTarget | null> {
  const { rows } = await db.query<TargetRow>('select * from chat_targets where id = $1', [id]);
  return rows[0] ? toTarget(rows[0]) : null;
}

/** The site's targets that want `event` (the fan-out's one query per notice). */
export async function listChatSubscribers(db: Queryable, siteId: string, event: ChatEvent): Promise<ChatTarget[]> {
  const { rows } = await db.query<TargetRow>(
    'select * from chat_targets where site_id = $1 and $2 = any(events) order by id',
    [siteId, event],
  );
  return rows.map(toTarget);
}

/** Records a delivery attempt's outcome on the target (the admins' list shows the latest). */
export async function recordChatAttempt(
  db: Queryable,
  id: number,
  a: { result: 'delivered' | 'retrying' | 'failed'; statusCode: number | null; error: string | null },
): Promise<void> {
  await db.query(
    'update chat_targets set last_result = $2, last_status_code = $3, last_error = $4, last_at = now() where id = $1',
    [id, a.result, a.statusCode, a.error?.slice(0, 500) ?? null],
  );
}

/**
 * Claims the right to post a "held comments waiting" notice to one target now: true when its last one
 * was `heldEveryMinutes` ago or more (or never). The update's row lock makes a second worker re-read
 * the row and find it claimed, so two workers never both post. `notBefore` is when it may next post
 * when the claim fails.
 */
export async function claimHeldNotice(
  db: Queryable,
  id: number,
): Promise<{ claimed: true; previous: Date | null } | { claimed: false; notBefore: Date } | null> {
  const { rows } = await db.query<{ claimed: boolean; previous: Date | null; not_before: Date | null }>(
    `with old as (select id, held_notified_at, held_every_minutes from chat_targets where id = $1),
     claimed as (
       update chat_targets t set held_notified_at = now()
         from old
        where t.id = old.id
          and (t.held_notified_at is null or t.held_notified_at <= now() - make_interval(mins => t.held_every_minutes))
       returning t.id)
     select exists (select 1 from claimed) as claimed, old.held_notified_at as previous,
            old.held_notified_at + make_interval(mins => old.held_every_minutes) as not_before
       from old`,
    [id],
  );
  const r = rows[0];
  if (!r) return null;
  return r.claimed
    ? { claimed: true, previous: r.previous }
    : { claimed: false, notBefore: r.not_before ?? new Date() };
}

/** Gives a claim back (nothing new was waiting): the next held comment may be told at once. */
export async function releaseHeldNotice(db: Queryable, id: number, previous: Date | null): Promise<void> {
  await db.query('update chat_targets set held_notified_at = $2 where id = $1', [id, previous]);
}
