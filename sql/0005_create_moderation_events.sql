-- Moderation events: the audit log. One row per change a person (or the pipeline on their behalf)
-- made: a comment's status, an edit, a ban, a trusted author, a site's settings, a bulk action and its
-- undo. Who (actor_id and the email they had then), what (action, before/after), which comment or
-- site, when. Append-only for the application: a trigger refuses updates and deletes.
create table moderation_events (
  id bigint generated always as identity primary key,
  actor_id bigint references moderators (id) on delete set null,
  -- The moderator's email at the time, or 'worker', 'cli', 'readers'.
  actor text not null,
  action text not null check (action in (
    'approve', 'reject', 'spam', 'not_spam', 'delete', 'edit', 'report',
    'ban', 'unban', 'trust', 'untrust', 'site_update', 'bulk', 'undo')),
  site_id text references sites (id) on delete cascade,
  comment_id uuid references comments (id) on delete cascade,
  from_status text,
  to_status text,
  -- The bulk action (or undo) this change was part of; undo reverses all of a batch's changes.
  batch_id uuid,
  detail jsonb not null default '{}',
  created_at timestamptz not null default now()
);

create index moderation_events_created_idx on moderation_events (created_at desc, id desc);
create index moderation_events_comment_idx on moderation_events (comment_id, created_at) where comment_id is not null;
create index moderation_events_batch_idx on moderation_events (batch_id) where batch_id is not null;
create index moderation_events_actor_idx on moderation_events (actor_id, created_at desc);
-- "Was this batch undone?" is asked on every undo and bulk result page.
create index moderation_events_undoes_idx on moderation_events ((detail->>'undoes')) where action = 'undo';

create function moderation_events_append_only() returns trigger language plpgsql as $$
begin
  raise exception 'moderation_events is append-only' using errcode = 'insufficient_privilege';
end $$;

create trigger moderation_events_append_only before update or delete on moderation_events
  for each row execute function moderation_events_append_only();
-- Row triggers do not fire on TRUNCATE; this one does.
create trigger moderation_events_no_truncate before truncate on moderation_events
  for each statement execute function moderation_events_append_only();
