import type { Pool, Queryable } from '../store/db.js';
import { inTransaction } from '../store/moderation-actions.js';
import type { SpamLabel } from './spam-model.js';

/** The model every site's score adds in; a colon keeps it apart from every site id. */
export const SHARED_MODEL = ':shared';

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

/**
 * Learns a batch of examples into one model, in one transaction. Idempotent per (model, example,
 * label): an example already learned with the same label is left alone; one learned with the other
 * label is unlearned (its stored features, exactly) and learned again. The model row is locked first,
 * so trainers of one model (several workers, the CLI) take turns and versions commit in order, which
 * is what lets workers reload only rows newer than the version they have.
 */
export async function trainSpamModel(pool: Pool, model: string, examples: readonly TrainingExample[]): Promise<TrainingResult> {
  return inTransaction(pool, async (db) => {
    await db.query('insert into spam_models (model) values ($1) on conflict (model) do nothing', [model]);
    const locked = await db.query<{ version: number }>('select version from spam_models where model = $1 for update', [model]);
    const result: TrainingResult = { learned: 0, relabelled: 0, forgotten: 0, unchanged: 0, version: locked.rows[0]?.version ?? 0 };
    // The last word on an example within a batch counts.
    const latest = new Map(examples.map((e) => [e.example, e]));
    const { rows: stored } = await db.query<{ example: string; label: SpamLabel; features: number[] }>(
      'select example, label, features from spam_training where model = $1 and example = any($2::text[])',
      [model, [...latest.keys()]],
    );
    const before = new Map(stored.map((r) => [r.example, r]));
    const delta = new Map<number, [number, number]>();
    const add = (ids: readonly number[], label: SpamLabel, by: number): void => {
      for (const id of ids) {
        const d = delta.get(id) ?? [0, 0];
        d[label === 'spam' ? 0 : 1] += by;
        delta.set(id, d);
      }
    };
    let spamDocs = 0;
    let hamDocs = 0;
    const upserts: { example: string; label: SpamLabel; features: number[] }[] = [];
    const deletes: string[] = [];
    for (const e of latest.values()) {
      const old = before.get(e.example);
      if ((old?.label ?? null) === e.label) {
        result.unchanged++;
        continue;
      }
      if (old) {
        add(old.features, old.label, -1);
        if (old.label === 'spam') spamDocs--;
        else hamDocs--;
      }
      if (e.label === null) {
        deletes.push(e.example);
        result.forgotten++;
        continue;
      }
      const features = [...new Set(e.features)];
      add(features, e.label, 1);
      if (e.label === 'spam') spamDocs++;
      else hamDocs++;
      upserts.push({ example: e.example, label: e.label, features });
      if (old) result.relabelled++;
      else result.learned++;
    }
    if (delta.size === 0 && spamDocs === 0 && hamDocs === 0 && upserts.length === 0 && deletes.length === 0) return result;
    const { rows } = await db.query<{ version: number }>(
      `update spam_models set version = version + 1, spam_docs = greatest(0, spam_docs + $2), ham_docs = greatest(0, ham_docs + $3),
              updated_at = now()
        where model = $1 returning version`,
      [model, spamDocs, hamDocs],
    );
    result.version = rows[0]?.version ?? result.version;
    const ids: number[] = [];
    const ds: number[] = [];
    const dh: number[] = [];
    for (const [id, [s, h]] of delta) {
      if (s === 0 && h === 0) continue;
      ids.push(id);
      ds.push(s);
      dh.push(h);
    }
    if (ids.length > 0) {
      // Signed deltas onto the rows that exist, then the new rows (which can only gain). The model row
      // lock above keeps other trainers of this model out between the two statements.
      await db.query(
        `update spam_model_features f set spam = greatest(0, f.spam + d.s), ham = greatest(0, f.ham + d.h), version = $5
           from unnest($2::int[], $3::int[], $4::int[]) as d(fid, s, h)
          where f.model = $1 and f.feature = d.fid`,
        [model, ids, ds, dh, result.version],
      );
      await db.query(
        `insert into spam_model_features (model, feature, spam, ham, version)
         select $1, d.fid, greatest(0, d.s), greatest(0, d.h), $5 from unnest($2::int[], $3::int[], $4::int[]) as d(fid, s, h)
          where not exists (select 1 from spam_model_features f where f.model = $1 and f.feature = d.fid)
         on conflict (model, feature) do nothing`,
        [model, ids, ds, dh, result.version],
      );
    }
    if (deletes.length > 0) await db.query('delete from spam_training where model = $1 and example = any($2::text[])', [model, deletes]);
    if (upserts.length > 0) {
      await db.query(
        `insert into spam_training (model, example, label, features)
         select $1, x.example, x.label, array(select jsonb_array_elements_text(x.features)::int)
           from jsonb_to_recordset($2::jsonb) as x(example text, label text, features jsonb)
         on conflict (model, example) do update set label = excluded.label, features = excluded.features, trained_at = now()`,
        [model, JSON.stringify(upserts)],
      );
    }
    return result;
  });
}

/** A model's counts and the feature rows changed after `sinceVersion`; null when the model has none. */
export interface SpamModelChanges {
  version: number;
  spamDocs: number;
  hamDocs: number;
  features: { id: number; spam: number; ham: number }[];
}

/** One statement, so the version and the rows come from the same snapshot. */
export async function loadSpamModelChanges(db: Queryable, model: string, sinceVersion: number): Promise<SpamModelChanges | null> {
  const { rows } = await db.query<{ version: number; spam_docs: number; ham_docs: number; feature: number | null; spam: number | null; ham: number | null }>(
    `select m.version, m.spam_docs, m.ham_docs, f.feature, f.spam, f.ham
       from spam_models m left join spam_model_features f on f.model = m.model and f.version > $2
      where m.model = $1`,
    [model, sinceVersion],
  );
  const first = rows[0];
  if (!first) return null;
  return {
    version: first.version,
    spamDocs: first.spam_docs,
    hamDocs: first.ham_docs,
    features: rows.filter((r) => r.feature !== null).map((r) => ({ id: r.feature as number, spam: r.spam ?? 0, ham: r.ham ?? 0 })),
  };
}
