import { toSiteSettings, type SiteSettingsInput } from '../domain/site-settings.js';
import { abuseFilter } from '../moderation/rules/abuse-rule.js';
import { checkComment } from '../moderation/check-comment.js';
import type { CheckContext } from '../moderation/verdict.js';
import { offlineCheckContext, toEvalMetrics } from '../spam/evaluate.js';
import { layerFor } from '../spam/score-spam.js';
import { createSpamModel, learnExample, viewOf, type SpamModel } from '../spam/spam-model.js';
import { featuriseAbuse } from './abuse-features.js';
import { findLexiconWords } from './lexicon.js';
import { scoreAbuse, toModelLabel, type AbuseLabel } from './score-abuse.js';

/** One line of a labelled file. */
export interface AbuseText {
  text: string;
  label: AbuseLabel;
}

/** Counts with abuse as the positive class; "caught" is an abusive comment held or refused. */
export interface AbuseMetrics {
  tp: number;
  fp: number;
  tn: number;
  fn: number;
  /** tp / (tp + fn) */
  caught: number;
  /** fp / (fp + tn): ok comments not published. */
  blockedOk: number;
  accuracy: number;
  /** Matthews correlation coefficient; 0 when a margin is empty. */
  mcc: number;
  msPerComment: number;
}

/** Trains a model exactly as moderators' decisions do: each example's features, once, under its label. */
export function trainAbuseInMemory(examples: readonly AbuseText[]): SpamModel {
  const model = createSpamModel();
  for (const e of examples) {
    const ids = featuriseAbuse({ body: e.text }, findLexiconWords(e.text)).map((f) => f.id);
    learnExample(model, ids, toModelLabel(e.label));
  }
  return model;
}

/** Options of evaluateAbuse. */
export interface AbuseEvalOptions {
  /** Settings over the defaults (abuseThreshold). */
  settings?: SiteSettingsInput;
  /** The lexicon's words do not hold on their own (to measure the learned model alone). */
  withoutLexicon?: boolean;
}

/*
 * An offline comment has only its text: it is checked by the abuse rule alone, as a reader's comment on a
 * site with the default settings (so the numbers are the abuse filter's, not the link rule's or the
 * first-time hold's).
 */
function offlineContext(text: string, model: SpamModel, opts: AbuseEvalOptions): CheckContext {
  const score = scoreAbuse(viewOf(model), { body: text });
  return offlineCheckContext(text, {
    settings: toSiteSettings({ holdFirstTime: false, ...opts.settings }),
    abuseScore: opts.withoutLexicon ? { ...score, words: [] } : score,
  });
}

/** Runs each test text through the abuse rule with the model (empty: the lexicon alone); counts what it held. */
export function evaluateAbuse(
  model: SpamModel,
  tests: readonly AbuseText[],
  opts: AbuseEvalOptions = {},
): AbuseMetrics {
  // The layer is trained once, before the clock starts: a worker trains it once per model change.
  layerFor(viewOf(model));
  const c = { tp: 0, fp: 0, tn: 0, fn: 0 };
  const started = performance.now();
  for (const t of tests) {
    const held = checkComment(offlineContext(t.text, model, opts), [abuseFilter]).status !== 'approved';
    if (t.label === 'abuse') held ? c.tp++ : c.fn++;
    else held ? c.fp++ : c.tn++;
  }
  const m = toEvalMetrics(c, tests.length === 0 ? 0 : (performance.now() - started) / tests.length);
  return {
    tp: m.tp,
    fp: m.fp,
    tn: m.tn,
    fn: m.fn,
    caught: m.spamCaught,
    blockedOk: m.blockedHam,
    accuracy: m.accuracy,
    mcc: m.mcc,
    msPerComment: m.msPerComment,
  };
}
