import type { CheckContext, RuleOutcome, Verdict } from '../verdict.js';

/** The reason code of a comment held because the site's check hook gave no usable answer. */
export const EXTERNAL_CHECK_UNAVAILABLE = 'EXTERNAL_CHECK_UNAVAILABLE';

const scored = (score: number | null): string => (score === null ? '' : ` (score ${score})`);
const said = (reason: string): string => (reason === '' ? '.' : `: ${reason}`);

/**
 * The site's external check hook (issue 17, item 5; src/hooks/), when it was asked. Its hold, spam and
 * refusal count like the local rules' (also for trusted authors and on open sites: a newsroom plugs in
 * its legal model for everyone's words). `approve` adds nothing: it cannot publish past a local hold.
 * No usable answer (timeout, network error, non-2xx, an answer of another shape) fails open to a hold
 * for everyone, never to publish. A refusal's message is what the reader is shown: the hook's reason
 * reaches it only as made safe at the edge (src/hooks/check-hook-answer.ts), and never with the score.
 */
export function externalCheckRule(ctx: Pick<CheckContext, 'externalCheck'>): RuleOutcome | null {
  const c = ctx.externalCheck;
  if (!c) return null;
  const rule = 'externalCheck';
  switch (c.result) {
    case 'approve':
      return null;
    case 'hold':
      return {
        rule,
        action: 'hold',
        code: 'EXTERNAL_HOLD',
        message: `The site’s external check held this comment${scored(c.score)}${said(c.reason)}`,
        score: 0,
      };
    case 'spam':
      return {
        rule,
        action: 'spam',
        code: 'EXTERNAL_SPAM',
        message: `The site’s external check says this is spam${scored(c.score)}${said(c.reason)}`,
        score: 5,
      };
    case 'reject':
      return {
        rule,
        action: 'reject',
        code: 'EXTERNAL_REJECT',
        message: c.reason === '' ? 'This comment was refused by the site’s own check.' : c.reason,
        score: 0,
      };
    case 'unavailable':
      return {
        rule,
        action: 'hold',
        code: EXTERNAL_CHECK_UNAVAILABLE,
        message: `The site’s external check could not answer (${c.reason}); the comment is held for a person.`,
        score: 0,
      };
  }
}

/**
 * Whether to ask the site's hook, once the local checks (and Akismet) have given their verdict: only
 * about what they would publish or hold. What they already refuse or mark as spam cannot come out
 * better, and its text need not leave the server.
 */
export function asksExternalCheck(verdict: Pick<Verdict, 'status'>): boolean {
  return verdict.status !== 'rejected' && verdict.status !== 'spam';
}
