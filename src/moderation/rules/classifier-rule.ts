import { calibrateHold, holdCalibrationLimits, type HoldCalibration } from '../../spam/hold-calibration.js';
import type { CheckContext, RuleOutcome } from '../verdict.js';

/**
 * Where the classifier's score turns into an action. Spam only when it is sure (a spam comment is
 * kept out of every queue a moderator reads quickly); hold when the evidence leans to spam, so a
 * person looks. The score is the logistic of an evidence sum, not a calibrated probability: its
 * neutral point sits a little above 0.5 (spam comments show more features than ham ones). One pair
 * of values for every corpus of the README (YouTube comments, SMS, e-mail), chosen on pooled
 * held-out splits of all of them, not fitted to one. With the naive-Bayes + logistic layer model
 * (README "Spam filter"): p ≥ 0.57 blocked 1.05% of YouTube ham and 0.33% of SMS ham over five
 * 70/30 splits; p ≥ 0.86 alone about 0.7% of YouTube ham. The hold value is where a site starts: once
 * it has enough scored decisions, its own threshold takes over (spam/hold-calibration.ts).
 */
export const classifierThresholds = { spam: 0.86, hold: 0.57 } as const;

function explain(ctx: Pick<CheckContext, 'spamScore'>): string {
  const s = ctx.spamScore;
  if (s === null) return '';
  const why = s.features.map((f) => `${f.name} ${f.weight >= 0 ? '+' : ''}${f.weight.toFixed(1)}`).join(', ');
  return why === '' ? '' : ` Strongest features: ${why}.`;
}

const percent = (p: number): string => `${Math.floor(p * 1000) / 10}%`;

function holdsFrom(c: HoldCalibration, target: number): string {
  if (c.calibrated)
    return `it holds from ${percent(c.threshold)}, calibrated on this site's ${c.hamSamples} recent approved comments to hold at most ${Math.round(target * 1000) / 10}% of them`;
  if (c.raised)
    return `it holds from ${percent(c.threshold)}, raised from the default ${percent(classifierThresholds.hold)} above this site's ${c.hamSamples} approved comments so far, until there are enough to calibrate on`;
  return `it holds from ${percent(c.threshold)}, the default until this site's moderators have approved enough scored comments`;
}

/**
 * The local learning classifier, trained from this site's moderators' decisions. It abstains while
 * untrained (a new site never blocks a reader on a guess) and never publishes or refuses on its own:
 * it marks spam when confident, holds when it leans to spam, and otherwise says nothing.
 */
export function spamClassifier(ctx: Pick<CheckContext, 'spamScore' | 'trusted' | 'settings'>): RuleOutcome | null {
  const s = ctx.spamScore;
  if (s === null || !s.trained) return null;
  // The hold threshold is the site's (its moderators' decisions, its target); spam stays fixed.
  const target = ctx.settings.spamBlockedHamTarget;
  const hold = calibrateHold(
    s.recentHamScores ?? [],
    target,
    classifierThresholds,
    holdCalibrationLimits,
    s.recentHamScoresBelow,
  );
  if (s.pSpam < hold.threshold) return null;
  const pct = percent(s.pSpam);
  // The score counts like the other rules' (spam word 5, link hold 2), scaled by how sure the model is.
  if (s.pSpam >= classifierThresholds.spam) {
    return {
      rule: 'classifier',
      action: 'spam',
      code: 'CLASSIFIED_SPAM',
      message: `The spam filter is ${pct} sure this is spam.${explain(ctx)}`,
      score: Math.round(s.pSpam * 500) / 100,
    };
  }
  // A hold is a hold rule: a trusted author and an open site skip it, as they skip the others.
  if (ctx.trusted || ctx.settings.moderation === 'open') return null;
  return {
    rule: 'classifier',
    action: 'hold',
    code: 'LIKELY_SPAM',
    message: `The spam filter thinks this may be spam (${pct}; ${holdsFrom(hold, target)}).${explain(ctx)}`,
    score: Math.round(s.pSpam * 300) / 100,
  };
}
