import type { CommentStatus } from '../moderation/verdict.js';
import type { SubscribableEventType } from '../webhooks/comment-events.js';
import type { Queryable } from './db.js';

/** A site's webhook subscription. The secrets never leave the store except to sign and to show admins. */
export interface WebhookSubscription {
  id: number;
  siteId: string;
  url: string;
  events: SubscribableEventType[];
  active: boolean;
  description: string;
  secret: string;
  previousSecret: string | null;
  previousSecretExpiresAt: Date | null;
  createdAt: Date;
  updatedAt: Date;
}

interface SubscriptionRow {
  id: number;
  site_id: string;
  url: string;
  events: SubscribableEventType[];
  active: boolean;
  description: string;
  secret: string;
  previous_secret: string | null;
  previous_secret_expires_at: Date | null;
  created_at: Date;
  updated_at: Date;
}

function toSubscription(r: SubscriptionRow): WebhookSubscription {
  return {
    id: r.id,
    siteId: r.site_id,
    url: r.url,
    events: r.events,
    active: r.active,
    description: r.description,
    secret: r.secret,
    previousSecret: r.previous_secret,
    previousSecretExpiresAt: r.previous_secret_expires_at,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
  };
}

/** What an admin sets on a subscription (the secret is made by the service, never typed). */
export interface SubscriptionFields {
  siteId: string;
  url: string;
  events: SubscribableEventType[];
  active: boolean;
  description: string;
}

/** Who changed a subscription, for the audit log; left out (tests, seeding), nothing is logged. */
export interface WebhookActor {
  /** The moderator's id (null: the command line). */
  id: number | null;
  /** The moderator's email at the time, or 'cli'. */
  label: string;
}

/**
 * The audit event of a change, as a CTE over the changed row `s`: the change and its record are one
 * statement, so neither lands without the other. The detail is the subscription as it now is (a
 * deletion: as it was), never a secret. Parameters $1 and $2 are the actor; $3 the operation.
 */
const auditChange = `audited as (
  insert into moderation_events (actor_id, actor, action, site_id, detail)
  select $1, $2, 'webhook', s.site_id,
         jsonb_build_object('op', $3::text, 'webhook', s.id, 'url', s.url, 'events', s.events, 'active', s.active)
           || coalesce($4::jsonb, '{}'::jsonb)
    from s where $2::text is not null)`;

function actorParams(
  actor: WebhookActor | undefined,
  op: 'add' | 'update' | 'rotate' | 'delete',
  extra: object | null = null,
): unknown[] {
  return [actor?.id ?? null, actor?.label ?? null, op, extra === null ? null : JSON.stringify(extra)];
}

export async function insertSubscription(
  db: Queryable,
  f: SubscriptionFields,
  secret: string,
  actor?: WebhookActor,
): Promise<WebhookSubscription> {
  const { rows } = await db.query<SubscriptionRow>(
    `with s as (
       insert into webhook_subscriptions (site_id, url, events, active, description, secret)
       values ($5, $6, $7, $8, $9, $10) returning *),
     ${auditChange}
     select * from s`,
    [...actorParams(actor, 'add'), f.siteId, f.url, f.events, f.active, f.description, secret],
  );
  return toSubscription(rows[0]!);
}

export async function updateSubscription(
  db: Queryable,
  id: number,
  f: Omit<SubscriptionFields, 'siteId'>,
  actor?: WebhookActor,
): Promise<boolean> {
  const { rowCount } = await db.query(
    `with s as (
       update webhook_subscriptions set url = $6, events = $7, active = $8, description = $9, updated_at = now()
        where id = $5 returning *),
     ${auditChange}
     select 1 from s`,
    [...actorParams(actor, 'update'), id, f.url, f.events, f.active, f.description],
  );
  return rowCount === 1;
}

/**
 * Replaces the secret. The old one stays valid (deliveries are signed with both) until `graceSeconds`
 * from now; a rotation during an earlier grace period drops the oldest secret at once.
 */
export async function rotateSubscriptionSecret(
  db: Queryable,
  id: number,
  secret: string,
  graceSeconds: number,
  actor?: WebhookActor,
): Promise<boolean> {
  const { rowCount } = await db.query(
    `with s as (
       update webhook_subscriptions
          set previous_secret = case when $7::int > 0 then secret end,
              previous_secret_expires_at = case when $7::int > 0 then now() + make_interval(secs => $7::int) end,
              secret = $6, updated_at = now()
        where id = $5 returning *),
     ${auditChange}
     select 1 from s`,
    [...actorParams(actor, 'rotate', { graceSeconds }), id, secret, graceSeconds],
  );
  return rowCount === 1;
}

export async function deleteSubscription(db: Queryable, id: number, actor?: WebhookActor): Promise<boolean> {
  const { rowCount } = await db.query(
    `with s as (delete from webhook_subscriptions where id = $5 returning *),
     ${auditChange}
     select 1 from s`,
    [...actorParams(actor, 'delete'), id],
  );
  return rowCount === 1;
}

export async function loadSubscription(db: Queryable, id: number): Promise<WebhookSubscription | null> {
  const { rows } = await db.query<SubscriptionRow>('select * from webhook_subscriptions where id = $1', [id]);
  return rows[0] ? toSubscription(rows[0]) : null;
}

