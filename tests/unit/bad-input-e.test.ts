import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { checkPageTitle, pageLabel } from '../../src/domain/page-title.js';
import { readMailToken, signMailToken } from '../../src/mail/mail-tokens.js';
import { renderReplyConfirm } from '../../src/mail/mail-templates.js';

// Hostile inputs of issue 11, items 9 and 11 (brief E): confirmation links and page titles.
const key = 'test-mail-key';
const now = 1_700_000_000;
// A correctly signed payload of any shape (what an old release or a bug could have signed): the
// signature passing must not be enough for the shape.
const sign = (v: Record<string, unknown>) => {
  const payload = Buffer.from(JSON.stringify(v)).toString('base64url');
  return `${payload}.${createHmac('sha256', key).update(`reply-desk-mail\n${payload}`).digest('base64url')}`;
};

describe('page titles typed by a moderator or the CLI', () => {
  it.each([
    ['a NUL byte', 'Breaking\u0000news', 'INVALID_TEXT'],
    ['a line break (a header in a mail subject)', 'Title\r\nBcc: everyone@example.org', 'INVALID_TEXT'],
    ['a tab', 'Tab\there', 'INVALID_TEXT'],
    ['a C1 control', 'Next\u0085line', 'INVALID_TEXT'],
    ['a line separator', 'One\u2028two', 'INVALID_TEXT'],
    ['a lone surrogate (not UTF-8)', 'Bad \ud800 text', 'INVALID_TEXT'],
    ['nothing but spaces', '   ', 'REQUIRED'],
    ['501 bytes', 'é'.repeat(250) + 'x', 'TOO_LONG'],
  ])('%s is refused', (_name, value, code) => {
    expect(checkPageTitle(value)).toMatchObject({ ok: false, code });
  });

  it.each([
    ['markup, kept as text (every output escapes it)', '<script>alert(1)</script>', '<script>alert(1)</script>'],
    ['an emoji (a surrogate pair)', 'Launch day 🚀', 'Launch day 🚀'],
    ['500 bytes', 'é'.repeat(250), 'é'.repeat(250)],
    ['padding', '  Trimmed  ', 'Trimmed'],
  ])('%s is taken', (_name, value, title) => {
    expect(checkPageTitle(value)).toEqual({ ok: true, title });
  });

  it('an unconfirmed page is named by its URL, else its key, never by a suggestion', () => {
    expect(pageLabel({ title: null, url: 'https://blog.example/p', identifier: 'p' })).toBe('https://blog.example/p');
    expect(pageLabel({ title: null, url: null, identifier: 'p' })).toBe('p');
    expect(pageLabel({ title: 'Confirmed', url: 'https://blog.example/p', identifier: 'p' })).toBe('Confirmed');
  });
});

describe('confirmation links', () => {
  it.each([
    ['no site', { k: 'c', n: 'n'.repeat(24), e: now + 60 }],
    ['a numeric site', { k: 'c', s: 7, n: 'n'.repeat(24), e: now + 60 }],
    ['a huge site id', { k: 'c', s: 'x'.repeat(101), n: 'n'.repeat(24), e: now + 60 }],
    ['no nonce', { k: 'c', s: 'blog', e: now + 60 }],
    ['a huge nonce', { k: 'c', s: 'blog', n: 'n'.repeat(65), e: now + 60 }],
    ['no expiry', { k: 'c', s: 'blog', n: 'n'.repeat(24) }],
    ['a fractional expiry', { k: 'c', s: 'blog', n: 'n'.repeat(24), e: now + 0.5 }],
    ['an unknown kind', { k: 'x', s: 'blog', n: 'n'.repeat(24), e: now + 60 }],
  ])('a signed token with %s is malformed', (_name, payload) => {
    expect(readMailToken(key, sign(payload), now)).toEqual({ ok: false, reason: 'MALFORMED' });
  });

  it('a signed confirmation reads back, expires, and is no other kind of link', () => {
    const confirm = { kind: 'confirm', siteId: 'blog', nonce: 'n'.repeat(24), expiresAt: now + 60 } as const;
    const t = signMailToken(key, confirm);
    expect(readMailToken(key, t, now)).toEqual({ ok: true, token: confirm });
    expect(readMailToken(key, t, now + 60)).toEqual({ ok: false, reason: 'EXPIRED' });
    expect(
      readMailToken(key, sign({ ...JSON.parse(Buffer.from(t.split('.')[0]!, 'base64url').toString()), k: 'u' }), now),
    ).toEqual({ ok: false, reason: 'MALFORMED' });
  });

  it('a site name with a line break cannot add a header to the confirmation mail', () => {
    const mail = renderReplyConfirm({
      siteName: 'Blog\r\nBcc: x@example.org',
      confirmUrl: 'https://rd.example/mail/confirm?token=t',
      linkDays: 7,
    });
    expect(mail.subject).toBe('Confirm reply notices from Blog Bcc: x@example.org');
    expect(mail.text).toContain('https://rd.example/mail/confirm?token=t');
  });
});
