import type { Site } from '../../../domain/site-settings.js';
import { renderAdminPage, type AdminPageContext } from '../admin-layout.js';
import { html } from '../../../html/html.js';

export interface PrivacyFormValues {
  email: string;
  site: string;
}

function siteOptions(sites: Site[], selected: string) {
  return html`<option value="">All sites</option>${sites.map((s) => html`<option value="${s.id}"${s.id === selected ? html` selected` : ''}>${s.name} (${s.id})</option>`)}`;
}

/**
 * The commenters' privacy page (admins): download everything stored about an email, or erase it. Erase
 * is two steps: the first shows what would go, the second (with `confirm`) does it.
 */
export function renderPrivacyPage(input: {
  ctx: AdminPageContext;
  sites: Site[];
  values: PrivacyFormValues;
  notice: string | null;
  error: string | null;
  preview: { comments: number; trusted: number; bans: number } | null;
}): string {
  const { ctx, sites, values, notice, error, preview } = input;
  return renderAdminPage(
    'Privacy requests',
    ctx,
    html`<h1>Privacy requests</h1>
<p>Export or erase everything Reply Desk stores about a commenter, found by their email address.
Erasing turns their comments into removed placeholders (replies keep their place), deletes their
trusted-author and email-ban entries, and redacts audit entries that quote them. It cannot be undone.</p>
${notice ? html`<p class="rd-notice" role="status">${notice}</p>` : ''}
${error ? html`<p class="rd-notice rd-notice-error" role="alert">${error}</p>` : ''}
${
  preview
    ? html`<section aria-labelledby="confirm-h"><h2 id="confirm-h">Erase ${values.email}?</h2>
<p>This erases ${values.site ? html`on site <code>${values.site}</code>` : 'on every site'}: ${preview.comments} comment(s),
${preview.trusted} trusted-author entr${preview.trusted === 1 ? 'y' : 'ies'}, ${preview.bans} email ban(s).</p>
<form method="post" action="/admin/privacy/erase" class="rd-form">
<input type="hidden" name="_csrf" value="${ctx.csrfToken}">
<input type="hidden" name="email" value="${values.email}">
<input type="hidden" name="site" value="${values.site}">
<input type="hidden" name="confirm" value="1">
<p><button type="submit">Erase for good</button> <a href="/admin/privacy">Cancel</a></p>
</form></section>`
    : ''
}
<form method="post" action="/admin/privacy/export" class="rd-form">
<input type="hidden" name="_csrf" value="${ctx.csrfToken}">
<div class="rd-field"><label for="p-email">Commenter’s email</label>
<input id="p-email" name="email" type="email" required value="${values.email}"></div>
<div class="rd-field"><label for="p-site">Site</label><select id="p-site" name="site">${siteOptions(sites, values.site)}</select></div>
<p><button type="submit">Download their data (JSON)</button>
<button type="submit" formaction="/admin/privacy/erase">Erase their data…</button></p>
</form>`,
  );
}
