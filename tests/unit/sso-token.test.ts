import { generateKeyPairSync } from 'node:crypto';
import { SignJWT, type JWTPayload } from 'jose';
import { describe, expect, it } from 'vitest';
import { verifySsoToken } from '../../src/readers/sso-token.js';

const SECRET = 'a'.repeat(20) + 'site-one-secret-0123456789';
const OTHER_SECRET = 'b'.repeat(20) + 'site-two-secret-0123456789';
const SITE = 'site-one';
const NOW = new Date('2026-12-03T12:00:00Z');
const nowS = Math.floor(NOW.getTime() / 1000);

const key = (s: string) => new TextEncoder().encode(s);

async function sign(claims: JWTPayload, opts: { secret?: string; alg?: string } = {}): Promise<string> {
  return new SignJWT(claims)
    .setProtectedHeader({ alg: opts.alg ?? 'HS256', typ: 'JWT' })
    .sign(key(opts.secret ?? SECRET));
}

const good = (extra: JWTPayload = {}): JWTPayload => ({
  sub: 'u-42',
  name: 'Ada Lovelace',
  exp: nowS + 3600,
  iat: nowS - 10,
  ...extra,
});

const b64 = (o: unknown) => Buffer.from(JSON.stringify(o)).toString('base64url');

describe('verifySsoToken', () => {
  it('accepts a good HS256 token and cleans its claims', async () => {
    const token = await sign(
      good({ email: ' Ada@Example.ORG ', url: 'https://ada.example/', avatar: 'https://img.example/a.png', aud: SITE }),
    );
    const r = await verifySsoToken(token, SECRET, SITE, NOW);
    expect(r).toEqual({
      ok: true,
      identity: {
        sub: 'u-42',
        name: 'Ada Lovelace',
        email: 'ada@example.org',
        url: 'https://ada.example/',
        avatar: 'https://img.example/a.png',
        expiresAt: new Date((nowS + 3600) * 1000),
      },
    });
  });

  it('refuses HS512 even under the right secret', async () => {
    const token = await sign(good(), { alg: 'HS512' });
    expect(await verifySsoToken(token, SECRET, SITE, NOW)).toMatchObject({ ok: false, code: 'SSO_INVALID' });
  });

  it('refuses RS256 signed with a real key', async () => {
    const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const token = await new SignJWT(good()).setProtectedHeader({ alg: 'RS256' }).sign(privateKey);
    expect(await verifySsoToken(token, SECRET, SITE, NOW)).toMatchObject({ ok: false, code: 'SSO_INVALID' });
  });

  it('refuses an unsigned token (alg none, built by hand)', async () => {
    const token = `${b64({ alg: 'none', typ: 'JWT' })}.${b64(good())}.`;
    expect(await verifySsoToken(token, SECRET, SITE, NOW)).toMatchObject({ ok: false, code: 'SSO_INVALID' });
  });

  it('refuses a token without exp', async () => {
    const { exp: _exp, ...noExp } = good();
    const token = await sign(noExp);
    expect(await verifySsoToken(token, SECRET, SITE, NOW)).toMatchObject({ ok: false, code: 'SSO_INVALID' });
  });

  it('refuses exp more than 7 days ahead, and takes one just within', async () => {
    const far = await sign(good({ exp: nowS + 7 * 86400 + 60 }));
    expect(await verifySsoToken(far, SECRET, SITE, NOW)).toMatchObject({ ok: false, code: 'SSO_INVALID' });
    const near = await sign(good({ exp: nowS + 7 * 86400 - 60 }));
    expect(await verifySsoToken(near, SECRET, SITE, NOW)).toMatchObject({ ok: true });
  });

  it('says SSO_EXPIRED for a token past its exp', async () => {
    const token = await sign(good({ exp: nowS - 60, iat: nowS - 3600 }));
    expect(await verifySsoToken(token, SECRET, SITE, NOW)).toMatchObject({ ok: false, code: 'SSO_EXPIRED' });
  });

  it('refuses iat more than 5 minutes in the future', async () => {
    const token = await sign(good({ iat: nowS + 600 }));
    expect(await verifySsoToken(token, SECRET, SITE, NOW)).toMatchObject({ ok: false, code: 'SSO_INVALID' });
  });

  it('refuses an aud of another site', async () => {
    const token = await sign(good({ aud: 'site-two' }));
    expect(await verifySsoToken(token, SECRET, SITE, NOW)).toMatchObject({ ok: false, code: 'SSO_INVALID' });
    const both = await sign(good({ aud: [SITE, 'site-two'] }));
    expect(await verifySsoToken(both, SECRET, SITE, NOW)).toMatchObject({ ok: false, code: 'SSO_INVALID' });
  });

  it("refuses a token signed with another site's secret", async () => {
    const token = await sign(good(), { secret: OTHER_SECRET });
    expect(await verifySsoToken(token, SECRET, SITE, NOW)).toMatchObject({ ok: false, code: 'SSO_INVALID' });
  });

  it('refuses a tampered payload', async () => {
    const [h, , s] = (await sign(good())).split('.');
    const token = `${h}.${b64(good({ sub: 'admin' }))}.${s}`;
    expect(await verifySsoToken(token, SECRET, SITE, NOW)).toMatchObject({ ok: false, code: 'SSO_INVALID' });
  });

  it('refuses a tampered signature', async () => {
    const [h, p, s] = (await sign(good())).split('.');
    // Flip a bit in the first byte (the last character's low bits may be padding).
    const bytes = Buffer.from(s!, 'base64url');
    bytes[0] = bytes[0]! ^ 1;
    const token = `${h}.${p}.${bytes.toString('base64url')}`;
    expect(await verifySsoToken(token, SECRET, SITE, NOW)).toMatchObject({ ok: false, code: 'SSO_INVALID' });
  });

  it('refuses a missing or unusable sub or name', async () => {
    const { sub: _s, ...noSub } = good();
    const { name: _n, ...noName } = good();
    for (const claims of [
      noSub,
      noName,
      good({ sub: '' }),
      good({ sub: 42 as unknown as string }),
      good({ sub: 'x'.repeat(256) }),
      good({ name: '   ' }),
      good({ name: 'x'.repeat(101) }),
      good({ name: 'Evil\u202Egnp.exe' }),
      good({ name: 'line\nbreak' }),
    ]) {
      const r = await verifySsoToken(await sign(claims), SECRET, SITE, NOW);
      expect(r, JSON.stringify(claims)).toMatchObject({ ok: false, code: 'SSO_INVALID' });
    }
  });

  it('trims the name and drops an avatar that is not https, a url that is not http(s), an email that is no address', async () => {
    const token = await sign(
      good({
        name: '  Ada  ',
        avatar: 'http://img.example/a.png',
        url: 'javascript:alert(1)',
        email: 'not an address',
      }),
    );
    const r = await verifySsoToken(token, SECRET, SITE, NOW);
    expect(r).toMatchObject({ ok: true, identity: { name: 'Ada', avatar: '', url: '', email: '' } });
    const data = await sign(good({ avatar: 'data:image/png;base64,AAAA', url: 'http://ada.example/' }));
    expect(await verifySsoToken(data, SECRET, SITE, NOW)).toMatchObject({
      ok: true,
      identity: { avatar: '', url: 'http://ada.example/' },
    });
  });

  it('refuses what is not a token at all, without throwing', async () => {
    for (const t of ['', 'abc', 'a.b.c', null, 42, 'x'.repeat(9000)]) {
      expect(await verifySsoToken(t, SECRET, SITE, NOW)).toMatchObject({ ok: false, code: 'SSO_INVALID' });
    }
  });
});
