import { describe, expect, it } from 'vitest';
import { readCheckHookAnswer, toSafeReason } from '../../src/hooks/check-hook-answer.js';
import { readCheckHookInput } from '../../src/hooks/check-hook-input.js';
import { toCheckHookRequest } from '../../src/hooks/check-hook-request.js';
import { MAX_REASON_LENGTH, type ExternalCheck } from '../../src/hooks/external-check.js';
import { checkComment } from '../../src/moderation/check-comment.js';
import {
  asksExternalCheck,
  EXTERNAL_CHECK_UNAVAILABLE,
  externalCheckRule,
} from '../../src/moderation/rules/external-check-rule.js';
import { signWebhook, verifyWebhook } from '../../src/webhooks/webhook-signature.js';
import { baseContext } from './support/check-context.js';

const check = (result: ExternalCheck['result'], reason = '', score: number | null = null): ExternalCheck => ({
  result,
  reason,
  score,
});

describe('externalCheckRule', () => {
  it.each([
    ['approve', null, 'approved'],
    ['hold', 'EXTERNAL_HOLD', 'pending'],
    ['spam', 'EXTERNAL_SPAM', 'spam'],
    ['reject', 'EXTERNAL_REJECT', 'rejected'],
    ['unavailable', EXTERNAL_CHECK_UNAVAILABLE, 'pending'],
  ] as const)('the answer %s gives %s and a %s comment', (result, code, status) => {
    const ctx = baseContext({ externalCheck: check(result, 'why') });
    expect(externalCheckRule(ctx)?.code ?? null).toBe(code);
    expect(checkComment(ctx).status).toBe(status);
  });

  it('no hook asked (left out or null) adds nothing', () => {
    expect(externalCheckRule(baseContext({}))).toBeNull();
    expect(externalCheckRule(baseContext({ externalCheck: null }))).toBeNull();
  });

  it('approve cannot publish past a local hold', () => {
    const v = checkComment(baseContext({ externalCheck: check('approve'), linkCount: 5 }));
    expect(v.status).toBe('pending');
    expect(v.reasons.map((r) => r.code)).toEqual(['TOO_MANY_LINKS']);
  });

  it.each([
    ['a trusted author', { trusted: true }],
    ['an open site', { settings: { moderation: 'open' as const } }],
  ])('its hold and "could not check" hold %s too: it never fails open to publish', (_s, over) => {
    for (const result of ['hold', 'unavailable'] as const)
      expect(checkComment(baseContext({ ...over, externalCheck: check(result) })).status).toBe('pending');
  });

  it('a refusal tells the reader the hook’s reason, never its score; moderators see the score on holds', () => {
    expect(externalCheckRule(baseContext({ externalCheck: check('reject', 'Legal: names a minor', 0.97) }))).toEqual({
      rule: 'externalCheck',
      action: 'reject',
      code: 'EXTERNAL_REJECT',
      message: 'Legal: names a minor',
      score: 0,
    });
    expect(externalCheckRule(baseContext({ externalCheck: check('reject') }))?.message).toBe(
      'This comment was refused by the site’s own check.',
    );
    expect(externalCheckRule(baseContext({ externalCheck: check('hold', 'Possibly defamatory', 0.6) }))?.message).toBe(
      'The site’s external check held this comment (score 0.6): Possibly defamatory',
    );
  });

  it('the unavailable hold says why', () => {
    expect(
      externalCheckRule(baseContext({ externalCheck: check('unavailable', 'timed out after 300 ms') }))?.message,
    ).toContain('(timed out after 300 ms)');
  });

  it.each([
    ['approved', true],
    ['pending', true],
    ['spam', false],
    ['rejected', false],
  ] as const)('a local verdict %s asks the hook: %s', (status, asks) => {
    expect(asksExternalCheck({ status })).toBe(asks);
  });
});

describe('readCheckHookAnswer', () => {
  it.each<[string, number, string, Partial<ExternalCheck>]>([
    ['approve', 200, '{"action":"approve"}', { result: 'approve', reason: '', score: null }],
    ['hold with reason and score', 200, '{"action":"hold","reason":"r","score":0.5}', { result: 'hold', score: 0.5 }],
    ['a 202 is still 2xx', 202, '{"action":"spam"}', { result: 'spam' }],
    ['extra keys are ignored', 200, '{"action":"reject","reason":"x","model":"v2"}', { result: 'reject', reason: 'x' }],
    ['a 500', 500, '{"action":"approve"}', { result: 'unavailable', reason: 'the hook answered HTTP 500' }],
    ['a 302 (never followed)', 302, '', { result: 'unavailable' }],
    ['garbage', 200, '<html>oops</html>', { result: 'unavailable', reason: 'the hook’s answer is not JSON' }],
    ['an unknown action', 200, '{"action":"publish"}', { result: 'unavailable' }],
    ['no action', 200, '{"reason":"x"}', { result: 'unavailable' }],
    ['a reason that is not text', 200, '{"action":"hold","reason":5}', { result: 'unavailable' }],
    ['JSON null', 200, 'null', { result: 'unavailable' }],
  ])('%s', (_s, status, body, expected) => {
    expect(readCheckHookAnswer(status, body)).toMatchObject(expected);
  });
});

