-- What the rules read when the worker checked a comment (issue 17, item 3: "what if I change this
-- rule?"): the CheckContext minus the settings (a backtest supplies proposed ones) and minus the fields
-- the row holds already (name, email, website, text, page), as jsonb (src/moderation/stored-facts.ts).
-- A backtest re-runs the pure rules over these facts with other settings, so its answer is exact, not a
-- guess from today's data. Null: checked before this column existed, edited by its author since (the
-- edit's own rules decided), or erased; such rows are counted as "not backtestable". Nullable and without
-- a default, so adding it rewrites no row; the batched writer fills it in the same multi-row insert.
alter table comments add column check_facts jsonb;
