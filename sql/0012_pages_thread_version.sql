-- pages.thread_version: a counter that moves whenever anything a reader sees in the page's thread
-- changes, so the API can keep rendered thread pages in memory and check them with one read of one
-- row (src/api/thread-cache.ts) instead of re-reading and re-serialising 50 comments per request.
--
-- What a reader sees is the page's approved comments and, of each, id, parent, depth, author name,
-- website, HTML and time (src/store/comments.ts, listApprovedComments); the thread's count
-- (approved_count) follows from them. The version moves when a statement adds, removes or changes
-- such a row: an insert of an approved comment, a delete of one, and an update in which a row was
-- approved before or after and one of those columns (or the status) differs. Updates nobody sees (a
-- flag counted, IP retention, a held comment's verdict) leave it alone, so they cost no extra write
-- of the page row and no cache miss.
--
-- It is kept by the same statement-level triggers as approved_count (0003), in the same update of
-- the page row, so every write path is covered (workers, moderators, bulk actions, imports, erasure)
-- and a batch of inserts on a hot page still takes its row lock once. Bulk loads that switch triggers
-- off (session_replication_role = replica) leave it unchanged; the API's short time-to-live covers
-- that case.
alter table pages add column thread_version bigint not null default 0;

create or replace function comments_count_insert() returns trigger language plpgsql as $$
begin
  update pages p
     set approved_count = p.approved_count + n.approved,
         first_comment_at = least(coalesce(p.first_comment_at, n.first_at), n.first_at),
         thread_version = p.thread_version + (n.approved > 0)::int
    from (select page_id,
                 count(*) filter (where status = 'approved') as approved,
                 min(received_at) filter (where status <> 'rejected') as first_at
            from new_rows group by page_id) n
   where p.id = n.page_id;
  return null;
end $$;

create or replace function comments_count_update() returns trigger language plpgsql as $$
begin
  update pages p
     set approved_count = p.approved_count + d.delta,
         thread_version = p.thread_version + 1
    from (select coalesce(n.page_id, o.page_id) as page_id,
                 sum((n.status = 'approved')::int - (o.status = 'approved')::int) as delta,
                 bool_or((n.status = 'approved' or o.status = 'approved')
                         and (n.status, n.parent_id, n.depth, n.author_name, n.author_url, n.body_html, n.received_at)
                             is distinct from
                             (o.status, o.parent_id, o.depth, o.author_name, o.author_url, o.body_html, o.received_at)) as shown
            from new_rows n join old_rows o on o.id = n.id
           group by 1) d
   where p.id = d.page_id and (d.delta <> 0 or d.shown);
  return null;
end $$;

create or replace function comments_count_delete() returns trigger language plpgsql as $$
begin
  update pages p
     set approved_count = p.approved_count - d.approved,
         thread_version = p.thread_version + 1
    from (select page_id, count(*) as approved from old_rows where status = 'approved' group by page_id) d
   where p.id = d.page_id;
  return null;
end $$;