describe('toSafeReason', () => {
  it.each([
    ['line breaks and tabs become spaces', 'a\r\nb\tc', 'a b c'],
    ['control and bidi characters go', 'ok\u0000\u0007\u202Egnp.exe\u200B', 'ok gnp.exe'],
    ['NFC', 'Cafe\u0301', 'Café'],
    ['markup stays text (escaped where shown)', '<b>no</b>', '<b>no</b>'],
  ])('%s', (_s, raw, safe) => {
    expect(toSafeReason(raw)).toBe(safe);
  });

  it(`keeps at most ${MAX_REASON_LENGTH} characters, cut at a whole code point`, () => {
    const cut = toSafeReason('😀'.repeat(400));
    expect(Array.from(cut)).toHaveLength(MAX_REASON_LENGTH);
    expect(cut.endsWith('😀…')).toBe(true);
  });
});

describe('the request and its signature', () => {
  const s = {
    id: '0190f0a0-0000-7000-8000-000000000001',
    siteId: 'news',
    page: 'p1',
    pageUrl: 'https://news.example/p1',
    pageTitle: 'Title',
    parentId: null,
    body: 'Hello',
    author: 'Ann',
    url: 'https://ann.example',
    lang: 'en',
    reader: undefined,
    receivedAt: '2026-12-06T20:00:00.000Z',
  };

  it('carries the text, name, website, page and local verdict, and never the email or IP', () => {
    const req = toCheckHookRequest({ ...s, email: 'ann@example.org', ip: '203.0.113.7' } as typeof s, {
      status: 'pending',
      reasons: [{ rule: 'x', action: 'hold', code: 'FIRST_COMMENT', message: '', score: 0 }],
    });
    expect(req).toEqual({
      type: 'comment.check',
      id: s.id,
      editId: null,
      site: 'news',
      page: { id: 'p1', url: 'https://news.example/p1', title: 'Title' },
      parentId: null,
      text: 'Hello',
      name: 'Ann',
      website: 'https://ann.example',
      lang: 'en',
      signedIn: false,
      receivedAt: s.receivedAt,
      local: { status: 'pending', reasons: ['FIRST_COMMENT'] },
    });
    expect(JSON.stringify(req)).not.toMatch(/ann@example\.org|203\.0\.113\.7/);
  });

  it('the signature verifies with the hook’s secret over timestamp and body, and not with another or a changed body', () => {
    const body = JSON.stringify(toCheckHookRequest(s, { status: 'approved', reasons: [] }));
    const header = signWebhook(['whsec_test_secret_of_enough_length_123'], 1_700_000_000, body);
    const opts = { nowSeconds: 1_700_000_010 };
    expect(verifyWebhook(header, body, ['whsec_test_secret_of_enough_length_123'], opts).ok).toBe(true);
    expect(verifyWebhook(header, body, ['whsec_other'], opts)).toEqual({ ok: false, reason: 'BAD_SIGNATURE' });
    expect(verifyWebhook(header, `${body} `, ['whsec_test_secret_of_enough_length_123'], opts).ok).toBe(false);
  });
});

describe('readCheckHookInput', () => {
  it.each<[string, Record<string, unknown>, unknown]>([
    ['a URL alone', { url: ' https://hook.example/check ' }, { url: 'https://hook.example/check', timeoutMs: null }],
    [
      'digits from a form',
      { url: 'https://h.example', timeoutMs: '1500' },
      { url: 'https://h.example', timeoutMs: 1500 },
    ],
    ['a JSON number', { url: 'https://h.example', timeoutMs: 100 }, { url: 'https://h.example', timeoutMs: 100 }],
    ['an empty timeout', { url: 'https://h.example', timeoutMs: '' }, { url: 'https://h.example', timeoutMs: null }],
  ])('%s is taken', (_s, raw, hook) => {
    expect(readCheckHookInput(raw)).toEqual({ ok: true, hook });
  });

  it.each<[string, Record<string, unknown>, string]>([
    ['no URL', {}, 'url'],
    ['ftp', { url: 'ftp://h.example' }, 'url'],
    ['credentials in the URL', { url: 'https://u:p@h.example' }, 'url'],
    ['a timeout too short', { url: 'https://h.example', timeoutMs: '99' }, 'timeoutMs'],
    ['a timeout too long', { url: 'https://h.example', timeoutMs: 10_001 }, 'timeoutMs'],
    ['a fractional timeout', { url: 'https://h.example', timeoutMs: '1e3' }, 'timeoutMs'],
  ])('%s is refused', (_s, raw, field) => {
    const read = readCheckHookInput(raw);
    expect(read.ok).toBe(false);
    if (!read.ok) expect(read.problem.field).toBe(field);
  });
});
