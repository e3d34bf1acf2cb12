-- Per-story controls (issue 16, item 1): a page may override some of its site's settings
-- (`moderation`, `holdLinks`, `holdWords` added to the site's, `guests`, `votes`). Only the keys a
-- page overrides are stored, so a page follows every later change of its site's other settings; the
-- application validates the object (src/domain/pages/page-settings.ts), as it does sites.settings.
alter table pages
  add column settings jsonb not null default '{}' check (jsonb_typeof(settings) = 'object');

-- The Pages view's "Overridden" filter: few pages of a site override anything.
create index pages_overridden_idx on pages (site_id, id desc) where settings <> '{}'::jsonb;

-- A page's settings changed (from the desk, its API or `reply-desk page update`): before and after.
select add_audit_action('page_settings');
