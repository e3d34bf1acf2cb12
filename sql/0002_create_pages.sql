-- Pages: the article a thread hangs under, keyed per site by the identifier the embedding page gives
-- (data-page, canonical URL or the form's comment_post_ID). Created by the worker on a page's first
-- submission. approved_count and first_comment_at are kept by a trigger on comments (0003) so the
-- count endpoint and the close-after-N-days rule read one row instead of counting comments.
create table pages (
  id bigint generated always as identity primary key,
  site_id text not null references sites (id) on delete cascade,
  identifier text not null check (length(identifier) between 1 and 1000),
  url text,
  title text,
  closed boolean not null default false,
  approved_count integer not null default 0 check (approved_count >= 0),
  first_comment_at timestamptz,
  created_at timestamptz not null default now(),
  unique (site_id, identifier)
);
