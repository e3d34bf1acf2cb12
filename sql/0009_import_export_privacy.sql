-- Imports, exports and privacy requests (issue 8).
--
-- 1. Audit actions: one event per import or export run, one per commenter data export or erasure (the
-- email recorded only as a hash), and one per site whenever the maintenance job anonymises old IPs.
--
-- Other migrations add actions too, so this one extends whatever the check allows at the time it
-- runs instead of restating the list: it reads the current expression and ORs the new actions onto
-- it. A later migration can do the same.
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
    'alter table moderation_events add constraint moderation_events_action_check check ((%s) or action in (%L, %L, %L, %L, %L))',
    expr, 'import', 'export', 'privacy_export', 'privacy_erase', 'anonymise_ips');
end $$;

-- 2. Erasure must reach the audit log too: an edit event holds the text before and after, a ban or
-- trust event the email. The log stays append-only, with one exception: inside a transaction that set
-- `reply_desk.privacy_erase = on` (src/store/privacy.ts does, and nothing else), an update may replace
-- an event's `detail` and nothing else. Deletes stay refused.
create or replace function moderation_events_append_only() returns trigger language plpgsql as $$
begin
  if tg_op = 'UPDATE' and current_setting('reply_desk.privacy_erase', true) = 'on'
     and (to_jsonb(new) - 'detail') = (to_jsonb(old) - 'detail') then
    return new;
  end if;
  raise exception 'moderation_events is append-only' using errcode = 'insufficient_privilege';
end $$;

-- 3. The IP retention job (workers/maintenance-processor.ts) looks for a site's old comments that still
-- have a full address or a user agent; once they are anonymised they leave this index, so the hourly
-- run reads only what is left to do instead of every old comment.
create index comments_ip_retention_idx on comments (site_id, received_at)
  where user_agent <> '' or (family(ip) = 4 and masklen(ip) = 32) or (family(ip) = 6 and masklen(ip) = 128);
