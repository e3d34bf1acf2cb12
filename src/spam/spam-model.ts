/**
 * A spam model's memory: in how many spam and ham examples each hashed feature appeared, and the
 * examples themselves. Counts, not weights, so learning is exact to undo (unlearning subtracts what
 * learning added) and two models add up (a site's own plus the shared one). The discriminative layer
 * (spam-layer.ts) is trained from the examples, as a function of the set alone, so it too returns
 * exactly to where it was when an example is unlearned.
 */
export interface SpamModel {
  spamDocs: number;
  hamDocs: number;
  /** Features counted over all spam examples (Σ of `spam`): the scorer's per-class denominator. */
  spamFeatures: number;
  /** Features counted over all ham examples (Σ of `ham`). */
  hamFeatures: number;
  spam: Map<number, number>;
  ham: Map<number, number>;
  /**
   * The examples behind the counts: a stored model keys them by example (a comment id, a seeded
   * line), an in-memory one by their content (label and features), counting repeats.
   */
  examples: Map<string, TrainedExample>;
}

export type SpamLabel = 'spam' | 'ham';

/** One learned example: its label and the feature ids it was learned with. */
export interface TrainedExample {
  label: SpamLabel;
  features: readonly number[];
  /** How many identical examples this entry stands for (1 for a stored model's rows). */
  count: number;
}

export function createSpamModel(): SpamModel {
  return {
    spamDocs: 0,
    hamDocs: 0,
    spamFeatures: 0,
    hamFeatures: 0,
    spam: new Map(),
    ham: new Map(),
    examples: new Map(),
  };
}

// Bumped on every change, so a view's trained layer is reused until one of its models changes. Kept
// outside the model so that two models holding the same examples still compare equal.
const revisions = new WeakMap<SpamModel, number>();

/** Marks a model changed (done by learnExample; a store that edits a model in place calls it too). */
export function touchSpamModel(model: SpamModel): void {
  revisions.set(model, (revisions.get(model) ?? 0) + 1);
}

function bump(map: Map<number, number>, id: number, by: number): void {
  const next = (map.get(id) ?? 0) + by;
  if (next > 0) map.set(id, next);
  else map.delete(id);
}

/** The key an in-memory example is filed under: equal examples share one entry. */
export function contentKey(label: SpamLabel, featureIds: readonly number[]): string {
  return `${label}:${featureIds.join(',')}`;
}

/**
 * Learns one example (`weight` 1) or unlearns it (`weight` -1) in place. The caller passes the same
 * feature ids it learned to unlearn them, so a relabelled comment is undone exactly.
 */
export function learnExample(
  model: SpamModel,
  featureIds: readonly number[],
  label: SpamLabel,
  weight: 1 | -1 = 1,
): void {
  const map = label === 'spam' ? model.spam : model.ham;
  for (const id of featureIds) bump(map, id, weight);
  if (label === 'spam') {
    model.spamDocs = Math.max(0, model.spamDocs + weight);
    model.spamFeatures = Math.max(0, model.spamFeatures + weight * featureIds.length);
  } else {
    model.hamDocs = Math.max(0, model.hamDocs + weight);
    model.hamFeatures = Math.max(0, model.hamFeatures + weight * featureIds.length);
  }
  const key = contentKey(label, featureIds);
  const entry = model.examples.get(key);
  const count = (entry?.count ?? 0) + weight;
  if (count > 0) model.examples.set(key, { label, features: entry?.features ?? [...featureIds], count });
  else model.examples.delete(key);
  touchSpamModel(model);
}

/** A read-only view of several models added together (a site's own and the shared one). */
export interface SpamModelView {
  spamDocs: number;
  hamDocs: number;
  spamFeatures: number;
  hamFeatures: number;
  spamCount(id: number): number;
  hamCount(id: number): number;
  /** Every example of every model in the view. */
  examples(): Iterable<TrainedExample>;
  /**
   * Caches a value derived from the view's models until one of them changes (the trained layer):
   * views are made afresh for each comment, the models behind them are not.
   */
  cached<T>(key: string, make: () => T): T;
  /**
   * The site's calibration samples (spam/hold-calibration.ts), ascending, when the view is a stored
   * site's (spam-models.ts); an in-memory view has none.
   */
  recentHamScores?: readonly number[];
}

// Per first model of a view: the models it was combined with, their revisions, and the values made.
const caches = new WeakMap<SpamModel, { models: SpamModel[]; revs: number[]; values: Map<string, unknown> }>();

function cacheOf(models: SpamModel[]): Map<string, unknown> {
  const first = models[0] as SpamModel;
  const revs = models.map((m) => revisions.get(m) ?? 0);
  const c = caches.get(first);
  if (
    c &&
    c.models.length === models.length &&
    c.models.every((m, i) => m === models[i]) &&
    c.revs.every((r, i) => r === revs[i])
  ) {
    return c.values;
  }
  const values = new Map<string, unknown>();
  caches.set(first, { models, revs, values });
  return values;
}

function* allExamples(models: SpamModel[]): Iterable<TrainedExample> {
  for (const m of models) yield* m.examples.values();
}

export function viewOf(...models: SpamModel[]): SpamModelView {
  const cached = <T>(key: string, make: () => T): T => {
    const values = cacheOf(models);
    if (!values.has(key)) values.set(key, make());
    return values.get(key) as T;
  };
  if (models.length === 1) {
    const m = models[0] as SpamModel;
    return {
      spamDocs: m.spamDocs,
      hamDocs: m.hamDocs,
      spamFeatures: m.spamFeatures,
      hamFeatures: m.hamFeatures,
      spamCount: (id) => m.spam.get(id) ?? 0,
      hamCount: (id) => m.ham.get(id) ?? 0,
      examples: () => m.examples.values(),
      cached,
    };
  }
  return {
    spamDocs: models.reduce((n, m) => n + m.spamDocs, 0),
    hamDocs: models.reduce((n, m) => n + m.hamDocs, 0),
    spamFeatures: models.reduce((n, m) => n + m.spamFeatures, 0),
    hamFeatures: models.reduce((n, m) => n + m.hamFeatures, 0),
    spamCount: (id) => models.reduce((n, m) => n + (m.spam.get(id) ?? 0), 0),
    hamCount: (id) => models.reduce((n, m) => n + (m.ham.get(id) ?? 0), 0),
    examples: () => allExamples(models),
    cached,
  };
}
