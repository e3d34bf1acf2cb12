-- Roles per site (issue 16, item 3). An account is either an admin (moderators.role = 'admin': every
-- site, accounts, the service) or holds a role on each site it is given (moderator_sites.role):
--   admin      acts on the site's comments and changes the site's settings and sign-in
--   moderator  acts on the site's comments (the only role before this migration: rows keep it)
--   viewer     reads the site's queue, pages, bans and audit log, and changes nothing (legal, editors)
-- The role lives on the assignment, not the account, so one person can moderate one site and only read
-- another. A change of role is an `account_update` event (its `sites` detail now carries the roles).
alter table moderator_sites
  add column role text not null default 'moderator' check (role in ('admin', 'moderator', 'viewer'));
