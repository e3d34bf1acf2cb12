import { featurise, type Feature, type SpamInput } from './features.js';
import type { SpamModelView } from './spam-model.js';

/** What the classifier says about one comment; the worker hands it to the classifier rule. */
export interface SpamScore {
  /** Spam probability, 0–1, from the chi-square combination of the strongest features (0.5: no idea). */
  pSpam: number;
  /** The features that weighed most, strongest first, as log-odds (+ for spam, − for ham). */
  features: { name: string; weight: number }[];
  /**
   * The model had enough examples of both classes to be listened to. Untrained, it abstains: the
   * verdict ignores it, so a new site never blocks a reader on a model's guess.
   */
  trained: boolean;
}

/** Tunables of the classifier; every value has a default that the evaluation in the README used. */
export interface ClassifierOptions {
  /**
   * Examples of each class the model needs before its score counts.
   * @defaultValue 10
   */
  minPerClass: number;
  /**
   * Strength of the prior 0.5 for a feature seen in few examples (Robinson's s).
   * @defaultValue 0.45
   */
  priorStrength: number;
  /**
   * Features used: the most extreme ones only, so many correlated n-grams of one word do not swamp the rest.
   * @defaultValue 150
   */
  maxFeatures: number;
  /**
   * A feature whose probability is within this of 0.5 says nothing and is left out.
   * @defaultValue 0.1
   */
  minStrength: number;
}

export const defaultClassifierOptions: ClassifierOptions = { minPerClass: 10, priorStrength: 0.45, maxFeatures: 150, minStrength: 0.1 };

/** P(chi-square with 2·half degrees of freedom ≥ x2): the survival function, exact for even dof. */
function chi2Q(x2: number, half: number): number {
  const m = x2 / 2;
  let term = Math.exp(-m);
  let sum = term;
  for (let i = 1; i < half; i++) {
    term *= m / i;
    sum += term;
  }
  return Math.min(sum, 1);
}

// Names a moderator reads: the n-gram's words, a structural feature spelled out.
function readable(name: string): string | null {
  const kind = name.slice(0, 2);
  const rest = name.slice(2);
  if (kind === 'w:' || kind === 'b:' || kind === 't:') return `'${rest}'`;
  if (kind === 'u:') return `link ${rest}`;
  if (kind === 's:') return rest;
  return null;
}

/**
 * Scores one comment: Robinson's token probabilities combined by Fisher's chi-square method, as
 * SpamBayes and SpamAssassin-era Bayes filters do. Each feature's probability is the spam share of
 * its per-class frequencies (so a site with far more ham than spam is not biased), pulled towards 0.5
 * while it has few examples. The combination gives a score near 0 or 1 only when the evidence agrees,
 * and near 0.5 when features point both ways: the natural "unsure" band, which the rule holds.
 */
export function scoreSpam(
  view: SpamModelView,
  input: SpamInput | readonly Feature[],
  options: ClassifierOptions = defaultClassifierOptions,
): SpamScore {
  const trained = view.spamDocs >= options.minPerClass && view.hamDocs >= options.minPerClass;
  if (view.spamDocs === 0 || view.hamDocs === 0) return { pSpam: 0.5, features: [], trained };
  const features = Array.isArray(input) ? (input as readonly Feature[]) : featurise(input as SpamInput);
  const s = options.priorStrength;
  const scored: { f: Feature; p: number; strength: number }[] = [];
  for (const f of features) {
    const sc = view.spamCount(f.id);
    const hc = view.hamCount(f.id);
    const n = sc + hc;
    if (n === 0) continue;
    const sr = sc / view.spamDocs;
    const hr = hc / view.hamDocs;
    const p = (s * 0.5 + n * (sr / (sr + hr))) / (s + n);
    const strength = Math.abs(p - 0.5);
    if (strength >= options.minStrength) scored.push({ f, p, strength });
  }
  if (scored.length === 0) return { pSpam: 0.5, features: [], trained };
  scored.sort((a, b) => b.strength - a.strength);
  const used = scored.slice(0, options.maxFeatures);
  let lnHam = 0;
  let lnSpam = 0;
  for (const u of used) {
    const p = Math.min(Math.max(u.p, 1e-6), 1 - 1e-6);
    lnHam += Math.log(p);
    lnSpam += Math.log(1 - p);
  }
  const spamminess = 1 - chi2Q(-2 * lnSpam, used.length);
  const hamminess = 1 - chi2Q(-2 * lnHam, used.length);
  const pSpam = (spamminess - hamminess + 1) / 2;
  const top: { name: string; weight: number }[] = [];
  for (const u of used) {
    const name = readable(u.f.name);
    if (name === null) continue;
    // Only features that pull the way the verdict goes explain it.
    if ((u.p >= 0.5) !== (pSpam >= 0.5)) continue;
    top.push({ name, weight: Math.round(Math.log(u.p / (1 - u.p)) * 10) / 10 });
    if (top.length === 3) break;
  }
  return { pSpam, features: top, trained };
}
