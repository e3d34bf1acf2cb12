import { describe, expect, it } from 'vitest';
import { checkComment } from '../../src/moderation/check-comment.js';
import { editCheckRules, isEditWindowOpen, toEditOutcome } from '../../src/moderation/edit-check.js';
import type { CommentStatus, Verdict } from '../../src/moderation/verdict.js';
import { findEditBodyErrors, readEditInput } from '../../src/http/public/own-comment-routes.js';
import { toEditId } from '../../src/queue/edits-queue.js';
import { baseContext, PARENT_ID, RECEIVED_AT } from './support/check-context.js';

type Overrides = Parameters<typeof baseContext>[0];
const editCodes = (o: Overrides): string[] => checkComment(baseContext(o), editCheckRules).reasons.map((r) => r.code);

describe('the checks an edit goes through', () => {
  it.each<[string, Overrides, string[]]>([
    ['an empty text is refused', { fields: { body: '' } }, ['REQUIRED']],
    ['a hold word holds', { fields: { body: 'refund please' }, settings: { holdWords: ['refund'] } }, ['HOLD_WORD']],
    ['a spam word is spam', { fields: { body: 'casino' }, settings: { spamWords: ['casino'] } }, ['SPAM_WORD']],
    ['two links hold', { linkCount: 2 }, ['TOO_MANY_LINKS']],
    ['a banned author is spam', { ban: { kind: 'email', value: 'ada@example.org' } }, ['BANNED']],
    ['a closed page refuses', { page: { id: 1, closed: true, firstCommentAt: null } }, ['THREAD_CLOSED']],
    ['another live comment with the same fingerprint is a duplicate', { duplicate: true }, ['DUPLICATE']],
    ['a pre-moderated site holds', { settings: { moderation: 'pre' } }, ['PRE_MODERATION']],
    [
      'a word of the abuse lexicon holds',
      { abuseScore: { pAbuse: 0.5, features: [], trained: false, words: ['shit'] } },
      ['ABUSE'],
    ],
    // Left out for an edit: each of these would refuse, spam or hold a new comment.
    ['no first-time hold', { settings: { holdFirstTime: true }, authorHasApproved: false }, []],
    ['no flood window', { lastFromAuthorAt: new Date(RECEIVED_AT.getTime() - 1000) }, []],
    ['no honeypot', { honeypot: 'filled' }, []],
    ['no form token', { settings: { requireFormToken: true }, formToken: { status: 'missing', renderedAt: null } }, []],
    ['no parent check', { parent: 'missing', fields: { parentId: PARENT_ID } }, []],
    ['no surge hold', { surge: true }, []],
    // Fields the edit does not change are not its problem (the settings may have changed since).
    ['no name check', { fields: { author: '' }, settings: { requireName: true } }, []],
  ])('%s', (_what, overrides, codes) => {
    const got = editCodes(overrides);
    const mainCodes = checkComment(baseContext(overrides)).reasons.map((r) => r.code);
    expect(got).toEqual(codes);
    // The rules left out are real differences from a new comment's checks, not rules that never fire.
    if (codes.length === 0) expect(mainCodes.length).toBeGreaterThan(0);
  });

  it('holds skip a trusted author and open sites, as for a new comment; spam words do not', () => {
    const held = { fields: { body: 'refund please' }, settings: { holdWords: ['refund'] } };
    expect(editCodes({ ...held, trusted: true })).toEqual([]);
    expect(editCodes({ ...held, settings: { holdWords: ['refund'], moderation: 'open' } })).toEqual([]);
    expect(editCodes({ fields: { body: 'casino' }, settings: { spamWords: ['casino'] }, trusted: true })).toEqual([
      'SPAM_WORD',
    ]);
  });
});

