-- The local abuse filter's memory (issue 17, item 1), built like the spam classifier's (sql/0008, 0013)
-- so the same store (src/spam/spam-store.ts, with ModelTables) learns and unlearns it exactly: one
-- model per site (model = the site id; there is no shared abuse model, what is abusive is each desk's
-- call), per hashed feature the count of abusive / ok examples it appeared in, the examples with the
-- exact features they were learned with, and the removals workers must hear of. A moderator's reject
-- with the reason `abusive` teaches `abuse`; an approval teaches `ok`; anything else forgets.
create table abuse_models (
  model text primary key,
  version bigint not null default 0,
  abuse_docs integer not null default 0 check (abuse_docs >= 0),
  ok_docs integer not null default 0 check (ok_docs >= 0),
  abuse_features bigint not null default 0 check (abuse_features >= 0),
  ok_features bigint not null default 0 check (ok_features >= 0),
  updated_at timestamptz not null default now()
);

create table abuse_model_features (
  model text not null references abuse_models (model) on delete cascade,
  feature integer not null,
  abuse integer not null default 0,
  ok integer not null default 0,
  version bigint not null,
  primary key (model, feature)
);
create index abuse_model_features_changes on abuse_model_features (model, version);

create table abuse_training (
  model text not null references abuse_models (model) on delete cascade,
  example text not null,
  label text not null check (label in ('abuse', 'ok')),
  features integer[] not null,
  version bigint not null default 0,
  trained_at timestamptz not null default now(),
  primary key (model, example)
);
create index abuse_training_changes on abuse_training (model, version);

create table abuse_training_removals (
  model text not null references abuse_models (model) on delete cascade,
  example text not null,
  version bigint not null,
  primary key (model, example)
);
create index abuse_training_removals_changes on abuse_training_removals (model, version);
