-- Invites (issue 16, item 3): an admin invites someone by email with a role (and roles per site); the
-- mail carries a single-use link to choose a password, which creates the account. Until then there is
-- no account, so an invite that is never opened leaves nothing that could sign in.
--
-- The link's token is minted by the mail worker as it sends the mail and kept here only as sha256
-- (`token_hash`, null until the mail goes out), as readers' sign-in links are (0027): it is in the mail
-- and nowhere else. `accepted_at` spends it; `expires_at` ends it; a new invite to the same address
-- ends the older ones (`revoked_at`), so only the newest link works.
create table moderator_invites (
  id bigint generated always as identity primary key,
  email text not null check (email = lower(email) and length(email) between 3 and 254),
  display_name text not null check (length(display_name) between 1 and 100),
  role text not null check (role in ('admin', 'moderator')),
  -- {"site id": "admin" | "moderator" | "viewer"} for a non-admin.
  site_roles jsonb not null default '{}',
  invited_by bigint references moderators (id) on delete set null,
  token_hash bytea unique,
  created_at timestamptz not null default now(),
  expires_at timestamptz not null,
  accepted_at timestamptz,
  revoked_at timestamptz
);

create index moderator_invites_email_idx on moderator_invites (email);

-- Audit: account_invite (who invited whom, with what role), invite_accept (the account was created
-- from the link; the actor is the new account), invite_revoke (an admin took an open invite back).
select add_audit_action('account_invite', 'invite_accept', 'invite_revoke');
