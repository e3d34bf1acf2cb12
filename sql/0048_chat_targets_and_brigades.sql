-- Notifications where desks live, and brigades on one story (issue 16, items 6 and 7).
--
-- 1. Chat targets: a site's Slack, Microsoft Teams or Mattermost incoming-webhook URL, and which desk
-- notices it wants: 'held' (comments waiting, at most one per held_every_minutes), 'surge' (a brigade
-- on a story), 'appeal' (an appeal opened). The URL is the secret (whoever has it may post to the
-- channel), so it is shown only to admins. held_notified_at paces the held notices per target; the
-- last_* columns are the latest delivery attempt, as the admins' list shows it.
create table chat_targets (
  id bigint generated always as identity primary key,
  site_id text not null references sites (id) on delete cascade,
  service text not null check (service in ('slack', 'teams', 'mattermost')),
  url text not null check (length(url) between 8 and 2000),
  events text[] not null check (cardinality(events) > 0 and events <@ array['held', 'surge', 'appeal']::text[]),
  held_every_minutes integer not null default 15 check (held_every_minutes between 1 and 1440),
  description text not null default '' check (length(description) <= 200),
  held_notified_at timestamptz,
  last_result text check (last_result in ('delivered', 'retrying', 'failed')),
  last_status_code integer,
  last_error text,
  last_at timestamptz,
  created_at timestamptz not null default now()
);
create index chat_targets_site_idx on chat_targets (site_id);

-- 2. Webhook subscriptions may ask for 'page.surge' (a brigade began on one page) besides comment events.
-- The check on events was made unnamed in 0010, so it is found by what it says.
do $$
declare
  con record;
begin
  for con in
    select c.conname from pg_constraint c
     where c.conrelid = 'webhook_subscriptions'::regclass and c.contype = 'c'
       and pg_get_constraintdef(c.oid) like '%comment.created%'
  loop
    execute format('alter table webhook_subscriptions drop constraint %I', con.conname);
  end loop;
end $$;
alter table webhook_subscriptions add constraint webhook_subscriptions_events_check check (
  cardinality(events) > 0
  and events <@ array['comment.created', 'comment.approved', 'comment.rejected', 'comment.spam', 'comment.held', 'page.surge']::text[]);

-- 3. The audit log records chat targets added, changed or removed ('chat_target'), and each brigade
-- the detector started ('page_surge', actor 'worker', detail: page, score, signals).
select add_audit_action('chat_target', 'page_surge');
