-- Readers' flags (one per reader per comment; a reader is a hash of IP and browser key, never stored
-- in the clear) and the history of moderators' edits to a comment's text.
create table flags (
  id bigint generated always as identity primary key,
  comment_id uuid not null references comments (id) on delete cascade,
  reason text not null check (reason in ('spam', 'abuse', 'off_topic', 'other')),
  reporter text not null,
  created_at timestamptz not null default now(),
  unique (comment_id, reporter)
);

create table comment_edits (
  id bigint generated always as identity primary key,
  comment_id uuid not null references comments (id) on delete cascade,
  editor_id bigint references moderators (id) on delete set null,
  body_before text not null,
  body_after text not null,
  created_at timestamptz not null default now()
);

create index comment_edits_comment_idx on comment_edits (comment_id, created_at);
