-- Commenter profiles (issue 16, item 4): what the desk keeps about one author across a site's pages.
-- An author is a signed-in reader (`reader:<readers.id>`) or a guest by the email they typed
-- (`guest:<lowercase email>`), the same split the queue's history and the worker's first-comment rule
-- make, so a guest can never wear a reader's record (or the other way round).
--
-- author_notes: moderators' private notes, shown as a marker on every card of that author. Removing
-- one deletes the row; the audit log (note_add / note_remove) keeps who wrote what and when.
-- author_warnings: a message the reader sees once in the widget on their next visit; seen_at is set
-- when the widget says it was shown.
-- author_suspensions: comments from the author are refused (403 SUSPENDED) until ends_at; a suspension
-- ends by itself (nothing runs at ends_at: every check compares with the clock) or is lifted early.
create table author_notes (
  id bigint generated always as identity primary key,
  site_id text not null references sites (id) on delete cascade,
  author_key text not null check (author_key ~ '^(reader:[1-9][0-9]{0,14}|guest:[^@\s]+@[^@\s]+)$'),
  body text not null check (length(body) between 1 and 2000),
  created_by bigint references moderators (id) on delete set null,
  created_by_label text not null check (length(created_by_label) <= 320),
  created_at timestamptz not null default now()
);
create index author_notes_author_idx on author_notes (site_id, author_key);

create table author_warnings (
  id bigint generated always as identity primary key,
  site_id text not null references sites (id) on delete cascade,
  author_key text not null check (author_key ~ '^(reader:[1-9][0-9]{0,14}|guest:[^@\s]+@[^@\s]+)$'),
  message text not null check (length(message) between 1 and 1000),
  created_by bigint references moderators (id) on delete set null,
  created_by_label text not null check (length(created_by_label) <= 320),
  created_at timestamptz not null default now(),
  seen_at timestamptz
);
-- The widget asks for an author's unseen warnings on every visit: only those are indexed.
create index author_warnings_unseen_idx on author_warnings (site_id, author_key) where seen_at is null;

create table author_suspensions (
  id bigint generated always as identity primary key,
  site_id text not null references sites (id) on delete cascade,
  author_key text not null check (author_key ~ '^(reader:[1-9][0-9]{0,14}|guest:[^@\s]+@[^@\s]+)$'),
  reason text not null default '' check (length(reason) <= 500),
  starts_at timestamptz not null default now(),
  ends_at timestamptz not null,
  created_by bigint references moderators (id) on delete set null,
  created_by_label text not null check (length(created_by_label) <= 320),
  lifted_at timestamptz,
  lifted_by_label text check (length(lifted_by_label) <= 320),
  check (ends_at > starts_at)
);
-- Intake reads a site's suspensions not lifted and not over (src/store/authors/author-suspensions.ts).
create index author_suspensions_active_idx on author_suspensions (site_id, ends_at) where lifted_at is null;

select add_audit_action('note_add', 'note_remove', 'warn', 'suspend', 'unsuspend');
