import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { toChangeEvents, toStoredEvents } from '../../src/webhooks/comment-events.js';
import { checkWebhookUrl, isPrivateAddress } from '../../src/webhooks/webhook-target.js';
import { newWebhookSecret, signingSecrets, signWebhook, verifyWebhook } from '../../src/webhooks/webhook-signature.js';

const body = '{"id":"e1","type":"comment.approved"}';
const secret = 'whsec_test-secret';
const now = 1_700_000_000;

describe('webhook signatures', () => {
  it('the header is t=<unix>,v1=<hex HMAC-SHA256 of "t.body">, as the README tells receivers', () => {
    const expected = createHmac('sha256', secret).update(`${now}.${body}`).digest('hex');
    expect(signWebhook([secret], now, body)).toBe(`t=${now},v1=${expected}`);
  });

  it('a signature made now verifies', () => {
    expect(verifyWebhook(signWebhook([secret], now, body), body, [secret], { nowSeconds: now + 10 })).toEqual({
      ok: true,
      timestamp: now,
    });
  });

  it.each([
    ['a changed body', signWebhook([secret], now, body), `${body} `, now, 'BAD_SIGNATURE'],
    ['another secret', signWebhook(['whsec_other'], now, body), body, now, 'BAD_SIGNATURE'],
    ['a timestamp older than five minutes (replay)', signWebhook([secret], now, body), body, now + 301, 'TOO_OLD'],
    ['a timestamp from the future', signWebhook([secret], now + 400, body), body, now, 'TOO_OLD'],
    [
      'a changed timestamp',
      signWebhook([secret], now, body).replace(`t=${now}`, `t=${now + 1}`),
      body,
      now,
      'BAD_SIGNATURE',
    ],
    ['no header', '', body, now, 'MALFORMED'],
    ['no v1', `t=${now}`, body, now, 'MALFORMED'],
    ['garbage', 'hello', body, now, 'MALFORMED'],
  ])('%s is refused', (_s, header, b, at, reason) => {
    expect(verifyWebhook(header, b, [secret], { nowSeconds: at })).toEqual({ ok: false, reason });
  });

  it('during a rotation both secrets sign, so a receiver with either one accepts', () => {
    const header = signWebhook(['whsec_new', 'whsec_old'], now, body);
    expect(header.match(/v1=/g)).toHaveLength(2);
    expect(verifyWebhook(header, body, ['whsec_old'], { nowSeconds: now }).ok).toBe(true);
    expect(verifyWebhook(header, body, ['whsec_new'], { nowSeconds: now }).ok).toBe(true);
  });

  it('the previous secret signs only until its grace period ends', () => {
    const s = { secret: 'new', previousSecret: 'old', previousSecretExpiresAt: new Date(2_000) };
    expect(signingSecrets(s, new Date(1_000))).toEqual(['new', 'old']);
    expect(signingSecrets(s, new Date(2_000))).toEqual(['new']);
    expect(signingSecrets({ secret: 'new', previousSecret: null, previousSecretExpiresAt: null }, new Date(0))).toEqual(
      ['new'],
    );
  });

  it('secrets are random and recognisable', () => {
    expect(newWebhookSecret()).toMatch(/^whsec_[A-Za-z0-9_-]{43}$/);
    expect(newWebhookSecret()).not.toBe(newWebhookSecret());
  });
});

describe('the SSRF guard', () => {
  it.each([
    '127.0.0.1',
    '127.9.9.9',
    '10.1.2.3',
    '172.16.0.1',
    '172.31.255.255',
    '192.168.1.1',
    '169.254.169.254',
    '100.64.0.1',
    '0.0.0.0',
    '::1',
    '::',
    'fe80::1',
    'fd00::1',
    '::ffff:127.0.0.1',
    '::ffff:10.0.0.1',
    '224.0.0.1',
    'not-an-ip',
  ])('%s is private', (ip) => {
    expect(isPrivateAddress(ip)).toBe(true);
  });

  it.each(['8.8.8.8', '1.1.1.1', '172.32.0.1', '2606:4700:4700::1111', '::ffff:8.8.8.8'])('%s is public', (ip) => {
    expect(isPrivateAddress(ip)).toBe(false);
  });

  it.each([
    ['https://hooks.example/x', null],
    ['http://hooks.example:8080/x?y=1', null],
    ['ftp://hooks.example/x', 'Only http'],
    ['file:///etc/passwd', 'Only http'],
    ['https://user:pw@hooks.example/', 'credentials'],
    ['not a url', 'not a URL'],
  ])('the URL %s is %s', (url, problem) => {
    const found = checkWebhookUrl(url);
    if (problem === null) expect(found).toBeNull();
    else expect(found).toContain(problem);
  });
});

describe('comment events', () => {
  const c = { id: '0190f0f0-0000-7000-8000-000000000001', siteId: 'news' };

  it.each([
    ['approved', ['comment.created', 'comment.approved']],
    ['pending', ['comment.created']],
    ['spam', ['comment.created', 'comment.spam']],
    ['rejected', ['comment.created', 'comment.rejected']],
  ] as const)('a stored %s comment announces %j, with ids that a retry repeats', (status, types) => {
    const events = toStoredEvents({ ...c, status }, new Date());
    expect(events.map((e) => e.type)).toEqual(types);
    expect(toStoredEvents({ ...c, status }, new Date()).map((e) => e.id)).toEqual(events.map((e) => e.id));
  });

  it('status changes announce approved, rejected, spam, and held only when a published comment goes back', () => {
    const events = toChangeEvents(
      [
        { ...c, fromStatus: 'pending', toStatus: 'approved' },
        { ...c, fromStatus: 'approved', toStatus: 'pending' },
        { ...c, fromStatus: 'spam', toStatus: 'pending' },
        { ...c, fromStatus: 'pending', toStatus: 'deleted' },
        { ...c, fromStatus: 'pending', toStatus: 'spam' },
      ],
      'moderator',
      new Date(),
    );
    expect(events.map((e) => e.type)).toEqual(['comment.approved', 'comment.held', 'comment.spam']);
    expect(new Set(events.map((e) => e.id)).size).toBe(3);
  });
});
