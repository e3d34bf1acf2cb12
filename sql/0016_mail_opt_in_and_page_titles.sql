-- Double opt-in for reply mails, and page titles that a submission only suggests (issue 11, items 9
-- and 11).
--
-- 1. Reply mails went to whatever address a reader typed, so anyone could make the service mail text
-- they wrote to any inbox. Now an address must be confirmed per site first: a reader's first opt-in on
-- a site queues one confirmation mail (wanted_at), which carries no reader text; reply mails go only to
-- rows with confirmed_at. The row is the memory: a confirmed address is never asked again, and
-- confirm_sent_at paces confirmation mails to one per address per site per day whatever is posted.
-- The link in the mail names the row by `nonce`, so no address appears in a URL (or in a log of one).
create table reply_mail_addresses (
  site_id text not null references sites (id) on delete cascade,
  -- Lower case: one row per mailbox however a reader types it.
  email text not null check (email = lower(email) and length(email) between 3 and 254),
  nonce text not null unique check (length(nonce) between 16 and 64),
  created_at timestamptz not null default now(),
  -- A confirmation mail is owed (the latest opt-in since the last one was sent); null when none is.
  wanted_at timestamptz,
  confirm_sent_at timestamptz,
  confirmed_at timestamptz,
  primary key (site_id, email)
);
-- The mail sweep looks only at addresses owed a confirmation.
create index reply_mail_addresses_wanted_idx on reply_mail_addresses (wanted_at) where wanted_at is not null and confirmed_at is null;

-- 2. The first submission on a page used to name it for good, and that name went into mails, feeds,
-- webhooks and the dashboard. `title` now holds only a confirmed title (set by a moderator, the CLI or
-- an import of the site's own export); a submission's title is kept in suggested_title, which the
-- dashboard shows marked as a suggestion and nothing else shows at all.
--
-- Existing titles cannot be told apart (a submission's or an import's), so they all become
-- suggestions: fail closed, and a moderator confirms them in one click where they matter.
alter table pages add column suggested_title text check (length(suggested_title) <= 2000);
update pages set suggested_title = title, title = null where title is not null;

-- 3. Setting a page's title is a moderator's action like any other: the audit log records it
-- (action 'page_title', detail: page, before, after). As 0009 does, this extends whatever the check
-- allows when it runs instead of restating the list.
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
  execute format('alter table moderation_events add constraint moderation_events_action_check check ((%s) or action = %L)', expr, 'page_title');
end $$;
