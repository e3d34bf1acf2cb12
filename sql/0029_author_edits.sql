-- Authors' own edits (issue 14): a reader (by their reader token) or a guest (by the comment's edit
-- key) may change their comment's text within the site's edit window. comment_edits already keeps
-- moderators' edits (editor_id); an author's edit is marked here, with the check it went through,
-- so moderators see who changed the text and what the checks made of it.
alter table comment_edits
  -- true: the comment's author changed it (reader_id says which reader; null for a guest or a reader
  -- since erased). false: a moderator's edit (editor_id).
  add column by_author boolean not null default false,
  add column reader_id bigint references readers (id) on delete set null,
  -- What the edit did: applied (the text stands, status kept), held (the text stands, the comment
  -- waits for a moderator), spam, or refused (a rule refused it: the text and status did not change;
  -- kept so the author's status answer can say why). Moderators' edits are 'applied'.
  add column outcome text not null default 'applied' check (outcome in ('applied', 'held', 'spam', 'refused')),
  -- The checks' verdict of an author's edit ({status, score, reasons}); null for a moderator's.
  add column verdict jsonb,
  -- The edit job's id (src/queue/edits-queue.ts): a job retried after its transaction committed finds
  -- its row and stops, so a killed worker never stores one edit twice.
  add column edit_id text unique check (length(edit_id) <= 100),
  -- When the API took the edit: edits of one comment apply in this order, so a slow job never
  -- overwrites a newer text with an older one.
  add column requested_at timestamptz;
