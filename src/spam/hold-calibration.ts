/**
 * Limits of a site's calibrated hold threshold (README "Spam filter", per-site calibration).
 * - `min` 0.5: the score's neutral point; below it the evidence leans to ham, and holding a comment
 *   the filter thinks is more likely a reader's would trade readers for spam, whatever the target.
 * - at most the spam threshold (classifier-rule.ts, passed in): at it, the filter holds nothing it would not mark as spam anyway. The
 *   spam threshold itself never moves: "spam" means sure, and ham above it is too rare (about 0.7% of
 *   YouTube ham) for a site's few hundred samples to place it.
 * - `minHamSamples`: fewer recent approved comments than this and the threshold may only rise from the
 *   default, never fall: too few samples to say the site's readers score low, but each one that scores
 *   high is a reader the default would have blocked. With 100, a 1% target lets one sample sit above
 *   the threshold, so from then on it is not the highest single ham score of a site's first days. A
 *   target that allows none at this count (below 1%) waits for 1/target samples instead.
 * - `window`: a site keeps its most recent samples (both labels), so the threshold follows what its
 *   readers write now and a sample costs one row.
 */
export const holdCalibrationLimits = {
  min: 0.5,
  minHamSamples: 100,
  window: 2000,
} as const;

/** Where a site's hold threshold stands and why. */
export interface HoldCalibration {
  /** Hold when the filter's pSpam is at least this. */
  threshold: number;
  /** True when the site's own samples set it; false: too few samples, the default or above it (`raised`). */
  calibrated: boolean;
  /** Too few samples to calibrate, yet some scored at or above the default: the threshold rose above them. */
  raised: boolean;
  /** The site's recent approved comments it was measured on. */
  hamSamples: number;
  /** Of those, the share the threshold would have blocked (held or marked as spam by the filter). */
  blockedHam: number;
}

// Three decimals: the message shows the threshold as a percentage with one decimal, and a threshold
// strictly above the highest ham score allowed to stay published must not round back onto it.
const step = 1000;

function ascending(xs: readonly number[]): readonly number[] {
  for (let i = 1; i < xs.length; i++)
    if ((xs[i] as number) < (xs[i - 1] as number)) return [...xs].sort((a, b) => a - b);
  return xs;
}

/**
 * The lowest hold threshold whose blocked-ham rate over the site's recent approved comments is at most
 * `target`, within holdCalibrationLimits and below the spam threshold. `hamScores` are the filter's
 * scores of those comments, each taken before the comment was learned (test-then-train, so they are
 * what the filter says of a comment it has not seen). With n samples the target allows k = ⌊n·target⌋
 * of them at or above the threshold: it sits just above the (k+1)-th highest. So the threshold rises
 * when the site's readers score high (their moderators keep approving what the filter leans to call
 * spam) and falls, to catch more spam, when they score low. Until the site has enough samples it only
 * rises: a new site whose first readers look like other sites' spammers (YouTube's Psy video, whose
 * readers talk of views and subscribers) lost 2.9% of them to the default before calibration began.
 * `below`: more samples, left out of `hamScores` because each scored under `limits.min` (no threshold
 * depends on their values, only on their number). Pure.
 */
export function calibrateHold(
  hamScores: readonly number[],
  target: number,
  /** The fixed thresholds: `hold` stands until the site has enough samples, `spam` caps the calibrated one. */
  fixed: { hold: number; spam: number },
  limits: { min: number; minHamSamples: number } = holdCalibrationLimits,
  below = 0,
): HoldCalibration {
  const n = below + hamScores.length;
  const blockedAt = (t: number, xs: readonly number[]): number => {
    let blocked = 0;
    for (let i = xs.length - 1; i >= 0 && (xs[i] as number) >= t; i--) blocked++;
    return n === 0 ? 0 : blocked / n;
  };
  const sorted = ascending(hamScores);
  const needed = Math.max(limits.minHamSamples, Math.ceil(1 / Math.max(target, 1e-6) - 1e-9));
  const calibrated = n >= needed;
  const allowed = Math.floor(n * target + 1e-9);
  // The one kept published at the threshold; among the samples left out, it is under limits.min.
  const kept = sorted[n - 1 - allowed - below];
  let threshold = calibrated ? limits.min : fixed.hold;
  if (kept !== undefined) {
    // The next step strictly above it (0.57 × 1000 is 569.99…, so the floor alone could land on it).
    let steps = Math.floor(kept * step) + 1;
    if (steps / step <= kept) steps++;
    threshold = Math.max(threshold, steps / step);
  }
  threshold = Math.min(fixed.spam, threshold);
  return {
    threshold,
    calibrated,
    raised: !calibrated && threshold > fixed.hold,
    hamSamples: n,
    blockedHam: blockedAt(threshold, sorted),
  };
}
