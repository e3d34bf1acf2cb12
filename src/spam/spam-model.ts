/**
 * A spam model's memory: in how many spam and ham examples each hashed feature appeared. Counts, not
 * weights, so learning is exact to undo (unlearning subtracts what learning added) and two models add
 * up (a site's own plus the shared one).
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
}

export type SpamLabel = 'spam' | 'ham';

export function createSpamModel(): SpamModel {
  return { spamDocs: 0, hamDocs: 0, spamFeatures: 0, hamFeatures: 0, spam: new Map(), ham: new Map() };
}

function bump(map: Map<number, number>, id: number, by: number): void {
  const next = (map.get(id) ?? 0) + by;
  if (next > 0) map.set(id, next);
  else map.delete(id);
}

/**
 * Learns one example (`weight` 1) or unlearns it (`weight` -1) in place. The caller passes the same
 * feature ids it learned to unlearn them, so a relabelled comment is undone exactly.
 */
export function learnExample(model: SpamModel, featureIds: readonly number[], label: SpamLabel, weight: 1 | -1 = 1): void {
  const map = label === 'spam' ? model.spam : model.ham;
  for (const id of featureIds) bump(map, id, weight);
  if (label === 'spam') {
    model.spamDocs = Math.max(0, model.spamDocs + weight);
    model.spamFeatures = Math.max(0, model.spamFeatures + weight * featureIds.length);
  } else {
    model.hamDocs = Math.max(0, model.hamDocs + weight);
    model.hamFeatures = Math.max(0, model.hamFeatures + weight * featureIds.length);
  }
}

/** A read-only view of several models added together (a site's own and the shared one). */
export interface SpamModelView {
  spamDocs: number;
  hamDocs: number;
  spamFeatures: number;
  hamFeatures: number;
  spamCount(id: number): number;
  hamCount(id: number): number;
}

export function viewOf(...models: SpamModel[]): SpamModelView {
  if (models.length === 1) {
    const m = models[0] as SpamModel;
    return { spamDocs: m.spamDocs, hamDocs: m.hamDocs, spamFeatures: m.spamFeatures, hamFeatures: m.hamFeatures, spamCount: (id) => m.spam.get(id) ?? 0, hamCount: (id) => m.ham.get(id) ?? 0 };
  }
  return {
    spamDocs: models.reduce((n, m) => n + m.spamDocs, 0),
    hamDocs: models.reduce((n, m) => n + m.hamDocs, 0),
    spamFeatures: models.reduce((n, m) => n + m.spamFeatures, 0),
    hamFeatures: models.reduce((n, m) => n + m.hamFeatures, 0),
    spamCount: (id) => models.reduce((n, m) => n + (m.spam.get(id) ?? 0), 0),
    hamCount: (id) => models.reduce((n, m) => n + (m.ham.get(id) ?? 0), 0),
  };
}
