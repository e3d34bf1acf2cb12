import { describe, expect, it } from 'vitest';
import { classifierThresholds, spamClassifier } from '../../src/moderation/rules/classifier-rule.js';
import { calibrateHold, holdCalibrationLimits } from '../../src/spam/hold-calibration.js';
import { baseContext } from './support/check-context.js';

// n ham scores spread evenly over [from, to], in an order that is not sorted (the function sorts).
function spread(n: number, from: number, to: number): number[] {
  const xs = Array.from({ length: n }, (_, i) => from + ((to - from) * i) / Math.max(1, n - 1));
  return xs.filter((_, i) => i % 2 === 0).concat(xs.filter((_, i) => i % 2 === 1).reverse());
}
const fixed = classifierThresholds;

describe('calibrateHold', () => {
  it.each<[string, number[], number, { threshold: number; calibrated: boolean }]>([
    ['no samples: the default', [], 0.01, { threshold: 0.57, calibrated: false }],
    // 99 approved comments, 10 of them above the default: too few to calibrate, but none of them is held.
    [
      'too few samples: it rises above every one that scored high',
      [...spread(89, 0, 0.4), ...spread(10, 0.6, 0.8)],
      0.01,
      { threshold: 0.801, calibrated: false },
    ],
    // 99 approved comments that all score low: too few to say the default holds too little.
    [
      'too few samples: it never falls below the default',
      spread(99, 0, 0.3),
      0.01,
      { threshold: 0.57, calibrated: false },
    ],
    [
      'too few samples, one above the spam threshold: capped there',
      [0.2, 0.3, 0.95],
      0.01,
      { threshold: 0.86, calibrated: false },
    ],
    // 100 samples, 1% allowed = 1 sample: the threshold sits just above the 2nd highest (0.7).
    [
      'readers who score high raise it',
      [...spread(97, 0, 0.4), 0.65, 0.7, 0.8],
      0.01,
      { threshold: 0.701, calibrated: true },
    ],
    // 200 samples, 2 allowed: the 3rd highest (0.65) is the one to stay published.
    [
      'a larger sample allows more above',
      [...spread(197, 0, 0.4), 0.65, 0.7, 0.8],
      0.01,
      { threshold: 0.651, calibrated: true },
    ],
    // The same 200 with a 0.5% target: 1 allowed.
    [
      'a lower target raises it further',
      [...spread(197, 0, 0.4), 0.65, 0.7, 0.8],
      0.005,
      { threshold: 0.701, calibrated: true },
    ],
    // A 0.5% target needs 200 samples before it calibrates: 150 is too few, so it sits above all of them.
    [
      'a target below 1% waits for 1/target samples',
      [...spread(147, 0, 0.4), 0.65, 0.7, 0.8],
      0.005,
      { threshold: 0.801, calibrated: false },
    ],
    [
      'readers who score low lower it, to the neutral point at most',
      spread(100, 0, 0.3),
      0.01,
      { threshold: 0.5, calibrated: true },
    ],
    ['lowered within the range', [...spread(98, 0, 0.3), 0.53, 0.54], 0.01, { threshold: 0.531, calibrated: true }],
    [
      'strictly above the score kept published, however it rounds',
      [...spread(98, 0, 0.3), 0.57, 0.58],
      0.01,
      { threshold: 0.571, calibrated: true },
    ],
    [
      'never above the spam threshold',
      [...spread(95, 0, 0.4), ...spread(5, 0.9, 0.99)],
      0.01,
      { threshold: 0.86, calibrated: true },
    ],
  ])('%s', (_name, scores, target, expected) => {
    const c = calibrateHold(scores, target, fixed);
    expect({ threshold: c.threshold, calibrated: c.calibrated }).toEqual(expected);
    expect(c.hamSamples).toBe(scores.length);
  });

  it('the calibrated threshold blocks at most the target share of the samples, and the next lower one more', () => {
    const scores = [...spread(380, 0, 0.5), ...spread(20, 0.55, 0.8)];
    const c = calibrateHold(scores, 0.02, fixed);
    expect(c.calibrated).toBe(true);
    const blocked = (t: number) => scores.filter((p) => p >= t).length / scores.length;
    expect(blocked(c.threshold)).toBeLessThanOrEqual(0.02);
    expect(c.blockedHam).toBe(blocked(c.threshold));
    expect(blocked(c.threshold - 0.001)).toBeGreaterThan(0.02);
    // Under the default threshold these readers lost 4.5% (18 of 400).
    expect(blocked(fixed.hold)).toBe(0.045);
  });

  it.each([
    ['calibrated, raised', [...spread(97, 0, 0.4), 0.65, 0.7, 0.8]],
    ['calibrated, at the neutral point', spread(300, 0, 0.45)],
    ['too few, raised', [...spread(39, 0, 0.3), 0.7]],
    ['too few, the default', spread(20, 0, 0.3)],
    ['none', []],
  ])('the samples under 0.5 given as a count calibrate as the samples themselves (%s)', (_name, scores) => {
    const above = scores.filter((p) => p >= holdCalibrationLimits.min);
    for (const target of [0.001, 0.01, 0.05, 0.2])
      expect(calibrateHold(above, target, fixed, holdCalibrationLimits, scores.length - above.length)).toEqual(
        calibrateHold(scores, target, fixed),
      );
  });

  it('moves toward the target as approvals of high-scoring comments come in', () => {
    const low = spread(100, 0, 0.4);
    const thresholds = [0, 1, 2, 4].map(
      (high) => calibrateHold([...low, ...spread(high, 0.6, 0.75)], 0.01, fixed).threshold,
    );
    // none or one high approval: 1% of 100 may stay above, so the threshold drops to the bounds; then it climbs
    expect(thresholds).toEqual([0.5, 0.5, 0.601, 0.701]);
    expect(holdCalibrationLimits.minHamSamples).toBe(100);
  });
});

