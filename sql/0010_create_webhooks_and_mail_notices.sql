-- Webhooks and email notices (issue 8, items 3 and 4).
--
-- 1. Webhook subscriptions, per site. The secret signs every delivery (HMAC-SHA256). Rotating it keeps
-- the old one in previous_secret until previous_secret_expires_at, and deliveries meanwhile carry a
-- signature with each, so receivers can switch over without dropping a request.
create table webhook_subscriptions (
  id bigint generated always as identity primary key,
  site_id text not null references sites (id) on delete cascade,
  url text not null check (url ~ '^https?://' and length(url) <= 2000),
  events text[] not null check (
    cardinality(events) > 0
    and events <@ array['comment.created', 'comment.approved', 'comment.rejected', 'comment.spam', 'comment.held']::text[]),
  active boolean not null default true,
  description text not null default '' check (length(description) <= 200),
  secret text not null,
  previous_secret text,
  previous_secret_expires_at timestamptz,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);
-- The fan-out reads a site's active subscriptions for every comment event.
create index webhook_subscriptions_site_idx on webhook_subscriptions (site_id) where active;

-- 2. The delivery log admins read: one row per attempt (a delivery retried three times is three rows),
-- with what the receiver answered and when the next try is due.
create table webhook_deliveries (
  id bigint generated always as identity primary key,
  subscription_id bigint not null references webhook_subscriptions (id) on delete cascade,
  event_id uuid not null,
  event_type text not null,
  comment_id uuid,
  attempt integer not null check (attempt >= 1),
  -- retrying: failed, another attempt is queued; failed: failed for good (last attempt, or refused target).
  result text not null check (result in ('delivered', 'retrying', 'failed')),
  status_code integer,
  duration_ms integer not null check (duration_ms >= 0),
  error text,
  next_retry_at timestamptz,
  created_at timestamptz not null default now()
);
create index webhook_deliveries_subscription_idx on webhook_deliveries (subscription_id, id desc);

-- 3. Commenters' opt-in to a mail when someone replies, per comment; one-click unsubscribe sets
-- unsubscribed_at (the row stays, so a replayed unsubscribe link is a harmless no-op).
create table reply_subscriptions (
  comment_id uuid primary key references comments (id) on delete cascade,
  created_at timestamptz not null default now(),
  unsubscribed_at timestamptz
);

-- One row per reply mailed: a reply approved, undone and approved again mails its parent's author once.
create table reply_notices (
  reply_id uuid primary key references comments (id) on delete cascade,
  sent_at timestamptz not null default now()
);

-- 4. Held-comment notices waiting for a moderator's next digest. sent_at is set when a digest listed
-- them; the newest sent_at per moderator is when they were last mailed, which paces the next digest.
create table held_notices (
  moderator_id bigint not null references moderators (id) on delete cascade,
  comment_id uuid not null references comments (id) on delete cascade,
  created_at timestamptz not null default now(),
  sent_at timestamptz,
  primary key (moderator_id, comment_id)
);
create index held_notices_unsent_idx on held_notices (moderator_id, created_at) where sent_at is null;
create index held_notices_sent_idx on held_notices (moderator_id, sent_at) where sent_at is not null;

-- 5. One-click moderation links are single use: the link's nonce is recorded in the same transaction
-- as the status change, so a second click (or a replayed POST) finds it and changes nothing.
create table mail_action_uses (
  nonce text primary key check (length(nonce) between 8 and 64),
  moderator_id bigint not null references moderators (id) on delete cascade,
  comment_id uuid not null,
  action text not null,
  used_at timestamptz not null default now()
);
