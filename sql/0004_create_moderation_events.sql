-- Moderation events: the audit trail of every status change after the worker's verdict (who, what,
-- before/after, why). Append-only for the application: rows are inserted, never updated.
create table moderation_events (
  id bigint generated always as identity primary key,
  comment_id uuid not null references comments (id) on delete cascade,
  -- 'worker', 'cli', or a moderator account id once accounts exist.
  actor text not null,
  action text not null check (action in ('approve', 'reject', 'spam', 'not_spam', 'hold', 'edit', 'delete')),
  from_status text check (from_status in ('approved', 'pending', 'spam', 'rejected')),
  to_status text check (to_status in ('approved', 'pending', 'spam', 'rejected')),
  reason text,
  created_at timestamptz not null default now()
);

create index moderation_events_comment_idx on moderation_events (comment_id, created_at);
create index moderation_events_created_idx on moderation_events (created_at);
