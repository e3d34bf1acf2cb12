import { describe, it, expect } from 'vitest';
import { checkComment, checkRules } from '../../src/moderation/check-comment.js';
import type { CheckContext, CheckRule, RuleOutcome } from '../../src/moderation/verdict.js';
import { baseContext, RECEIVED_AT } from './support/check-context.js';

type Overrides = Parameters<typeof baseContext>[0];

const codes = (ctx: CheckContext): string[] => checkComment(ctx).reasons.map((r) => r.code);

describe('checkComment', () => {
  it('a clean comment is approved with no reasons and score 0', () => {
    expect(checkComment(baseContext())).toEqual({ status: 'approved', score: 0, reasons: [] });
  });

  it.each<[string, Overrides, string, string[]]>([
    [
      'a first comment on a site that holds first-timers',
      { settings: { holdFirstTime: true }, authorHasApproved: false },
      'pending',
      ['FIRST_COMMENT'],
    ],
    [
      'a returning author on a site that holds first-timers',
      { settings: { holdFirstTime: true }, authorHasApproved: true },
      'approved',
      [],
    ],
    ['a comment on a pre-moderated site', { settings: { moderation: 'pre' } }, 'pending', ['PRE_MODERATION']],
    ['a comment with 2 links', { linkCount: 2 }, 'pending', ['TOO_MANY_LINKS']],
    [
      'a comment with a hold word',
      { fields: { body: 'refund please' }, settings: { holdWords: ['refund'] } },
      'pending',
      ['HOLD_WORD'],
    ],
    ['a comment with the honeypot filled in', { honeypot: 'gotcha' }, 'spam', ['HONEYPOT']],
    [
      'a comment with a spam word',
      { fields: { body: 'casino' }, settings: { spamWords: ['casino'] } },
      'spam',
      ['SPAM_WORD'],
    ],
    ['a duplicate', { duplicate: true }, 'rejected', ['DUPLICATE']],
    [
      'a comment on a closed page',
      { page: { id: 1, closed: true, firstCommentAt: null } },
      'rejected',
      ['THREAD_CLOSED'],
    ],
    ['a reply to a missing parent', { parent: 'missing' }, 'rejected', ['PARENT_NOT_FOUND']],
    [
      'a comment sent 1 s after the last',
      { lastFromAuthorAt: new Date(RECEIVED_AT.getTime() - 1000) },
      'rejected',
      ['TOO_FAST'],
    ],
    ['a comment without text', { fields: { body: '' } }, 'rejected', ['REQUIRED']],
    [
      'a comment sent 1 s after its form was rendered',
      { formToken: { status: 'valid', renderedAt: new Date(RECEIVED_AT.getTime() - 1000) } },
      'pending',
      ['FORM_TOO_FAST'],
    ],
    [
      'a comment with a forged form token',
      { formToken: { status: 'forged', renderedAt: null } },
      'spam',
      ['FORM_TOKEN_FORGED'],
    ],
    [
      'a comment without a form token (API client)',
      { formToken: { status: 'missing', renderedAt: null } },
      'approved',
      [],
    ],
    [
      'a comment from an email marked spam before',
      { spamMemory: { kind: 'email', value: 'ada@example.org' } },
      'spam',
      ['SPAM_MEMORY'],
    ],
    ['a comment during a surge', { surge: true }, 'pending', ['SURGE']],
    ['a comment Akismet calls spam', { akismet: { result: 'spam', detail: '' } }, 'spam', ['AKISMET_SPAM']],
    [
      'a comment Akismet could not check',
      { akismet: { result: 'unavailable', detail: 'down' } },
      'pending',
      ['AKISMET_UNAVAILABLE'],
    ],
  ])('%s is %s, giving %j', (_scenario, overrides, status, expected) => {
    const verdict = checkComment(baseContext(overrides));
    expect(verdict.status).toBe(status);
    expect(verdict.reasons.map((r) => r.code)).toEqual(expected);
  });

  it('a held comment lists every hold reason, in list order, and sums their scores', () => {
    const verdict = checkComment(
      baseContext({
        fields: { body: 'refund now' },
        settings: { holdWords: ['refund'], holdLinks: 2, holdFirstTime: true, moderation: 'pre' },
        linkCount: 3,
        authorHasApproved: false,
      }),
    );
    expect(verdict.status).toBe('pending');
    expect(verdict.reasons.map((r) => r.code)).toEqual([
      'HOLD_WORD',
      'TOO_MANY_LINKS',
      'FIRST_COMMENT',
      'PRE_MODERATION',
    ]);
    expect(verdict.score).toBe(2 + 3 + 0.5 + 0);
  });

  it('spam outweighs hold, and the hold reasons are still listed after the spam ones', () => {
    const verdict = checkComment(
      baseContext({
        fields: { body: 'casino refund' },
        settings: { spamWords: ['casino'], holdWords: ['refund'] },
        honeypot: 'x',
        linkCount: 2,
      }),
    );
    expect(verdict.status).toBe('spam');
    expect(verdict.reasons.map((r) => r.code)).toEqual(['HONEYPOT', 'SPAM_WORD', 'HOLD_WORD', 'TOO_MANY_LINKS']);
    expect(verdict.score).toBe(10 + 5 + 2 + 2);
  });

  it('reject outweighs spam and hold; refusals come first, in list order', () => {
    const ctx = baseContext({
      fields: { body: 'casino', email: 'bad', parentId: 'not-a-uuid' },
      settings: { spamWords: ['casino'], moderation: 'pre' },
      page: { id: 1, closed: true, firstCommentAt: null },
      parent: 'missing',
      duplicate: true,
      lastFromAuthorAt: RECEIVED_AT,
      honeypot: 'x',
    });
    const verdict = checkComment(ctx);
    expect(verdict.status).toBe('rejected');
    expect(codes(ctx)).toEqual([
      'INVALID_EMAIL',
      'INVALID_PARENT',
      'THREAD_CLOSED',
      'PARENT_NOT_FOUND',
      'DUPLICATE',
      'TOO_FAST',
      'HONEYPOT',
      'SPAM_WORD',
      'PRE_MODERATION',
    ]);
    expect(verdict.reasons.find((r) => r.code === 'INVALID_EMAIL')?.field).toBe('email');
  });

  it('runs every rule even after a reject, with the same context', () => {
    const seen: string[] = [];
    const ctx = baseContext();
    const rule =
      (name: string, outcome: RuleOutcome | RuleOutcome[] | null): CheckRule =>
      (c) => {
        expect(c).toBe(ctx);
        seen.push(name);
        return outcome;
      };
    const reject: RuleOutcome = { rule: 'r', action: 'reject', code: 'R', message: 'r', score: 0 };
    const hold: RuleOutcome = { rule: 'h', action: 'hold', code: 'H', message: 'h', score: 1 };
    const verdict = checkComment(ctx, [rule('a', reject), rule('b', null), rule('c', [hold, hold]), rule('d', [])]);
    expect(seen).toEqual(['a', 'b', 'c', 'd']);
    expect(verdict).toEqual({ status: 'rejected', score: 2, reasons: [reject, hold, hold] });
  });

  it('with no rules, everything is approved', () => {
    expect(checkComment(baseContext({ duplicate: true }), []).status).toBe('approved');
  });

  it.each([
    ['a trusted author', { trusted: true }],
    ['a site that publishes unless flagged', { settings: { moderation: 'open' as const } }],
  ])('%s skips the hold rules but not spam or refusals', (_name, change) => {
    const held = baseContext({
      ...change,
      linkCount: 5,
      authorHasApproved: false,
      settings: { holdFirstTime: true, ...('settings' in change ? change.settings : {}) },
    });
    expect(checkComment(held).status).toBe('approved');
    expect(checkComment({ ...held, honeypot: 'bot' }).status).toBe('spam');
    expect(checkComment({ ...held, duplicate: true }).status).toBe('rejected');
  });

  it('a banned author is marked as spam, naming the ban', () => {
    const verdict = checkComment(baseContext({ ban: { kind: 'domain', value: 'spam.example' } }));
    expect(verdict.status).toBe('spam');
    expect(verdict.reasons).toEqual([
      expect.objectContaining({ code: 'BANNED', message: expect.stringContaining('spam.example') }),
    ]);
  });

  describe('identity (issue 14)', () => {
    const reader = { id: 7 };
    const firstTimer = { authorHasApproved: false, linkCount: 3, settings: { holdFirstTime: true } } as const;

    it("a trusted reader's comment skips the holds; the same facts for an untrusted author are held", () => {
      expect(checkComment(baseContext({ ...firstTimer, reader, trusted: true })).status).toBe('approved');
      expect(codes(baseContext({ ...firstTimer, reader }))).toEqual(['TOO_MANY_LINKS', 'FIRST_COMMENT']);
      // A guest is never trusted (the facts say so: check-facts.ts), whatever email they typed.
      expect(codes(baseContext({ ...firstTimer, reader: null, trusted: false }))).toEqual([
        'TOO_MANY_LINKS',
        'FIRST_COMMENT',
      ]);
    });

    it('a banned reader is spam even when trusted: trust skips holds, never a ban', () => {
      const verdict = checkComment(baseContext({ reader, trusted: true, ban: { kind: 'reader', value: '7' } }));
      expect(verdict.status).toBe('spam');
      expect(verdict.reasons.map((r) => r.code)).toEqual(['BANNED']);
    });

    it("a reader's own remembered spam is spam from any address", () => {
      const verdict = checkComment(baseContext({ reader, spamMemory: { kind: 'reader', value: '7' } }));
      expect(verdict.status).toBe('spam');
      expect(verdict.reasons.map((r) => r.code)).toEqual(['SPAM_MEMORY']);
    });

    it('a reader without an email is approved where guests must give one', () => {
      const ctx = baseContext({ reader, fields: { email: '' }, settings: { requireEmail: true } });
      expect(checkComment(ctx).status).toBe('approved');
      expect(codes({ ...ctx, reader: null })).toEqual(['REQUIRED']);
    });
  });

  it('the default list holds refusals, then spam, then the classifier, then hold rules', () => {
    expect(checkRules.map((r) => r.name)).toEqual([
      'requiredFields',
      'guestsRefused',
      'closedPage',
      'parentRules',
      'duplicate',
      'flood',
      'honeypot',
      'formToken',
      'bannedAuthor',
      'spamMemory',
      'spamWords',
      'akismetRule',
      'externalCheckRule',
      'spamClassifier',
      'abuseFilter',
      'holdWords',
      'manyLinks',
      'firstTimeAuthor',
      'preModeration',
      'surgeMode',
      'pageSurge',
      'offHours',
    ]);
  });
});
