import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

/*
 * Stripe-style signatures. Every delivery carries
 *
 *   Reply-Desk-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256(secret, `${t}.${body}`)>[,v1=<hex>]
 *
 * The timestamp is inside the signed text, so a receiver that rejects timestamps older than a few
 * minutes cannot be fed a captured request later (replay); within that window it dedupes on the event
 * id. During a secret rotation's grace period there is one v1 per valid secret.
 */

/** The request header carrying the signature. */
export const SIGNATURE_HEADER = 'Reply-Desk-Signature';

/** How far a receiver should let a timestamp drift from its clock. @defaultValue 300 seconds */
export const DEFAULT_TOLERANCE_SECONDS = 300;

/** A new subscription secret: 32 random bytes, prefixed so it is recognisable in a config file. */
export function newWebhookSecret(): string {
  return `whsec_${randomBytes(32).toString('base64url')}`;
}

function hmacHex(secret: string, timestamp: number, body: string): string {
  return createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex');
}

/** The header value for `body` signed at `timestamp` with each of `secrets` (current first). */
export function signWebhook(secrets: readonly string[], timestamp: number, body: string): string {
  return [`t=${timestamp}`, ...secrets.map((s) => `v1=${hmacHex(s, timestamp, body)}`)].join(',');
}

export type VerifyResult =
  { ok: true; timestamp: number } | { ok: false; reason: 'MALFORMED' | 'TOO_OLD' | 'BAD_SIGNATURE' };

/**
 * The reference verifier (what the README shows receivers): parse the header, refuse a timestamp
 * further than `toleranceSeconds` from `nowSeconds`, and accept when any v1 matches the HMAC under
 * any of the receiver's secrets, compared in constant time. `body` must be the raw request body.
 */
export function verifyWebhook(
  header: string | undefined | null,
  body: string,
  secrets: readonly string[],
  opts: { nowSeconds: number; toleranceSeconds?: number },
): VerifyResult {
  if (!header) return { ok: false, reason: 'MALFORMED' };
  let timestamp: number | null = null;
  const signatures: string[] = [];
  for (const part of header.split(',')) {
    const eq = part.indexOf('=');
    const key = part.slice(0, eq).trim();
    const value = part.slice(eq + 1).trim();
    if (key === 't' && /^\d{1,12}$/.test(value)) timestamp = Number(value);
    else if (key === 'v1' && /^[0-9a-f]{64}$/.test(value)) signatures.push(value);
  }
  if (timestamp === null || signatures.length === 0) return { ok: false, reason: 'MALFORMED' };
  if (Math.abs(opts.nowSeconds - timestamp) > (opts.toleranceSeconds ?? DEFAULT_TOLERANCE_SECONDS))
    return { ok: false, reason: 'TOO_OLD' };
  for (const secret of secrets) {
    const expected = Buffer.from(hmacHex(secret, timestamp, body), 'hex');
    if (signatures.some((s) => timingSafeEqual(Buffer.from(s, 'hex'), expected))) return { ok: true, timestamp };
  }
  return { ok: false, reason: 'BAD_SIGNATURE' };
}

/** The secrets a delivery is signed with at `now`: the current one, and the previous one during its grace. */
export function signingSecrets(
  s: { secret: string; previousSecret: string | null; previousSecretExpiresAt: Date | null },
  now: Date,
): string[] {
  return s.previousSecret !== null && s.previousSecretExpiresAt !== null && s.previousSecretExpiresAt > now
    ? [s.secret, s.previousSecret]
    : [s.secret];
}
