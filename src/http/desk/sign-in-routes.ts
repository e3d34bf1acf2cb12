import { Router, type Request, type Response } from 'express';
import { verifyAgainstDecoy, verifyPassword } from '../../auth/passwords.js';
import type { SignInCsrf } from '../../auth/sign-in-csrf.js';
import type { SignInThrottle } from '../../auth/sign-in-throttle.js';
import { AppError } from '../../errors.js';
import type { Pool } from '../../store/db.js';
import type { SessionList } from '../../auth/session-list.js';
import { loadCredentials } from '../../store/moderators.js';
import { rawFormText as field } from '../kit/form-values.js';
import { toSameOriginPath } from '../kit/same-origin-path.js';
import { renderSignInPage } from './sign-in-page.js';
import { completeSignIn, regenerateSession, saveSession } from './sign-in-session.js';

/** Only dashboard paths: `next` must never send a moderator off to another site after signing in. */
export function safeNext(value: unknown): string {
  const path = typeof value === 'string' ? toSameOriginPath(value) : null;
  return path !== null && /^\/admin(\/|\?|#|$)/.test(path) ? path : '/admin';
}

/**
 * Sign-in and sign-out. A session is stored only at sign-in, under a regenerated id (no session
 * fixation); the form's CSRF token lives in a signed cookie until then (src/auth/sign-in-csrf.ts).
 */
export function createSignInRoutes(deps: {
  db: Pool;
  throttle: SignInThrottle;
  csrf: SignInCsrf;
  sessions: SessionList;
}): Router {
  const { db, throttle, csrf } = deps;
  const router = Router();

  router.get('/sign-in', (req: Request, res: Response) => {
    if (res.locals.moderator) {
      res.redirect(303, safeNext(req.query.next));
      return;
    }
    res
      .set('Cache-Control', 'no-store')
      .type('html')
      .send(
        renderSignInPage({ csrfToken: csrf.tokenOf(req, res), next: safeNext(req.query.next), email: '', error: null }),
      );
  });

  router.post('/sign-in', async (req: Request, res: Response) => {
    const email = field(req, 'email').trim().toLowerCase();
    const password = field(req, 'password');
    const next = safeNext(field(req, 'next'));
    const ip = req.ip ?? 'unknown';
    const refuse = (status: number, error: string): void => {
      res
        .status(status)
        .set('Cache-Control', 'no-store')
        .type('html')
        .send(renderSignInPage({ csrfToken: csrf.tokenOf(req, res), next, email, error }));
    };
    if (!csrf.isRequestValid(req)) {
      refuse(403, 'This form has expired or did not come from Reply Desk. Please sign in again.');
      return;
    }
    // Spent before the password is checked: parallel guesses cannot all pass a count read beforehand.
    let wait: number;
    try {
      wait = await throttle.consume(email, ip);
    } catch (err) {
      throw AppError.of('SIGN_IN_UNAVAILABLE', { detail: err, retryAfter: 5 });
    }
    if (wait > 0) {
      res.set('Retry-After', String(wait));
      refuse(429, `Too many failed sign-ins. Try again in ${Math.ceil(wait / 60)} minute${wait > 60 ? 's' : ''}.`);
      return;
    }
    const credentials = email === '' ? null : await loadCredentials(db, email);
    const ok =
      credentials && !credentials.moderator.disabled
        ? await verifyPassword(credentials.passwordHash, password)
        : await verifyAgainstDecoy(password);
    if (!ok || !credentials) {
      refuse(401, 'That email and password do not match an account.');
      return;
    }
    await throttle.recordSuccess(email, ip);
    const m = credentials.moderator;
    if (m.twoFactor) {
      // The password was right; the code is still to come (two-factor-sign-in-routes.ts). The session
      // names the account only as pending, so nothing behind the guard opens to it.
      await regenerateSession(req);
      req.session.pendingTwoFactor = { moderatorId: m.id, generation: m.sessionGeneration, at: Date.now(), next };
      await saveSession(req);
      res.redirect(303, '/admin/sign-in/code');
      return;
    }
    await completeSignIn(req, deps, m);
    res.redirect(303, next);
  });

  router.post('/sign-out', async (req: Request, res: Response) => {
    await new Promise<void>((resolve) => req.session.destroy(() => resolve()));
    res.clearCookie('rd_session', { path: '/admin' });
    res.redirect(303, '/admin/sign-in');
  });

  return router;
}
