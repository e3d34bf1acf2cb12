import { featurise, type Feature, type SpamInput } from './features.js';
import { naiveBayesEvidence, type FeatureRef } from './naive-bayes.js';
import { layerEvidence, trainSpamLayer, type LayerOptions, type SpamLayer } from './spam-layer.js';
import type { SpamModelView } from './spam-model.js';

/** What the classifier says about one comment; the worker hands it to the classifier rule. */
export interface SpamScore {
  /** Spam probability, 0–1 (0.5: no evidence either way). */
  pSpam: number;
  /**
   * The features that weighed most the verdict's way, strongest first, each as the log-odds it carries
   * on its own: its part of the score's log-odds times √n (+ spam, − ham).
   */
  features: { name: string; weight: number }[];
  /**
   * The model had enough examples of both classes to be listened to. Untrained, it abstains: the
   * verdict ignores it, so a new site never blocks a reader on a model's guess.
   */
  trained: boolean;
  /**
   * The filter's scores of the site's recent approved comments, each taken before it was learned
   * (spam/hold-calibration.ts), ascending: what the classifier rule sets the site's hold threshold
   * from. Left out: none (the default threshold).
   */
  recentHamScores?: readonly number[];
  /**
   * How many more samples there were, all below the lowest threshold calibration can give
   * (holdCalibrationLimits.min), when `recentHamScores` holds only the rest: as a verdict's stored facts
   * keep them (moderation/stored-facts.ts), since no threshold depends on those scores' values.
   */
  recentHamScoresBelow?: number;
}

/** Tunables of the classifier; every value has a default that the evaluation in the README used. */
export interface ClassifierOptions extends LayerOptions {
  /**
   * Examples of each class the model needs before its score counts.
   * @defaultValue 10
   */
  minPerClass: number;
  /**
   * Strength of the prior 0.5 for a feature seen in few examples (Robinson's s), for a model with
   * at least `confidentPerClass` examples of each class.
   * @defaultValue 1
   */
  priorStrength: number;
  /**
   * Below this many examples of its smaller class, a model's every feature is pulled harder to 0.5
   * (the prior strength grows as confidentPerClass / examples): a site with 20 decisions has seen too
   * little to tell a word that means spam from one that happened to be in its few spam comments.
   * @defaultValue 200
   */
  confidentPerClass: number;
  /**
   * Weight of a character n-gram against a word n-gram in the naive-Bayes score (the score of a model
   * with few examples: see scoreSpam). A word yields several overlapping n-grams that repeat the same
   * evidence; counting each in full lets them outvote the words.
   * @defaultValue 0.5
   */
  charGramWeight: number;
  /**
   * Passes of the layer's training over the examples.
   * @defaultValue 5
   */
  layerEpochs: number;
  /**
   * Adagrad's step size for the layer.
   * @defaultValue 0.5
   */
  layerLearningRate: number;
  /**
   * L2 penalty on the layer's weights (per update).
   * @defaultValue 0.0001
   */
  layerL2: number;
  /**
   * How much more a blocked reader costs than a missed spam when the layer is trained (the classes
   * are first weighed equal, whatever their sizes).
   * @defaultValue 1.5
   */
  hamCost: number;
  /**
   * How far the layer evens out the classes' sizes: 0 learns them as labelled (so spam that is rare
   * among a site's decisions needs more evidence), 1 weighs both classes equal. Measured: 1 held
   * twice the SMS ham that 0.5 did at the same spam caught; 0 trusts the labelled share too much.
   * @defaultValue 0.5
   */
  balanceClasses: number;
  /**
   * At most this many distinct examples train the layer (a fixed pseudo-random sample beyond it), so
   * a huge shared model cannot make retraining slow; naive Bayes still counts them all.
   * @defaultValue 20000
   */
  maxLayerExamples: number;
  /**
   * A feature needs this many examples before the layer gives it a weight of its own: one seen once
   * can only teach the layer that example (naive Bayes still reads it). It also keeps the layer small.
   * @defaultValue 2
   */
  layerMinExamples: number;
}

export const defaultClassifierOptions: ClassifierOptions = {
  minPerClass: 10,
  priorStrength: 1,
  confidentPerClass: 200,
  charGramWeight: 0.5,
  layerEpochs: 5,
  layerLearningRate: 0.5,
  layerL2: 0.0001,
  hamCost: 1.5,
  balanceClasses: 0.5,
  maxLayerExamples: 20_000,
  layerMinExamples: 2,
};

// Names a moderator reads: the n-gram's words, a structural feature spelled out.
function readable(name: string | undefined): string | null {
  if (name === undefined) return null;
  const kind = name.slice(0, 2);
  const rest = name.slice(2);
  if (kind === 'w:' || kind === 'b:' || kind === 't:') return `'${rest}'`;
  if (kind === 'u:') return `link ${rest}`;
  if (kind === 's:') return rest;
  return null;
}

