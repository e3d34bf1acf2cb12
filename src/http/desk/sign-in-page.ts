import { renderAdminPage } from './admin-layout.js';
import { html } from '../../html/html.js';

/** The sign-in form; `error` is shown above it (wrong password, throttled). */
export function renderSignInPage(input: {
  csrfToken: string;
  next: string;
  email: string;
  error: string | null;
}): string {
  return renderAdminPage(
    'Sign in',
    { moderator: null, csrfToken: input.csrfToken, section: 'sign-in' },
    html`<section class="rd-signin">
<h1>Sign in to Reply Desk</h1>
${input.error ? html`<p class="rd-error" role="alert">${input.error}</p>` : ''}
<form method="post" action="/admin/sign-in">
<input type="hidden" name="_csrf" value="${input.csrfToken}">
<input type="hidden" name="next" value="${input.next}">
<label for="email">Email</label>
<input id="email" name="email" type="email" autocomplete="username" required autofocus value="${input.email}">
<label for="password">Password</label>
<input id="password" name="password" type="password" autocomplete="current-password" required>
<button type="submit">Sign in</button>
</form>
<p class="rd-hint">No account yet? An admin invites you by mail (Moderators → Invite), or creates one with <code>npx reply-desk moderator add EMAIL</code>.</p>
</section>`,
  );
}
