import type { SiteContents } from '../../../store/site-updates.js';
import { describeSiteContents } from '../../../store/site-updates.js';
import { renderAdminPage, type AdminPageContext } from '../admin-layout.js';
import { html } from '../../../html/html.js';

/** The confirmation before a site is deleted: what goes, that it cannot be undone, and the typed id. */
export function renderSiteDeletePage(input: {
  ctx: AdminPageContext;
  siteId: string;
  contents: SiteContents;
  /** The id typed last time was not the site's (answered with 422). */
  mismatch: boolean;
}): string {
  const { ctx, siteId, contents, mismatch } = input;
  return renderAdminPage(
    `Delete site ${siteId}`,
    ctx,
    html`<p><a href="/admin/sites/${encodeURIComponent(siteId)}">← Site ${siteId}</a></p>
      <h1>Delete site <code>${siteId}</code></h1>
      <p class="rd-warning">
        This deletes the site and everything stored under it: ${describeSiteContents(contents)}. Its widget and forms
        stop working at once. <b>This cannot be undone</b>; export the site first if you may need it (<code
          >reply-desk export --site ${siteId}</code
        >).
      </p>
      <form method="post" action="/admin/sites/${encodeURIComponent(siteId)}/delete" class="rd-site-delete">
        <input type="hidden" name="_csrf" value="${ctx.csrfToken}" />
        <label
          >Type the site id, <code>${siteId}</code>, to confirm
          <input
            name="confirm"
            autocomplete="off"
            required
            ${mismatch ? html`aria-invalid="true" aria-describedby="confirm-error"` : ''}
        /></label>
        ${mismatch ? html`<p id="confirm-error" class="rd-field-error" role="alert">That is not the site id; nothing was deleted.</p>` : ''}
        <button type="submit" class="rd-act-delete">Delete this site for good</button>
      </form>`,
  );
}
