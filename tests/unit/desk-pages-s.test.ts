import { describe, expect, it } from 'vitest';
import { formatInZone, formatUtc, timeZoneOfCookies } from '../../src/http/desk/desk-time-zone.js';
import { measureOf } from '../../src/moderation/reason-measure.js';
import { toExcerpt } from '../../src/store/audit-log.js';
import { viewCountText } from '../../widget/desk/desk-rules.js';

// The pure parts of the desk's pages (issue 13): what a score is measured against, the moderator's
// time zone from a cookie, an audit excerpt, the bulk button's count.

describe('measureOf', () => {
  it.each([
    [{ code: 'TOO_MANY_LINKS', score: 3 }, { holdLinks: 2 }, 'links 3 — held at 2'],
    [{ code: 'TOO_MANY_LINKS', score: 3 }, { holdLinks: 0 }, 'links 3'],
    [{ code: 'TOO_MANY_LINKS', score: 4 }, null, 'links 4'],
    [{ code: 'LIKELY_SPAM', score: 2.13 }, null, 'spam filter 0.71 — holds at 0.57'],
    [
      {
        code: 'LIKELY_SPAM',
        score: 2.25,
        message:
          "The spam filter thinks this may be spam (75%; it holds from 70.1%, calibrated on this site's 100 recent approved comments to hold at most 1% of them).",
      },
      null,
      'spam filter 0.75 — holds at 0.701 (calibrated)',
    ],
    [
      {
        code: 'LIKELY_SPAM',
        score: 2.25,
        message:
          "The spam filter thinks this may be spam (75%; it holds from 70.1%, raised from the default 57% above this site's 40 approved comments so far, until there are enough to calibrate on).",
      },
      null,
      'spam filter 0.75 — holds at 0.701 (raised)',
    ],
    [{ code: 'CLASSIFIED_SPAM', score: 4.6 }, null, 'spam filter 0.92 — spam at 0.86'],
    [{ code: 'SPAM_WORD', score: 5 }, null, 'spam score +5'],
    [{ code: 'TOO_FAST', score: 0 }, null, ''],
  ])('%o against %o reads %j', (reason, settings, text) => {
    expect(measureOf(reason, settings)).toBe(text);
  });
});

describe('the time zone cookie', () => {
  it.each([
    ['rd_tz=Europe%2FParis', 'Europe/Paris'],
    ['rd_session=abc; rd_tz=America%2FNew_York', 'America/New_York'],
    ['rd_tz=UTC', 'UTC'],
    [undefined, null],
    ['', null],
    ['rd_tz=', null],
    ['rd_tz=Mars%2FOlympus', null],
    ['rd_tz=%E0%A4%A', null],
    ['rd_tz=%3Cscript%3E', null],
    [`rd_tz=${'A'.repeat(200)}`, null],
  ])('%j gives %j', (header, zone) => {
    expect(timeZoneOfCookies(header)).toBe(zone);
  });

  it('formats an instant in the zone, and in UTC for the hover', () => {
    const at = new Date('2026-07-01T23:30:05Z');
    expect(formatInZone(at, 'Europe/Paris')).toBe('2026-07-02 01:30:05');
    expect(formatInZone(at, 'Asia/Kolkata')).toBe('2026-07-02 05:00:05');
    expect(formatInZone(at, 'UTC')).toBe('2026-07-01 23:30:05');
    expect(formatUtc(at)).toBe('2026-07-01 23:30:05 UTC');
  });
});

describe('toExcerpt', () => {
  it.each([
    ['Short one.', 'Short one.'],
    ['  spread\n\nover   lines  ', 'spread over lines'],
    [`${'word '.repeat(30)}`, `${'word '.repeat(16).trim()}…`],
    ['x'.repeat(100), `${'x'.repeat(80)}…`],
  ])('%j → %j', (body, excerpt) => {
    expect(toExcerpt(body)).toBe(excerpt);
  });
});

describe('viewCountText', () => {
  it.each([
    [3, false, '3'],
    [1234, false, '1,234'],
    [1, true, '1+'],
    [0, false, '0'],
  ])('%d (unsure: %s) reads %j', (n, unsure, text) => {
    expect(viewCountText(n, unsure)).toBe(text);
  });
});
