import { describe, expect, it } from 'vitest';
import { toRateKeys } from '../../src/flood/ip-network.js';
import { checkComment } from '../../src/moderation/check-comment.js';
import { AKISMET_UNAVAILABLE, akismetRule, recheckVerdict } from '../../src/moderation/rules/akismet-rule.js';
import { formToken, pageSurge, spamMemory, surgeMode } from '../../src/moderation/rules/flood-rules.js';
import type { CheckContext } from '../../src/moderation/verdict.js';
import { baseContext, RECEIVED_AT } from './support/check-context.js';

const ago = (ms: number): Date => new Date(RECEIVED_AT.getTime() - ms);
type Token = NonNullable<CheckContext['formToken']>;

describe('formToken', () => {
  it.each<[string, Token | null, number]>([
    ['no token fact (spam eval)', null, 5],
    ['a missing token (API client)', { status: 'missing', renderedAt: null }, 5],
    ['a valid token 6 s old', { status: 'valid', renderedAt: ago(6000) }, 5],
    ['a valid token 1 s old with the rule off', { status: 'valid', renderedAt: ago(1000) }, 0],
  ])('%s says nothing', (_s, token, formMinSeconds) => {
    expect(formToken(baseContext({ formToken: token, settings: { formMinSeconds } }))).toBeNull();
  });

  it.each<[string, Token, string, string]>([
    ['a forged token', { status: 'forged', renderedAt: null }, 'spam', 'FORM_TOKEN_FORGED'],
    ['a token sent 2 s after render', { status: 'valid', renderedAt: ago(2000) }, 'hold', 'FORM_TOO_FAST'],
    ['a token from the future (clock skew)', { status: 'valid', renderedAt: ago(-3000) }, 'hold', 'FORM_TOO_FAST'],
    ['an expired token', { status: 'expired', renderedAt: ago(2 * 86_400_000) }, 'hold', 'FORM_TOKEN_EXPIRED'],
    ["another page's token", { status: 'mismatch', renderedAt: ago(60_000) }, 'hold', 'FORM_TOKEN_MISMATCH'],
  ])('%s: %s %s', (_s, token, action, code) => {
    expect(formToken(baseContext({ formToken: token }))).toMatchObject({ rule: 'form-token', action, code });
  });

  it.each<[string, Token | null, boolean, string | null]>([
    [
      'a missing token where the site requires one',
      { status: 'missing', renderedAt: null },
      true,
      'FORM_TOKEN_MISSING',
    ],
    ['a missing token where the site does not', { status: 'missing', renderedAt: null }, false, null],
    ['no token fact at all (spam eval) where the site requires one', null, true, null],
    [
      'a replayed token (another comment used it)',
      { status: 'replayed', renderedAt: ago(60_000) },
      false,
      'FORM_TOKEN_REPLAYED',
    ],
    ['a valid token where the site requires one', { status: 'valid', renderedAt: ago(60_000) }, true, null],
  ])('%s: held %s', (_s, token, requireFormToken, code) => {
    const r = formToken(baseContext({ formToken: token, settings: { requireFormToken } }));
    if (code === null) expect(r).toBeNull();
    else expect(r).toMatchObject({ rule: 'form-token', action: 'hold', code });
  });

  it('a missing or replayed token holds like a fast one: not for trusted authors nor on open sites', () => {
    for (const token of [
      { status: 'missing', renderedAt: null },
      { status: 'replayed', renderedAt: ago(60_000) },
    ] as Token[]) {
      expect(checkComment(baseContext({ formToken: token, settings: { requireFormToken: true } })).status).toBe(
        'pending',
      );
      expect(
        formToken(baseContext({ formToken: token, settings: { requireFormToken: true }, trusted: true })),
      ).toBeNull();
      expect(
        formToken(baseContext({ formToken: token, settings: { requireFormToken: true, moderation: 'open' } })),
      ).toBeNull();
    }
  });

  it('holds skip trusted authors and open sites; a forged token is spam for them too', () => {
    const fast: Token = { status: 'valid', renderedAt: ago(1000) };
    expect(formToken(baseContext({ formToken: fast, trusted: true }))).toBeNull();
    expect(formToken(baseContext({ formToken: fast, settings: { moderation: 'open' } }))).toBeNull();
    expect(formToken(baseContext({ formToken: { status: 'forged', renderedAt: null }, trusted: true }))?.action).toBe(
      'spam',
    );
  });
});

