import type { Pool, Queryable } from '../store/db.js';
import { inTransaction } from '../store/moderation-actions.js';
import type { SpamLabel } from './spam-model.js';

/** The model every site's score adds in; a colon keeps it apart from every site id. */
export const SHARED_MODEL = ':shared';

/**
 * Where a store of this shape keeps its models: the spam filter's tables (sql/0008, 0013), or another
 * learner's built the same way (the abuse filter's, sql/0052), so both share one exact-to-undo store.
 */
export interface ModelTables {
  /** Table prefix: `<prefix>_models`, `_model_features`, `_training`, `_training_removals`; names the statements too. */
  prefix: string;
  /** The stored name of the class the model calls `spam` (columns `<name>_docs`, `<name>_features`, `<name>`). */
  positive: string;
  /** The stored name of the class the model calls `ham`. */
  negative: string;
}

/** The spam filter's own tables. */
export const spamTables: ModelTables = { prefix: 'spam', positive: 'spam', negative: 'ham' };

// The model's labels as a store names them, and back.
const storedLabel = (t: ModelTables, label: SpamLabel): string => (label === 'spam' ? t.positive : t.negative);
const modelLabel = (t: ModelTables, stored: string): SpamLabel => (stored === t.positive ? 'spam' : 'ham');

/** One example to learn (`label`), or to forget (`label` null). */
export interface TrainingExample {
  /** A comment id, or a seeded file's line key: learning the same example twice changes nothing. */
  example: string;
  label: SpamLabel | null;
  /** Hashed features of its text now; ignored when forgetting (the stored ones are unlearned). */
  features: readonly number[];
}

/** What training did, for logs and the CLI's summary. */
export interface TrainingResult {
  learned: number;
  relabelled: number;
  forgotten: number;
  unchanged: number;
  version: number;
}

interface StoredExample {
  example: string;
  label: SpamLabel;
  features: number[];
}

/** The net change a batch makes: per feature, per class; the class totals; the training rows. */
export interface TrainingDelta {
  features: Map<number, [spam: number, ham: number]>;
  spamDocs: number;
  hamDocs: number;
  spamFeatures: number;
  hamFeatures: number;
  upserts: StoredExample[];
  deletes: string[];
  result: Omit<TrainingResult, 'version'>;
}

/**
 * What learning `examples` changes, given what was stored for them before. Pure. The last word on an
 * example within a batch counts; an example already learned with the same label is unchanged; one
 * learned with the other label is unlearned (its stored features, exactly) and learned again.
 */
export function toTrainingDelta(examples: readonly TrainingExample[], stored: readonly StoredExample[]): TrainingDelta {
  const latest = new Map(examples.map((e) => [e.example, e]));
  const before = new Map(stored.map((r) => [r.example, r]));
  const d: TrainingDelta = {
    features: new Map(),
    spamDocs: 0,
    hamDocs: 0,
    spamFeatures: 0,
    hamFeatures: 0,
    upserts: [],
    deletes: [],
    result: { learned: 0, relabelled: 0, forgotten: 0, unchanged: 0 },
  };
  const add = (ids: readonly number[], label: SpamLabel, by: 1 | -1): void => {
    for (const id of ids) {
      const c = d.features.get(id) ?? [0, 0];
      c[label === 'spam' ? 0 : 1] += by;
      d.features.set(id, c);
    }
    if (label === 'spam') {
      d.spamDocs += by;
      d.spamFeatures += by * ids.length;
    } else {
      d.hamDocs += by;
      d.hamFeatures += by * ids.length;
    }
  };
  for (const e of latest.values()) {
    const old = before.get(e.example);
    if ((old?.label ?? null) === e.label) {
      d.result.unchanged++;
      continue;
    }
    if (old) add(old.features, old.label, -1);
    if (e.label === null) {
      d.deletes.push(e.example);
      d.result.forgotten++;
      continue;
    }
    const features = [...new Set(e.features)];
    add(features, e.label, 1);
    d.upserts.push({ example: e.example, label: e.label, features });
    if (old) d.result.relabelled++;
    else d.result.learned++;
  }
  for (const [id, [s, h]] of d.features) if (s === 0 && h === 0) d.features.delete(id);
  return d;
}

