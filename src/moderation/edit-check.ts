import { closedPage, duplicate, requiredFields } from './rules/refusal-rules.js';
import { holdWords, manyLinks, preModeration } from './rules/hold-rules.js';
import { bannedAuthor, spamWords } from './rules/spam-rules.js';
import { spamClassifier } from './rules/classifier-rule.js';
import { abuseFilter } from './rules/abuse-rule.js';
import { akismetRule } from './rules/akismet-rule.js';
import { externalCheckRule } from './rules/external-check-rule.js';
import { spamMemory } from './rules/flood-rules.js';
import type { CheckContext, CheckRule, CommentStatus, Verdict } from './verdict.js';

/*
 * The checks an author's edit of their own comment goes through (issue 14), and what their verdict
 * does to the comment. Pure: the edit worker (workers/edit-processor.ts) builds the context.
 */

/** The text is the only field an edit changes, so only its problems can refuse an edit. */
function editedBody(ctx: Pick<CheckContext, 'fields' | 'settings'>): ReturnType<typeof requiredFields> {
  return requiredFields(ctx).filter((r) => r.field === 'body');
}

/** As in check-comment.ts: holds skip a trusted author and open sites. */
function unlessExempt(rule: CheckRule): CheckRule {
  const gated: CheckRule = (ctx) => (ctx.trusted || ctx.settings.moderation === 'open' ? null : rule(ctx));
  Object.defineProperty(gated, 'name', { value: rule.name });
  return gated;
}

/**
 * The rules of checkComment (src/moderation/check-comment.ts) that say something about a changed
 * text, in the same order. Left out, because an edit is not a new comment: the flood window and
 * surge mode (about how often an author posts, not what they wrote), the form token and honeypot (an
 * edit comes from the widget's edit box, not the form), the duplicate check against the comment
 * itself (its own old text; `duplicate` here is another live comment with the same fingerprint), the
 * parent (it was checked when the reply was taken and an edit does not move it), and the first-time
 * hold (the author is known by then: their comment was taken). Kept: the text's own limits, a closed
 * page, bans, the site's spam memory and words, Akismet and the site's check hook when configured, the classifier, hold words,
 * links and pre-moderation, so an edit cannot carry what a new comment could not.
 */
export const editCheckRules: readonly CheckRule[] = [
  editedBody,
  closedPage,
  duplicate,
  bannedAuthor,
  spamMemory,
  spamWords,
  akismetRule,
  externalCheckRule,
  spamClassifier,
  // The abuse filter too (issue 17): an edit must not slip in the insult a new comment would be held for.
  ...[abuseFilter, holdWords, manyLinks, preModeration].map(unlessExempt),
];

/** What an edit did (comment_edits.outcome) and the comment's status after it. */
export interface EditOutcome {
  outcome: 'applied' | 'held' | 'spam' | 'refused';
  status: CommentStatus;
}

/**
 * What the edit's verdict does to a comment in `current` status:
 * - refused by a rule (an empty text, a closed page): nothing changes, the reasons go to the author;
 * - spam (or the comment was spam already: an edit never launders a spam verdict): stored, stays or becomes spam;
 * - held: stored, and the comment waits for a moderator (hidden if it was published);
 * - passed: stored, and the status stays as it was. A held comment stays held: it waits for reasons
 *   (the first-time hold, pre-moderation) that an edit does not check again, and only a moderator
 *   publishes it.
 */
export function toEditOutcome(current: CommentStatus, verdict: Pick<Verdict, 'status'>): EditOutcome {
  if (verdict.status === 'rejected' || verdict.status === 'deleted') return { outcome: 'refused', status: current };
  if (current === 'spam' || verdict.status === 'spam') return { outcome: 'spam', status: 'spam' };
  if (verdict.status === 'pending') return { outcome: 'held', status: 'pending' };
  return { outcome: 'applied', status: current };
}

/**
 * Whether the author may still change a comment received at `receivedAt`: within `minutes` of it (0:
 * editing is off on the site). Checked when the API takes the edit, not when the worker applies it,
 * so an edit sent in time is not lost to a queue that was slow.
 */
export function isEditWindowOpen(receivedAt: Date, minutes: number, now: Date): boolean {
  return minutes > 0 && now.getTime() < receivedAt.getTime() + minutes * 60_000;
}
