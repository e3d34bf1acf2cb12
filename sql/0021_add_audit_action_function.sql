-- add_audit_action(variadic actions text[]): the one way a migration lets the audit log record a new
-- kind of event (issue 12, item 7).
--
-- moderation_events.action is checked against a list, and features add actions over time. Since 0009
-- each migration that added one (0009, 0011, 0014, 0016) carried its own copy of a DO block that reads
-- the check's current expression and ORs the new actions onto it, so migrations that add actions do
-- not have to know each other. Those files stay as they are (applied migrations are checksummed); this
-- function is that block, once, and it builds exactly the constraint the block built:
--   moderation_events_action_check CHECK ((<what was allowed>) OR (action = 'x'))   one action
--   ... OR (action = ANY (ARRAY['x', 'y']))                                           several
-- Unlike the block it is idempotent: actions the check already accepts are left out, and when none is
-- left the constraint is not touched (no rewrite, no scan of the table), so running it twice, or for an
-- action an earlier migration added, is harmless.
--
-- How a later migration adds an audit action (before any code writes it):
--   select add_audit_action('my_action');
--   select add_audit_action('one', 'two');   -- several at once: one constraint rewrite
-- and the action's name goes into the README's audit list where moderators read what it means.
create function add_audit_action(variadic actions text[]) returns void language plpgsql as $$
declare
  con record;
  expr text;
  allowed boolean;
  a text;
  missing text[] := '{}';
begin
  if actions is null or cardinality(actions) = 0 then
    raise exception 'add_audit_action needs at least one action' using errcode = 'invalid_parameter_value';
  end if;
  -- Actions are identifiers that code, exports and the dashboard match on: lower case and underscores.
  foreach a in array actions loop
    if a is null or a !~ '^[a-z][a-z_]{0,39}$' then
      raise exception 'add_audit_action: % is not an action name (a-z and _, up to 40)', coalesce(quote_literal(a), 'NULL')
        using errcode = 'invalid_parameter_value';
    end if;
  end loop;
  -- The same lookup as the DO blocks of 0009-0016: the table's one check constraint on `action`.
  select c.conname, pg_get_constraintdef(c.oid) as def into con
    from pg_constraint c
   where c.conrelid = 'moderation_events'::regclass and c.contype = 'c'
     and pg_get_constraintdef(c.oid) like '%action%'
   limit 1;
  expr := coalesce(substring(con.def from '^CHECK \((.*)\)$'), 'false');
  -- Which actions the current expression refuses: evaluated on a one-column row named `action`, so
  -- the answer is the constraint's own, whatever shape earlier migrations gave it.
  foreach a in array actions loop
    -- A check refuses only what it finds false (null passes), so that is the test here too.
    execute format('select (%s) is not false from (select $1::text as action) as t', expr) into allowed using a;
    if not allowed and not a = any (missing) then
      missing := missing || a;
    end if;
  end loop;
  if cardinality(missing) = 0 then
    return;
  end if;
  if con.conname is not null then
    execute format('alter table moderation_events drop constraint %I', con.conname);
  end if;
  execute format(
    'alter table moderation_events add constraint moderation_events_action_check check ((%s) or action in (%s))',
    expr, (select string_agg(quote_literal(m), ', ' order by ord) from unnest(missing) with ordinality as u(m, ord)));
end $$;

comment on function add_audit_action(text[]) is
  'Lets moderation_events.action take these values too (ORs them onto the check); idempotent. See sql/0021.';
