import { findListedWordInComment } from '../../domain/visible-text.js';
import { staffedStateAt } from '../../domain/pages/staffed-hours.js';
import type { CheckContext, RuleOutcome } from '../verdict.js';

/* Hold signals: a person should look before it is published. */

/** One of the site's hold words, in the text as a reader sees it (Markdown rendered), name, email or website. */
export function holdWords(ctx: Pick<CheckContext, 'fields' | 'settings'>): RuleOutcome | null {
  const { fields, settings } = ctx;
  const word = findListedWordInComment(fields, settings.holdWords);
  if (word === null) return null;
  return {
    rule: 'hold-words',
    action: 'hold',
    code: 'HOLD_WORD',
    message: `Contains the watched word "${word}".`,
    score: 2,
  };
}

/** As many links as the site's threshold (WordPress holds at 2). */
export function manyLinks(ctx: Pick<CheckContext, 'linkCount' | 'settings'>): RuleOutcome | null {
  const { linkCount, settings } = ctx;
  if (settings.holdLinks === 0 || linkCount < settings.holdLinks) return null;
  return {
    rule: 'links',
    action: 'hold',
    code: 'TOO_MANY_LINKS',
    message: `Contains ${linkCount} links (held at ${settings.holdLinks}).`,
    score: linkCount,
  };
}

/**
 * Nobody has approved a comment by this author on this site yet: the signed-in reader's own comments,
 * or for a guest the guest comments with that email (a guest typing a reader's address is a first-timer).
 */
export function firstTimeAuthor(
  ctx: Pick<CheckContext, 'authorHasApproved' | 'settings' | 'reader'>,
): RuleOutcome | null {
  if (!ctx.settings.holdFirstTime || ctx.authorHasApproved) return null;
  return {
    rule: 'first-time',
    action: 'hold',
    code: 'FIRST_COMMENT',
    message: ctx.reader
      ? 'First comment from this signed-in reader: held until one of theirs is approved.'
      : 'First comment from this guest (by the email typed): held until one of theirs is approved.',
    score: 0.5,
  };
}

/** The site, or this page, holds every comment for a moderator. */
export function preModeration(ctx: Pick<CheckContext, 'settings'>): RuleOutcome | null {
  if (ctx.settings.moderation !== 'pre') return null;
  return {
    rule: 'pre-moderation',
    action: 'hold',
    code: 'PRE_MODERATION',
    message: 'Every comment here is reviewed before it is published (pre-moderation of the site or this page).',
    score: 0,
  };
}

/**
 * Outside the site's staffed hours (with `outside: pre`): nobody is at the desk to see a comment go
 * wrong, so every new one waits for the morning. It ends by itself: the rule reads the comment's own
 * intake time, so the first comment after the desk opens is checked as usual.
 */
export function offHours(ctx: Pick<CheckContext, 'settings' | 'receivedAt' | 'trusted'>): RuleOutcome | null {
  const hours = ctx.settings.staffedHours;
  if (ctx.trusted || hours === null) return null;
  const state = staffedStateAt(hours, ctx.receivedAt);
  if (state.staffed || state.outside !== 'pre') return null;
  return {
    rule: 'off-hours',
    action: 'hold',
    code: 'OFF_HOURS',
    message: `Received outside the desk's staffed hours (it opens at ${state.opensAtLocal}, ${hours.timeZone}).`,
    score: 0,
  };
}
