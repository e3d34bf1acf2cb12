-- Akismet and the local spam memory (issue 5, items 4 and 5).
--
-- 1. Audit action 'recheck': a comment held because Akismet could not answer is checked again by a
-- delayed job (workers/akismet-processor.ts), which records what Akismet said and whether its verdict
-- was applied (actor 'akismet'). Like 0009, this ORs the new action onto whatever the check allows at
-- the time it runs, so migrations that add actions do not have to know each other.
do $$
declare
  con record;
  expr text;
begin
  select c.conname, pg_get_constraintdef(c.oid) as def into con
    from pg_constraint c
   where c.conrelid = 'moderation_events'::regclass and c.contype = 'c'
     and pg_get_constraintdef(c.oid) like '%action%'
   limit 1;
  expr := coalesce(substring(con.def from '^CHECK \((.*)\)$'), 'false');
  if con.conname is not null then
    execute format('alter table moderation_events drop constraint %I', con.conname);
  end if;
  execute format(
    'alter table moderation_events add constraint moderation_events_action_check check ((%s) or action in (%L))',
    expr, 'recheck');
end $$;

-- 2. What Akismet needs besides the comment row (which already holds IP, user agent, referrer, author,
-- email, website and text): the permalink and language as the reader's page knew them, the comment
-- type, and what Akismet answered. Nothing personal lives here, so IP retention and erasure, which
-- work on the comment row, cover Akismet's context too. Written by the worker only when AKISMET_KEY
-- is set. `submitted` is the last label sent back (submit-spam / submit-ham), so a repeated decision
-- is not reported twice.
create table akismet_checks (
  comment_id uuid primary key references comments (id) on delete cascade,
  permalink text not null default '',
  comment_type text not null check (comment_type in ('comment', 'reply')),
  lang text not null default '',
  result text not null check (result in ('ham', 'spam', 'discard', 'unavailable')),
  detail text not null default '',
  submitted text check (submitted in ('spam', 'ham')),
  checked_at timestamptz not null default now()
);

-- 3. Local spam memory: an email, IP or website domain a moderator marked as spam on a site marks the
-- next comment from it as spam. The memory is the comments themselves (status spam and learned as spam
-- from a moderator's decision, in spam_training), so undoing the decision forgets it and IP retention
-- ages it out. Emails and IPs use the existing (site_id, author_email) and (site_id, ip) indexes; the
-- website's host (lower case, without "www.") gets this partial index over spam only.
create function comment_url_host(url text) returns text language sql immutable parallel safe as $$
  select nullif(regexp_replace(lower(substring(url from '^[A-Za-z][A-Za-z0-9+.-]*://(?:[^/?#@]*@)?([^/:?#]+)')), '^www\.', ''), '')
$$;
create index comments_spam_host_idx on comments (site_id, comment_url_host(author_url)) where status = 'spam';
