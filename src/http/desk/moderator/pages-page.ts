import type { PageListItem, PageListView } from '../../../store/pages/page-list.js';
import { renderAdminPage, type AdminPageContext } from '../admin-layout.js';
import { html } from '../../../html/html.js';
import { overridesAnything } from '../../../domain/pages/page-settings.js';

const viewLabels: Record<PageListView, string> = {
  active: 'Most active now',
  closed: 'Closed',
  overridden: 'Own settings',
  all: 'All pages',
};

function pagesQuery(siteId: string, view: PageListView, search: string | null): string {
  const params = new URLSearchParams({ site: siteId, view });
  if (search !== null) params.set('q', search);
  return `/admin/pages?${params.toString()}`;
}

/** A site's pages: search, the most active now, the closed ones, those with settings of their own; each with close or reopen and its settings. */
export function renderPagesPage(input: {
  ctx: AdminPageContext;
  siteIds: string[];
  siteId: string | null;
  view: PageListView;
  search: string | null;
  pages: PageListItem[];
  notice: string | null;
}): string {
  const { ctx, siteIds, siteId, view, search, pages, notice } = input;
  return renderAdminPage(
    'Pages',
    ctx,
    html`<h1>Pages</h1>
      ${notice ? html`<p class="rd-notice" role="status">${notice}</p>` : ''}
      ${
        siteId === null
          ? html`<p>You moderate no site yet.</p>`
          : html`<form class="rd-filters" method="get" action="/admin/pages" role="search">
                <label
                  >Site
                  <select name="site">
                    ${siteIds.map((s) => html`<option value="${s}" ${s === siteId ? html`selected` : ''}>${s}</option>`)}
                  </select></label
                >
                <input type="hidden" name="view" value="${view}" />
                <label>Search <input name="q" value="${search ?? ''}" placeholder="identifier, title or URL" /></label>
                <button type="submit">Show</button>
              </form>
              <nav class="rd-tabs" aria-label="Which pages">
                ${(Object.keys(viewLabels) as PageListView[]).map(
                  (v) =>
                    html`<a href="${pagesQuery(siteId, v, search)}" ${v === view ? html` aria-current="page"` : ''}
                      >${viewLabels[v]}</a
                    > `,
                )}
              </nav>
              <table class="rd-table rd-pages">
                <thead>
                  <tr>
                    <th>Page</th>
                    <th>Published</th>
                    <th>Last 24 h</th>
                    <th>Last comment</th>
                    <th>Thread</th>
                    <th>Settings</th>
                    <th></th>
                  </tr>
                </thead>
                <tbody>
                  ${
                    pages.length === 0
                      ? html`<tr>
                          <td colspan="7">
                            ${search !== null ? 'No page matches.' : view === 'closed' ? 'No closed page.' : view === 'overridden' ? 'No page has settings of its own.' : 'No pages yet.'}
                          </td>
                        </tr>`
                      : pages.map(
                          (p) =>
                            html`<tr data-page="${p.identifier}">
                              <td>
                                ${p.url ? html`<a href="${p.url}" target="_blank" rel="noopener noreferrer">${p.title || p.identifier}</a>` : p.title || p.identifier}${p.title ? html` <small>${p.identifier}</small>` : ''}
                                <a
                                  href="/admin?${new URLSearchParams({ tab: 'pending', site: siteId, page: p.identifier }).toString()}"
                                  >queue</a
                                >
                              </td>
                              <td>${p.approvedCount}</td>
                              <td>${p.recentCount}</td>
                              <td>
                                ${p.lastCommentAt ? html`<time datetime="${p.lastCommentAt.toISOString()}">${p.lastCommentAt.toISOString().replace('T', ' ').slice(0, 16)} UTC</time>` : '-'}
                              </td>
                              <td>${p.closed ? html`<b class="rd-closed">closed</b>` : 'open'}</td>
                              <td>
                                <a href="/admin/pages/${String(p.id)}" class="rd-page-settings-link"
                                  >${overridesAnything(p.settings) ? html`<b class="rd-overridden">own: ${Object.keys(p.settings).join(', ')}</b>` : 'as the site'}</a
                                >
                              </td>
                              <td>
                                <form method="post" action="/admin/pages/${p.closed ? 'open' : 'close'}">
                                  <input type="hidden" name="_csrf" value="${ctx.csrfToken}" /><input
                                    type="hidden"
                                    name="site"
                                    value="${siteId}"
                                  /><input type="hidden" name="page" value="${p.identifier}" />
                                  <button type="submit">${p.closed ? 'Reopen thread' : 'Close thread'}</button>
                                </form>
                              </td>
                            </tr>`,
                        )
                  }
                </tbody>
              </table>
              <p>
                <small
                  >Closing a thread shows readers “Comments are closed.” at once and refuses new comments; its comments
                  stay.</small
                >
              </p>`
      }`,
  );
}
