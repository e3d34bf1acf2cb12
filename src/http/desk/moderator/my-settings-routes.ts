import { Router, type Request, type Response } from 'express';
import { weakPasswordReason } from '../../../auth/password-rules.js';
import { hashPassword, MIN_PASSWORD_LENGTH, verifyPassword } from '../../../auth/passwords.js';
import type { Pool } from '../../../store/db.js';
import { changeOwnPassword } from '../../../store/moderator-accounts.js';
import { loadCredentials, type Moderator } from '../../../store/moderators.js';
import { rawFormText } from '../../kit/form-values.js';
import { loadNotifyHeld, saveNotifyHeld } from '../../../store/mail-notices.js';
import { loadStaffBadge, saveStaffBadge } from '../../../store/readers/staff-badge.js';
import { renderAdminPage } from '../admin-layout.js';
import { html } from '../../../html/html.js';
import { csrfTokenOf, currentModerator } from '../moderator-session.js';

/**
 * "My settings" at /admin/me: what a moderator chooses for themselves: held-comment mails, and the
 * Staff badge on their comments as a reader. Neither is audited (they concern only the moderator's
 * own mail and name); the password change is.
 */
export function createMySettingsRoutes(deps: { db: Pool }): Router {
  const { db } = deps;
  const router = Router();

  const show = async (req: Request, res: Response, m: Moderator, status: number, error: string | null) => {
    const [on, staff] = await Promise.all([loadNotifyHeld(db, m.id), loadStaffBadge(db, m.id)]);
    const notice = status === 200 && typeof req.query.notice === 'string' ? req.query.notice : null;
    const ctx = { moderator: m, csrfToken: csrfTokenOf(req), section: 'me' as const };
    res
      .status(status)
      .type('html')
      .send(
        renderAdminPage(
          'My settings',
          ctx,
          html`<h1>My settings</h1>
            ${notice ? html`<p class="rd-notice" role="status">${notice}</p>` : ''}
            <form class="rd-form" method="post" action="/admin/me">
              <input type="hidden" name="_csrf" value="${ctx.csrfToken}" />
              <div class="rd-field">
                <label><input type="checkbox" name="notifyHeld" value="1"${on ? html` checked` : ''} /> Mail me about held comments</label>
                <small
                  >Sent to ${m.email}: the first within about a minute, then at most one digest every few minutes
                  listing all held since, with one-click approve, reject and spam links (they ask to confirm, work once,
                  and expire). Needs SMTP to be configured.</small
                >
              </div>
              <div class="rd-field">
                <label
                  ><input type="checkbox" name="staffBadge" value="1"${staff ? html` checked` : ''} /> Show the Staff badge
                  on my comments</label
                >
                <small
                  >When you comment as a reader signed in with ${m.email} (and when you reply from a card), threads on the
                  sites you moderate show “Staff” by your name. Turning it off or on changes your comments already
                  published too. Your comments skip the holds either way.</small
                >
              </div>
              <p><button type="submit">Save</button></p>
            </form>
            <h2>Sign-in</h2>
            <p>
              <a href="/admin/me/two-factor">Two-factor sign-in</a>: ${m.twoFactor ? 'on' : 'off'}${
                m.twoFactorRequired ? ' (a site of yours requires it)' : ''
              }.
              <a href="/admin/me/sessions">My sessions</a>: where you are signed in, and sign out everywhere else.
            </p>
            <h2>Change my password</h2>
            ${error ? html`<p class="rd-notice rd-notice-error" role="alert">${error}</p>` : ''}
            <form class="rd-form" method="post" action="/admin/me/password">
              <input type="hidden" name="_csrf" value="${ctx.csrfToken}" />
              <div class="rd-field">
                <label for="me-current">Current password</label>
                <input id="me-current" name="current" type="password" autocomplete="current-password" required />
              </div>
              <div class="rd-field">
                <label for="me-new">New password (at least ${String(MIN_PASSWORD_LENGTH)} characters)</label>
                <input
                  id="me-new"
                  name="password"
                  type="password"
                  autocomplete="new-password"
                  required
                  minlength="${String(MIN_PASSWORD_LENGTH)}"
                />
                <small>Your other sessions (other browsers, devices) are signed out; this one stays.</small>
              </div>
              <p><button type="submit">Change password</button></p>
            </form>`,
        ),
      );
  };

  router.get('/me', (req: Request, res: Response) => show(req, res, currentModerator(res), 200, null));

  router.post('/me/password', async (req: Request, res: Response) => {
    const m = currentModerator(res);
    const current = rawFormText(req, 'current');
    const password = rawFormText(req, 'password');
    const credentials = await loadCredentials(db, m.email);
    if (!credentials || !(await verifyPassword(credentials.passwordHash, current)))
      return show(req, res, m, 422, 'That is not your current password.');
    if (password.length < MIN_PASSWORD_LENGTH)
      return show(req, res, m, 422, `The new password must be at least ${MIN_PASSWORD_LENGTH} characters.`);
    const weak = weakPasswordReason(password, { email: m.email, name: m.displayName });
    if (weak) return show(req, res, m, 422, weak);
    // The new generation ends every other session; this one moves to it and stays signed in.
    req.session.generation = await changeOwnPassword(db, m.id, await hashPassword(password), m.email);
    await new Promise<void>((resolve, reject) => req.session.save((err) => (err ? reject(err) : resolve())));
    res.redirect(
      303,
      `/admin/me?notice=${encodeURIComponent('Password changed; your other sessions are signed out.')}`,
    );
  });

  // The form sends both boxes; an unchecked box is not sent, so each missing one means off.
  router.post('/me', async (req: Request, res: Response) => {
    const m = currentModerator(res);
    const body = req.body as Record<string, unknown> | undefined;
    const on = body?.notifyHeld !== undefined;
    const staff = body?.staffBadge !== undefined;
    await saveNotifyHeld(db, m.id, on);
    await saveStaffBadge(db, m.id, staff);
    const notice = `${on ? 'Held-comment mails are on.' : 'Held-comment mails are off.'} ${
      staff ? 'Your Staff badge is on.' : 'Your Staff badge is off.'
    }`;
    res.redirect(303, `/admin/me?notice=${encodeURIComponent(notice)}`);
  });

  return router;
}
