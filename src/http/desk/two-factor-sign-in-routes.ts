import { Router, type Request, type Response } from 'express';
import { toRecoveryCode } from '../../auth/recovery-codes.js';
import type { SessionList } from '../../auth/session-list.js';
import type { SignInCsrf } from '../../auth/sign-in-csrf.js';
import type { SignInThrottle } from '../../auth/sign-in-throttle.js';
import { toTotpCode } from '../../auth/totp.js';
import { AppError } from '../../errors.js';
import { html } from '../../html/html.js';
import { checkSecondFactor } from '../../store/accounts/two-factor.js';
import type { Pool } from '../../store/db.js';
import { loadModerator } from '../../store/moderators.js';
import { rawFormText as field } from '../kit/form-values.js';
import { renderAdminPage } from './admin-layout.js';
import { sessionSignsIn } from './moderator-session.js';
import { completeSignIn, TWO_FACTOR_PENDING_MS } from './sign-in-session.js';

function renderCodePage(csrfToken: string, error: string | null): string {
  return renderAdminPage(
    'Sign in',
    { moderator: null, csrfToken, section: 'sign-in' },
    html`<section class="rd-signin">
      <h1>Two-factor sign-in</h1>
      ${error ? html`<p class="rd-error" role="alert">${error}</p>` : ''}
      <form method="post" action="/admin/sign-in/code">
        <input type="hidden" name="_csrf" value="${csrfToken}" />
        <label for="code">The 6-digit code from your authenticator app</label>
        <input id="code" name="code" autocomplete="one-time-code" inputmode="numeric" required autofocus maxlength="20" />
        <button type="submit">Sign in</button>
      </form>
      <p class="rd-hint">Lost your phone? Type one of your recovery codes instead (each works once).</p>
      <p class="rd-hint"><a href="/admin/sign-in">Start again</a></p>
    </section>`,
  );
}

/**
 * The second step of signing in (sql/0042): after a right password the session holds only a pending
 * claim; a TOTP code (or a recovery code) within TWO_FACTOR_PENDING_MS turns it into a sign-in. Its
 * tries are spent from the sign-in throttle before the code is checked, under their own account key,
 * so guessing six digits meets the same 5-per-network lock-out as guessing a password. Mounted before
 * the desk's guard (the visitor is not signed in yet); its CSRF token is the sign-in form's cookie.
 */
export function createTwoFactorSignInRoutes(deps: {
  db: Pool;
  throttle: SignInThrottle;
  csrf: SignInCsrf;
  sessions: SessionList;
  twoFactorKey: () => Promise<string>;
}): Router {
  const { db, throttle, csrf } = deps;
  const router = Router();

  /** The pending account, while the claim is fresh, the account still signs in under that generation and has two-factor. */
  const pendingOf = async (req: Request) => {
    const p = req.session.pendingTwoFactor;
    if (!p || Date.now() - p.at > TWO_FACTOR_PENDING_MS) return null;
    const m = await loadModerator(db, p.moderatorId);
    // Two-factor reset by an admin meanwhile: there is no code to ask for; the password step starts again.
    return sessionSignsIn(m, p.generation) && m.twoFactor ? { m, next: p.next } : null;
  };

  router.get('/sign-in/code', async (req: Request, res: Response) => {
    if (!(await pendingOf(req))) {
      res.redirect(303, '/admin/sign-in');
      return;
    }
    res.type('html').send(renderCodePage(csrf.tokenOf(req, res), null));
  });

  router.post('/sign-in/code', async (req: Request, res: Response) => {
    const refuse = (status: number, error: string): void => {
      res
        .status(status)
        .type('html')
        .send(renderCodePage(csrf.tokenOf(req, res), error));
    };
    if (!csrf.isRequestValid(req)) return refuse(403, 'This form has expired. Please sign in again.');
    const pending = await pendingOf(req);
    if (!pending) {
      res.redirect(303, '/admin/sign-in');
      return;
    }
    const { m, next } = pending;
    const ip = req.ip ?? 'unknown';
    let wait: number;
    try {
      wait = await throttle.consume(`2fa:${m.email}`, ip);
    } catch (err) {
      throw AppError.of('SIGN_IN_UNAVAILABLE', { detail: err, retryAfter: 5 });
    }
    if (wait > 0) {
      res.set('Retry-After', String(wait));
      return refuse(429, `Too many wrong codes. Try again in ${Math.ceil(wait / 60)} minute${wait > 60 ? 's' : ''}.`);
    }
    const typed = field(req, 'code');
    const totp = toTotpCode(typed);
    const recovery = totp === null ? toRecoveryCode(typed) : null;
    const result =
      totp !== null || recovery !== null
        ? await checkSecondFactor(
            db,
            await deps.twoFactorKey(),
            m,
            totp !== null ? { totp } : { recovery: recovery ?? '' },
          )
        : { ok: false as const };
    if (!result.ok) return refuse(401, 'That code is not right (or was already used). Try the next one.');
    await throttle.recordSuccess(`2fa:${m.email}`, ip);
    await completeSignIn(req, deps, m);
    const warn =
      result.via === 'recovery'
        ? `/admin/me/two-factor?notice=${encodeURIComponent(`Signed in with a recovery code: ${String(result.recoveryLeft ?? 0)} left. Make new ones if that is few.`)}`
        : next;
    res.redirect(303, warn);
  });

  return router;
}