/** The view's layer, trained once per change of its models (and per set of options). */
export function layerFor(view: SpamModelView, options: ClassifierOptions = defaultClassifierOptions): SpamLayer | null {
  const key = `layer:${options.layerEpochs}:${options.layerLearningRate}:${options.layerL2}:${options.hamCost}:${options.balanceClasses}:${options.maxLayerExamples}:${options.layerMinExamples}:${options.priorStrength}:${options.confidentPerClass}`;
  return view.cached(key, () => trainSpamLayer(view, options));
}

/**
 * Scores one comment. The layer (spam-layer.ts) gives the log-odds: its bias, its weight on the
 * naive-Bayes evidence (naive-bayes.ts) and its weights on the comment's features, scaled by 1/√n.
 * Until the model's smaller class has confidentPerClass examples, the naive-Bayes score alone takes
 * a share of the log-odds, all of it for a new site (see `trust`); a view with no example of a class
 * has no layer and naive Bayes alone. Each feature's part of the log-odds is its share of these sums;
 * the strongest parts that pull the way the verdict goes explain it.
 */
export function scoreSpam(
  view: SpamModelView,
  input: SpamInput | readonly Feature[],
  options: ClassifierOptions = defaultClassifierOptions,
): SpamScore {
  const trained = view.spamDocs >= options.minPerClass && view.hamDocs >= options.minPerClass;
  // The site's calibration samples travel with its score to the classifier rule.
  const recent = view.recentHamScores;
  const done = (score: SpamScore): SpamScore =>
    recent === undefined || recent.length === 0 ? score : { ...score, recentHamScores: recent };
  if (view.spamFeatures === 0 || view.hamFeatures === 0) return done({ pSpam: 0.5, features: [], trained });
  const features = Array.isArray(input) ? (input as readonly Feature[]) : featurise(input as SpamInput);
  const layer = layerFor(view, options);
  const parts = new Map<number, { f: FeatureRef; part: number }>();
  const addPart = (f: FeatureRef, part: number): void => {
    const known = parts.get(f.id);
    if (known) known.part += part;
    else parts.set(f.id, { f, part });
  };
  // Until its smaller class has confidentPerClass examples, a model leans on naive Bayes (whose
  // prior is built for few examples) in proportion: the layer needs data to be worth more.
  const trust = layer === null ? 0 : Math.min(1, Math.min(view.spamDocs, view.hamDocs) / options.confidentPerClass);
  let z = 0;
  if (trust < 1) {
    const nb = naiveBayesEvidence(view, features, options);
    if (nb.weights > 0) {
      z += (1 - trust) * nb.score;
      const share = (1 - trust) / Math.sqrt(nb.weights);
      for (const u of nb.used) addPart(u.feature, share * u.weight * u.logOdds);
    }
  }
  if (layer !== null && trust > 0) {
    const nb = layerEvidence(
      view,
      features.map((f) => f.id),
      options,
    );
    const named = new Map(features.map((f) => [f.id, f]));
    const share = nb.weights === 0 ? 0 : (trust * layer.nbWeight) / Math.sqrt(nb.weights);
    for (const u of nb.used) addPart(named.get(u.feature.id) ?? u.feature, share * u.weight * u.logOdds);
    const scale = 1 / Math.sqrt(features.length || 1);
    let own = 0;
    for (const f of features) {
      const w = layer.weights.get(f.id);
      if (w === undefined) continue;
      own += w * scale;
      addPart(f, trust * w * scale);
    }
    z += trust * (layer.bias + layer.nbWeight * nb.score + own);
  }
  // A text the model knows nothing of gets no score, whatever the layer's bias: no evidence.
  if (parts.size === 0) return done({ pSpam: 0.5, features: [], trained });
  const pSpam = 1 / (1 + Math.exp(-z));
  // Shown as its part times √n (n: the comment's known features), the log-odds it carries on its
  // own, so that a feature does not read weaker in a longer comment (the score divides by √n).
  const sign = z >= 0 ? 1 : -1;
  const perFeature = Math.sqrt(parts.size);
  const top = [...parts.values()]
    .map((u) => ({ f: u.f, weight: Math.round(u.part * perFeature * 10) / 10 }))
    .filter((u) => u.weight * sign > 0 && readable(u.f.name) !== null)
    .sort((a, b) => Math.abs(b.weight) - Math.abs(a.weight))
    .slice(0, 3)
    .map((u) => ({ name: readable(u.f.name) as string, weight: u.weight }));
  return done({ pSpam, features: top, trained });
}