describe('spamMemory', () => {
  it.each([
    [{ kind: 'email', value: 'bot@spam.example' }, 'email (bot@spam.example)'],
    [{ kind: 'domain', value: 'pills.example' }, 'website domain (pills.example)'],
    // A signed-in reader's own earlier spam (issue 14): the identity, from whatever address.
    [{ kind: 'reader', value: '42' }, 'signed-in reader (reader 42)'],
  ] as const)('remembers %j as spam', (memory, words) => {
    const r = spamMemory(baseContext({ spamMemory: memory }));
    expect(r).toMatchObject({ rule: 'spam-memory', action: 'spam', code: 'SPAM_MEMORY' });
    expect(r?.message).toContain(words);
  });

  it('says nothing without a memory', () => {
    expect(spamMemory(baseContext({ spamMemory: null }))).toBeNull();
    expect(spamMemory(baseContext())).toBeNull();
  });

  const DAY = 86_400_000;
  const ipMemory = (daysAgo: number) => ({ kind: 'ip' as const, value: '203.0.113.9', at: ago(daysAgo * DAY) });
  it.each<[string, number, number]>([
    ['a decision learned just now', 0, 4],
    ['a week ago: half the weight', 7, 2],
    ['two weeks ago: a quarter', 14, 1],
    ['29 days ago: little left', 29, 0.23],
  ])('an IP marked spam: %s holds (never spams), score %s', (_s, days, score) => {
    const r = spamMemory(baseContext({ spamMemory: ipMemory(days), authorHasApproved: false }));
    expect(r).toMatchObject({ rule: 'spam-memory', action: 'hold', code: 'SPAM_MEMORY_IP', score });
    expect(r?.message).toContain('IP address (203.0.113.9)');
    // Evidence, not a verdict: alone it never makes the comment spam.
    expect(checkComment(baseContext({ spamMemory: ipMemory(days), authorHasApproved: false })).status).toBe('pending');
  });

  it.each<[string, Parameters<typeof baseContext>[0]]>([
    ['forgotten after 30 days', { spamMemory: ipMemory(31), authorHasApproved: false }],
    ["the author's approved history outweighs it", { spamMemory: ipMemory(0), authorHasApproved: true }],
    ['a trusted author', { spamMemory: ipMemory(0), authorHasApproved: false, trusted: true }],
    [
      'an open site (no holds)',
      { spamMemory: ipMemory(0), authorHasApproved: false, settings: { moderation: 'open' } },
    ],
  ])('an IP marked spam says nothing when %s', (_s, over) => {
    expect(spamMemory(baseContext(over))).toBeNull();
    expect(checkComment(baseContext(over)).status).toBe('approved');
  });
});

describe('surgeMode', () => {
  it('holds every comment while the site surges, on open sites too, but not trusted authors', () => {
    expect(surgeMode(baseContext({ surge: true }))).toMatchObject({ action: 'hold', code: 'SURGE' });
    expect(checkComment(baseContext({ surge: true, settings: { moderation: 'open' } })).status).toBe('pending');
    expect(surgeMode(baseContext({ surge: true, trusted: true }))).toBeNull();
    expect(surgeMode(baseContext({ surge: false }))).toBeNull();
  });
});

describe('akismetRule', () => {
  it.each([
    ['ham', null, 'approved'],
    ['spam', 'AKISMET_SPAM', 'spam'],
    ['discard', 'AKISMET_DISCARD', 'rejected'],
    ['unavailable', AKISMET_UNAVAILABLE, 'pending'],
  ] as const)('%s gives %s and a %s comment', (result, code, status) => {
    const ctx = baseContext({ akismet: { result, detail: 'x' } });
    expect(akismetRule(ctx)?.code ?? null).toBe(code);
    expect(checkComment(ctx).status).toBe(status);
  });

  it('an unavailable checker holds even on open sites and for trusted authors: it never publishes', () => {
    expect(
      checkComment(
        baseContext({
          akismet: { result: 'unavailable', detail: 'down' },
          trusted: true,
          settings: { moderation: 'open' },
        }),
      ).status,
    ).toBe('pending');
  });

  it('a recheck replaces the unavailable hold and keeps the other reasons', () => {
    const held = checkComment(baseContext({ akismet: { result: 'unavailable', detail: 'down' }, linkCount: 2 }));
    expect(held.reasons.map((r) => r.code)).toEqual([AKISMET_UNAVAILABLE, 'TOO_MANY_LINKS']);
    expect(recheckVerdict(held, { result: 'ham', detail: '' })).toMatchObject({
      status: 'pending',
      reasons: [{ code: 'TOO_MANY_LINKS' }],
    });
    expect(recheckVerdict(held, { result: 'spam', detail: '' }).status).toBe('spam');
    const onlyAkismet = checkComment(baseContext({ akismet: { result: 'unavailable', detail: 'down' } }));
    expect(recheckVerdict(onlyAkismet, { result: 'ham', detail: '' })).toEqual({
      status: 'approved',
      score: 0,
      reasons: [],
    });
  });
});

describe('toRateKeys', () => {
  it.each([
    ['203.0.113.7', { ip: '203.0.113.7', net64: null }],
    ['::ffff:203.0.113.7', { ip: '203.0.113.7', net64: null }],
    ['2001:db8:1:2::1', { ip: '2001:db8:1:2:0:0:0:1', net64: '2001:db8:1:2::/64' }],
    ['2001:0DB8:0001:0002:aaaa:bbbb:cccc:dddd', { ip: '2001:db8:1:2:aaaa:bbbb:cccc:dddd', net64: '2001:db8:1:2::/64' }],
    ['::1', { ip: '0:0:0:0:0:0:0:1', net64: '0:0:0:0::/64' }],
    ['not an ip', null],
    [null, null],
  ])('%s counts as %j', (ip, expected) => {
    expect(toRateKeys(ip)).toEqual(expected);
  });
});

describe('pageSurge', () => {
  const brigade = {
    score: 7.5,
    signals: [
      { name: 'duplicates' as const, value: 0.9, points: 3 },
      { name: 'first-time' as const, value: 1, points: 2 },
    ],
  };
  it('holds a comment on a page under a brigade, on open sites too, saying what scored; not trusted authors', () => {
    const outcome = pageSurge(baseContext({ pageSurge: brigade }));
    expect(outcome).toMatchObject({ action: 'hold', code: 'PAGE_SURGE', rule: 'page-surge' });
    expect(outcome?.message).toContain('90 % near-duplicate texts from other addresses, 100 % first-time authors');
    expect(checkComment(baseContext({ pageSurge: brigade, settings: { moderation: 'open' } })).status).toBe('pending');
    expect(pageSurge(baseContext({ pageSurge: brigade, trusted: true }))).toBeNull();
    expect(pageSurge(baseContext({ pageSurge: null }))).toBeNull();
  });
});
