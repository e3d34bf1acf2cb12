import { describe, expect, it } from 'vitest';
import { whyNotAppealDecider } from '../../src/domain/decisions/appeal-rules.js';
import { authorOfComment, parseAuthorKey, toAuthorKey } from '../../src/domain/decisions/author-key.js';
import {
  defaultDecisionReasons,
  findDecisionReason,
  isReasonedAction,
  sharedDecisionReasons,
} from '../../src/domain/decisions/decision-reasons.js';
import { formatEnd, secondsUntil, suspensionEnd } from '../../src/domain/decisions/suspension-length.js';
import { readMailToken, signMailToken } from '../../src/mail/mail-tokens.js';

const now = new Date('2026-12-06T10:00:00.000Z');

describe('author keys (issue 16)', () => {
  it.each([
    ['reader:12', { kind: 'reader', readerId: 12 }],
    ['guest:Ann@Example.org', { kind: 'guest', email: 'ann@example.org' }],
    ['reader:0', null],
    ['reader:12a', null],
    ['guest:not-an-email', null],
    ['guest:', null],
    ['ann@example.org', null],
    ['', null],
  ])('%s names %j', (key, ref) => {
    expect(parseAuthorKey(key)).toEqual(ref);
  });

  it('a key written from an author reads back as that author', () => {
    expect(parseAuthorKey(toAuthorKey({ kind: 'reader', readerId: 7 }))).toEqual({ kind: 'reader', readerId: 7 });
    expect(toAuthorKey({ kind: 'guest', email: ' Bo@Example.org ' })).toBe('guest:bo@example.org');
  });

  it.each([
    [
      { readerId: 3, email: 'typed@example.org' },
      { kind: 'reader', readerId: 3 },
    ],
    [
      { readerId: null, email: 'Typed@example.org' },
      { kind: 'guest', email: 'typed@example.org' },
    ],
    [{ readerId: null, email: '' }, null],
  ])("a comment's author: %j → %j (a reader is never their typed email)", (c, ref) => {
    expect(authorOfComment(c)).toEqual(ref);
  });
});

describe('suspension lengths', () => {
  it.each([
    ['1', 'hours', '2026-12-06T11:00:00.000Z'],
    ['48', 'hours', '2026-12-08T10:00:00.000Z'],
    [' 3 ', 'days', '2026-12-09T10:00:00.000Z'],
    ['365', 'days', '2027-12-06T10:00:00.000Z'],
  ])('%s %s ends at %s', (amount, unit, end) => {
    expect(suspensionEnd(amount, unit, now)?.toISOString()).toBe(end);
  });

  it.each([
    ['0', 'hours'],
    ['-1', 'days'],
    ['1.5', 'days'],
    ['366', 'days'],
    ['9000', 'hours'],
    ['2', 'weeks'],
    ['', 'hours'],
  ])('%s %s is no suspension (a year at most: longer is a ban)', (amount, unit) => {
    expect(suspensionEnd(amount, unit, now)).toBeNull();
  });

  it('says the end in UTC to the minute, and the seconds until it (at least 1)', () => {
    expect(formatEnd(new Date('2026-12-07T09:05:59.000Z'))).toBe('2026-12-07 09:05 UTC');
    expect(secondsUntil(new Date(now.getTime() + 90_500), now)).toBe(91);
    expect(secondsUntil(new Date(now.getTime() - 5000), now)).toBe(1);
  });
});

describe('reasons and appeals', () => {
  it('only reject and spam carry a reason; a code must be on the site’s list', () => {
    expect(['reject', 'spam', 'approve', 'delete', 'not_spam'].filter(isReasonedAction)).toEqual(['reject', 'spam']);
    expect(findDecisionReason(defaultDecisionReasons, 'off_topic')?.label).toBe('Off-topic');
    expect(findDecisionReason(defaultDecisionReasons, 'nope')).toBeNull();
    expect(findDecisionReason(defaultDecisionReasons, '')).toBeNull();
    expect(new Set(defaultDecisionReasons.map((r) => r.code)).size).toBe(defaultDecisionReasons.length);
  });

  it.each([
    [5, { status: 'open', decidedBy: 5 }, 'SAME_MODERATOR'],
    [6, { status: 'open', decidedBy: 5 }, null],
    [6, { status: 'open', decidedBy: null }, null],
    [6, { status: 'upheld', decidedBy: 5 }, 'APPEAL_DECIDED'],
    [5, { status: 'reinstated', decidedBy: 5 }, 'APPEAL_DECIDED'],
  ])('moderator %i deciding %j: %s', (moderator, appeal, why) => {
    expect(whyNotAppealDecider(moderator, appeal)).toBe(why);
  });

  it('an appeal link is signed, names its decision and comment, and expires', () => {
    const token = signMailToken('k', {
      kind: 'appeal',
      decisionId: 42,
      commentId: '0b8f3c52-1f5d-4b8e-a7a2-5d9c4e6f7a13',
      expiresAt: 2000,
    });
    expect(readMailToken('k', token, 1999)).toEqual({
      ok: true,
      token: { kind: 'appeal', decisionId: 42, commentId: '0b8f3c52-1f5d-4b8e-a7a2-5d9c4e6f7a13', expiresAt: 2000 },
    });
    expect(readMailToken('k', token, 2000)).toEqual({ ok: false, reason: 'EXPIRED' });
    expect(readMailToken('other key', token, 1000)).toEqual({ ok: false, reason: 'BAD_SIGNATURE' });
  });
});

describe('sharedDecisionReasons (a bulk action over several sites)', () => {
  const a = { code: 'a', label: 'A', rule: '' };
  const b = { code: 'b', label: 'B', rule: '' };
  const b2 = { code: 'b', label: 'B of site two', rule: 'Rule 2' };
  it('keeps the codes every list has, in the first list order, with the first list words', () => {
    expect(sharedDecisionReasons([[a, b], [b2]])).toEqual([b]);
    expect(
      sharedDecisionReasons([
        [b, a],
        [a, b2],
      ]),
    ).toEqual([b, a]);
    expect(sharedDecisionReasons([[a, b]])).toEqual([a, b]);
    expect(sharedDecisionReasons([[a], [b2]])).toEqual([]);
    expect(sharedDecisionReasons([])).toEqual([]);
  });
});
