import { describe, expect, it } from 'vitest';
import { describeSignals, scorePageSurge, type PageSurgeCounts } from '../../src/flood/page-surge-score.js';
import { textFingerprint } from '../../src/flood/page-surge-tracker.js';

const thresholds = { minimum: 20, threshold: 5 };
const counts = (c: Partial<PageSurgeCounts>): PageSurgeCounts => ({
  recent: 0,
  pageNormal: 0,
  siteNormal: 0,
  firstTime: 0,
  duplicates: 0,
  flags: 0,
  ...c,
});

describe('scorePageSurge', () => {
  it.each([
    [
      'a brigade: 40 a minute on a quiet page, all first-timers, most pasting one text',
      counts({ recent: 40, pageNormal: 1, siteNormal: 5, firstTime: 40, duplicates: 36, flags: 4 }),
      true,
      7.8,
    ],
    [
      'a brigade without copied texts: a burst of first-timers, flagged by readers',
      counts({ recent: 40, pageNormal: 2, siteNormal: 8, firstTime: 34, duplicates: 0, flags: 12 }),
      true,
      5.4,
    ],
    [
      'a normal busy page: steady 60 a minute, established authors, distinct texts',
      counts({ recent: 60, pageNormal: 55, siteNormal: 80, firstTime: 6, duplicates: 1, flags: 1 }),
      false,
      0.08,
    ],
    [
      'breaking news: the rate jumps tenfold, but from regulars writing their own words',
      counts({ recent: 80, pageNormal: 8, siteNormal: 30, firstTime: 16, duplicates: 2, flags: 2 }),
      false,
      2.58,
    ],
    [
      'a story shared widely: a jump, half of them newcomers, texts their own',
      counts({ recent: 50, pageNormal: 5, siteNormal: 20, firstTime: 25, duplicates: 1, flags: 0 }),
      false,
      3.5,
    ],
    [
      'below the minimum nothing counts, however it looks',
      counts({ recent: 19, pageNormal: 0, siteNormal: 0, firstTime: 19, duplicates: 19, flags: 19 }),
      false,
      0,
    ],
  ])('%s', (_scenario, c, surge, score) => {
    const s = scorePageSurge(c, thresholds);
    expect(s.surge).toBe(surge);
    expect(s.score).toBe(score);
  });

  it('lists the signals that scored, strongest first, with the numbers they came from', () => {
    const s = scorePageSurge(
      counts({ recent: 40, pageNormal: 1, siteNormal: 5, firstTime: 40, duplicates: 36, flags: 4 }),
      thresholds,
    );
    expect(s.signals.map((x) => x.name)).toEqual(['duplicates', 'first-time', 'rate', 'site-share', 'flags']);
    expect(s.signals[0]).toEqual({ name: 'duplicates', value: 0.9, points: 3 });
    expect(describeSignals(s.signals)).toBe(
      "90 % near-duplicate texts from other addresses, 100 % first-time authors, rate 20× its normal, 8× the whole site's normal rate, 4 flags",
    );
  });

  it('a threshold of 0 turns it off', () => {
    const c = counts({ recent: 40, firstTime: 40, duplicates: 40, flags: 40 });
    expect(scorePageSurge(c, { minimum: 20, threshold: 0 })).toEqual({ score: 0, surge: false, signals: [] });
  });

  it("a new page's first comments are not an infinite jump: its normal is floored at a tenth of the minimum", () => {
    const s = scorePageSurge(counts({ recent: 20 }), thresholds);
    expect(s.signals.find((x) => x.name === 'rate')?.value).toBe(10);
  });
});

describe('textFingerprint', () => {
  it('near-duplicates share one: case, accents, punctuation, look-alikes and numbers aside', () => {
    const a = textFingerprint('Resign NOW, this paper is a disgrace!!! #1');
    expect(a).not.toBeNull();
    expect(textFingerprint('resign now this paper is a disgrace 2')).toBe(a);
    expect(textFingerprint('Résign now — this pаper is a disgrace.')).toBe(a); // Cyrillic а
    expect(textFingerprint('I think the paper got this one right')).not.toBe(a);
  });

  it('short texts are not compared: honest readers write "thank you" alike', () => {
    expect(textFingerprint('Thank you!')).toBeNull();
  });
});
