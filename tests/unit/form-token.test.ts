import { describe, expect, it } from 'vitest';
import { createFormTokens, FORM_TOKEN_MAX_AGE_MS } from '../../src/flood/form-token.js';

const tokens = createFormTokens('a-server-secret');
const rendered = new Date('2024-06-01T12:00:00.000Z');
const later = (ms: number): Date => new Date(rendered.getTime() + ms);

describe('form tokens', () => {
  it('a token verifies for its site and page, carrying the render time', () => {
    const t = tokens.sign('news', 'post-1', rendered);
    expect(tokens.verify(t, 'news', 'post-1', later(7000))).toEqual({ status: 'valid', renderedAt: rendered });
  });

  it.each([
    ['no token at all', '', 'missing'],
    ['garbage', 'not-a-token', 'forged'],
    ['a token without a signature', 'eyJzIjoibmV3cyJ9.', 'forged'],
    ['an overlong token', 'x'.repeat(5000), 'forged'],
  ])('%s is %s', (_s, token, status) => {
    expect(tokens.verify(token, 'news', 'post-1', later(7000)).status).toBe(status);
  });

  it('a token whose payload was changed (an earlier render time) is forged', () => {
    const t = tokens.sign('news', 'post-1', rendered);
    const [, sig] = t.split('.');
    const body = Buffer.from(JSON.stringify({ s: 'news', p: 'post-1', t: rendered.getTime() - 60_000 })).toString(
      'base64url',
    );
    expect(tokens.verify(`${body}.${sig}`, 'news', 'post-1', later(1000)).status).toBe('forged');
  });

  it('a token with one character of its signature changed is forged', () => {
    const t = tokens.sign('news', 'post-1', rendered);
    // Not the last character: of a base64url HMAC's last character only some bits count, and with
    // the token's random nonce 'A' → 'B' there sometimes changed nothing but padding (1 run in 16).
    const at = t.lastIndexOf('.') + 1;
    const flipped = t.slice(0, at) + (t[at] === 'A' ? 'B' : 'A') + t.slice(at + 1);
    expect(tokens.verify(flipped, 'news', 'post-1', later(7000)).status).toBe('forged');
  });

  it('a token signed under another secret is forged', () => {
    const other = createFormTokens('another-secret').sign('news', 'post-1', rendered);
    expect(tokens.verify(other, 'news', 'post-1', later(7000)).status).toBe('forged');
  });

  it('a token for another page or site is a mismatch', () => {
    const t = tokens.sign('news', 'post-1', rendered);
    expect(tokens.verify(t, 'news', 'post-2', later(7000)).status).toBe('mismatch');
    expect(tokens.verify(t, 'blog', 'post-1', later(7000)).status).toBe('mismatch');
  });

  it('a token older than a day is expired', () => {
    const t = tokens.sign('news', 'post-1', rendered);
    expect(tokens.verify(t, 'news', 'post-1', later(FORM_TOKEN_MAX_AGE_MS - 1)).status).toBe('valid');
    expect(tokens.verify(t, 'news', 'post-1', later(FORM_TOKEN_MAX_AGE_MS + 1))).toEqual({
      status: 'expired',
      renderedAt: rendered,
    });
  });
});
