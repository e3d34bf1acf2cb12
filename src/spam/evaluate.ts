import { countLinks } from '../domain/count-links.js';
import { toSiteSettings } from '../domain/site-settings.js';
import { checkComment, checkRules } from '../moderation/check-comment.js';
import { spamClassifier } from '../moderation/rules/classifier-rule.js';
import type { CheckContext, CheckRule } from '../moderation/verdict.js';
import { featurise } from './features.js';
import { scoreSpam } from './score-spam.js';
import { createSpamModel, learnExample, viewOf, type SpamLabel, type SpamModel } from './spam-model.js';

/** One line of a labelled file. */
export interface LabelledText {
  text: string;
  label: SpamLabel;
}

/** Counts with spam as the positive class; "blocked" means not published (held or spam). */
export interface EvalMetrics {
  tp: number;
  fp: number;
  tn: number;
  fn: number;
  /** tp / (tp + fn) */
  spamCaught: number;
  /** fp / (fp + tn) */
  blockedHam: number;
  accuracy: number;
  /** Matthews correlation coefficient; 0 when a margin is empty. */
  mcc: number;
  msPerComment: number;
}

const round = (x: number): number => Math.round(x * 10_000) / 10_000;

export function toEvalMetrics(
  c: { tp: number; fp: number; tn: number; fn: number },
  msPerComment: number,
): EvalMetrics {
  const { tp, fp, tn, fn } = c;
  const denom = Math.sqrt((tp + fp) * (tp + fn) * (tn + fp) * (tn + fn));
  return {
    tp,
    fp,
    tn,
    fn,
    spamCaught: round(tp + fn === 0 ? 0 : tp / (tp + fn)),
    blockedHam: round(fp + tn === 0 ? 0 : fp / (fp + tn)),
    accuracy: round(tp + fp + tn + fn === 0 ? 0 : (tp + tn) / (tp + fp + tn + fn)),
    mcc: round(denom === 0 ? 0 : (tp * tn - fp * fn) / denom),
    msPerComment: Math.round(msPerComment * 1000) / 1000,
  };
}

/** Trains a model exactly as moderators' decisions do: each example's features, once, under its label. */
export function trainInMemory(examples: readonly LabelledText[], onProgress?: (done: number) => void): SpamModel {
  const model = createSpamModel();
  examples.forEach((e, i) => {
    learnExample(
      model,
      featurise({ body: e.text }).map((f) => f.id),
      e.label,
    );
    if (onProgress && (i + 1) % 1000 === 0) onProgress(i + 1);
  });
  return model;
}

/*
 * An offline comment has only its text. It is checked as a reader's comment on a site with the
 * default settings, minus what needs a site's history: required fields and lengths, the honeypot (empty),
 * spam and hold words (default lists are empty), links (2 or more hold), the classifier, pre-moderation
 * (off by default). First-time, flood, duplicate, closed page, parent and ban facts are neutral.
 */
function offlineContext(text: string, model: SpamModel): CheckContext {
  return offlineCheckContext(text, {
    linkCount: countLinks(text),
    spamScore: scoreSpam(viewOf(model), { body: text }),
  });
}

/**
 * The context of an offline comment (a line of a labelled CSV): a reader's comment on a site with the
 * default settings (first-time hold off) and neutral history; `over` sets the scores and settings an
 * evaluation measures (the spam eval above, the abuse eval in src/abuse/evaluate-abuse.ts).
 */
export function offlineCheckContext(text: string, over: Partial<CheckContext> = {}): CheckContext {
  return {
    fields: { page: 'eval', parentId: null, author: 'Reader', email: 'reader@example.org', url: '', body: text },
    honeypot: '',
    receivedAt: new Date(0),
    settings: toSiteSettings({ holdFirstTime: false }),
    page: { id: 0, closed: false, firstCommentAt: null },
    parent: null,
    duplicate: false,
    lastFromAuthorAt: null,
    authorHasApproved: true,
    ban: null,
    trusted: false,
    linkCount: 0,
    spamScore: null,
    ...over,
  };
}

/** Runs each test text through the worker's rules and classifier; counts what was blocked. */
export function evaluate(
  model: SpamModel,
  tests: readonly LabelledText[],
  onProgress?: (done: number) => void,
  /** Only the classifier, without the content rules (to tell its share from the link rule's). */
  classifierOnly = false,
): EvalMetrics {
  const rules: readonly CheckRule[] = classifierOnly ? [spamClassifier] : checkRules;
  const c = { tp: 0, fp: 0, tn: 0, fn: 0 };
  const started = performance.now();
  tests.forEach((t, i) => {
    const blocked = checkComment(offlineContext(t.text, model), rules).status !== 'approved';
    if (t.label === 'spam') blocked ? c.tp++ : c.fn++;
    else blocked ? c.fp++ : c.tn++;
    if (onProgress && (i + 1) % 1000 === 0) onProgress(i + 1);
  });
  return toEvalMetrics(c, tests.length === 0 ? 0 : (performance.now() - started) / tests.length);
}