/** Subscriptions with their latest attempt, for the admins' list. */
export async function listSubscriptions(
  db: Queryable,
): Promise<(WebhookSubscription & { lastResult: string | null; lastAt: Date | null })[]> {
  const { rows } = await db.query<SubscriptionRow & { last_result: string | null; last_at: Date | null }>(
    `select s.*, d.result as last_result, d.created_at as last_at
       from webhook_subscriptions s
       left join lateral (select result, created_at from webhook_deliveries where subscription_id = s.id order by id desc limit 1) d on true
      order by s.site_id, s.id`,
  );
  return rows.map((r) => ({ ...toSubscription(r), lastResult: r.last_result, lastAt: r.last_at }));
}

/** The active subscriptions of a site that want `type` (the fan-out's one query per event). */
export async function listSubscribers(db: Queryable, siteId: string, type: SubscribableEventType): Promise<number[]> {
  const { rows } = await db.query<{ id: number }>(
    'select id from webhook_subscriptions where site_id = $1 and active and $2 = any(events) order by id',
    [siteId, type],
  );
  return rows.map((r) => r.id);
}

/** One attempt, as the delivery log shows it. */
export interface DeliveryAttempt {
  subscriptionId: number;
  eventId: string;
  eventType: string;
  commentId: string | null;
  attempt: number;
  result: 'delivered' | 'retrying' | 'failed';
  statusCode: number | null;
  durationMs: number;
  error: string | null;
  nextRetryAt: Date | null;
}

export async function insertDeliveryAttempt(db: Queryable, a: DeliveryAttempt): Promise<void> {
  await db.query(
    `insert into webhook_deliveries (subscription_id, event_id, event_type, comment_id, attempt, result, status_code, duration_ms, error, next_retry_at)
     values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)`,
    [
      a.subscriptionId,
      a.eventId,
      a.eventType,
      a.commentId,
      a.attempt,
      a.result,
      a.statusCode,
      a.durationMs,
      a.error?.slice(0, 500) ?? null,
      a.nextRetryAt,
    ],
  );
}

/**
 * Deletes up to `limit` delivery-log rows written before `before`, oldest first, and says how many.
 * Ids grow with time, so walking the primary key from the start finds the old rows without an index
 * on created_at.
 */
export async function pruneDeliveryAttempts(db: Queryable, before: Date, limit: number): Promise<number> {
  const { rowCount } = await db.query(
    `delete from webhook_deliveries where id in (
       select id from webhook_deliveries where created_at < $1 order by id limit $2)`,
    [before, limit],
  );
  return rowCount ?? 0;
}

export interface LoggedAttempt extends DeliveryAttempt {
  id: number;
  createdAt: Date;
}

/** A subscription's attempts, newest first, `limit` at a time before the id `before`. */
export async function listDeliveryAttempts(
  db: Queryable,
  subscriptionId: number,
  opts: { before?: number | null; limit: number },
): Promise<LoggedAttempt[]> {
  const { rows } = await db.query<{
    id: number;
    subscription_id: number;
    event_id: string;
    event_type: string;
    comment_id: string | null;
    attempt: number;
    result: DeliveryAttempt['result'];
    status_code: number | null;
    duration_ms: number;
    error: string | null;
    next_retry_at: Date | null;
    created_at: Date;
  }>(
    `select * from webhook_deliveries where subscription_id = $1 and ($2::bigint is null or id < $2) order by id desc limit $3`,
    [subscriptionId, opts.before ?? null, opts.limit],
  );
  return rows.map((r) => ({
    id: r.id,
    subscriptionId: r.subscription_id,
    eventId: r.event_id,
    eventType: r.event_type,
    commentId: r.comment_id,
    attempt: r.attempt,
    result: r.result,
    statusCode: r.status_code,
    durationMs: r.duration_ms,
    error: r.error,
    nextRetryAt: r.next_retry_at,
    createdAt: r.created_at,
  }));
}

/** What a webhook payload says about a comment: public fields only (never the email, IP or user agent). */
export interface WebhookComment {
  id: string;
  siteId: string;
  page: { identifier: string; url: string | null; title: string | null };
  parentId: string | null;
  author: { name: string; website: string | null };
  text: string;
  html: string;
  currentStatus: CommentStatus;
  receivedAt: Date;
  editedAt: Date | null;
}

export async function loadWebhookComment(db: Queryable, id: string): Promise<WebhookComment | null> {
  const { rows } = await db.query<{
    id: string;
    site_id: string;
    identifier: string;
    url: string | null;
    title: string | null;
    parent_id: string | null;
    author_name: string;
    author_url: string;
    body: string;
    body_html: string;
    status: CommentStatus;
    received_at: Date;
    edited_at: Date | null;
  }>(
    `select c.id, c.site_id, p.identifier, p.url, p.title, c.parent_id, c.author_name, c.author_url, c.body, c.body_html,
            c.status, c.received_at, c.edited_at
       from comments c join pages p on p.id = c.page_id where c.id = $1`,
    [id],
  );
  const r = rows[0];
  if (!r) return null;
  return {
    id: r.id,
    siteId: r.site_id,
    page: { identifier: r.identifier, url: r.url, title: r.title },
    parentId: r.parent_id,
    author: { name: r.author_name, website: r.author_url === '' ? null : r.author_url },
    text: r.body,
    html: r.body_html,
    currentStatus: r.status,
    receivedAt: r.received_at,
    editedAt: r.edited_at,
  };
}
