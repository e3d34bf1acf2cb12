/*
 * Brigades on one story (issue 16, item 6): is one page being flooded by an organised crowd? A pure
 * function of counts, so the rule's numbers can be read and table-tested; the counts are kept in Redis
 * by src/flood/page-surge-tracker.ts.
 *
 * A busy page is not a brigade. Breaking news brings a page many comments a minute from its regulars,
 * each saying something of their own; a brigade brings a burst from people the site has never seen,
 * often pasting the same text from many addresses, and readers flag what they write. So the rate alone
 * never trips it: the rate opens the gate (at least `minimum` in the window), and the score adds what
 * the comments look like — how far the rate jumped above the page's own normal and above the whole
 * site's, the share of first-time authors, the share of near-duplicates from other addresses, and the
 * readers' flags. A page is put under pre-moderation when the score reaches `threshold`.
 */

/** What the tracker counted for one page, all "per surge window" (a minute by default). */
export interface PageSurgeCounts {
  /** Comments on this page in the last window (a decaying count). */
  recent: number;
  /** The page's own normal number per window, from its longer history (0: a new page). */
  pageNormal: number;
  /** The whole site's normal number per window, all pages together. */
  siteNormal: number;
  /** Of `recent`, those whose author had no approved comment on the site. */
  firstTime: number;
  /** Of `recent`, those whose text (normalised) was sent from another address in the window too. */
  duplicates: number;
  /** Readers' flags on this page's comments in the window. */
  flags: number;
}

/** The site's knobs (site settings `pageSurgeMinimum`, `pageSurgeScore`). */
export interface PageSurgeThresholds {
  /** Fewest comments in the window before anything counts. */
  minimum: number;
  /** The score that starts a brigade; 0 turns the detector off. */
  threshold: number;
}

export type PageSurgeSignalName = 'rate' | 'site-share' | 'first-time' | 'duplicates' | 'flags';

/** One signal's part of the score, with the number it came from (shown to moderators). */
export interface PageSurgeSignal {
  name: PageSurgeSignalName;
  /** The measured value: a ratio for the rates, a share (0–1) for authors and texts, a count for flags. */
  value: number;
  points: number;
}

export interface PageSurgeScore {
  score: number;
  /** The score reached the threshold (and the gate was open). */
  surge: boolean;
  /** The signals that scored, strongest first. */
  signals: PageSurgeSignal[];
}

/** The rate's jump over the page's own normal that scores in full (ratio 1 scores nothing). */
export const RATE_FULL_RATIO = 5;
/** Most points each signal can add. The texts weigh most: honest readers rarely write the same words. */
export const SIGNAL_WEIGHTS: Record<PageSurgeSignalName, number> = {
  rate: 1.5,
  'site-share': 1,
  'first-time': 2,
  duplicates: 3,
  flags: 1.5,
};

/** 0 below `from`, 1 at `to` and above, straight in between. */
const ramp = (value: number, from: number, to: number): number =>
  Math.min(1, Math.max(0, (value - from) / (to - from)));

const round = (n: number): number => Math.round(n * 100) / 100;

/**
 * Scores one page's window. The rate's part: the jump over the page's own normal (floored at a tenth
 * of `minimum`, so a brand-new page's first comments are not an infinite jump) ramps from 1× to 5×;
 * the site's part: from the site's normal rate to twice it (this page alone takes more than the whole
 * site usually does). First-time authors ramp from 30 % to 70 % of the comments, near-duplicates from
 * 10 % to 40 %, flags from none to half as many as there are comments.
 */
export function scorePageSurge(c: PageSurgeCounts, t: PageSurgeThresholds): PageSurgeScore {
  if (t.threshold <= 0 || c.recent < t.minimum || c.recent <= 0) return { score: 0, surge: false, signals: [] };
  const ownRatio = c.recent / Math.max(c.pageNormal, t.minimum / 10);
  const siteRatio = c.recent / Math.max(c.siteNormal, t.minimum / 10);
  const firstShare = Math.min(1, c.firstTime / c.recent);
  const dupShare = Math.min(1, c.duplicates / c.recent);
  const parts: [PageSurgeSignalName, number, number][] = [
    ['rate', ownRatio, ramp(ownRatio, 1, RATE_FULL_RATIO)],
    ['site-share', siteRatio, ramp(siteRatio, 1, 2)],
    ['first-time', firstShare, ramp(firstShare, 0.3, 0.7)],
    ['duplicates', dupShare, ramp(dupShare, 0.1, 0.4)],
    ['flags', c.flags, ramp(c.flags / c.recent, 0, 0.5)],
  ];
  const signals = parts
    .map(([name, value, strength]) => ({ name, value: round(value), points: round(strength * SIGNAL_WEIGHTS[name]) }))
    .filter((s) => s.points > 0)
    .sort((a, b) => b.points - a.points);
  const score = round(signals.reduce((sum, s) => sum + s.points, 0));
  return { score, surge: score >= t.threshold, signals };
}

/** The signals in a moderator's words, e.g. "rate 8× its normal, 90 % first-time authors". */
export function describeSignals(signals: readonly PageSurgeSignal[]): string {
  const words: Record<PageSurgeSignalName, (v: number) => string> = {
    rate: (v) => `rate ${Math.round(v * 10) / 10}× its normal`,
    'site-share': (v) => `${Math.round(v * 10) / 10}× the whole site's normal rate`,
    'first-time': (v) => `${Math.round(v * 100)} % first-time authors`,
    duplicates: (v) => `${Math.round(v * 100)} % near-duplicate texts from other addresses`,
    flags: (v) => `${v} flag${v === 1 ? '' : 's'}`,
  };
  return signals.map((s) => words[s.name](s.value)).join(', ');
}
