import type { Moderator } from '../../store/moderators.js';
import { html, type SafeHtml } from '../../html/html.js';
import { actsNowhere, withoutActions } from './read-only-view.js';

export interface AdminPageContext {
  moderator: Moderator | null;
  csrfToken: string;
  /** Which nav entry is current. */
  section:
    | 'queue'
    | 'audit'
    | 'sites'
    | 'bans'
    | 'sign-in'
    | 'bulk'
    | 'failed'
    | 'webhooks'
    | 'me'
    | 'moderators'
    | 'pages'
    // Privacy requests had no entry and borrowed "Sites"; the queue board is not our page, so never current.
    | 'privacy';
}

/**
 * The dashboard's page frame: nav, the signed-in moderator, a sign-out button, and the CSRF token for
 * admin.js. Scripts load from 'self' only (the dashboard's CSP); the page works without them too.
 */
export function renderAdminPage(title: string, ctx: AdminPageContext, page: SafeHtml): string {
  const m = ctx.moderator;
  // A viewer everywhere sees no action's button (read-only-view.ts); their own settings keep theirs.
  const body = m !== null && ctx.section !== 'me' && actsNowhere(m) ? withoutActions(page) : page;
  const link = (href: string, label: string, section: AdminPageContext['section']) =>
    html`<a href="${href}"${ctx.section === section ? html` aria-current="page"` : ''}>${label}</a>`;
  return html`<!doctype html>
    <html lang="en">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <meta name="csrf-token" content="${ctx.csrfToken}" />
        <title>${title} · Reply Desk</title>
        <link rel="stylesheet" href="/assets/admin.css" />
        <link rel="icon" href="/assets/favicon.svg" type="image/svg+xml" />
        <script src="/assets/admin.js" defer></script>
      </head>
      <body>
        <header class="rd-top">
          <a class="rd-brand" href="/admin">Reply Desk</a>
          ${
            m
              ? html`<nav aria-label="Dashboard">
                    ${link('/admin', 'Queue', 'queue')} ${link('/admin/pages', 'Pages', 'pages')}
                    ${link('/admin/bans', 'Bans', 'bans')}${
                      m.role === 'admin'
                        ? html` ${link('/admin/audit', 'Audit log', 'audit')} ${link('/admin/sites', 'Sites', 'sites')}
                          ${link('/admin/failed', 'Failed jobs', 'failed')}
                          ${link('/admin/webhooks', 'Webhooks', 'webhooks')}
                          ${link('/admin/moderators', 'Moderators', 'moderators')}
                          ${link('/admin/privacy', 'Privacy', 'privacy')}
                          <a href="/admin/queues">Queue board</a>`
                        : ''
                    }
                    ${link('/admin/me', 'My settings', 'me')}
                  </nav>
                  <form class="rd-signout" method="post" action="/admin/sign-out">
                    <input type="hidden" name="_csrf" value="${ctx.csrfToken}" />
                    <span class="rd-who">${m.displayName} <small>(${actsNowhere(m) ? 'viewer' : m.role})</small></span>
                    <button type="submit">Sign out</button>
                  </form>`
              : ''
          }
        </header>
        <main id="main">${body}</main>
      </body>
    </html> `.value;
}
