import { describeSignals } from '../../flood/page-surge-score.js';
import type { CheckContext, RuleOutcome } from '../verdict.js';

/*
 * Flood and bot signals decided at intake (form token, surge mode) or from the site's own history
 * (spam memory). Rate limits are not here: they refuse at intake with a 429 and never reach a worker.
 */

/** Holds skip trusted authors and open sites, as every hold rule does (see check-comment.ts). */
const exempt = (ctx: Pick<CheckContext, 'trusted' | 'settings'>): boolean =>
  ctx.trusted || ctx.settings.moderation === 'open';

/**
 * The signed form token. A forged one (bad signature, not ours) is a bot: spam. One of ours that is
 * too fresh (sent sooner than the site's `formMinSeconds` after the form was rendered), too old
 * (expired) or for another page is held: a person may be behind it (autofill, a tab left open for
 * days, a page reached by two identifiers), and a moderator decides. So is one another comment used
 * already (tokens are single-use: a replay is a harvested token, or a reader who posted twice from
 * one form). A missing token is held the same way where the site requires one (`requireFormToken`:
 * leaving the token out must not skip its checks); elsewhere it says nothing, for API clients and old
 * forms have none.
 */
export function formToken(
  ctx: Pick<CheckContext, 'formToken' | 'receivedAt' | 'settings' | 'trusted'>,
): RuleOutcome | null {
  const t = ctx.formToken;
  if (!t) return null;
  if (t.status === 'missing') {
    if (!ctx.settings.requireFormToken || exempt(ctx)) return null;
    return {
      rule: 'form-token',
      action: 'hold',
      code: 'FORM_TOKEN_MISSING',
      message: 'Sent without the form token this site requires (not from its comment form).',
      score: 3,
    };
  }
  if (t.status === 'forged') {
    return {
      rule: 'form-token',
      action: 'spam',
      code: 'FORM_TOKEN_FORGED',
      message: 'The form token is forged: this form was not rendered here.',
      score: 8,
    };
  }
  if (exempt(ctx)) return null;
  if (t.status === 'expired') {
    return {
      rule: 'form-token',
      action: 'hold',
      code: 'FORM_TOKEN_EXPIRED',
      message: 'The form was rendered more than a day before it was sent.',
      score: 1,
    };
  }
  if (t.status === 'replayed') {
    return {
      rule: 'form-token',
      action: 'hold',
      code: 'FORM_TOKEN_REPLAYED',
      message: 'The form token was used for another comment already.',
      score: 3,
    };
  }
  if (t.status === 'mismatch') {
    return {
      rule: 'form-token',
      action: 'hold',
      code: 'FORM_TOKEN_MISMATCH',
      message: 'The form token belongs to another page or site.',
      score: 2,
    };
  }
  const min = ctx.settings.formMinSeconds;
  if (min === 0 || t.renderedAt === null) return null;
  const ms = ctx.receivedAt.getTime() - t.renderedAt.getTime();
  if (ms >= min * 1000) return null;
  return {
    rule: 'form-token',
    action: 'hold',
    code: 'FORM_TOO_FAST',
    message: `Sent ${(Math.max(0, ms) / 1000).toFixed(1)} s after the form was shown (people take at least ${min} s).`,
    score: 3,
  };
}

/** An IP's spam memory halves in weight every this many days… */
export const IP_MEMORY_HALF_LIFE_DAYS = 7;
/** …and is forgotten after this many: addresses change hands (dynamic IPs, NAT pools). */
export const IP_MEMORY_DAYS = 30;
const DAY_MS = 86_400_000;

/**
 * A moderator of this site marked an earlier comment of the same reader (for a guest: the same email
 * among guests' comments), IP or website domain as spam. A reader, an email or a domain is spam, like a ban, but learned: undoing that decision forgets it. An IP
 * is weaker evidence: a school, an office, a mobile carrier's NAT or a proxy puts many readers behind
 * one address, so it holds (never spams) with a weight that halves weekly and is gone after 30 days,
 * and it says nothing at all about an author who already has an approved comment here, nor (as every
 * hold) for a trusted author or on an open site. Shared addresses never get here (check-facts.ts).
 */
export function spamMemory(
  ctx: Pick<CheckContext, 'spamMemory' | 'receivedAt' | 'authorHasApproved' | 'trusted' | 'settings'>,
): RuleOutcome | null {
  const m = ctx.spamMemory;
  if (!m) return null;
  if (m.kind === 'ip') {
    if (ctx.authorHasApproved || exempt(ctx)) return null;
    const days = m.at ? Math.max(0, ctx.receivedAt.getTime() - m.at.getTime()) / DAY_MS : 0;
    if (days > IP_MEMORY_DAYS) return null;
    const score = Math.round(4 * 0.5 ** (days / IP_MEMORY_HALF_LIFE_DAYS) * 100) / 100;
    return {
      rule: 'spam-memory',
      action: 'hold',
      code: 'SPAM_MEMORY_IP',
      message: `A moderator marked an earlier comment from this IP address (${m.value}) as spam ${Math.floor(days)} day${Math.floor(days) === 1 ? '' : 's'} ago; the address may be shared, so a person looks.`,
      score,
    };
  }
  return {
    rule: 'spam-memory',
    action: 'spam',
    code: 'SPAM_MEMORY',
    message:
      m.kind === 'reader'
        ? `A moderator marked an earlier comment of this signed-in reader (reader ${m.value}) as spam.`
        : `A moderator marked an earlier comment from this ${m.kind === 'domain' ? 'website domain' : 'email'} (${m.value}) as spam.`,
    score: 8,
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
    rule: 'surge',
    action: 'hold',
    code: 'SURGE',
    message:
      'Surge mode: this site was receiving comments far faster than usual, so every new one waits for a moderator.',
    score: 0,
  };
}

/**
 * The comment's page is under a brigade (issue 16: a burst of first-time authors, near-duplicate texts
 * from many addresses, flags): only this page is pre-moderated until it calms down, the rest of the
 * site stays open. Like surge mode it skips trusted authors and applies on open sites too.
 */
export function pageSurge(ctx: Pick<CheckContext, 'pageSurge' | 'trusted'>): RuleOutcome | null {
  if (!ctx.pageSurge || ctx.trusted) return null;
  const why = describeSignals(ctx.pageSurge.signals);
  return {
    rule: 'page-surge',
    action: 'hold',
    code: 'PAGE_SURGE',
    message: `Brigade on this story${why === '' ? '' : ` (${why})`}: every new comment on this page waits for a moderator until it calms down.`,
    score: 0,
  };
}
