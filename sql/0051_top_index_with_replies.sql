-- "top" (issue 15) on an index it can walk. A reply whose parent is no longer public counts as a
-- conversation of its own (src/store/comments.ts), so the query asks for `parent_id is null or <parent
-- not approved>`, which the partial index of 0035 (`parent_id is null` only) cannot answer: Postgres
-- read every approved comment of the page and sorted them by score, on each uncached read (the bench
-- measured 2.8× the p99 of "oldest" on a 2,000-comment thread). This index holds the replies too, in
-- score order; the walk skips a reply whose parent is approved (one primary-key probe) and stops at
-- the page's end, as "newest" does on comments_page_approved_idx.
create index comments_page_top_all_idx on comments (page_id, top_score desc, received_at desc, id desc)
  where status = 'approved';
drop index comments_page_top_idx;
