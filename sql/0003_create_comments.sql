-- Comments: every submission a worker checked, whatever the outcome, so nothing a reader sent is lost
-- and moderators can see why it was held. The id is minted by the API before queueing and is the
-- idempotency key of the whole pipeline: a retried job can never store a second row.
create table comments (
  id uuid primary key,
  site_id text not null references sites (id) on delete cascade,
  page_id bigint not null references pages (id) on delete cascade,
  parent_id uuid references comments (id) on delete set null,
  depth smallint not null default 0 check (depth between 0 and 10),
  author_name text not null default '',
  author_email text not null default '',
  author_url text not null default '',
  body text not null,
  -- Sanitised HTML rendered once by the worker; the only form of the text ever sent to a browser.
  body_html text not null,
  -- deleted: removed by a moderator, kept so the action can be undone and audited.
  status text not null check (status in ('approved', 'pending', 'spam', 'rejected', 'deleted')),
  -- {status, score, reasons: [{rule, action, code, message, score, field?}], checkedAt}
  verdict jsonb not null,
  -- sha256 of site, page, parent, author and text: a second live copy is refused by the unique index
  -- below, which also closes the race between two workers checking the same duplicate at once.
  content_hash bytea not null,
  ip inet,
  user_agent text not null default '',
  referrer text not null default '',
  idempotency_key text,
  -- Millisecond precision, as JavaScript dates have: thread and queue cursors carry it exactly.
  received_at timestamptz(3) not null,
  -- Readers' flags; at the site's threshold a published comment goes back to the queue as reported.
  flag_count integer not null default 0,
  reported_at timestamptz,
  edited_at timestamptz,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);

-- Read path: one page's approved thread in order (cursor = received_at, id).
create index comments_page_approved_idx on comments (page_id, received_at, id) where status = 'approved';
-- Queue path: a site's pending comments, oldest first (and newest first, scanning backwards).
create index comments_site_pending_idx on comments (site_id, received_at, id) where status = 'pending';
-- Moderators' tabs across their sites (spam, approved, rejected; pending for all sites).
create index comments_status_received_idx on comments (status, received_at, id);
-- The reported tab.
create index comments_reported_idx on comments (reported_at, id) where reported_at is not null;
-- Exact duplicates among live comments.
create unique index comments_content_hash_live_idx on comments (content_hash) where status <> 'rejected';
-- Flood and first-time-commenter rules look up an author's recent and approved comments on a site.
create index comments_site_email_idx on comments (site_id, author_email, received_at);
create index comments_site_ip_idx on comments (site_id, ip, received_at);
create index comments_parent_idx on comments (parent_id) where parent_id is not null;

-- Keep pages.approved_count and first_comment_at true for every write path (worker inserts, moderator
-- actions, deletes). Statement-level triggers with transition tables touch each page once per
-- statement, so a batch of 100 inserts on a hot page takes its row lock once, not 100 times.
create function comments_count_insert() returns trigger language plpgsql as $$
begin
  update pages p
     set approved_count = p.approved_count + n.approved,
         first_comment_at = least(coalesce(p.first_comment_at, n.first_at), n.first_at)
    from (select page_id,
                 count(*) filter (where status = 'approved') as approved,
                 min(received_at) filter (where status <> 'rejected') as first_at
            from new_rows group by page_id) n
   where p.id = n.page_id;
  return null;
end $$;

create function comments_count_update() returns trigger language plpgsql as $$
begin
  update pages p
     set approved_count = p.approved_count + d.delta
    from (select coalesce(n.page_id, o.page_id) as page_id,
                 sum((n.status = 'approved')::int - (o.status = 'approved')::int) as delta
            from new_rows n join old_rows o on o.id = n.id
           group by 1) d
   where p.id = d.page_id and d.delta <> 0;
  return null;
end $$;

create function comments_count_delete() returns trigger language plpgsql as $$
begin
  update pages p
     set approved_count = p.approved_count - d.approved
    from (select page_id, count(*) as approved from old_rows where status = 'approved' group by page_id) d
   where p.id = d.page_id;
  return null;
end $$;

create trigger comments_count_insert after insert on comments
  referencing new table as new_rows for each statement execute function comments_count_insert();
create trigger comments_count_update after update on comments
  referencing old table as old_rows new table as new_rows for each statement execute function comments_count_update();
create trigger comments_count_delete after delete on comments
  referencing old table as old_rows for each statement execute function comments_count_delete();
