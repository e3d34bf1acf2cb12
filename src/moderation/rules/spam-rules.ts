import { findListedWordInComment } from '../../domain/visible-text.js';
import type { CheckContext, RuleOutcome } from '../verdict.js';

/* Spam signals: strong evidence the comment is not a reader talking. Spam is kept, never published. */

/** The hidden field no person sees was filled in. */
export function honeypot(ctx: Pick<CheckContext, 'honeypot'>): RuleOutcome | null {
  if (ctx.honeypot.trim() === '') return null;
  return {
    rule: 'honeypot',
    action: 'spam',
    code: 'HONEYPOT',
    message: 'The hidden anti-bot field was filled in.',
    score: 10,
  };
}

/** One of the site's spam words, in the text as a reader sees it (Markdown rendered), name, email or website. */
export function spamWords(ctx: Pick<CheckContext, 'fields' | 'settings'>): RuleOutcome | null {
  const { fields, settings } = ctx;
  const word = findListedWordInComment(fields, settings.spamWords);
  if (word === null) return null;
  return {
    rule: 'spam-words',
    action: 'spam',
    code: 'SPAM_WORD',
    message: `Contains the spam word "${word}".`,
    score: 5,
  };
}

/**
 * The site banned this signed-in reader, or the author's email, IP (or range) or domain. Spam, not a
 * refusal: a banned author is not told.
 */
export function bannedAuthor(ctx: Pick<CheckContext, 'ban'>): RuleOutcome | null {
  if (ctx.ban === null) return null;
  return {
    rule: 'ban',
    action: 'spam',
    code: 'BANNED',
    message:
      ctx.ban.kind === 'reader'
        ? `This signed-in reader is banned (reader ${ctx.ban.value}).`
        : `The author's ${ctx.ban.kind} is banned (${ctx.ban.value}).`,
    score: 10,
  };
}