/*
 * Everything a batch writes, in one statement (one round trip): the model row's counts and version,
 * every feature's signed delta, and the training rows, each stamped with the new version (workers
 * reload the examples changed since theirs). A forgotten example leaves a removal row with that
 * version, which learning it again deletes. A feature row that does not exist yet can only gain
 * (unlearning touches rows that learning created, under the same model lock), so inserting the raw
 * delta and adding it on conflict is exact. Data-modifying CTEs all run, whether or not the final
 * select reads them; forgotten and learned examples are disjoint, so no row is written twice.
 */
function applyDeltaSql(t: ModelTables): string {
  const { prefix: x, positive: p, negative: n } = t;
  return `
with m as (
  update ${x}_models set version = version + 1,
         ${p}_docs = greatest(0, ${p}_docs + $2), ${n}_docs = greatest(0, ${n}_docs + $3),
         ${p}_features = greatest(0, ${p}_features + $4), ${n}_features = greatest(0, ${n}_features + $5),
         updated_at = now()
   where model = $1 returning version
), f as (
  insert into ${x}_model_features as f (model, feature, ${p}, ${n}, version)
  select $1, d.fid, d.s, d.h, (select version from m) from unnest($6::int[], $7::int[], $8::int[]) as d(fid, s, h)
  on conflict (model, feature) do update
     set ${p} = greatest(0, f.${p} + excluded.${p}), ${n} = greatest(0, f.${n} + excluded.${n}), version = excluded.version
), del as (
  delete from ${x}_training where model = $1 and example = any($9::text[])
), gone as (
  insert into ${x}_training_removals (model, example, version)
  select $1, x, (select version from m) from unnest($9::text[]) as x
  on conflict (model, example) do update set version = excluded.version
), ins as (
  insert into ${x}_training (model, example, label, features, version)
  select $1, x.example, x.label, x.features::int[], (select version from m)
    from unnest($10::text[], $11::text[], $12::text[]) as x(example, label, features)
  on conflict (model, example) do update
     set label = excluded.label, features = excluded.features, version = excluded.version, trained_at = now()
), back as (
  delete from ${x}_training_removals where model = $1 and example = any($10::text[])
)
select version from m`;
}

/**
 * Learns a batch of examples into one model, in one transaction of three statements: lock the model
 * row (creating it if needed), read what was stored for these examples, write everything. The lock
 * comes first, in its own statement, so the read after it sees every earlier trainer's commit:
 * trainers of one model (several workers, the CLI) take turns, versions commit in order (which is what
 * lets workers reload only rows newer than the version they have), and a retried or concurrent job
 * finds its example already learned. See toTrainingDelta for what changes.
 */
export async function trainSpamModel(
  pool: Pool,
  model: string,
  examples: readonly TrainingExample[],
  tables: ModelTables = spamTables,
): Promise<TrainingResult> {
  const x = tables.prefix;
  return inTransaction(pool, async (db) => {
    // "do update" (a no-op write) rather than "do nothing": it takes the row lock either way.
    // Named, so each connection plans these once (planning the write below cost ~1 ms a decision).
    const locked = await db.query<{ version: string }>({
      name: `${x}-lock-model`,
      text: `insert into ${x}_models (model) values ($1) on conflict (model) do update set model = excluded.model returning version`,
      values: [model],
    });
    const version = Number(locked.rows[0]?.version ?? 0);
    const { rows } = await db.query<StoredExample>({
      name: `${x}-stored-examples`,
      text: `select example, label, features from ${x}_training where model = $1 and example = any($2::text[])`,
      values: [model, [...new Set(examples.map((e) => e.example))]],
    });
    const stored = rows.map((r) => ({ ...r, label: modelLabel(tables, r.label) }));
    const d = toTrainingDelta(examples, stored);
    if (d.features.size === 0 && d.upserts.length === 0 && d.deletes.length === 0) return { ...d.result, version };
    const applied = await db.query<{ version: string }>({
      name: `${x}-apply-delta`,
      text: applyDeltaSql(tables),
      values: [
        model,
        d.spamDocs,
        d.hamDocs,
        d.spamFeatures,
        d.hamFeatures,
        [...d.features.keys()],
        [...d.features.values()].map((c) => c[0]),
        [...d.features.values()].map((c) => c[1]),
        d.deletes,
        d.upserts.map((u) => u.example),
        d.upserts.map((u) => storedLabel(tables, u.label)),
        d.upserts.map((u) => `{${u.features.join(',')}}`),
      ],
    });
    return { ...d.result, version: Number(applied.rows[0]?.version ?? version) };
  });
}

