-- Readers with an identity (issue 14): a person a site knows through a verified sign-in (the host
-- site's SSO token, a link mailed to their address, an OpenID Connect provider), as opposed to a guest
-- who typed a name and an email. Readers belong to one site: the same person on two sites is two
-- readers, as their trust, bans and approvals are each site's own.
create table readers (
  id bigint generated always as identity primary key,
  site_id text not null references sites (id) on delete cascade,
  -- How the identity was verified; `identity` is unique within a site and says who it is:
  --   sso:<the host's sub>   email:<lowercase address>   oidc:<provider id>:<the provider's sub>
  via text not null check (via in ('sso', 'email', 'oidc')),
  identity text not null check (length(identity) between 5 and 600),
  name text not null check (length(name) between 1 and 100),
  -- Verified by whoever vouched for the identity ('' when nobody did); lowercase. Never shown publicly.
  email text not null default '' check (email = lower(email) and length(email) <= 254),
  url text not null default '' check (length(url) <= 2000),
  avatar text not null default '' check (length(avatar) <= 2000),
  -- A moderator's trust: their comments skip the hold rules (trusted_authors, for verified readers).
  trusted boolean not null default false,
  -- Reply mails for every comment of theirs, unless turned off per comment (reader_reply_mutes).
  notify_replies boolean not null default true,
  created_at timestamptz not null default now(),
  last_seen_at timestamptz not null default now(),
  unique (site_id, identity)
);

create index readers_site_email_idx on readers (site_id, email) where email <> '';

-- A reader's signed-in browsers. The bearer token is random; only its sha256 is kept, so a copy of the
-- table signs nobody in. Bound to one site (the reader's), expiring, and revoked by deleting the row
-- (sign out) or every row of the reader (sign out everywhere, erase).
create table reader_sessions (
  token_hash bytea primary key check (length(token_hash) = 32),
  reader_id bigint not null references readers (id) on delete cascade,
  created_at timestamptz not null default now(),
  expires_at timestamptz not null,
  last_used_at timestamptz not null default now(),
  user_agent text not null default '' check (length(user_agent) <= 500)
);

create index reader_sessions_reader_idx on reader_sessions (reader_id);
create index reader_sessions_expires_idx on reader_sessions (expires_at);

-- Which reader wrote a comment (null: a guest, or a reader since erased), and what the thread shows of
-- them, kept on the comment as its author name is: a thread page reads no other table.
alter table comments
  add column reader_id bigint references readers (id) on delete set null,
  add column author_verified boolean not null default false,
  add column author_staff boolean not null default false,
  add column author_avatar text not null default '' check (length(author_avatar) <= 2000);

create index comments_reader_idx on comments (reader_id, received_at) where reader_id is not null;

-- The host site's SSO secret (HS256), apart from `sites` so no export or settings answer can carry it.
create table site_sso_secrets (
  site_id text primary key references sites (id) on delete cascade,
  secret text not null check (length(secret) between 32 and 512),
  rotated_at timestamptz not null default now()
);

select add_audit_action('sso_secret_set');

-- A moderator whose verified email is a reader's shows that reader as "Staff" on the sites they
-- moderate, unless they turn it off in My settings.
alter table moderators add column staff_badge boolean not null default true;

-- OpenID Connect providers a site offers for sign-in (Google, Microsoft, a newsroom's Keycloak): the
-- authorization code flow with PKCE (src/readers/oidc-*.ts). The client secret, like the SSO secret,
-- never leaves the service: no export, settings answer or log carries it.
create table reader_oidc_providers (
  site_id text not null references sites (id) on delete cascade,
  -- In URLs and reader identities (`oidc:<id>:<sub>`): lowercase letters, digits, dashes.
  id text not null check (id ~ '^[a-z0-9][a-z0-9-]{0,39}$'),
  -- The button's words: "Sign in with <name>".
  name text not null check (length(name) between 1 and 60),
  issuer text not null check (length(issuer) between 8 and 2000),
  client_id text not null check (length(client_id) between 1 and 500),
  client_secret text not null default '' check (length(client_secret) <= 2000),
  created_at timestamptz not null default now(),
  primary key (site_id, id)
);

-- A moderator may ban a reader (their identity, whatever address or network they post from): kind
-- 'reader', value the reader's id.
alter table bans drop constraint bans_kind_check;
alter table bans add constraint bans_kind_check check (kind in ('email', 'ip', 'domain', 'reader'));
