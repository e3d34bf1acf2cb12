-- Threads and sites without SQL (issue 13, item 7): the audit actions a moderator's close / reopen of
-- a page's thread and an admin's deletion of a whole site are recorded under, and the one exception to
-- the audit log's append-only rule that deleting a site needs.
--
-- 1. page_close / page_open: a moderator (or `reply-desk page close|open`) closed or reopened a
--    page's thread (pages.closed, read by src/domain/thread-closure.ts). site_delete: an admin (or
--    `reply-desk site delete`) deleted a site and everything under it; the event has no site_id (the
--    row it would point at is gone) and names the site and what was deleted in its detail.
select add_audit_action('page_close', 'page_open', 'site_delete');

-- 2. Deleting a site cascades to its pages, comments, bans, webhooks, … and to its audit events
--    (moderation_events.site_id and .comment_id are `on delete cascade` since 0005), which the
--    append-only trigger refused, so a site with any history could not be deleted at all. Inside a
--    transaction that set `reply_desk.site_delete` to a site's id (src/store/site-deletion.ts does,
--    and nothing else), a delete of that site's events is let through: those reached through its
--    site_id, and those with no site that the cascade reaches through one of its comments (a bulk
--    action across sites). Updates keep the 0009 rule; every other delete stays refused.
create or replace function moderation_events_append_only() returns trigger language plpgsql as $$
begin
  if tg_op = 'UPDATE' and current_setting('reply_desk.privacy_erase', true) = 'on'
     and (to_jsonb(new) - 'detail') = (to_jsonb(old) - 'detail') then
    return new;
  end if;
  if tg_op = 'DELETE' and coalesce(current_setting('reply_desk.site_delete', true), '') <> ''
     and (old.site_id = current_setting('reply_desk.site_delete', true)
          or (old.site_id is null and old.comment_id is not null)) then
    return old;
  end if;
  raise exception 'moderation_events is append-only' using errcode = 'insufficient_privilege';
end $$;

-- 3. The Pages list sorts a site's pages by their comments of the last 24 hours and their latest
--    comment, whatever the status (src/store/page-closure.ts), and deleting a site (or a page) finds
--    each page's comments for the cascade; comments had an index on page_id for approved ones only.
create index comments_page_received_idx on comments (page_id, received_at);
