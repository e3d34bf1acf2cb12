import { charGramsStart } from './features.js';
import {
  featureLogOdds,
  naiveBayesEvidence,
  priorStrengthOf,
  type NaiveBayesEvidence,
  type NaiveBayesOptions,
} from './naive-bayes.js';
import type { SpamLabel, SpamModelView } from './spam-model.js';

/** Tunables of the discriminative layer (see ClassifierOptions in score-spam.ts for each). */
export interface LayerOptions extends NaiveBayesOptions {
  layerEpochs: number;
  layerLearningRate: number;
  layerL2: number;
  hamCost: number;
  balanceClasses: number;
  maxLayerExamples: number;
  layerMinExamples: number;
}

/**
 * A logistic regression over a comment's hashed features plus one more input, the naive-Bayes
 * evidence (as a held-out example would have seen it): z = bias + nbWeight·nb + Σ w_f/√n, p = σ(z).
 * Counting (naive Bayes) is robust with few examples and exact to undo; the regression learns how
 * much each feature really says when it comes with others (naive Bayes counts "check", "out", "check
 * out" and their character n-grams as four pieces of evidence) and how far to trust the counts.
 */
export interface SpamLayer {
  bias: number;
  nbWeight: number;
  weights: ReadonlyMap<number, number>;
  /** Examples it was trained on (repeats counted). */
  examples: number;
}

/**
 * The naive-Bayes input of the layer reads the features other than character n-grams, each weighing 1
 * (a stored example has ids, not names: charGramsStart finds where its n-grams begin). Measured: the
 * n-grams repeat their words' evidence and made this input noisier; the layer still weighs each of
 * them on its own.
 */
export function layerEvidence(
  view: SpamModelView,
  ids: readonly number[],
  options: NaiveBayesOptions,
  leaveOut?: SpamLabel,
): NaiveBayesEvidence {
  const words = ids.slice(0, charGramsStart(ids)).map((id) => ({ id }));
  return naiveBayesEvidence(
    view,
    words,
    { ...options, charGramWeight: 1 },
    leaveOut && { label: leaveOut, featureCount: ids.length },
  );
}

/**
 * Feature id → dense index, open addressing over Int32Arrays. Ids are 32-bit hashes, half of them
 * beyond the small integers a Map keys cheaply, and a model's examples hold millions of them.
 */
class IdIndex {
  size = 0;
  private keys = new Int32Array(1024);
  private slots = new Int32Array(1024).fill(-1);

  /** The id's index, a new one (the current size) if it had none. */
  indexOf(id: number): number {
    if (this.size * 2 >= this.slots.length) this.grow();
    const mask = this.slots.length - 1;
    let i = (Math.imul(id, 0x9e3779b1) >>> 0) & mask;
    for (;;) {
      const at = this.slots[i] as number;
      if (at === -1) {
        this.slots[i] = this.size;
        if (this.size === this.keys.length) {
          const keys = new Int32Array(this.keys.length * 2);
          keys.set(this.keys);
          this.keys = keys;
        }
        this.keys[this.size] = id;
        return this.size++;
      }
      if (this.keys[at] === id) return at;
      i = (i + 1) & mask;
    }
  }

  forEach(visit: (id: number, index: number) => void): void {
    for (let at = 0; at < this.size; at++) visit(this.keys[at] as number, at);
  }

  private grow(): void {
    const slots = new Int32Array(this.slots.length * 2).fill(-1);
    const mask = slots.length - 1;
    for (let at = 0; at < this.size; at++) {
      let i = (Math.imul(this.keys[at] as number, 0x9e3779b1) >>> 0) & mask;
      while ((slots[i] as number) !== -1) i = (i + 1) & mask;
      slots[i] = at;
    }
    this.slots = slots;
  }
}

interface Entry {
  order: number;
  label: SpamLabel;
  features: readonly number[];
  count: number;
}

