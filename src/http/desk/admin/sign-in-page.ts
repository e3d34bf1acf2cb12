import { html, type SafeHtml } from '../../../html/html.js';
import type { OidcProviderListing } from '../../../readers/oidc-client.js';
import { renderAdminPage, type AdminPageContext } from '../admin-layout.js';

/** The provider form as entered (kept on a refused save; never the secret). */
export interface ProviderFormValues {
  provider: string;
  name: string;
  issuer: string;
  clientId: string;
}

export const emptyProviderForm: ProviderFormValues = { provider: '', name: '', issuer: '', clientId: '' };

function noticeOf(notice: string | null, error: string | null): SafeHtml {
  return html`${notice ? html`<p class="rd-notice" role="status">${notice}</p>` : ''}${error ? html`<p class="rd-notice rd-notice-error" role="alert">${error}</p>` : ''}`;
}

/**
 * A site's sign-in settings (issue 14), admins only: the host site's SSO secret (shown here and nowhere
 * else), and its OpenID Connect providers (the client secret is write-only: never shown back).
 */
export function renderSignInPage(input: {
  ctx: AdminPageContext;
  siteId: string;
  siteName: string;
  ssoSecret: string | null;
  providers: OidcProviderListing[];
  redirectUri: string;
  values: ProviderFormValues;
  notice: string | null;
  error: string | null;
}): string {
  const { ctx, siteId } = input;
  const base = `/admin/sites/${encodeURIComponent(siteId)}/sign-in`;
  const csrf = html`<input type="hidden" name="_csrf" value="${ctx.csrfToken}">`;
  const v = input.values;
  return renderAdminPage(
    `Sign-in · ${siteId}`,
    ctx,
    html`<p><a href="/admin/sites/${encodeURIComponent(siteId)}">← Site ${siteId}</a></p>
<h1>Sign-in for ${input.siteName}</h1>
${noticeOf(input.notice, input.error)}
<p>Which of these the widget offers is the site's <code>signInMethods</code> setting; each needs setting up here first.
Email sign-in needs only mail (<code>SMTP_URL</code>).</p>
<h2>Host-site SSO secret</h2>
<p>The host site signs its readers' tokens (HS256 JWTs, see the README, “Host-site SSO”) with this secret. Keep it on
the host's server: anyone who has it can sign in as any reader.</p>
${
  input.ssoSecret === null
    ? html`<p>This site has no SSO secret: host-site SSO is off.</p>`
    : html`<details><summary>Show the secret</summary><p><code class="rd-secret">${input.ssoSecret}</code></p></details>`
}
<form class="rd-form" method="post" action="${base}/sso">
${csrf}<input type="hidden" name="action" value="generate">
<p><button type="submit">${input.ssoSecret === null ? 'Make a secret' : 'Rotate the secret'}</button>
${input.ssoSecret === null ? '' : html`<small>Tokens signed with the old secret stop working at once; readers already signed in stay signed in.</small>`}</p>
</form>
${
  input.ssoSecret === null
    ? ''
    : html`<form class="rd-form" method="post" action="${base}/sso">
${csrf}<input type="hidden" name="action" value="remove">
<p><button type="submit" class="rd-danger">Remove the secret (turn SSO off)</button></p>
</form>`
}
<h2>OpenID Connect providers</h2>
<p>Register this redirect URI with each provider (one for all sites): <code>${input.redirectUri}</code>. Scopes:
<code>openid email profile</code>; client authentication: client secret (basic).</p>
${
  input.providers.length === 0
    ? html`<p>No providers yet.</p>`
    : html`<table class="rd-table"><thead><tr><th>Id</th><th>Button</th><th>Issuer</th><th>Client id</th><th>Secret</th><th></th></tr></thead><tbody>
${input.providers.map(
  (p) => html`<tr><td><code>${p.id}</code></td><td>Sign in with ${p.name}</td><td>${p.issuer}</td><td>${p.clientId}</td>
<td>${p.hasSecret ? 'set' : 'none'}</td><td><form method="post" action="${base}/providers/${p.id}/delete">${csrf}<button type="submit" class="rd-danger">Remove</button></form></td></tr>`,
)}
</tbody></table>`
}
<h3>Add or change a provider</h3>
<form class="rd-form" method="post" action="${base}/providers">
${csrf}
<div class="rd-field"><label for="p-id">Id</label><input id="p-id" name="provider" required maxlength="40" pattern="[a-z0-9][a-z0-9-]*" value="${v.provider}" placeholder="google">
<small>Lowercase letters, digits and dashes; part of readers' identities, so keep it once readers use it. An existing id is changed.</small></div>
<div class="rd-field"><label for="p-name">Button name</label><input id="p-name" name="name" required maxlength="60" value="${v.name}" placeholder="Google"></div>
<div class="rd-field"><label for="p-issuer">Issuer</label><input id="p-issuer" name="issuer" type="url" required value="${v.issuer}" placeholder="https://accounts.google.com"></div>
<div class="rd-field"><label for="p-client">Client id</label><input id="p-client" name="clientId" required maxlength="500" value="${v.clientId}"></div>
<div class="rd-field"><label for="p-secret">Client secret</label><input id="p-secret" name="clientSecret" type="password" autocomplete="off" maxlength="2000">
<small>Never shown again. Left empty when changing a provider, the stored secret is kept.</small></div>
<p><button type="submit">Save the provider</button></p>
</form>`,
  );
}
