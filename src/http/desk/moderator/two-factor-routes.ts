import { Router, type Request, type Response } from 'express';
import { verifyPassword } from '../../../auth/passwords.js';
import { newTotpSecret, toTotpCode, totpQrDataUrl, totpUri } from '../../../auth/totp.js';
import { AppError } from '../../../errors.js';
import { html, type SafeHtml } from '../../../html/html.js';
import {
  confirmTwoFactor,
  loadTwoFactor,
  removeTwoFactor,
  renewRecoveryCodes,
  startTwoFactor,
} from '../../../store/accounts/two-factor.js';
import type { Pool } from '../../../store/db.js';
import { loadCredentials, type Moderator } from '../../../store/moderators.js';
import { rawFormText } from '../../kit/form-values.js';
import { queryText } from '../../kit/query-values.js';
import { renderAdminPage } from '../admin-layout.js';
import { csrfTokenOf, currentModerator } from '../moderator-session.js';

function renderCodes(codes: string[]): SafeHtml {
  return html`<section class="rd-recovery" aria-labelledby="rd-recovery-h">
    <h2 id="rd-recovery-h">Your recovery codes</h2>
    <p>
      Keep these somewhere safe, away from your phone: each signs you in once in place of a code, if you lose the
      phone. They are shown only now.
    </p>
    <ul class="rd-recovery-codes">
      ${codes.map((c) => html`<li><code>${c}</code></li>`)}
    </ul>
    <p><a href="/admin/me/two-factor">Done</a></p>
  </section>`;
}

/**
 * Two-factor sign-in on My settings (/admin/me/two-factor; sql/0042): set it up (a QR code and the
 * secret in text, confirmed with a code), new recovery codes, turn it off. Each change is audited by
 * the store. Reachable while enrolment is required (requireTwoFactorEnrolment lets these paths by).
 */