describe('what an edit does to the comment', () => {
  const v = (status: CommentStatus): Pick<Verdict, 'status'> => ({ status });
  it.each<[CommentStatus, CommentStatus, string, CommentStatus]>([
    ['approved', 'approved', 'applied', 'approved'],
    ['approved', 'pending', 'held', 'pending'],
    ['approved', 'spam', 'spam', 'spam'],
    ['approved', 'rejected', 'refused', 'approved'],
    ['pending', 'approved', 'applied', 'pending'],
    ['pending', 'pending', 'held', 'pending'],
    ['pending', 'spam', 'spam', 'spam'],
    ['pending', 'rejected', 'refused', 'pending'],
    ['spam', 'approved', 'spam', 'spam'],
    ['spam', 'rejected', 'refused', 'spam'],
  ])('a %s comment whose edit is %s: %s, and it is %s', (current, verdict, outcome, status) => {
    expect(toEditOutcome(current, v(verdict))).toEqual({ outcome, status });
  });
});

describe('the edit window', () => {
  const at = new Date('2026-01-01T12:00:00Z');
  const later = (ms: number): Date => new Date(at.getTime() + ms);
  it.each<[string, number, number, boolean]>([
    ['just sent', 15, 0, true],
    ['a second before it closes', 15, 15 * 60_000 - 1000, true],
    ['when it closes', 15, 15 * 60_000, false],
    ['long after', 15, 3_600_000, false],
    ['editing off (0 minutes), at once', 0, 0, false],
  ])('%s', (_what, minutes, ms, open) => {
    expect(isEditWindowOpen(at, minutes, later(ms))).toBe(open);
  });
});

describe('the edit input', () => {
  it('reads only body and editKey, trims the text as a new comment’s, and refuses wrong types', () => {
    expect(readEditInput({ body: '\n\n  indented\n  ', editKey: 'k', status: 'approved' })).toEqual({
      body: '  indented',
      rawBody: '\n\n  indented\n  ',
      editKey: 'k',
    });
    expect(readEditInput({})).toEqual({ body: '', rawBody: '', editKey: null });
    expect(() => readEditInput({ body: 1 })).toThrow(expect.objectContaining({ code: 'INVALID_TYPE', field: 'body' }));
    expect(() => readEditInput({ editKey: 'x'.repeat(201) })).toThrow(expect.objectContaining({ field: 'editKey' }));
    expect(() => readEditInput([])).toThrow(expect.objectContaining({ code: 'INVALID_BODY' }));
  });

  it.each<[string, string, string[]]>([
    ['a good text', 'Fine words', []],
    ['whitespace only', '   ', ['REQUIRED']],
    ['over the byte limit', 'é'.repeat(40_000), ['TOO_LONG']],
    ['a NUL', 'a\u0000b', ['INVALID_CHARACTERS']],
    ['a C1 control', 'a\u0085b', ['INVALID_CHARACTERS']],
    ['a lone surrogate', 'a\uD800b', ['INVALID_CHARACTERS']],
  ])('%s', (_what, raw, codes) => {
    const { body, rawBody } = readEditInput({ body: raw });
    expect(findEditBodyErrors(body, rawBody).map((e) => e.code)).toEqual(codes);
  });
});

describe('edit ids', () => {
  it('the same edit is one id; another text, comment or starting text is another', () => {
    const id = '0190a1b2-c3d4-7e5f-8a6b-000000000001';
    const one = toEditId(id, 'old', 'new');
    expect(toEditId(id.toUpperCase(), 'old', 'new')).toBe(one);
    expect(one).toMatch(/^edit-[A-Za-z0-9_-]{32}$/);
    expect(
      new Set([one, toEditId(id, 'old', 'newer'), toEditId(id, 'older', 'new'), toEditId(PARENT_ID, 'old', 'new')])
        .size,
    ).toBe(4);
    // The separator cannot be typed into a comment (NUL is refused), so texts cannot slide into each other.
    expect(toEditId(id, 'a', 'bc')).not.toBe(toEditId(id, 'ab', 'c'));
  });
});
