import type { CheckHook } from '../../../../hooks/check-hook-store.js';
import { HOOK_TIMEOUT_RANGE } from '../../../../hooks/check-hook-input.js';
import { html } from '../../../../html/html.js';
import { renderAdminPage, type AdminPageContext } from '../../admin-layout.js';

/** The form as entered (kept on a refused save). */
export interface CheckHookFormValues {
  url: string;
  timeoutMs: string;
}

/**
 * A site's external check hook at /admin/sites/:id/check-hook (admins only): what is set, with its
 * signing secret behind a disclosure (as a webhook's is), the form to set it and the button to clear it.
 */
export function renderCheckHookPage(input: {
  ctx: AdminPageContext;
  siteId: string;
  siteName: string;
  hook: CheckHook | null;
  values: CheckHookFormValues;
  notice: string | null;
  error: string | null;
}): string {
  const { ctx, siteId, hook, values: v } = input;
  const base = `/admin/sites/${encodeURIComponent(siteId)}/check-hook`;
  const csrf = html`<input type="hidden" name="_csrf" value="${ctx.csrfToken}">`;
  return renderAdminPage(
    `External check: ${input.siteName}`,
    ctx,
    html`<p><a href="/admin/sites/${encodeURIComponent(siteId)}">← Site ${siteId}</a></p>
<h1>External check for <code>${siteId}</code></h1>
${input.notice ? html`<p class="rd-notice" role="status">${input.notice}</p>` : ''}
${input.error ? html`<p class="rd-notice rd-notice-error" role="alert">${input.error}</p>` : ''}
<p>The worker asks this URL about each comment the site’s own rules would publish or hold, and adds its answer
(<code>approve</code>, <code>hold</code>, <code>spam</code> or <code>reject</code>) to the comment’s verdict.
It sends the text, name, website, page and the local verdict; never the email or the IP. No answer in time, an
error or an answer of another shape holds the comment: it is never published unchecked. “Approve” cannot publish
what the site’s own rules hold.</p>
${
  hook === null
    ? html`<p>No external check is set.</p>`
    : html`<dl class="rd-check-hook"><dt>URL</dt><dd><code>${hook.url}</code></dd>
<dt>Timeout</dt><dd>${hook.timeoutMs === null ? html`the worker’s default (<code>CHECK_HOOK_TIMEOUT_MS</code>, 2000 ms unless set)` : `${hook.timeoutMs} ms`}</dd>
<dt>Set</dt><dd>${hook.updatedAt.toISOString()}</dd></dl>
<h2>Signing secret</h2>
<p>The hook checks <code>Reply-Desk-Signature</code> with this secret, as a webhook receiver does.</p>
<details><summary>Show the secret</summary><p><code class="rd-secret">${hook.secret}</code></p></details>
<form method="post" action="${base}/clear">${csrf}<button type="submit" class="rd-danger">Clear the external check</button></form>`
}
<h2>${hook === null ? 'Set an external check' : 'Change it'}</h2>
<form class="rd-form" method="post" action="${base}">
${csrf}
<div class="rd-field"><label for="h-url">URL</label><input id="h-url" name="url" type="url" required value="${v.url}"></div>
<div class="rd-field"><label for="h-timeout">Timeout (ms)</label><input id="h-timeout" name="timeoutMs" inputmode="numeric" value="${v.timeoutMs}">
<small>${HOOK_TIMEOUT_RANGE.min} to ${HOOK_TIMEOUT_RANGE.max}; empty: the worker’s default, <code>CHECK_HOOK_TIMEOUT_MS</code>. Each comment waits this long at most.</small></div>
${hook === null ? '' : html`<div class="rd-field"><label><input type="checkbox" name="newSecret" value="1"> Make a new signing secret (the old one stops working at once)</label></div>`}
<p><button type="submit">Save</button></p>
</form>`,
  );
}
