import { describe, it, expect } from 'vitest';
import {
  firstTimeAuthor,
  holdWords,
  manyLinks,
  offHours,
  preModeration,
} from '../../src/moderation/rules/hold-rules.js';
import { checkComment } from '../../src/moderation/check-comment.js';
import { closedPage } from '../../src/moderation/rules/refusal-rules.js';
import { baseContext } from './support/check-context.js';

describe('holdWords', () => {
  const watched = ['refund', 'class action'];

  it.each([
    ['the body', { body: 'I want a REFUND' }],
    ['the body, in fullwidth letters', { body: 'ｒｅｆｕｎｄ please' }],
    ['the body, as a phrase over a line break', { body: 'a class\naction suit' }],
    ['the name', { author: 'Refund Seeker' }],
    ['the email', { email: 'refund@example.org' }],
    ['the website', { url: 'https://example.org/refund' }],
  ])('a hold word in %s holds the comment', (_scenario, fields) => {
    const outcome = holdWords(baseContext({ fields, settings: { holdWords: watched } }));
    expect(outcome).toMatchObject({ rule: 'hold-words', action: 'hold', code: 'HOLD_WORD', score: 2 });
    expect(outcome?.message).toMatch(/"(refund|class action)"/);
  });

  it.each([
    ['a clean comment', {}, watched],
    ['"class" when "ass" is watched', { body: 'a first-class post' }, ['ass']],
    ['"refunded" when "refund" is watched', { body: 'they refunded me' }, watched],
    ['an empty hold list', { body: 'refund' }, []],
  ])('%s gives no outcome', (_scenario, fields, words) => {
    expect(holdWords(baseContext({ fields, settings: { holdWords: words } }))).toBeNull();
  });
});

describe('manyLinks', () => {
  it.each([
    [0, 2],
    [1, 2],
    [5, 0],
    [2, 3],
  ])('%i link(s) with holdLinks %i gives no outcome', (linkCount, holdLinks) => {
    expect(manyLinks(baseContext({ linkCount, settings: { holdLinks } }))).toBeNull();
  });

  it.each([
    [2, 2],
    [3, 2],
    [1, 1],
    [40, 10],
  ])('%i link(s) with holdLinks %i holds the comment, scoring one per link', (linkCount, holdLinks) => {
    expect(manyLinks(baseContext({ linkCount, settings: { holdLinks } }))).toMatchObject({
      rule: 'links',
      action: 'hold',
      code: 'TOO_MANY_LINKS',
      score: linkCount,
      message: `Contains ${linkCount} links (held at ${holdLinks}).`,
    });
  });
});

describe('firstTimeAuthor', () => {
  it.each([
    [false, false, null],
    [false, true, null],
    [true, true, null],
    [true, false, { rule: 'first-time', action: 'hold', code: 'FIRST_COMMENT', score: 0.5 }],
  ])('holdFirstTime=%s, authorHasApproved=%s gives %j', (holdFirstTime, authorHasApproved, expected) => {
    const result = firstTimeAuthor(baseContext({ authorHasApproved, settings: { holdFirstTime } }));
    if (expected === null) expect(result).toBeNull();
    else expect(result).toMatchObject(expected);
  });
});

describe('firstTimeAuthor, whose history (issue 14)', () => {
  it("names a signed-in reader's first comment as theirs, a guest's as the email typed", () => {
    const settings = { holdFirstTime: true };
    const reader = firstTimeAuthor(baseContext({ authorHasApproved: false, settings, reader: { id: 7 } }));
    expect(reader).toMatchObject({ code: 'FIRST_COMMENT', action: 'hold' });
    expect(reader?.message).toMatch(/signed-in reader/);
    const guest = firstTimeAuthor(baseContext({ authorHasApproved: false, settings, reader: null }));
    expect(guest).toMatchObject({ code: 'FIRST_COMMENT', action: 'hold' });
    expect(guest?.message).toMatch(/guest/);
  });

  it('an approved history lets a reader through as it lets a guest', () => {
    expect(firstTimeAuthor(baseContext({ settings: { holdFirstTime: true }, reader: { id: 7 } }))).toBeNull();
  });
});

describe('preModeration', () => {
  it.each([
    ['rules', null],
    ['open', null],
    ['pre', { rule: 'pre-moderation', action: 'hold', code: 'PRE_MODERATION', score: 0 }],
  ] as const)('moderation=%s gives %j', (moderation, expected) => {
    const result = preModeration(baseContext({ settings: { moderation } }));
    if (expected === null) expect(result).toBeNull();
    else expect(result).toMatchObject(expected);
  });
});

describe('offHours (issue 16: staffed hours)', () => {
  // Monday to Friday 07:00–23:00 in Berlin; 2026-12-08 is a Tuesday (UTC+1).
  const staffedHours = {
    timeZone: 'Europe/Berlin',
    days: [1, 2, 3, 4, 5],
    from: '07:00',
    to: '23:00',
    outside: 'pre' as const,
  };
  const night = new Date('2026-12-08T02:00:00Z');
  const day = new Date('2026-12-08T10:00:00Z');

  it.each([
    ['at night: held, saying when the desk opens', night, false, 'OFF_HOURS'],
    ['in the day: nothing', day, false, null],
    ['at night, a trusted author: nothing', night, true, null],
  ])('%s', (_name, receivedAt, trusted, code) => {
    const outcome = offHours(baseContext({ settings: { staffedHours }, receivedAt, trusted }));
    if (code === null) expect(outcome).toBeNull();
    else
      expect(outcome).toMatchObject({
        rule: 'off-hours',
        action: 'hold',
        code,
        message: expect.stringContaining('07:00'),
      });
  });

  it('holds a comment that would publish, even on an open page, and lets it through once the desk opens', () => {
    const open = { staffedHours, moderation: 'open' as const, holdFirstTime: false };
    expect(checkComment(baseContext({ settings: open, receivedAt: night })).status).toBe('pending');
    expect(checkComment(baseContext({ settings: open, receivedAt: day })).status).toBe('approved');
  });

  it('with outside: closed, the thread refuses until the desk opens ("closed until 07:00")', () => {
    const closed = { staffedHours: { ...staffedHours, outside: 'closed' as const } };
    expect(closedPage(baseContext({ settings: closed, receivedAt: night }))).toMatchObject({
      code: 'THREAD_CLOSED',
      message: 'Comments are closed until 07:00.',
    });
    expect(closedPage(baseContext({ settings: closed, receivedAt: day }))).toBeNull();
    expect(offHours(baseContext({ settings: closed, receivedAt: night }))).toBeNull();
  });
});
