-- Sites: one publisher property that embeds Reply Desk. Settings live in one jsonb document so a new
-- rule's setting needs no migration; the application validates it (src/domain/site-settings.ts) and
-- fills defaults, so an empty object is a valid, sensible site.
create table sites (
  id text primary key check (id ~ '^[a-z0-9][a-z0-9_-]{0,62}$'),
  name text not null check (length(name) between 1 and 200),
  -- Origins (scheme://host[:port]) whose pages may post comments and read threads cross-origin.
  allowed_origins text[] not null default '{}',
  settings jsonb not null default '{}' check (jsonb_typeof(settings) = 'object'),
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);
