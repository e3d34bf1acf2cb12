import { Router, type Request, type Response } from 'express';
import { weakPasswordReason } from '../../auth/password-rules.js';
import { hashPassword, MIN_PASSWORD_LENGTH } from '../../auth/passwords.js';
import type { SessionList } from '../../auth/session-list.js';
import type { SignInCsrf } from '../../auth/sign-in-csrf.js';
import { html } from '../../html/html.js';
import { acceptInvite, inspectInvite, type InviteState } from '../../store/accounts/invites.js';
import type { Pool } from '../../store/db.js';
import { loadModerator, type Moderator } from '../../store/moderators.js';
import { rawFormText as field } from '../kit/form-values.js';
import { queryText } from '../kit/query-values.js';
import { renderAdminPage } from './admin-layout.js';
import { csrfTokenOf } from './moderator-session.js';
import { completeSignIn } from './sign-in-session.js';

const closedWords: Record<Exclude<InviteState, { ok: true }>['reason'], string> = {
  unknown: 'This invite link is not valid. Check that the whole link was copied, or ask for a new invite.',
  used: 'This invite link was already used. Sign in with the password chosen then, or ask an admin for a new invite.',
  expired: 'This invite link has expired (or a newer invite replaced it). Ask an admin for a new one.',
};

function renderInvitePage(input: {
  csrfToken: string;
  token: string;
  invite: InviteState;
  signedIn: Moderator | null;
  error: string | null;
}): string {
  const { invite, signedIn } = input;
  const body = !invite.ok
    ? html`<h1>Invite</h1>
        <p class="rd-error" role="alert">${closedWords[invite.reason]}</p>
        <p><a href="/admin/sign-in">Sign in</a></p>`
    : signedIn
      ? html`<h1>Invite for ${invite.email}</h1>
          <p>You are signed in as ${signedIn.email}. Sign out first, then open the link again to accept it.</p>`
      : html`<h1>Welcome to Reply Desk, ${invite.displayName}</h1>
          <p>Choose the password for ${invite.email}. This link works once.</p>
          ${input.error ? html`<p class="rd-error" role="alert">${input.error}</p>` : ''}
          <form method="post" action="/admin/sign-in/invite">
            <input type="hidden" name="_csrf" value="${input.csrfToken}" />
            <input type="hidden" name="t" value="${input.token}" />
            <input type="hidden" name="email" autocomplete="username" value="${invite.email}" />
            <label for="password">Password (at least ${String(MIN_PASSWORD_LENGTH)} characters; a few unrelated words are good)</label>
            <input id="password" name="password" type="password" autocomplete="new-password" required minlength="${String(MIN_PASSWORD_LENGTH)}" />
            <label for="password2">The same password again</label>
            <input id="password2" name="password2" type="password" autocomplete="new-password" required />
            <button type="submit">Create my account</button>
          </form>`;
  return renderAdminPage(
    'Invite',
    { moderator: signedIn, csrfToken: input.csrfToken, section: 'sign-in' },
    html`<section class="rd-signin">${body}</section>`,
  );
}

/**
 * The link in an invite's mail (sql/0043): its GET only shows the form (mail scanners fetch links), the
 * POST with a password strong enough creates the account, spends the link, and signs the new account
 * in. Mounted before the desk's guard, under /admin/sign-in so the sign-in form's CSRF cookie (path
 * /admin/sign-in) carries this form's token too.
 */
export function createInviteAcceptRoutes(deps: { db: Pool; csrf: SignInCsrf; sessions: SessionList }): Router {
  const { db, csrf } = deps;
  const router = Router();

  const show = async (req: Request, res: Response, token: string, status: number, error: string | null) => {
    const signedIn = (res.locals.moderator as Moderator | null) ?? null;
    const invite = await inspectInvite(db, token);
    res
      .status(invite.ok ? status : 410)
      .type('html')
      .send(
        renderInvitePage({
          csrfToken: signedIn ? csrfTokenOf(req) : csrf.tokenOf(req, res),
          token,
          invite,
          signedIn,
          error,
        }),
      );
  };

  router.get('/sign-in/invite', (req: Request, res: Response) => show(req, res, queryText(req, 't') ?? '', 200, null));

  router.post('/sign-in/invite', async (req: Request, res: Response) => {
    const token = field(req, 't');
    if (res.locals.moderator) return show(req, res, token, 409, null);
    if (!csrf.isRequestValid(req))
      return show(req, res, token, 403, 'This form has expired or did not come from Reply Desk. Please try again.');
    const invite = await inspectInvite(db, token);
    if (!invite.ok) return show(req, res, token, 410, null);
    const password = field(req, 'password');
    if (password !== field(req, 'password2')) return show(req, res, token, 422, 'The two passwords are not the same.');
    const weak = weakPasswordReason(password, { email: invite.email, name: invite.displayName });
    if (weak) return show(req, res, token, 422, weak);
    const accepted = await acceptInvite(db, token, await hashPassword(password));
    if (!accepted.ok) return show(req, res, token, 410, null);
    const m = await loadModerator(db, accepted.moderatorId);
    if (m) await completeSignIn(req, deps, m);
    res.redirect(303, '/admin');
  });

  return router;
}
