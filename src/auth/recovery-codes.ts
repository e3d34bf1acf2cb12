import { createHash, randomInt } from 'node:crypto';

/*
 * Recovery codes for a lost phone (sql/0042): ten at a time, each spent once. 12 characters of
 * Crockford's base32 (no i, l, o or u, so nothing reads as another letter) carry 60 random bits, shown
 * as xxxx-xxxx-xxxx; typed back in any case, with or without the dashes and spaces.
 */

export const RECOVERY_CODE_COUNT = 10;
const LETTERS = '0123456789abcdefghjkmnpqrstvwxyz';

/** A new set of codes, as shown to the account (once). */
export function newRecoveryCodes(count = RECOVERY_CODE_COUNT): string[] {
  return Array.from({ length: count }, () => {
    const chars = Array.from({ length: 12 }, () => LETTERS[randomInt(LETTERS.length)]).join('');
    return `${chars.slice(0, 4)}-${chars.slice(4, 8)}-${chars.slice(8)}`;
  });
}

/** A typed code in its stored form (lower case, no separators), or null when it cannot be one. */
export function toRecoveryCode(typed: string): string | null {
  const flat = typed.toLowerCase().replace(/[\s-]+/g, '');
  return flat.length === 12 && [...flat].every((c) => LETTERS.includes(c)) ? flat : null;
}

/** What is stored: sha256 of the normalised code (60 random bits leave nothing to guess from). */
export function hashRecoveryCode(code: string): Buffer {
  return createHash('sha256')
    .update(`reply-desk recovery\n${code.toLowerCase().replace(/[\s-]+/g, '')}`)
    .digest();
}
