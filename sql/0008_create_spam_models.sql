-- The local spam classifier's memory (issue 5). A model is a site's (model = the site id) or the
-- shared one (model = ':shared', which no site id can be), and every site's score adds the shared
-- model's counts to its own. Counts are kept per hashed feature, so learning a moderator's decision
-- is a few hundred atomic increments rather than a rewrite of the whole model, and unlearning is the
-- same statement with -1. `version` lets each worker reload only the rows changed since it last looked.
create table spam_models (
  model text primary key,
  version bigint not null default 0,
  spam_docs integer not null default 0 check (spam_docs >= 0),
  ham_docs integer not null default 0 check (ham_docs >= 0),
  -- Features counted over all spam / ham examples (the sums of spam_model_features.spam / .ham): the
  -- scorer's per-class denominators, kept here so no worker has to add up the whole table.
  spam_features bigint not null default 0 check (spam_features >= 0),
  ham_features bigint not null default 0 check (ham_features >= 0),
  updated_at timestamptz not null default now()
);

create table spam_model_features (
  model text not null references spam_models (model) on delete cascade,
  -- FNV-1a hash of the feature's name (src/spam/features.ts), as a signed int4.
  feature integer not null,
  -- In how many spam / ham examples the feature appeared (0 after every one was unlearned).
  spam integer not null default 0,
  ham integer not null default 0,
  -- The model version that last changed this row.
  version bigint not null,
  primary key (model, feature)
);
create index spam_model_features_changes on spam_model_features (model, version);

-- What each model learned from which example (a comment id, or a seeded file's line), with the exact
-- features it learned: relabelling a comment unlearns those, even after a moderator edited its text.
create table spam_training (
  model text not null references spam_models (model) on delete cascade,
  example text not null,
  label text not null check (label in ('spam', 'ham')),
  features integer[] not null,
  trained_at timestamptz not null default now(),
  primary key (model, example)
);
