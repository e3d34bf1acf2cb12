-- Intake reads a page's own `guests` override only on sites that have one (review of issue 16).
--
-- A guest's comment is refused at intake (401 SIGN_IN_REQUIRED) where its page takes only signed-in
-- readers, and taken where its page takes guests on a site that does not. Reading the page's settings
-- for every guest POST cost one Postgres round trip per comment on every site, though few pages ever
-- override `guests`. The site directory (src/http/kit/site-directory.ts) now also knows, per site,
-- whether any page overrides it (src/store/sites.ts, with this partial index), and intake reads the
-- page only then. So the directory learns of a change at once, a page statement that changes the key
-- notifies the directory's channel, as every change to `sites` does (sql/0024).
create index pages_guests_override_idx on pages (site_id) where settings ? 'guests';

create function notify_page_guests_changes() returns trigger language plpgsql as $$
begin
  perform pg_notify('reply_desk_sites', '');
  return null;
end
$$;

-- Row-level with a WHEN, so the worker's page inserts and edits of other keys never notify. Postgres
-- folds identical notices of one transaction into one.
create trigger pages_notify_guests_update
  after update of settings on pages
  for each row when ((old.settings -> 'guests') is distinct from (new.settings -> 'guests'))
  execute function notify_page_guests_changes();

create trigger pages_notify_guests_insert
  after insert on pages
  for each row when (new.settings ? 'guests')
  execute function notify_page_guests_changes();

create trigger pages_notify_guests_delete
  after delete on pages
  for each row when (old.settings ? 'guests')
  execute function notify_page_guests_changes();
