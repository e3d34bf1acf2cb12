-- Per-site calibration of the spam filter's hold threshold (issue 17, item 4; src/spam/hold-calibration.ts).
-- One row per comment a moderator decided: the filter's score of it taken before the decision was
-- learned (test-then-train: what the filter says of a comment it has not seen, as at intake), and the
-- decision's label. A relabelled decision keeps its first score (the model had learned the comment by
-- then); a forgotten one (back to pending or rejected) drops its row, as the model drops the example.
-- The training worker keeps each site's newest 2,000 rows; workers read the ham scores to set the
-- site's threshold. Rows go with their comment (erasure, site deletion).
create table spam_calibration_samples (
  -- The key a comment's deletion cascades on (comment ids are unique across sites).
  comment_id uuid primary key references comments (id) on delete cascade,
  site_id text not null references sites (id) on delete cascade,
  p_spam double precision not null check (p_spam >= 0 and p_spam <= 1),
  label text not null check (label in ('spam', 'ham')),
  decided_at timestamptz not null default now()
);
-- The newest rows of a site, for pruning the window and reading it.
create index spam_calibration_samples_site_idx on spam_calibration_samples (site_id, decided_at desc);
