import type { SiteSettings } from '../domain/site-settings.js';
import { classifierThresholds } from './rules/classifier-rule.js';
import type { RuleOutcome } from './verdict.js';

/**
 * What a reason's number is measured against, for the queue's cards: "+3" alone tells a moderator
 * nothing, "links 3 — held at 2" does. The link threshold is the site's setting now (a moderator
 * deciding today cares what the site holds at today); the spam filter's are its constants
 * (classifier-rule.ts). The filter's probability is read back from the score it gave the reason
 * (p × 3 for a hold, p × 5 for spam, rounded to two places), so it is as exact as the card can be.
 */
export function measureOf(
  reason: Pick<RuleOutcome, 'code' | 'score'> & { message?: string },
  settings: Pick<SiteSettings, 'holdLinks'> | null,
): string {
  switch (reason.code) {
    case 'TOO_MANY_LINKS':
      return settings === null || settings.holdLinks === 0
        ? `links ${reason.score}`
        : `links ${reason.score} — held at ${settings.holdLinks}`;
    case 'LIKELY_SPAM': {
      // A site with a calibrated (or raised) threshold held it at the value its verdict names (classifier-rule.ts).
      const named = /holds from (\d+(?:\.\d+)?)%, (calibrated|raised)/.exec(reason.message ?? '');
      const at = named ? `${(Number(named[1]) / 100).toFixed(3)} (${named[2]})` : classifierThresholds.hold.toFixed(2);
      return `spam filter ${(reason.score / 3).toFixed(2)} — holds at ${at}`;
    }
    case 'CLASSIFIED_SPAM':
      return `spam filter ${(reason.score / 5).toFixed(2)} — spam at ${classifierThresholds.spam.toFixed(2)}`;
    default:
      return reason.score === 0 ? '' : `spam score ${reason.score > 0 ? '+' : ''}${reason.score}`;
  }
}
