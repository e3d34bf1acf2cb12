import { describe, it, expect } from 'vitest';
import {
  closedPage,
  duplicate,
  flood,
  guestsRefused,
  parentRules,
  requiredFields,
} from '../../src/moderation/rules/refusal-rules.js';
import type { ParentFacts } from '../../src/moderation/verdict.js';
import { baseContext, RECEIVED_AT } from './support/check-context.js';

const DAY_MS = 86_400_000;
const ago = (ms: number): Date => new Date(RECEIVED_AT.getTime() - ms);

describe('guestsRefused', () => {
  it("refuses a guest's comment where the page's settings take only signed-in readers", () => {
    const o = guestsRefused(baseContext({ settings: { guests: false } }));
    expect([o?.rule, o?.action, o?.code]).toEqual(['guests-off', 'reject', 'SIGN_IN_REQUIRED']);
  });
  it('lets a signed-in reader through there, and a guest where guests are welcome', () => {
    expect(guestsRefused(baseContext({ settings: { guests: false }, reader: { id: 7 } }))).toBeNull();
    expect(guestsRefused(baseContext({ settings: { guests: true } }))).toBeNull();
  });
});

describe('requiredFields', () => {
  it('a clean comment gives no outcome', () => {
    expect(requiredFields(baseContext())).toEqual([]);
  });

  it('one reject outcome per bad field, with the field named', () => {
    const outcomes = requiredFields(baseContext({ fields: { body: '', email: 'nope' } }));
    expect(outcomes.map((o) => [o.rule, o.action, o.code, o.field, o.score])).toEqual([
      ['required-fields', 'reject', 'REQUIRED', 'body', 0],
      ['required-fields', 'reject', 'INVALID_EMAIL', 'email', 0],
    ]);
    for (const o of outcomes) expect(o.message).toMatch(/\S/);
  });

  it.each([
    ['name required, none given', { requireName: true }, { author: '' }, [['author', 'REQUIRED']]],
    ['name optional, none given', { requireName: false }, { author: '' }, []],
    ['email required, none given', { requireEmail: true }, { email: '' }, [['email', 'REQUIRED']]],
    ['email optional, none given', { requireEmail: false }, { email: '' }, []],
  ])('uses the settings at check time: %s', (_scenario, settings, fields, expected) => {
    expect(requiredFields(baseContext({ settings, fields })).map((o) => [o.field, o.code])).toEqual(expected);
  });
});

describe('requiredFields for a signed-in reader (issue 14)', () => {
  const reader = { id: 7 };

  it('the identity stands for a required name and email: a reader without an email is not refused', () => {
    const settings = { requireName: true, requireEmail: true };
    expect(requiredFields(baseContext({ settings, reader, fields: { email: '' } }))).toEqual([]);
    // A guest without one is, under the same settings.
    expect(requiredFields(baseContext({ settings, fields: { email: '' } })).map((o) => o.field)).toEqual(['email']);
  });

  it("the identity's name, email and website are not checked as typed fields; what the reader typed is", () => {
    const identity = { author: 'A'.repeat(300), email: `${'x'.repeat(120)}@example.org`, url: 'ftp://old.example/' };
    expect(requiredFields(baseContext({ reader, fields: identity }))).toEqual([]);
    expect(requiredFields(baseContext({ fields: identity })).map((o) => o.field)).toEqual(['author', 'email', 'url']);
    expect(
      requiredFields(baseContext({ reader, fields: { ...identity, body: '', page: '' } })).map((o) => [
        o.field,
        o.code,
      ]),
    ).toEqual([
      ['body', 'REQUIRED'],
      ['page', 'REQUIRED'],
    ]);
  });
});

describe('closedPage', () => {
  it.each([
    ['an open page without comments', { closed: false, firstCommentAt: null }, 0],
    ['an open page, no close-after setting', { closed: false, firstCommentAt: ago(1000 * DAY_MS) }, 0],
    [
      'a page 29 days after its first comment, closing after 30',
      { closed: false, firstCommentAt: ago(29 * DAY_MS) },
      30,
    ],
    [
      'a page exactly 30 days after its first comment, closing after 30',
      { closed: false, firstCommentAt: ago(30 * DAY_MS) },
      30,
    ],
    ['a page without comments, closing after 30', { closed: false, firstCommentAt: null }, 30],
  ])('%s is open', (_scenario, page, closeAfterDays) => {
    expect(closedPage(baseContext({ page: { id: 1, ...page }, settings: { closeAfterDays } }))).toBeNull();
  });

  it.each([
    ['a page closed by hand', { closed: true, firstCommentAt: null }, 0],
    ['a page closed by hand within its window', { closed: true, firstCommentAt: ago(DAY_MS) }, 30],
    [
      'a page 30 days and 1 ms after its first comment, closing after 30',
      { closed: false, firstCommentAt: ago(30 * DAY_MS + 1) },
      30,
    ],
    ['a page 2 days after its first comment, closing after 1', { closed: false, firstCommentAt: ago(2 * DAY_MS) }, 1],
  ])('%s is refused as THREAD_CLOSED', (_scenario, page, closeAfterDays) => {
    expect(closedPage(baseContext({ page: { id: 1, ...page }, settings: { closeAfterDays } }))).toMatchObject({
      rule: 'closed-page',
      action: 'reject',
      code: 'THREAD_CLOSED',
      score: 0,
    });
  });
});

