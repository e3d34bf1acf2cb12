import { describe, expect, it } from 'vitest';
import { renderEmailConfirm, renderHandOff } from '../../src/http/readers/sign-in-pages.js';
import { toIdentity } from '../../src/readers/oidc-client.js';

const hostile = '</script><script>alert(1)</script><!--\u2028';

describe('the sign-in pages', () => {
  it('the hand-off data cannot close its JSON element, and reads back as it was', () => {
    const page = renderHandOff({
      targetOrigin: 'https://news.example',
      message: { type: 'reply-desk:signed-in', reader: { name: hostile } },
      title: 'Signed in',
      text: `You are signed in as ${hostile}.`,
      lang: 'en',
    });
    // One script element of data, one of ours; the hostile name opens none.
    expect(page.match(/<script/g)).toHaveLength(2);
    expect(page).not.toContain('<script>alert');
    const json = /<script type="application\/json" id="rd-hand-off">([\s\S]*?)<\/script>/.exec(page)![1]!;
    expect(JSON.parse(json)).toEqual({
      targetOrigin: 'https://news.example',
      message: { type: 'reply-desk:signed-in', reader: { name: hostile } },
    });
  });

  it('the confirm page escapes the site name and the token', () => {
    const page = renderEmailConfirm({ token: '"><b>x', siteName: '<i>Site</i>', lang: 'en' });
    expect(page).not.toContain('<i>Site</i>');
    expect(page).not.toContain('"><b>x');
  });
});

describe('OIDC identities', () => {
  const p = { siteId: 's', id: 'kc', name: 'KC', issuer: 'https://id.example', clientId: 'c', clientSecret: '' };
  it('keep an email only when email_verified is exactly true', () => {
    expect(toIdentity(p, 'u1', { email: 'A@x.org', email_verified: true }).email).toBe('a@x.org');
    expect(toIdentity(p, 'u1', { email: 'a@x.org', email_verified: 'true' }).email).toBe('');
    expect(toIdentity(p, 'u1', { email: 'a@x.org' }).email).toBe('');
  });
  it('name from name, preferred_username, the local part, or the provider; identity oidc:<id>:<sub>', () => {
    expect(toIdentity(p, 'u1', { name: ' Ann ', preferred_username: 'ann' })).toMatchObject({
      name: 'Ann',
      identity: 'oidc:kc:u1',
      via: 'oidc',
    });
    expect(toIdentity(p, 'u1', { preferred_username: 'ann' }).name).toBe('ann');
    expect(toIdentity(p, 'u1', { email: 'bo@x.org', email_verified: false }).name).toBe('bo');
    expect(toIdentity(p, 'u1', {}).name).toBe('KC user');
    expect(toIdentity(p, 'u1', { name: 'a\u202eb'.repeat(80) }).name.length).toBeLessThanOrEqual(100);
  });
});