/** A model's counts and the feature rows changed after `sinceVersion`; null when the model has none. */
export interface SpamModelChanges {
  version: number;
  spamDocs: number;
  hamDocs: number;
  spamFeatures: number;
  hamFeatures: number;
  features: { id: number; spam: number; ham: number }[];
}

/** One statement, so the version and the rows come from the same snapshot. */
export async function loadSpamModelChanges(
  db: Queryable,
  model: string,
  sinceVersion: number,
  tables: ModelTables = spamTables,
): Promise<SpamModelChanges | null> {
  const { prefix: x, positive: p, negative: n } = tables;
  const { rows } = await db.query<{
    version: string;
    spam_docs: number;
    ham_docs: number;
    spam_features: string;
    ham_features: string;
    feature: number | null;
    spam: number | null;
    ham: number | null;
  }>(
    `select m.version, m.${p}_docs as spam_docs, m.${n}_docs as ham_docs, m.${p}_features as spam_features,
            m.${n}_features as ham_features, f.feature, f.${p} as spam, f.${n} as ham
       from ${x}_models m left join ${x}_model_features f on f.model = m.model and f.version > $2
      where m.model = $1`,
    [model, sinceVersion],
  );
  const first = rows[0];
  if (!first) return null;
  return {
    version: Number(first.version),
    spamDocs: first.spam_docs,
    hamDocs: first.ham_docs,
    spamFeatures: Number(first.spam_features),
    hamFeatures: Number(first.ham_features),
    features: rows
      .filter((r) => r.feature !== null)
      .map((r) => ({ id: r.feature as number, spam: r.spam ?? 0, ham: r.ham ?? 0 })),
  };
}

/** The examples learned, relabelled or forgotten after `sinceVersion`, up to `untilVersion`. */
export interface SpamTrainingChanges {
  examples: { example: string; label: SpamLabel; features: number[] }[];
  forgotten: string[];
}

/**
 * Bounded by the counts' version that loadSpamModelChanges just returned, so that the examples and the
 * counts describe the same commits: an example changed by a later commit is left for the next reload
 * (its row, or its removal, then carries the later version). Versions commit in order (trainers take
 * turns under the model's row lock), so nothing at or below `untilVersion` can still appear.
 */
export async function loadSpamTrainingChanges(
  db: Queryable,
  model: string,
  sinceVersion: number,
  untilVersion: number,
  tables: ModelTables = spamTables,
): Promise<SpamTrainingChanges> {
  const x = tables.prefix;
  const { rows } = await db.query<{ example: string; label: string | null; features: number[] | null }>(
    `select example, label, features from ${x}_training where model = $1 and version > $2 and version <= $3
     union all
     select example, null, null from ${x}_training_removals where model = $1 and version > $2 and version <= $3`,
    [model, sinceVersion, untilVersion],
  );
  const changes: SpamTrainingChanges = { examples: [], forgotten: [] };
  for (const r of rows) {
    if (r.label === null || r.features === null) changes.forgotten.push(r.example);
    else changes.examples.push({ example: r.example, label: modelLabel(tables, r.label), features: r.features });
  }
  return changes;
}
