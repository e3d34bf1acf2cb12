-- Readers' votes on published comments (issue 15). The counts live on the comment row, kept by the
-- vote's own transaction (src/store/votes.ts), so a thread page reads them with the comment at no
-- extra cost; `top_score` is the Wilson lower bound of up / (up + down) (src/domain/vote-score.ts),
-- stored so "top" is an index walk like "oldest", not a sort of the whole page's comments.
alter table comments
  add column votes_up integer not null default 0 check (votes_up >= 0),
  add column votes_down integer not null default 0 check (votes_down >= 0),
  add column top_score double precision not null default 0;

-- One row per voter and comment. A retracted vote keeps its row with value 0: it still counts towards
-- the voter's rate limit and keeps the guest's network from voting again with a fresh browser key.
create table comment_votes (
  comment_id uuid not null references comments (id) on delete cascade,
  -- 'r:<reader id>' for a signed-in reader, 'g:<sha-256 of the browser key>' for a guest.
  voter text not null check (length(voter) <= 80),
  -- Set for signed-in readers; erasing the reader removes their votes (the counts keep them, as
  -- anonymous votes, the way a deleted account's likes stay counted elsewhere).
  reader_id bigint references readers (id) on delete set null,
  -- An HMAC of the voter's IPv4 address or IPv6 /64 (as flags keep it, never the address itself).
  network text not null check (length(network) <= 80),
  value smallint not null check (value in (-1, 0, 1)),
  voted_at timestamptz not null default now(),
  primary key (comment_id, voter)
);
-- A guest counts once per browser key (the primary key) *and* once per network.
create unique index comment_votes_guest_network_idx on comment_votes (comment_id, network) where voter like 'g:%';
-- The rate limits: votes per reader, and per network for guests, in the last minute.
create index comment_votes_voter_recent_idx on comment_votes (voter, voted_at);
create index comment_votes_network_recent_idx on comment_votes (network, voted_at);
create index comment_votes_reader_idx on comment_votes (reader_id) where reader_id is not null;

-- "top": a page's conversations (top-level comments) by score, then newest first.
create index comments_page_top_idx on comments (page_id, top_score desc, received_at desc, id desc)
  where status = 'approved' and parent_id is null;

-- The thread's version (0012) moves when anything a reader sees changes: now also the vote counts,
-- and the identity marks of issue 14 (verified, staff, avatar, edited), so a cached page never shows
-- old counts or badges.
create or replace function comments_count_update() returns trigger language plpgsql as $$
begin
  update pages p
     set approved_count = p.approved_count + d.delta,
         thread_version = p.thread_version + 1
    from (select coalesce(n.page_id, o.page_id) as page_id,
                 sum((n.status = 'approved')::int - (o.status = 'approved')::int) as delta,
                 bool_or((n.status = 'approved' or o.status = 'approved')
                         and (n.status, n.parent_id, n.depth, n.author_name, n.author_url, n.body_html, n.received_at,
                              n.author_verified, n.author_staff, n.author_avatar, n.edited_at, n.votes_up, n.votes_down)
                             is distinct from
                             (o.status, o.parent_id, o.depth, o.author_name, o.author_url, o.body_html, o.received_at,
                              o.author_verified, o.author_staff, o.author_avatar, o.edited_at, o.votes_up, o.votes_down)) as shown
            from new_rows n join old_rows o on o.id = n.id
           group by 1) d
   where p.id = d.page_id and (d.delta <> 0 or d.shown);
  return null;
end $$;
