import { scoreSpam } from '../spam/score-spam.js';
import type { SpamInput } from '../spam/features.js';
import type { SpamLabel, SpamModelView } from '../spam/spam-model.js';
import { featuriseAbuse } from './abuse-features.js';
import { findLexiconWords } from './lexicon.js';

/** A comment's label for the abuse filter (`abuse` is the positive class). */
export type AbuseLabel = 'abuse' | 'ok';

/**
 * The abuse model is the spam classifier's model (naive Bayes + logistic layer, exact to undo) over
 * abuse features: its `spam` class holds the abusive examples, `ham` the ok ones.
 */
export const toModelLabel = (label: AbuseLabel): SpamLabel => (label === 'abuse' ? 'spam' : 'ham');

/** What the abuse filter says about one comment; the worker hands it to the abuse rule. */
export interface AbuseScore {
  /** The learned model's probability of abuse, 0–1 (0.5: no evidence). */
  pAbuse: number;
  /** The features that weighed most towards the model's verdict, strongest first (see SpamScore). */
  features: { name: string; weight: number }[];
  /** The model has ten examples of each class: until then it abstains and only the lexicon holds. */
  trained: boolean;
  /** The lexicon's words found in the text (findLexiconWords), as listed. */
  words: string[];
}

/** Scores a comment with the site's abuse model and the lexicon. Pure (the view is in memory). */
export function scoreAbuse(view: SpamModelView, input: SpamInput): AbuseScore {
  const words = findLexiconWords(input.body);
  const s = scoreSpam(view, featuriseAbuse(input, words));
  return { pAbuse: s.pSpam, features: s.features, trained: s.trained, words };
}