// FNV-1a over the label and the ids: where an example falls in the training order.
function orderOf(label: SpamLabel, ids: readonly number[]): number {
  let h = label === 'spam' ? 0x811c9dc5 : 0x050c5d1f;
  for (const id of ids) {
    h ^= id;
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

// Ties in the order (equal examples, or a hash collision) are broken by the content itself.
function compareEntries(a: Entry, b: Entry): number {
  if (a.order !== b.order) return a.order - b.order;
  if (a.label !== b.label) return a.label < b.label ? -1 : 1;
  const n = Math.min(a.features.length, b.features.length);
  for (let i = 0; i < n; i++)
    if (a.features[i] !== b.features[i]) return (a.features[i] as number) - (b.features[i] as number);
  return a.features.length - b.features.length;
}

/**
 * Trains the layer on the view's examples: Adagrad, `layerEpochs` passes, with a little L2. Each
 * example weighs (its class's share / ½)^−balanceClasses, times hamCost for ham: halfway between
 * learning the labelled share of spam (a site where it is rare then needs more evidence) and ignoring
 * it (the share of what moderators label need not be the share of what readers send).
 *
 * The result is a function of the set of examples alone, not of the order they were learned in:
 * examples are taken in the order of a hash of their content (label and features; equal ones side by
 * side), which also mixes the classes as a shuffle would. So unlearning an example and training again
 * gives back exactly the layer the model had before it was learned, and a model loaded from Postgres
 * trains the same layer as one learned in memory from the same texts. Null when a class has no example.
 */
export function trainSpamLayer(view: SpamModelView, options: LayerOptions): SpamLayer | null {
  const entries: Entry[] = [];
  for (const e of view.examples())
    entries.push({ order: orderOf(e.label, e.features), label: e.label, features: e.features, count: e.count });
  entries.sort(compareEntries);
  // Equal examples become one entry, whether they came as one counted entry (in memory) or as several
  // rows (stored): so the sample below is the same for both.
  let kept = 0;
  for (const e of entries) {
    const last = entries[kept - 1];
    if (last && compareEntries(last, e) === 0) last.count += e.count;
    else entries[kept++] = e;
  }
  entries.length = kept;
  // A bounded sample for very large models (the hash order is a pseudo-random one, and stays the same
  // when other examples come and go): training time grows with the examples, scoring does not.
  if (entries.length > options.maxLayerExamples) entries.length = options.maxLayerExamples;
  let spam = 0;
  let ham = 0;
  for (const e of entries) {
    if (e.label === 'spam') spam += e.count;
    else ham += e.count;
  }
  if (spam === 0 || ham === 0) return null;

  // Dense arrays for the passes: one index per distinct feature, its counts read once.
  const index = new IdIndex();
  const spamCounts: number[] = [];
  const hamCounts: number[] = [];
  const rows = entries.map((e) => {
    const ids = new Int32Array(e.features.length);
    for (let i = 0; i < e.features.length; i++) {
      const id = e.features[i] as number;
      const before = index.size;
      const at = index.indexOf(id);
      if (at === before) {
        spamCounts.push(view.spamCount(id));
        hamCounts.push(view.hamCount(id));
      }
      ids[i] = at;
    }
    return ids;
  });
  // Each example's naive-Bayes input as if it had not been learned (layerEvidence with leaveOut).
  const nb = entries.map((e, i) => {
    const ids = rows[i] as Int32Array;
    const outSpam = e.label === 'spam' ? 1 : 0;
    const outHam = 1 - outSpam;
    const spamFeatures = view.spamFeatures - outSpam * ids.length;
    const hamFeatures = view.hamFeatures - outHam * ids.length;
    if (spamFeatures <= 0 || hamFeatures <= 0) return 0;
    const s = priorStrengthOf(view.spamDocs - outSpam, view.hamDocs - outHam, options);
    let sum = 0;
    let n = 0;
    const end = charGramsStart(e.features);
    for (let k = 0; k < end; k++) {
      const j = ids[k] as number;
      const sc = (spamCounts[j] as number) - outSpam;
      const hc = (hamCounts[j] as number) - outHam;
      if (sc + hc <= 0) continue;
      sum += featureLogOdds(sc, hc, spamFeatures, hamFeatures, s);
      n += 1;
    }
    return n === 0 ? 0 : sum / Math.sqrt(n);
  });
  const total = spam + ham;
  const classWeight = {
    spam: Math.pow(total / (2 * spam), options.balanceClasses),
    ham: options.hamCost * Math.pow(total / (2 * ham), options.balanceClasses),
  };
  // Features seen in fewer examples than layerMinExamples keep no weight of their own (the naive-Bayes
  // input still reads them).
  const keep = new Uint8Array(index.size);
  for (let j = 0; j < index.size; j++)
    keep[j] = (spamCounts[j] as number) + (hamCounts[j] as number) >= options.layerMinExamples ? 1 : 0;
  const w = new Float64Array(index.size);
  const g2 = new Float64Array(index.size).fill(1e-8);
  let bias = 0;
  let biasG2 = 1e-8;
  let nbWeight = 0;
  let nbG2 = 1e-8;
  const rate = options.layerLearningRate;
  for (let epoch = 0; epoch < options.layerEpochs; epoch++) {
    for (let i = 0; i < entries.length; i++) {
      const e = entries[i] as Entry;
      const ids = rows[i] as Int32Array;
      const u = nb[i] as number;
      const scale = 1 / Math.sqrt(ids.length || 1);
      const y = e.label === 'spam' ? 1 : 0;
      for (let c = 0; c < e.count; c++) {
        let z = bias + nbWeight * u;
        for (const j of ids) z += (w[j] as number) * scale;
        const g = (1 / (1 + Math.exp(-z)) - y) * classWeight[e.label];
        for (const j of ids) {
          if (keep[j] === 0) continue;
          const gj = g * scale + options.layerL2 * (w[j] as number);
          g2[j] = (g2[j] as number) + gj * gj;
          w[j] = (w[j] as number) - (rate * gj) / Math.sqrt(g2[j]);
        }
        const gu = g * u;
        nbG2 += gu * gu;
        nbWeight -= (rate * gu) / Math.sqrt(nbG2);
        biasG2 += g * g;
        bias -= (rate * g) / Math.sqrt(biasG2);
      }
    }
  }
  const weights = new Map<number, number>();
  index.forEach((id, at) => {
    const v = w[at] as number;
    if (v !== 0) weights.set(id, v);
  });
  return { bias, nbWeight, weights, examples: total };
}
