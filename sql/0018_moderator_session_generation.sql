-- A moderator's session generation: every session remembers the generation it was signed in under,
-- and a session from an older generation is signed out on its next request (src/api/moderator-session.ts).
-- Sessions live in Redis and a password is reset from the command line (`reply-desk moderator add` for
-- an existing email), which has no Redis connection; counting here ends every session of the account,
-- on every API process, without finding them. The trigger bumps it on any change of the password hash,
-- so no code path that sets a password can forget to.
alter table moderators add column session_generation integer not null default 0;

create function moderators_bump_session_generation() returns trigger language plpgsql as $$
begin
  if new.password_hash is distinct from old.password_hash then
    new.session_generation := old.session_generation + 1;
  end if;
  return new;
end $$;

create trigger moderators_password_ends_sessions
  before update of password_hash on moderators
  for each row execute function moderators_bump_session_generation();
