-- Reply mails for signed-in readers (issue 14): a reader with a verified email gets a mail when someone
-- replies to a comment of theirs, with no confirmation step (whoever signed them in vouched for the
-- address), while readers.notify_replies is on and the comment is not muted here. A row is one comment
-- the reader switched off (in "my comments", or by the unsubscribe link of a reply mail); deleting it
-- switches the comment back on.
create table reader_reply_mutes (
  comment_id uuid primary key references comments (id) on delete cascade,
  created_at timestamptz not null default now()
);
