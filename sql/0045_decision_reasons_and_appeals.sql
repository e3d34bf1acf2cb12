-- Reasons that reach the commenter, and appeals (issue 16, item 5; the EU DSA's statement of reasons,
-- art. 17, and internal complaint handling, art. 20).
--
-- comment_decisions: a moderator's reject or spam decision that carries a reason from the site's list
-- (settings.decisionReasons) and an optional note to the commenter. The label and rule are copied as
-- they read when decided, so a later edit of the list never rewrites what the commenter was told.
-- statement_sent_at: the statement-of-reasons mail went out (claimed in the transaction that sends it).
-- appeals: the commenter's complaint about one decision (at most one each), decided by a moderator
-- other than the decision's (decided_by), who reinstates the comment (published) or upholds the decision.
create table comment_decisions (
  id bigint generated always as identity primary key,
  comment_id uuid not null references comments (id) on delete cascade,
  site_id text not null references sites (id) on delete cascade,
  batch_id uuid,
  action text not null check (action in ('reject', 'spam')),
  reason_code text not null check (reason_code ~ '^[a-z][a-z0-9_]{0,39}$'),
  reason_label text not null check (length(reason_label) between 1 and 100),
  rule text not null default '' check (length(rule) <= 500),
  note text not null default '' check (length(note) <= 1000),
  decided_by bigint references moderators (id) on delete set null,
  decided_by_label text not null check (length(decided_by_label) <= 320),
  decided_at timestamptz not null default now(),
  statement_sent_at timestamptz
);
create index comment_decisions_comment_idx on comment_decisions (comment_id, id desc);

create table appeals (
  id bigint generated always as identity primary key,
  comment_id uuid not null references comments (id) on delete cascade,
  site_id text not null references sites (id) on delete cascade,
  decision_id bigint not null unique references comment_decisions (id) on delete cascade,
  statement text not null default '' check (length(statement) <= 2000),
  status text not null default 'open' check (status in ('open', 'reinstated', 'upheld')),
  opened_at timestamptz not null default now(),
  decided_by bigint references moderators (id) on delete set null,
  decided_by_label text check (length(decided_by_label) <= 320),
  decided_at timestamptz,
  outcome_note text not null default '' check (length(outcome_note) <= 1000),
  check ((status = 'open') = (decided_at is null))
);
-- The Appeals tab: a site's open appeals, oldest first.
create index appeals_open_idx on appeals (site_id, opened_at) where status = 'open';

select add_audit_action('appeal_open', 'appeal_reinstate', 'appeal_uphold');
