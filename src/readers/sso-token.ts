import { errors as joseErrors, jwtVerify, type JWTPayload } from 'jose';
import { findFieldErrors } from '../domain/comment-fields.js';

/*
 * The host site's SSO token (issue 14): a JWT its own pages sign, HS256 under the site's SSO secret
 * (src/readers/sso-secrets.ts), saying who its signed-in user is. The secret is shared, so a token is
 * only as good as the algorithm that checks it: HS256 is the one algorithm accepted, named here and
 * never read from the token's header (no `none`, no RS256 with the secret passed off as a public key,
 * no HS512 a host did not agree to). README "Host-site SSO: the token format" documents the claims.
 */

/** The furthest ahead `exp` may be: a token is a sign-in, not a standing credential. */
export const SSO_MAX_LIFETIME_SECONDS = 7 * 24 * 3600;
/** How far ahead of our clock `iat` may be (the host's clock may run a little fast, not days). */
export const SSO_MAX_IAT_SKEW_SECONDS = 5 * 60;
/** The longest `sub` kept: it becomes the reader's identity `sso:<sub>`. */
export const SSO_MAX_SUB_LENGTH = 255;
/** The longest name, in characters, as the readers table allows. */
export const SSO_MAX_NAME_LENGTH = 100;
/** A token longer than this is no sign-in token (and is not worth an HMAC). */
export const SSO_MAX_TOKEN_LENGTH = 8192;

/** Who the host says its user is, checked and cleaned. */
export interface SsoIdentity {
  sub: string;
  name: string;
  /** Lowercased; '' when the token gives none (or one that is no address). Verified by the host. */
  email: string;
  /** http(s) only; '' otherwise. */
  url: string;
  /** https only (an http image would be mixed content on the host's page); '' otherwise. */
  avatar: string;
  /** The token's own `exp`. */
  expiresAt: Date;
}

export type SsoVerification =
  { ok: true; identity: SsoIdentity } | { ok: false; code: 'SSO_INVALID' | 'SSO_EXPIRED'; message: string };

const invalid = (message: string): SsoVerification => ({ ok: false, code: 'SSO_INVALID', message });

/**
 * A reader's name as the comment form takes it (no controls, no bidi overrides, no invisible
 * characters), trimmed, 1 to 100 characters; null when it is none. Also for a name a reader picks.
 */
export function cleanReaderName(value: unknown): string | null {
  if (typeof value !== 'string') return null;
  const name = value.trim();
  if (name === '' || [...name].length > SSO_MAX_NAME_LENGTH) return null;
  const errors = findFieldErrors(
    { page: 'p', parentId: null, author: name, email: '', url: '', body: 'b' },
    { requireName: true, requireEmail: false },
  );
  return errors.some((e) => e.field === 'author') ? null : name;
}

// An address as the comment form takes it, lowercased; anything else is dropped, not an error: the
// host vouches for who the user is, and an odd address field must not lock them out.
function cleanEmail(value: unknown): string {
  if (typeof value !== 'string') return '';
  const email = value.trim().toLowerCase();
  if (email === '') return '';
  const errors = findFieldErrors(
    { page: 'p', parentId: null, author: '', email, url: '', body: 'b' },
    { requireName: false, requireEmail: false },
  );
  return errors.some((e) => e.field === 'email') ? '' : email;
}

function cleanUrl(value: unknown, schemes: readonly string[]): string {
  if (typeof value !== 'string' || value.length > 2000) return '';
  try {
    const u = new URL(value.trim());
    if (!schemes.includes(u.protocol) || u.username || u.password || u.hostname === '') return '';
    return u.toString();
  } catch {
    return '';
  }
}

/**
 * Checks a host's SSO token for `siteId` under its `secret` at `now`. Pure apart from the HMAC, and
 * never throws for bad input: every refusal is a result, SSO_EXPIRED for a token past its `exp` and
 * SSO_INVALID for everything else (a bad signature, another algorithm, a missing or malformed claim,
 * `exp` more than 7 days ahead, `iat` in the future, `aud` naming another site).
 */
export async function verifySsoToken(
  token: unknown,
  secret: string,
  siteId: string,
  now: Date,
): Promise<SsoVerification> {
  if (typeof token !== 'string' || token === '' || token.length > SSO_MAX_TOKEN_LENGTH)
    return invalid('The sign-in token is missing or not a token.');
  let payload: JWTPayload;
  try {
    ({ payload } = await jwtVerify(token, new TextEncoder().encode(secret), {
      algorithms: ['HS256'],
      requiredClaims: ['exp'],
      currentDate: now,
    }));
  } catch (err) {
    // Only a token whose signature checked out can be "expired": jose verifies the signature first.
    if (err instanceof joseErrors.JWTExpired) return { ok: false, code: 'SSO_EXPIRED', message: 'The token expired.' };
    return invalid('The sign-in token could not be verified.');
  }
  const nowSeconds = Math.floor(now.getTime() / 1000);
  const exp = payload.exp!;
  if (exp > nowSeconds + SSO_MAX_LIFETIME_SECONDS) return invalid('The token expires more than 7 days from now.');
  if (payload.iat !== undefined && payload.iat > nowSeconds + SSO_MAX_IAT_SKEW_SECONDS)
    return invalid('The token was issued in the future.');
  // `aud` is optional (most hosts sign for one site), but a token that names a site names this one.
  if (payload.aud !== undefined) {
    const aud = Array.isArray(payload.aud) ? payload.aud : [payload.aud];
    if (aud.length !== 1 || aud[0] !== siteId) return invalid('The token is for another site.');
  }
  const sub = payload.sub;
  if (typeof sub !== 'string' || sub === '' || sub.length > SSO_MAX_SUB_LENGTH || /[\u0000-\u001f\u007f]/.test(sub))
    return invalid('The token has no usable "sub" (the user id, at most 255 characters).');
  const name = cleanReaderName(payload.name);
  if (name === null) return invalid('The token has no usable "name" (1 to 100 characters, no control characters).');
  return {
    ok: true,
    identity: {
      sub,
      name,
      email: cleanEmail(payload.email),
      url: cleanUrl(payload.url, ['http:', 'https:']),
      avatar: cleanUrl(payload.avatar, ['https:']),
      expiresAt: new Date(exp * 1000),
    },
  };
}
