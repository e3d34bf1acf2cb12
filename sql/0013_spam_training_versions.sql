-- The spam classifier's discriminative layer (issue 5). Each worker trains it from a model's examples
-- (spam_training) as a function of the set of examples alone, so that forgetting an example returns
-- the layer exactly to where it was. Workers therefore keep the examples in memory too, and reload
-- only those changed since the version they have, as they already do for the feature counts.
--
-- 1. The model version that last wrote each example (learned or relabelled). Rows from before this
-- migration get 0: a worker's first load reads every row, later ones only newer versions.
alter table spam_training add column version bigint not null default 0;
create index spam_training_changes on spam_training (model, version);

-- 2. Forgotten examples: a worker holding one must hear that it is gone, and the deleted row cannot
-- tell it. One row per example forgotten and not learned again since (learning it again deletes this
-- row, in the same statement), with the version that forgot it.
create table spam_training_removals (
  model text not null references spam_models (model) on delete cascade,
  example text not null,
  version bigint not null,
  primary key (model, example)
);
create index spam_training_removals_changes on spam_training_removals (model, version);
