-- Sign-in flows of readers that leave the widget and come back (issue 14): a link mailed to an address,
-- and an OpenID Connect round trip through a provider. Both hold secrets only as sha256: a copy of these
-- tables signs nobody in.

-- Email sign-in. The browser that asked keeps `request` (random; kept here as request_hash) and polls
-- with it; the mail carries a link token (random; link_hash), minted by the mail worker so that it is
-- never in Redis. Confirming the link (a POST from the confirm page) marks the row and names the reader;
-- the session itself is created only when the asking browser polls, once (handed_at): the table never
-- holds a usable token. Rows are also the rate limits' counts (per address, per network), so they are
-- kept a day after they were asked for.
create table reader_email_sign_ins (
  id bigint generated always as identity primary key,
  site_id text not null references sites (id) on delete cascade,
  email text not null check (email = lower(email) and length(email) between 3 and 254),
  name text not null check (length(name) between 1 and 100),
  -- The network asking (an IPv4 address or an IPv6 /64), '' when the address tells nobody apart.
  network text not null default '' check (length(network) <= 100),
  request_hash bytea not null unique check (length(request_hash) = 32),
  link_hash bytea unique check (length(link_hash) = 32),
  created_at timestamptz not null default now(),
  expires_at timestamptz not null,
  confirmed_at timestamptz,
  reader_id bigint references readers (id) on delete cascade,
  handed_at timestamptz
);

create index reader_email_sign_ins_email_idx on reader_email_sign_ins (email, created_at);
create index reader_email_sign_ins_network_idx on reader_email_sign_ins (network, created_at) where network <> '';
create index reader_email_sign_ins_created_idx on reader_email_sign_ins (created_at);

-- OpenID Connect: one row per started flow (10 minutes, single use), keyed by the sha256 of `state`,
-- which also sits in a first-party cookie of the popup's browser. PKCE verifier and nonce never leave
-- the service but to the provider's token endpoint (the verifier) and the ID token check.
create table reader_oidc_flows (
  state_hash bytea primary key check (length(state_hash) = 32),
  site_id text not null,
  provider_id text not null,
  -- The host page's origin (one of the site's): where the hand-off page posts the token.
  origin text not null check (length(origin) between 1 and 500),
  code_verifier text not null check (length(code_verifier) between 43 and 128),
  nonce text not null check (length(nonce) between 16 and 200),
  created_at timestamptz not null default now(),
  expires_at timestamptz not null,
  foreign key (site_id, provider_id) references reader_oidc_providers (site_id, id) on delete cascade
);

create index reader_oidc_flows_expires_idx on reader_oidc_flows (expires_at);
