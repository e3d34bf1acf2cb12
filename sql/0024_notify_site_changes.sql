-- notify_site_changes(): every change to sites (insert, update, delete, truncate) sends a NOTIFY on the
-- channel reply_desk_sites (issue 13, item 11).
--
-- Each API process keeps the sites in memory (src/http/kit/site-directory.ts) so intake and CORS never
-- wait on Postgres; it used to learn of a new site only at its next periodic refresh, so a site added
-- while the service ran failed CORS in the widget for its first seconds or minute. Each directory now
-- LISTENs on this channel and reloads the whole list when told; the periodic refresh stays as the net
-- for a notification lost with a connection.
--
-- Statement-level and without a payload: a directory reloads everything anyway, so one notice per
-- statement is enough, and Postgres folds identical notices of one transaction into one. NOTIFY is
-- delivered at commit, so a listener that reloads on it reads the committed change.
create function notify_site_changes() returns trigger language plpgsql as $$
begin
  perform pg_notify('reply_desk_sites', '');
  return null;
end
$$;

create trigger sites_notify_changes
  after insert or update or delete or truncate on sites
  for each statement execute function notify_site_changes();
