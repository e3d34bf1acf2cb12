import { createHmac, timingSafeEqual } from 'node:crypto';
import { csrfSync } from 'csrf-sync';
import type { Request, Response } from 'express';

/**
 * The sign-in form's CSRF token, kept without a session: a session is stored only once someone has
 * signed in (an anonymous GET of the form must cost Redis nothing). csrf-sync makes and compares the
 * token as it does for the dashboard's session token; here its state is a cookie holding the token and
 * an HMAC of it under the session secret (a signed double-submit cookie). A forged cross-site post has
 * neither the cookie (SameSite=Lax, scoped to the form's path) nor the token, and a cookie planted from
 * elsewhere would need the secret to carry a token the form check accepts.
 */
export const SIGN_IN_CSRF_COOKIE = 'rd_signin_csrf';

/** Long enough for a form left open over lunch; nothing is stored, so a long life costs nothing. */
const COOKIE_MAX_AGE_MS = 12 * 60 * 60_000;

export interface SignInCsrf {
  /** The token to put in the form; sets the cookie when the visitor has none (or an invalid one). */
  tokenOf(req: Request, res: Response): string;
  /** True when the posted `_csrf` matches the token signed into the visitor's cookie. */
  isRequestValid(req: Request): boolean;
}

function readCookie(req: Request, name: string): string | undefined {
  for (const part of (req.get('cookie') ?? '').split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq).trim() === name) return part.slice(eq + 1).trim();
  }
  return undefined;
}

export function createSignInCsrf(opts: { secret: string; secure: boolean }): SignInCsrf {
  const mac = (token: string): Buffer =>
    createHmac('sha256', opts.secret).update(`reply-desk-sign-in-csrf\n${token}`).digest();
  // The response a new token's cookie goes on: csrf-sync's storeTokenInState only gets the request.
  const responses = new WeakMap<Request, Response>();
  const csrf = csrfSync({
    size: 32,
    getTokenFromRequest: (req) => {
      const v = (req.body as Record<string, unknown> | undefined)?._csrf;
      return typeof v === 'string' ? v : undefined;
    },
    getTokenFromState: (req) => {
      const [token, signature, extra] = (readCookie(req, SIGN_IN_CSRF_COOKIE) ?? '').split('.');
      if (!token || !signature || extra !== undefined) return undefined;
      const given = Buffer.from(signature, 'base64url');
      const expected = mac(token);
      return given.length === expected.length && timingSafeEqual(given, expected) ? token : undefined;
    },
    storeTokenInState: (req, token) => {
      const res = responses.get(req);
      if (!res || typeof token !== 'string') return;
      res.cookie(SIGN_IN_CSRF_COOKIE, `${token}.${mac(token).toString('base64url')}`, {
        httpOnly: true,
        sameSite: 'lax',
        secure: opts.secure,
        path: '/admin/sign-in',
        maxAge: COOKIE_MAX_AGE_MS,
      });
    },
  });
  return {
    tokenOf(req, res) {
      responses.set(req, res);
      return csrf.generateToken(req);
    },
    isRequestValid: (req) => csrf.isRequestValid(req),
  };
}