describe('parentRules', () => {
  const parent = (p: Partial<ParentFacts> = {}): ParentFacts => ({ pageId: 1, status: 'approved', depth: 0, ...p });

  it.each([
    ['no parent', null, 5],
    ['an approved top-level parent on the same page', parent(), 5],
    ['a parent at depth 3 with maxDepth 5 (reply at level 5)', parent({ depth: 3 }), 5],
    ['a top-level parent with maxDepth 2', parent({ depth: 0 }), 2],
  ])('%s is allowed', (_scenario, p, maxDepth) => {
    expect(parentRules(baseContext({ parent: p, settings: { maxDepth } }))).toBeNull();
  });

  it.each([
    ['a parent not found on the site', 'missing' as const, 5, 'PARENT_NOT_FOUND'],
    ['a parent on another page', parent({ pageId: 2 }), 5, 'PARENT_NOT_FOUND'],
    ['a pending parent', parent({ status: 'pending' }), 5, 'PARENT_NOT_APPROVED'],
    ['a spam parent', parent({ status: 'spam' }), 5, 'PARENT_NOT_APPROVED'],
    ['a rejected parent', parent({ status: 'rejected' }), 5, 'PARENT_NOT_APPROVED'],
    ['a parent at depth 4 with maxDepth 5 (reply at level 6)', parent({ depth: 4 }), 5, 'TOO_DEEP'],
    ['any parent with maxDepth 1 (no replies)', parent({ depth: 0 }), 1, 'TOO_DEEP'],
    ['a parent on another page that is also too deep', parent({ pageId: 2, depth: 9 }), 5, 'PARENT_NOT_FOUND'],
  ])('%s is refused as %s on the parent field', (_scenario, p, maxDepth, code) => {
    expect(parentRules(baseContext({ parent: p, settings: { maxDepth } }))).toMatchObject({
      rule: 'parent',
      action: 'reject',
      code,
      field: 'parent',
      score: 0,
    });
  });
});

describe('duplicate', () => {
  it.each([
    [false, null],
    [true, { rule: 'duplicate', action: 'reject', code: 'DUPLICATE', score: 0 }],
  ])('duplicate=%s gives %j', (isDuplicate, expected) => {
    const result = duplicate(baseContext({ duplicate: isDuplicate }));
    if (expected === null) expect(result).toBeNull();
    else expect(result).toMatchObject(expected);
  });
});

describe('flood', () => {
  it.each([
    ['no earlier comment', null, 15],
    ['the last comment 15 s ago, window 15 s', ago(15_000), 15],
    ['the last comment an hour ago', ago(3_600_000), 15],
    ['the last comment 1 s ago but flood control off', ago(1000), 0],
  ])('%s is allowed', (_scenario, lastFromAuthorAt, floodSeconds) => {
    expect(flood(baseContext({ lastFromAuthorAt, settings: { floodSeconds } }))).toBeNull();
  });

  it.each([
    ['the last comment 14.999 s ago, window 15 s', ago(14_999), 15],
    ['the last comment at the same instant', ago(0), 15],
    ['the last comment 59 s ago, window 60 s', ago(59_000), 60],
  ])('%s is refused as TOO_FAST', (_scenario, lastFromAuthorAt, floodSeconds) => {
    expect(flood(baseContext({ lastFromAuthorAt, settings: { floodSeconds } }))).toMatchObject({
      rule: 'flood',
      action: 'reject',
      code: 'TOO_FAST',
      score: 0,
    });
  });

  // Issue 13, item 10: the reader learns when the window ends, not only that they were too fast.
  it.each([
    ['3 s into a 15 s window', ago(3000), 15, 'please try again in 12 seconds.'],
    ['14.5 s into a 15 s window (rounded up)', ago(14_500), 15, 'please try again in 1 second.'],
    ['at once, window 60 s', ago(0), 60, 'please try again in 60 seconds.'],
  ])('%s says when to try again', (_scenario, lastFromAuthorAt, floodSeconds, tail) => {
    const outcome = flood(baseContext({ lastFromAuthorAt, settings: { floodSeconds } }));
    expect(outcome?.message).toBe(`You are posting comments too quickly; ${tail}`);
  });
});
