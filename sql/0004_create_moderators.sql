-- Moderators: the people who work the queue. Admins manage sites and accounts and act everywhere;
-- moderators act only on the sites listed for them in moderator_sites. Passwords are argon2id hashes
-- (PHC strings); nothing else about a password is stored.
create table moderators (
  id bigint generated always as identity primary key,
  email text not null check (email = lower(email) and length(email) between 3 and 254),
  display_name text not null check (length(display_name) between 1 and 100),
  role text not null check (role in ('admin', 'moderator')),
  password_hash text not null,
  disabled boolean not null default false,
  -- Whether held-comment notices are mailed to this moderator (used by the email issue).
  notify_held boolean not null default false,
  created_at timestamptz not null default now(),
  last_sign_in_at timestamptz,
  unique (email)
);

create table moderator_sites (
  moderator_id bigint not null references moderators (id) on delete cascade,
  site_id text not null references sites (id) on delete cascade,
  primary key (moderator_id, site_id)
);

-- Secrets the service makes for itself on first start (the session cookie key), so several API
-- processes share them without any configuration.
create table app_secrets (
  name text primary key,
  value text not null,
  created_at timestamptz not null default now()
);
