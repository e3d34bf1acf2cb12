import type { CheckContext, RuleOutcome } from '../verdict.js';

/*
 * Flood and bot signals decided at intake (form token, surge mode) or from the site's own history
 * (spam memory). Rate limits are not here: they refuse at intake with a 429 and never reach a worker.
 */

/** Holds skip trusted authors and open sites, as every hold rule does (see check-comment.ts). */
const exempt = (ctx: Pick<CheckContext, 'trusted' | 'settings'>): boolean => ctx.trusted || ctx.settings.moderation === 'open';

/**
 * The signed form token. A forged one (bad signature, not ours) is a bot: spam. One of ours that is
 * too fresh (sent sooner than the site's `formMinSeconds` after the form was rendered), too old
 * (expired) or for another page is held: a person may be behind it (autofill, a tab left open for
 * days, a page reached by two identifiers), and a moderator decides. A missing token says nothing:
 * API clients and old forms have none, so it is left out of the verdict rather than held.
 */
export function formToken(ctx: Pick<CheckContext, 'formToken' | 'receivedAt' | 'settings' | 'trusted'>): RuleOutcome | null {
  const t = ctx.formToken;
  if (!t || t.status === 'missing') return null;
  if (t.status === 'forged') {
    return { rule: 'form-token', action: 'spam', code: 'FORM_TOKEN_FORGED', message: 'The form token is forged: this form was not rendered here.', score: 8 };
  }
  if (exempt(ctx)) return null;
  if (t.status === 'expired') {
    return { rule: 'form-token', action: 'hold', code: 'FORM_TOKEN_EXPIRED', message: 'The form was rendered more than a day before it was sent.', score: 1 };
  }
  if (t.status === 'mismatch') {
    return { rule: 'form-token', action: 'hold', code: 'FORM_TOKEN_MISMATCH', message: "The form token belongs to another page or site.", score: 2 };
  }
  const min = ctx.settings.formMinSeconds;
  if (min === 0 || t.renderedAt === null) return null;
  const ms = ctx.receivedAt.getTime() - t.renderedAt.getTime();
  if (ms >= min * 1000) return null;
  return {
    rule: 'form-token', action: 'hold', code: 'FORM_TOO_FAST',
    message: `Sent ${(Math.max(0, ms) / 1000).toFixed(1)} s after the form was shown (people take at least ${min} s).`, score: 3,
  };
}

/**
 * A moderator of this site marked an earlier comment with the same email, IP or website domain as
 * spam. Spam, like a ban, but learned: undoing that decision forgets it.
 */
export function spamMemory(ctx: Pick<CheckContext, 'spamMemory'>): RuleOutcome | null {
  const m = ctx.spamMemory;
  if (!m) return null;
  const what = m.kind === 'ip' ? 'IP address' : m.kind === 'domain' ? 'website domain' : 'email';
  return {
    rule: 'spam-memory', action: 'spam', code: 'SPAM_MEMORY',
    message: `A moderator marked an earlier comment from this ${what} (${m.value}) as spam.`, score: 8,
  };
}

/**
 * The site is in surge mode: its submission rate jumped far above normal (an IP-pool bot flood passes
 * per-IP limits), so everything waits for a person until the rate falls. Trusted authors still pass;
 * unlike other holds this one applies on open sites too: a flood is exactly what they cannot absorb.
 */
export function surgeMode(ctx: Pick<CheckContext, 'surge' | 'trusted'>): RuleOutcome | null {
  if (!ctx.surge || ctx.trusted) return null;
  return {
    rule: 'surge', action: 'hold', code: 'SURGE',
    message: 'Surge mode: this site was receiving comments far faster than usual, so every new one waits for a moderator.', score: 0,
  };
}