describe('the classifier rule with a calibrated threshold', () => {
  const score = (pSpam: number, recentHamScores?: number[]) => ({
    pSpam,
    trained: true,
    features: [{ name: "'check out'", weight: 2.3 }],
    ...(recentHamScores ? { recentHamScores } : {}),
  });
  const risen = [...spread(97, 0, 0.4), 0.65, 0.7, 0.8]; // holds from 0.701

  it.each<[string, ReturnType<typeof score>, string | null]>([
    ['0.65 under the default', score(0.65), 'LIKELY_SPAM'],
    ['0.65 where the site calibrated to 0.701', score(0.65, risen), null],
    ['0.75 where the site calibrated to 0.701', score(0.75, risen), 'LIKELY_SPAM'],
    ['0.9 still spam: that threshold is fixed', score(0.9, risen), 'CLASSIFIED_SPAM'],
  ])('%s gives %s', (_name, spamScore, code) => {
    expect(spamClassifier(baseContext({ spamScore }))?.code ?? null).toBe(code);
  });

  it('says which threshold held the comment and whether it is calibrated', () => {
    expect(spamClassifier(baseContext({ spamScore: score(0.75, risen) }))?.message).toBe(
      "The spam filter thinks this may be spam (75%; it holds from 70.1%, calibrated on this site's 100 recent approved comments to hold at most 1% of them). Strongest features: 'check out' +2.3.",
    );
    expect(spamClassifier(baseContext({ spamScore: score(0.6) }))?.message).toContain(
      "it holds from 57%, the default until this site's moderators have approved enough scored comments",
    );
    // 40 approvals, one of them scored 0.7: the new site's threshold rose above it.
    const early = [...spread(39, 0, 0.3), 0.7];
    expect(spamClassifier(baseContext({ spamScore: score(0.69, early) }))).toBeNull();
    expect(spamClassifier(baseContext({ spamScore: score(0.75, early) }))?.message).toContain(
      "it holds from 70.1%, raised from the default 57% above this site's 40 approved comments so far, until there are enough to calibrate on",
    );
  });

  it("reads the site's target", () => {
    // 2% of 100 may stay above: the 3rd highest (0.65) is the one kept published.
    const outcome = spamClassifier(
      baseContext({ spamScore: score(0.66, risen), settings: { spamBlockedHamTarget: 0.02 } }),
    );
    expect(outcome?.message).toContain('it holds from 65.1%');
  });
});
