import type { Ban, TrustedAuthor } from '../../../store/author-rules.js';
import type { DeskReader } from '../../../store/readers/reader-trust.js';
import { renderAdminPage, type AdminPageContext } from '../admin-layout.js';
import { html, type SafeHtml } from '../../../html/html.js';

/** Bans on the moderator's sites, a form to add one, and a button to lift each. */
export function renderBansPage(input: {
  ctx: AdminPageContext;
  bans: Ban[];
  /** Trusted authors of these sites, each with an Untrust button (left out: the section is not shown). */
  trusted?: TrustedAuthor[];
  /** Trusted signed-in readers, each with an Untrust button (left out: not shown). */
  trustedReaders?: DeskReader[];
  siteIds: string[];
  notice: string | null;
}): string {
  const { ctx, bans, siteIds, notice, trusted, trustedReaders } = input;
  return renderAdminPage(
    'Bans',
    ctx,
    html`<h1>Bans</h1>
      ${notice ? html`<p class="rd-notice" role="status">${notice}</p>` : ''}
      <form class="rd-filters" method="post" action="/admin/bans">
        <input type="hidden" name="_csrf" value="${ctx.csrfToken}" />
        <label
          >Site
          <select name="site">
            ${siteIds.map((s) => html`<option value="${s}">${s}</option>`)}
          </select></label
        >
        <label
          >Kind
          <select name="kind">
            <option value="email">Email</option>
            <option value="ip">IP or range (CIDR)</option>
            <option value="domain">Domain</option>
            <option value="reader">Signed-in reader (id)</option>
          </select></label
        >
        <label
          >Value <input name="value" required placeholder="spammer@example.com, 203.0.113.0/24, example.com"
        /></label>
        <label>Reason <input name="reason" maxlength="500" /></label>
        <label><input type="checkbox" name="rejectPending" value="1" checked /> reject their pending comments</label>
        <button type="submit">Ban</button>
      </form>
      <table class="rd-table">
        <thead>
          <tr>
            <th>Site</th>
            <th>Kind</th>
            <th>Value</th>
            <th>Reason</th>
            <th>Since</th>
            <th></th>
          </tr>
        </thead>
        <tbody>
          ${
            bans.length === 0
              ? html`<tr>
                  <td colspan="6">No bans.</td>
                </tr>`
              : bans.map(
                  (b) =>
                    html`<tr>
                      <td>${b.siteId}</td>
                      <td>${b.kind}</td>
                      <td>
                        ${b.kind === 'reader' ? html`<b class="rd-ban-reader">${b.readerName ?? '(erased reader)'}</b> <small>reader ${b.value}</small>` : b.value}
                      </td>
                      <td>${b.reason}</td>
                      <td>${b.createdAt.toISOString().slice(0, 10)}</td>
                      <td>
                        <form method="post" action="/admin/bans/delete">
                          <input type="hidden" name="_csrf" value="${ctx.csrfToken}" />
                          <input type="hidden" name="site" value="${b.siteId}" /><input
                            type="hidden"
                            name="kind"
                            value="${b.kind}"
                          /><input type="hidden" name="value" value="${b.value}" /> <button type="submit">Lift</button>
                        </form>
                      </td>
                    </tr>`,
                )
          }
        </tbody>
      </table>
      ${trusted === undefined ? '' : renderTrusted(ctx.csrfToken, trusted)}
      ${trustedReaders === undefined ? '' : renderTrustedReaders(ctx.csrfToken, trustedReaders)}`,
  );
}

/** Trusted authors (their comments skip the hold rules), each with the way back. */
function renderTrusted(csrfToken: string, trusted: TrustedAuthor[]): SafeHtml {
  return html`<h2 id="trusted">Trusted authors</h2>
    <table class="rd-table rd-trusted">
      <thead>
        <tr>
          <th>Site</th>
          <th>Email</th>
          <th>Since</th>
          <th></th>
        </tr>
      </thead>
      <tbody>
        ${
          trusted.length === 0
            ? html`<tr>
                <td colspan="4">No trusted authors. Trust one from a comment’s card (More).</td>
              </tr>`
            : trusted.map(
                (t) =>
                  html`<tr>
                    <td>${t.siteId}</td>
                    <td>${t.email}</td>
                    <td>${t.createdAt.toISOString().slice(0, 10)}</td>
                    <td>
                      <form method="post" action="/admin/trusted/delete">
                        <input type="hidden" name="_csrf" value="${csrfToken}" /><input
                          type="hidden"
                          name="site"
                          value="${t.siteId}"
                        /><input type="hidden" name="email" value="${t.email}" />
                        <button type="submit">Untrust</button>
                      </form>
                    </td>
                  </tr>`,
              )
        }
      </tbody>
    </table>`;
}

/** Trusted signed-in readers (readers.trusted), each with the way back. */
function renderTrustedReaders(csrfToken: string, readers: DeskReader[]): SafeHtml {
  return html`<h2 id="trusted-readers">Trusted readers</h2>
    <table class="rd-table rd-trusted-readers">
      <thead>
        <tr>
          <th>Site</th>
          <th>Reader</th>
          <th></th>
        </tr>
      </thead>
      <tbody>
        ${
          readers.length === 0
            ? html`<tr>
                <td colspan="3">No trusted readers. Trust one from their comment’s card (More).</td>
              </tr>`
            : readers.map(
                (r) =>
                  html`<tr>
                    <td>${r.siteId}</td>
                    <td>${r.name} <small>reader ${String(r.id)}</small></td>
                    <td>
                      <form method="post" action="/admin/readers/${String(r.id)}/untrust">
                        <input type="hidden" name="_csrf" value="${csrfToken}" />
                        <button type="submit">Untrust</button>
                      </form>
                    </td>
                  </tr>`,
              )
        }
      </tbody>
    </table>`;
}
