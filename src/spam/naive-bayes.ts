import { CHAR_GRAM, type Feature } from './features.js';
import type { SpamLabel, SpamModelView } from './spam-model.js';

/** Tunables of the count-based half of the classifier (see ClassifierOptions in score-spam.ts). */
export interface NaiveBayesOptions {
  priorStrength: number;
  confidentPerClass: number;
  charGramWeight: number;
}

/** A feature as the evidence reads it: stored examples have only ids, and every id then weighs 1. */
export type FeatureRef = Pick<Feature, 'id'> & Partial<Pick<Feature, 'name'>>;

/** One known feature's part in the evidence: its log-odds and its weight in the sum. */
export interface FeatureEvidence {
  feature: FeatureRef;
  logOdds: number;
  weight: number;
}

/** The naive-Bayes evidence for a text: Σ weight·log-odds / √(Σ weights), and its parts. */
export interface NaiveBayesEvidence {
  score: number;
  /** Σ of the known features' weights: the score's divisor squared. */
  weights: number;
  used: FeatureEvidence[];
}

// A feature seen in only one class is strong evidence, not proof: one word must not decide alone.
const MAX_P = 0.999;

/** Robinson's s for a model with these many examples of each class (stronger while it has few). */
export function priorStrengthOf(spamDocs: number, hamDocs: number, options: NaiveBayesOptions): number {
  return options.priorStrength * Math.max(1, options.confidentPerClass / Math.max(1, Math.min(spamDocs, hamDocs)));
}

/**
 * A feature's log-odds of spam: the spam share of its per-class frequencies (spam and ham counts over
 * the features each class has shown), pulled towards 0.5 with strength `s` while seen in few examples.
 */
export function featureLogOdds(
  spamCount: number,
  hamCount: number,
  spamFeatures: number,
  hamFeatures: number,
  s: number,
): number {
  const n = spamCount + hamCount;
  const sr = spamCount / spamFeatures;
  const hr = hamCount / hamFeatures;
  const p = Math.min(Math.max((s * 0.5 + n * (sr / (sr + hr))) / (s + n), 1 - MAX_P), MAX_P);
  return Math.log(p / (1 - p));
}

/**
 * The weighted log-odds of a text's known features, summed and scaled by 1/√n.
 *
 * Each feature's spam probability is Robinson's: the spam share of its per-class frequencies (so a
 * site with far more ham than spam is not biased either way; a class's frequencies are per feature
 * it has shown, so long spam does not make every common word spammy), pulled towards 0.5 while it
 * has been seen in few examples, and harder while the model has few examples of a class. Summing the
 * log-odds, as naive Bayes does, counts the same evidence many times over (a phrase's words, its
 * bigrams and its character n-grams all say one thing) and drives every long comment to certainty;
 * averaging them ignores how much a text says. Σ/√n sits between: it grows with consistent evidence.
 *
 * `leaveOut` scores a training example as if it had not been learned (its own counts taken away:
 * one from each of the features given, one example and `featureCount` features from its class): the
 * layer trains on this held-out view of naive Bayes, not on one that has already seen the answer.
 * Counts are per example and each example's features are distinct, so taking one away is exact.
 */
export function naiveBayesEvidence(
  view: SpamModelView,
  features: readonly FeatureRef[],
  options: NaiveBayesOptions,
  leaveOut?: { label: SpamLabel; featureCount: number },
): NaiveBayesEvidence {
  const outSpam = leaveOut?.label === 'spam' ? 1 : 0;
  const outHam = leaveOut?.label === 'ham' ? 1 : 0;
  const spamDocs = view.spamDocs - outSpam;
  const hamDocs = view.hamDocs - outHam;
  const spamFeatures = view.spamFeatures - outSpam * (leaveOut?.featureCount ?? 0);
  const hamFeatures = view.hamFeatures - outHam * (leaveOut?.featureCount ?? 0);
  const used: FeatureEvidence[] = [];
  if (spamFeatures <= 0 || hamFeatures <= 0) return { score: 0, weights: 0, used };
  const s = priorStrengthOf(spamDocs, hamDocs, options);
  let sum = 0;
  let weights = 0;
  for (const f of features) {
    const sc = view.spamCount(f.id) - outSpam;
    const hc = view.hamCount(f.id) - outHam;
    if (sc + hc <= 0) continue;
    const logOdds = featureLogOdds(sc, hc, spamFeatures, hamFeatures, s);
    const w = f.name?.startsWith(CHAR_GRAM) ? options.charGramWeight : 1;
    sum += w * logOdds;
    weights += w;
    used.push({ feature: f, logOdds, weight: w });
  }
  return { score: weights === 0 ? 0 : sum / Math.sqrt(weights), weights, used };
}
