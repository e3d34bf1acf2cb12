import { toVerdict, type CheckContext, type RuleOutcome, type Verdict } from '../verdict.js';

/** The reason code of a comment held because Akismet could not answer; the recheck looks for it. */
export const AKISMET_UNAVAILABLE = 'AKISMET_UNAVAILABLE';

/**
 * Akismet's answer, when it was asked. Spam is spam; "discard" (Akismet's pro-tip for the worst,
 * pervasive spam) is stored as rejected, so it stays out of the spam tab moderators skim for false
 * positives, yet is kept, shown in the rejected tab with this reason, and can be approved or undone.
 * No usable answer (down, too slow, `invalid`) never publishes and never drops: the comment is held,
 * on open sites and for the hold-exempt too, and a delayed job asks again (workers/akismet-processor.ts).
 */
export function akismetRule(ctx: Pick<CheckContext, 'akismet'>): RuleOutcome | null {
  const a = ctx.akismet;
  if (!a || a.result === 'ham') return null;
  switch (a.result) {
    case 'spam':
      return { rule: 'akismet', action: 'spam', code: 'AKISMET_SPAM', message: 'Akismet says this is spam.', score: 5 };
    case 'discard':
      return {
        rule: 'akismet',
        action: 'reject',
        code: 'AKISMET_DISCARD',
        message: 'Akismet says this is blatant spam that can be discarded unseen.',
        score: 10,
      };
    case 'unavailable':
      return {
        rule: 'akismet',
        action: 'hold',
        code: AKISMET_UNAVAILABLE,
        message: `Akismet could not check this comment (${a.detail}); it is held and checked again later.`,
        score: 0,
      };
  }
}

/**
 * The verdict once a recheck got Akismet's answer: the "unavailable" hold replaced by what Akismet
 * said, every other rule's reason kept as it was at intake (so a first-time author stays held).
 */
export function recheckVerdict(before: Verdict, akismet: NonNullable<CheckContext['akismet']>): Verdict {
  const kept = before.reasons.filter((r) => r.code !== AKISMET_UNAVAILABLE);
  const outcome = akismetRule({ akismet });
  return toVerdict(outcome === null ? kept : [...kept, outcome]);
}

/**
 * Whether to ask Akismet for a second opinion, once the local checks have given their verdict. Only
 * about what they would let through or hold: what they already refuse or mark as spam needs no second
 * opinion (and its readers' data stays here), and trusted authors skip it as they skip holds.
 */
export function asksAkismet(ctx: Pick<CheckContext, 'trusted'>, verdict: Pick<Verdict, 'status'>): boolean {
  return !ctx.trusted && verdict.status !== 'rejected' && verdict.status !== 'spam';
}
