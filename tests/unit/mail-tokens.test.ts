import { describe, expect, it } from 'vitest';
import { readMailToken, signMailToken, type ModerateToken } from '../../src/mail/mail-tokens.js';
import { renderHeldDigest, renderReplyNotice } from '../../src/mail/mail-templates.js';
import { toHeaderText } from '../../src/mail/mailer.js';

const key = 'test-mail-key';
const now = 1_700_000_000;
const moderate: ModerateToken = {
  kind: 'moderate',
  commentId: '0190f0f0-0000-7000-8000-000000000001',
  action: 'approve',
  moderatorId: 7,
  expiresAt: now + 3600,
  nonce: 'nonce-123456',
};

describe('signed mail links', () => {
  it('a moderation token reads back as signed, until it expires', () => {
    const t = signMailToken(key, moderate);
    expect(readMailToken(key, t, now)).toEqual({ ok: true, token: moderate });
    expect(readMailToken(key, t, now + 3600)).toEqual({ ok: false, reason: 'EXPIRED' });
  });

  it('an unsubscribe token never expires', () => {
    const t = signMailToken(key, { kind: 'unsubscribe', commentId: moderate.commentId });
    expect(readMailToken(key, t, now + 10 * 365 * 86_400)).toEqual({
      ok: true,
      token: { kind: 'unsubscribe', commentId: moderate.commentId },
    });
  });

  it.each([
    [
      'another action',
      (t: string) => {
        const [p, s] = t.split('.');
        const v = JSON.parse(Buffer.from(p!, 'base64url').toString()) as Record<string, unknown>;
        return `${Buffer.from(JSON.stringify({ ...v, a: 'spam' })).toString('base64url')}.${s}`;
      },
      'BAD_SIGNATURE',
    ],
    [
      'a later expiry',
      (t: string) => {
        const [p, s] = t.split('.');
        const v = JSON.parse(Buffer.from(p!, 'base64url').toString()) as Record<string, unknown>;
        return `${Buffer.from(JSON.stringify({ ...v, e: now + 999_999 })).toString('base64url')}.${s}`;
      },
      'BAD_SIGNATURE',
    ],
    ['a cut signature', (t: string) => t.slice(0, -3), 'BAD_SIGNATURE'],
    ['no signature', (t: string) => t.split('.')[0]!, 'MALFORMED'],
    ['an extra part', (t: string) => `${t}.x`, 'MALFORMED'],
  ])('a token with %s is refused', (_s, tamper, reason) => {
    expect(readMailToken(key, tamper(signMailToken(key, moderate)), now)).toEqual({ ok: false, reason });
  });

  it('a token signed with another key is refused', () => {
    expect(readMailToken('other-key', signMailToken(key, moderate), now)).toEqual({
      ok: false,
      reason: 'BAD_SIGNATURE',
    });
  });

  it.each([[undefined], [42], [['a']], ['x'.repeat(2000)]])('%j is malformed', (value) => {
    expect(readMailToken(key, value, now)).toEqual({ ok: false, reason: 'MALFORMED' });
  });
});

describe('mail templates', () => {
  const evil = '<script>alert(1)</script> & "quotes"';

  it('escape reader text in HTML and keep it as plain text in the text part', () => {
    const mail = renderReplyNotice({
      recipientName: evil,
      replyAuthor: evil,
      replyText: `${evil}\nsecond line`,
      page: evil,
      commentUrl: 'https://blog.example/p#comment-1',
      unsubscribeUrl: 'https://desk.example/u?t=1',
    });
    expect(mail.html).not.toContain('<script>');
    expect(mail.html).toContain('&lt;script&gt;alert(1)&lt;/script&gt; &amp; &quot;quotes&quot;');
    expect(mail.text).toContain('> <script>alert(1)</script> & "quotes"\n> second line');
    expect(mail.text).toContain('https://desk.example/u?t=1');
  });

  it('a digest lists every comment with its three links and counts the rest', () => {
    const item = (n: number) => ({
      authorName: `A${n}`,
      body: `text ${n}`,
      siteId: 'news',
      page: 'Post',
      receivedAt: new Date(0),
      links: { approve: `https://d/a${n}`, reject: `https://d/r${n}`, spam: `https://d/s${n}` },
    });
    const mail = renderHeldDigest({
      moderatorName: 'Mo',
      items: [item(1), item(2)],
      more: 3,
      queueUrl: 'https://d/admin',
      settingsUrl: 'https://d/admin/me',
      linkHours: 48,
    });
    expect(mail.subject).toBe('5 comments are waiting for moderation');
    for (const l of ['https://d/a1', 'https://d/r1', 'https://d/s1', 'https://d/a2']) expect(mail.text).toContain(l);
    expect(mail.text).toContain('…and 3 more');
  });

  it('header text loses line breaks, so reader text cannot add a header', () => {
    expect(toHeaderText('Title\r\nBcc: victim@example.org')).toBe('Title Bcc: victim@example.org');
  });
});
