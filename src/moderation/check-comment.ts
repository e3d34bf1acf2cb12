import { closedPage, duplicate, flood, guestsRefused, parentRules, requiredFields } from './rules/refusal-rules.js';
import { holdWords, firstTimeAuthor, manyLinks, offHours, preModeration } from './rules/hold-rules.js';
import { bannedAuthor, honeypot, spamWords } from './rules/spam-rules.js';
import { spamClassifier } from './rules/classifier-rule.js';
import { abuseFilter } from './rules/abuse-rule.js';
import { akismetRule } from './rules/akismet-rule.js';
import { externalCheckRule } from './rules/external-check-rule.js';
import { formToken, pageSurge, spamMemory, surgeMode } from './rules/flood-rules.js';
import { toVerdict, type CheckContext, type CheckRule, type RuleOutcome, type Verdict } from './verdict.js';

/**
 * Hold rules do not apply to a trusted author, nor on a site that publishes unless flagged; refusals
 * and spam still do.
 */
function unlessExempt(rule: CheckRule): CheckRule {
  const gated: CheckRule = (ctx) => (ctx.trusted || ctx.settings.moderation === 'open' ? null : rule(ctx));
  Object.defineProperty(gated, 'name', { value: rule.name });
  return gated;
}

/**
 * Every check, in the order its reasons are listed to moderators. All rules run (none short-circuits),
 * so a held comment shows every reason at once; the most severe action decides the status.
 */
export const checkRules: readonly CheckRule[] = [
  // Refusals first: whatever else is true, these comments cannot stand, and the reader is told why.
  requiredFields,
  guestsRefused,
  closedPage,
  parentRules,
  duplicate,
  flood,
  // Spam next: evidence of a bot (or a banned author) outweighs any reason to hold.
  // The form token says "bot" (forged) or "too quick, look" (its holds skip the exempt, like holds).
  honeypot,
  formToken,
  bannedAuthor,
  // The site's own earlier spam decisions about this email, IP or domain: a learned ban (for an IP,
  // only a fading hold: many readers may share one).
  spamMemory,
  spamWords,
  // Akismet (optional) after the site's own certain signals: it is only asked when none of them
  // decided already. Its "could not check" hold applies to everyone: a checker that is down never publishes.
  akismetRule,
  // The site's own external check hook (issue 17), a second opinion asked as Akismet is, after the
  // local verdict; its holds, including "could not check", apply to everyone, like Akismet's.
  externalCheckRule,
  // The learned classifier after the site's own certain signals: a moderator reads those first, and
  // it both marks spam (confident) and holds (unsure), so it sits between the spam and the hold rules.
  // Its holds, like every hold, skip trusted authors and open sites; its confident spam does not.
  spamClassifier,
  // The abuse filter beside the spam classifier, a learned reading of the text too, but it only holds:
  // a hold like any other, so trusted authors (a moderator vouched for them) and open sites (which
  // publish unless flagged, by the admin's choice) skip it.
  unlessExempt(abuseFilter),
  // Holds last: reasons for a person to look, in order of how much they say about the text itself.
  ...[holdWords, manyLinks, firstTimeAuthor, preModeration].map(unlessExempt),
  // Surge mode says nothing about this comment, only about the site's traffic: listed last. It skips
  // trusted authors but not open sites (see the rule).
  surgeMode,
  // A brigade on this comment's page (issue 16): like surge mode, about the traffic, for one page.
  pageSurge,
  // Staffed hours (issue 16) say nothing about the comment either, only about the desk: nobody watches
  // an open page's flags at night, so they skip trusted authors but not open pages, as surge mode does.
  offHours,
];

/** Runs the rules over one comment's facts. Pure. */
export function checkComment(ctx: CheckContext, rules: readonly CheckRule[] = checkRules): Verdict {
  const reasons: RuleOutcome[] = [];
  for (const rule of rules) {
    const outcome = rule(ctx);
    if (outcome === null) continue;
    if (Array.isArray(outcome)) reasons.push(...(outcome as RuleOutcome[]));
    else reasons.push(outcome as RuleOutcome);
  }
  return toVerdict(reasons);
}
