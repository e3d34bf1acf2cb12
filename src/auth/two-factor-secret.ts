import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';

/*
 * TOTP secrets at rest (sql/0042): the server must read a secret back to compute the expected code,
 * so it cannot be hashed; it is sealed with AES-256-GCM under a key of the service's own (app_secrets
 * 'two-factor-key'). GCM's tag means a row edited by hand, or sealed under another key, fails to open
 * rather than yielding a wrong secret. Format: `v1.<iv>.<tag>.<ciphertext>`, each base64url.
 */

const VERSION = 'v1';

/** The AES key from the stored secret string: sha256 gives exactly 32 bytes whatever its form. */
function keyOf(secret: string): Buffer {
  return createHash('sha256').update(`reply-desk two-factor\n${secret}`).digest();
}

export function sealSecret(keySecret: string, plaintext: string): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', keyOf(keySecret), iv);
  const body = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
  return [VERSION, iv, cipher.getAuthTag(), body]
    .map((p) => (typeof p === 'string' ? p : p.toString('base64url')))
    .join('.');
}

/** The secret, or null when the sealed text is malformed or does not open under this key. */
export function openSecret(keySecret: string, sealed: string): string | null {
  const [version, iv, tag, body, extra] = sealed.split('.');
  if (version !== VERSION || !iv || !tag || body === undefined || extra !== undefined) return null;
  try {
    const decipher = createDecipheriv('aes-256-gcm', keyOf(keySecret), Buffer.from(iv, 'base64url'));
    decipher.setAuthTag(Buffer.from(tag, 'base64url'));
    return Buffer.concat([decipher.update(Buffer.from(body, 'base64url')), decipher.final()]).toString('utf8');
  } catch {
    return null;
  }
}
