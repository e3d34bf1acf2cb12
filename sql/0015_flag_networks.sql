-- Readers' flags count once per network (issue 11, item 7). The reporter (a hash of IP and the
-- widget's browser key) let one client pick a new key per request and unpublish any comment with
-- `flagThreshold` requests, and nothing bounded the rows. Each flag now also records its network: an
-- HMAC (under app_secrets 'flag-network') of the IPv4 address or of the IPv6 /64 (one household or
-- cloud VM), never the address itself.
-- A comment holds at most one flag per network, so its rows are bounded by the networks that flag it;
-- the (network, created_at) index serves the per-network rate limit (src/store/flags.ts). Rows from
-- before this migration have no network and each counts as its own, as they did.
alter table flags add column network text;
create unique index flags_comment_network_key on flags (comment_id, network);
create index flags_network_recent_idx on flags (network, created_at);
