-- Audit action 'webhook': an admin added, changed, re-keyed or deleted a webhook subscription. A
-- webhook sends readers' comments to an outside address, so who pointed it where, and when, belongs
-- in the same append-only log as every other admin change. The detail names the operation and the
-- subscription (id, site, URL, events, active), never a secret. Like 0009 and 0011, this ORs the
-- new action onto whatever the check allows when it runs.
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
    expr, 'webhook');
end $$;
