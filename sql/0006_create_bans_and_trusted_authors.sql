-- Bans and trusted authors, per site. A ban matches a comment's email, its IP (an address or a CIDR
-- range, so an IPv6 /64 can be banned at once) or its email's domain; the worker marks a banned
-- author's comments as spam. A trusted author's comments skip the hold rules.
create table bans (
  id bigint generated always as identity primary key,
  site_id text not null references sites (id) on delete cascade,
  kind text not null check (kind in ('email', 'ip', 'domain')),
  -- email and domain: lowercase text; ip: the address or range as written.
  value text not null check (length(value) between 1 and 254),
  -- For ip bans, the address or range itself, so matching is `network >>= ip` on an index.
  network inet check ((kind = 'ip') = (network is not null)),
  reason text not null default '',
  created_by bigint references moderators (id) on delete set null,
  created_at timestamptz not null default now(),
  unique (site_id, kind, value)
);

create index bans_network_idx on bans using gist (network inet_ops) where network is not null;

create table trusted_authors (
  site_id text not null references sites (id) on delete cascade,
  email text not null check (email = lower(email)),
  created_by bigint references moderators (id) on delete set null,
  created_at timestamptz not null default now(),
  primary key (site_id, email)
);