export function createTwoFactorRoutes(deps: { db: Pool; twoFactorKey: () => Promise<string> }): Router {
  const { db } = deps;
  const router = Router();

  /** The page; `error` above it, or `codes` (just made, shown once) in place of its forms. */
  const show = async (
    req: Request,
    res: Response,
    m: Moderator,
    status: number,
    opts: { error?: string; codes?: string[] } = {},
  ) => {
    const state = await loadTwoFactor(db, await deps.twoFactorKey(), m.id);
    const csrf = csrfTokenOf(req);
    const token = html`<input type="hidden" name="_csrf" value="${csrf}" />`;
    const notice = status === 200 ? queryText(req, 'notice') : null;
    const password = html`<div class="rd-field">
      <label>Your password <input name="password" type="password" autocomplete="current-password" required /></label>
    </div>`;
    let body: SafeHtml;
    if (state.confirmed) {
      body = html`<p>Two-factor sign-in is <b>on</b>: after your password, the desk asks for the code your app shows.
          ${String(state.recoveryLeft)} recovery code${state.recoveryLeft === 1 ? '' : 's'} left.</p>
        <h2>New recovery codes</h2>
        <form class="rd-form" method="post" action="/admin/me/two-factor/recovery-codes">
          ${token} ${password}
          <p><button type="submit">Make new recovery codes</button> <small>The old ones stop working.</small></p>
        </form>
        <h2>Turn off</h2>
        ${
          m.twoFactorRequired
            ? html`<p>A site of yours requires two-factor sign-in, so it stays on.</p>`
            : html`<form class="rd-form" method="post" action="/admin/me/two-factor/disable">
                ${token} ${password}
                <p><button type="submit">Turn off two-factor</button></p>
              </form>`
        }`;
    } else if (state.pendingSecret !== null) {
      const uri = totpUri(state.pendingSecret, m.email);
      body = html`<ol>
          <li>
            Scan this with an authenticator app (Aegis, Google Authenticator, 1Password, …):<br /><img
              class="rd-qr"
              src="${await totpQrDataUrl(uri)}"
              width="220"
              height="220"
              alt="QR code for your authenticator app"
            />
          </li>
          <li>Or type this key into it: <code id="rd-totp-secret" class="rd-totp-secret">${state.pendingSecret}</code></li>
          <li>Then type the 6-digit code it shows:</li>
        </ol>
        <form class="rd-form" method="post" action="/admin/me/two-factor/confirm">
          ${token}
          <div class="rd-field">
            <label for="tf-code">Code</label>
            <input id="tf-code" name="code" autocomplete="one-time-code" inputmode="numeric" required maxlength="10" />
          </div>
          <p><button type="submit">Turn on two-factor</button></p>
        </form>`;
    } else {
      body = html`<p>Two-factor sign-in is <b>off</b>. With it on, signing in needs your password and a code from an
          authenticator app on your phone, so a stolen password alone does not open the desk.</p>
        <form class="rd-form" method="post" action="/admin/me/two-factor/start">
          ${token}
          <p><button type="submit">Set up two-factor</button></p>
        </form>`;
    }
    res
      .status(status)
      .type('html')
      .send(
        renderAdminPage(
          'Two-factor sign-in',
          { moderator: m, csrfToken: csrf, section: 'me' },
          html`<p><a href="/admin/me">← My settings</a></p>
            <h1>Two-factor sign-in</h1>
            ${
              m.twoFactorRequired && !state.confirmed
                ? html`<p class="rd-notice rd-notice-error" role="alert">
                  A site of yours requires two-factor sign-in: set it up to go on.
                </p>`
                : ''
            }
            ${notice ? html`<p class="rd-notice" role="status">${notice}</p>` : ''}
            ${opts.error ? html`<p class="rd-notice rd-notice-error" role="alert">${opts.error}</p>` : ''}
            ${opts.codes ? renderCodes(opts.codes) : body}`,
        ),
      );
  };

  const passwordIsRight = async (m: Moderator, password: string): Promise<boolean> => {
    const credentials = await loadCredentials(db, m.email);
    return credentials !== null && (await verifyPassword(credentials.passwordHash, password));
  };

  router.get('/me/two-factor', (req: Request, res: Response) => show(req, res, currentModerator(res), 200));

  router.post('/me/two-factor/start', async (req: Request, res: Response) => {
    const m = currentModerator(res);
    await startTwoFactor(db, await deps.twoFactorKey(), m.id, newTotpSecret());
    res.redirect(303, '/admin/me/two-factor');
  });

  router.post('/me/two-factor/confirm', async (req: Request, res: Response) => {
    const m = currentModerator(res);
    const code = toTotpCode(rawFormText(req, 'code'));
    const codes =
      code === null ? null : await confirmTwoFactor(db, await deps.twoFactorKey(), { id: m.id, label: m.email }, code);
    if (codes === null)
      return show(req, res, m, 422, {
        error: 'That code is not right. Check the phone’s clock, and type the code it shows now.',
      });
    await show(req, res, { ...m, twoFactor: true }, 200, { codes });
  });

  router.post('/me/two-factor/recovery-codes', async (req: Request, res: Response) => {
    const m = currentModerator(res);
    if (!(await passwordIsRight(m, rawFormText(req, 'password'))))
      return show(req, res, m, 422, { error: 'That is not your current password.' });
    const codes = await renewRecoveryCodes(db, { id: m.id, label: m.email });
    if (codes === null)
      return show(req, res, m, 422, { error: 'Two-factor sign-in is off: there are no codes to renew.' });
    await show(req, res, m, 200, { codes });
  });

  router.post('/me/two-factor/disable', async (req: Request, res: Response) => {
    const m = currentModerator(res);
    if (m.twoFactorRequired)
      throw AppError.of('TWO_FACTOR_REQUIRED', {
        message: 'A site of yours requires two-factor sign-in, so it cannot be turned off.',
      });
    if (!(await passwordIsRight(m, rawFormText(req, 'password'))))
      return show(req, res, m, 422, { error: 'That is not your current password.' });
    await removeTwoFactor(db, m.id, m.email, { id: m.id, label: m.email });
    res.redirect(303, `/admin/me/two-factor?notice=${encodeURIComponent('Two-factor sign-in is off.')}`);
  });

  return router;
}
