import { generate } from 'otplib';
import { describe, expect, it } from 'vitest';
import { hashRecoveryCode, newRecoveryCodes, toRecoveryCode } from '../../src/auth/recovery-codes.js';
import { checkTotp, newTotpSecret, toTotpCode, totpUri } from '../../src/auth/totp.js';
import { openSecret, sealSecret } from '../../src/auth/two-factor-secret.js';

const secret = newTotpSecret();
const at = new Date('2026-12-06T01:00:15Z');
const epoch = Math.floor(at.getTime() / 1000);

describe('TOTP codes', () => {
  it('accepts the code of now and of one step either side, and no further', async () => {
    for (const [offset, ok] of [
      [0, true],
      [-30, true],
      [30, true],
      [-60, false],
      [60, false],
    ] as const) {
      const code = await generate({ secret, epoch: epoch + offset });
      expect((await checkTotp(secret, code, null, at)) !== null, `offset ${offset}`).toBe(ok);
    }
  });

  it('refuses a code of the step already used, or an earlier one (no replay)', async () => {
    const code = await generate({ secret, epoch });
    const step = await checkTotp(secret, code, null, at);
    expect(step).toBe(Math.floor(epoch / 30));
    expect(await checkTotp(secret, code, step, at)).toBeNull();
    const earlier = await generate({ secret, epoch: epoch - 30 });
    expect(await checkTotp(secret, earlier, step, at)).toBeNull();
    const next = await generate({ secret, epoch: epoch + 30 });
    expect(await checkTotp(secret, next, step, at)).toBe(step! + 1);
  });

  it.each([
    ['123456', '123456'],
    ['123 456', '123456'],
    ['12345', null],
    ['abcdef', null],
    ['1234567', null],
  ])('reads "%s" as %s', (typed, code) => {
    expect(toTotpCode(typed)).toBe(code);
  });

  it('names the issuer and the account in the otpauth URI', () => {
    const uri = totpUri(secret, 'night@example.org');
    expect(uri).toMatch(/^otpauth:\/\/totp\//);
    expect(uri).toContain(`secret=${secret}`);
    expect(uri).toContain('issuer=Reply%20Desk');
  });
});

describe('sealed secrets', () => {
  it('open under the same key only, and a changed byte fails to open', () => {
    const sealed = sealSecret('key one', secret);
    expect(sealed).not.toContain(secret);
    expect(openSecret('key one', sealed)).toBe(secret);
    expect(openSecret('key two', sealed)).toBeNull();
    const parts = sealed.split('.');
    parts[3] = (parts[3]![0] === 'A' ? 'B' : 'A') + parts[3]!.slice(1);
    expect(openSecret('key one', parts.join('.'))).toBeNull();
    expect(openSecret('key one', 'v1.x')).toBeNull();
    expect(sealSecret('key one', secret)).not.toBe(sealed); // a fresh IV each time
  });
});

describe('recovery codes', () => {
  it('are ten distinct xxxx-xxxx-xxxx codes, read back in any case and without dashes', () => {
    const codes = newRecoveryCodes();
    expect(codes).toHaveLength(10);
    expect(new Set(codes).size).toBe(10);
    for (const c of codes) expect(c).toMatch(/^[0-9a-hjkmnp-tv-z]{4}-[0-9a-hjkmnp-tv-z]{4}-[0-9a-hjkmnp-tv-z]{4}$/);
    const code = codes[0]!;
    expect(toRecoveryCode(code.toUpperCase().replace(/-/g, ' '))).toBe(code.replace(/-/g, ''));
    expect(hashRecoveryCode(code.toUpperCase())).toEqual(hashRecoveryCode(code));
    expect(toRecoveryCode('123456')).toBeNull();
    expect(toRecoveryCode('iiii-llll-oooo')).toBeNull();
  });
});
