-- Editors' picks (issue 15): a moderator features a published comment; the widget shows a page's
-- picks in a strip above the thread. Kept on the comment (who and when), so the thread and the strip
-- read no other table; a pick that is later removed stays marked but is not shown (only approved
-- comments are listed), and comes back if the removal is undone.
alter table comments
  add column featured_at timestamptz,
  add column featured_by text check (length(featured_by) <= 320);

-- The strip: a page's published picks, newest pick first.
create index comments_page_featured_idx on comments (page_id, featured_at desc, id desc)
  where featured_at is not null and status = 'approved';

select add_audit_action('feature', 'unfeature');

-- The thread's version (0012, 0035) also moves when a comment is featured or unfeatured: the thread
-- marks picks, and the cached strip must change with them.
create or replace function comments_count_update() returns trigger language plpgsql as $$
begin
  update pages p
     set approved_count = p.approved_count + d.delta,
         thread_version = p.thread_version + 1
    from (select coalesce(n.page_id, o.page_id) as page_id,
                 sum((n.status = 'approved')::int - (o.status = 'approved')::int) as delta,
                 bool_or((n.status = 'approved' or o.status = 'approved')
                         and (n.status, n.parent_id, n.depth, n.author_name, n.author_url, n.body_html, n.received_at,
                              n.author_verified, n.author_staff, n.author_avatar, n.edited_at, n.votes_up, n.votes_down,
                              n.featured_at)
                             is distinct from
                             (o.status, o.parent_id, o.depth, o.author_name, o.author_url, o.body_html, o.received_at,
                              o.author_verified, o.author_staff, o.author_avatar, o.edited_at, o.votes_up, o.votes_down,
                              o.featured_at)) as shown
            from new_rows n join old_rows o on o.id = n.id
           group by 1) d
   where p.id = d.page_id and (d.delta <> 0 or d.shown);
  return null;
end $$;
