import { once } from 'node:events';
import { createServer, type Server, type ServerResponse } from 'node:http';
import { DEMO_PAGE_ID, DEMO_SITE_ID } from './demo-page.js';
import { SignJWT } from 'jose';
import { html } from '../../html/html.js';

/** The host blog's own "subscribers": who the demo page can sign in as (its own accounts, not ours). */
export const DEMO_SUBSCRIBERS = {
  ada: { sub: 'blog-user-1', name: 'Ada Subscriber', email: 'ada.subscriber@example.org' },
  ben: { sub: 'blog-user-2', name: 'Ben Reader', email: 'ben.reader@example.org' },
} as const;
export type DemoSubscriber = keyof typeof DEMO_SUBSCRIBERS;

/**
 * What the host's article template does for a signed-in subscriber: sign an HS256 token with the
 * site's SSO secret (README "Host-site SSO"). One hour, as a page view's token needs no more.
 */
export function signDemoToken(secret: string, who: DemoSubscriber, now = new Date()): Promise<string> {
  const user = DEMO_SUBSCRIBERS[who];
  const iat = Math.floor(now.getTime() / 1000);
  return new SignJWT({ name: user.name, email: user.email })
    .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
    .setSubject(user.sub)
    .setIssuedAt(iat)
    .setExpirationTime(iat + 3600)
    .sign(new TextEncoder().encode(secret));
}

/**
 * A second demo page, as a customer's blog would embed Reply Desk: another origin (the API's port + 1),
 * no server-side thread, just the two-line embed and count.js. `npm start` serves it, so the widget is
 * seen working across origins, under a CSP that lets in the comment service and nothing else.
 */
export function renderDemoHostPage(apiUrl: string, sso?: { token: string; who: DemoSubscriber } | 'off'): string {
  // The host's own account box: with an SSO secret, its subscribers comment under their accounts.
  const account =
    sso === undefined || sso === 'off'
      ? html``
      : html`<p class="account">Signed in to this blog as <b>${DEMO_SUBSCRIBERS[sso.who].name}</b> ·
<a href="/">Sign out</a></p>`;
  const accounts =
    sso === 'off'
      ? html``
      : html`<p>This blog has accounts of its own. Sign in as one of its subscribers, and the thread below
knows you by your account (a verified name, no name or email to type):
<a href="/?as=ada">Ada Subscriber</a> · <a href="/?as=ben">Ben Reader</a></p>`;
  const ssoAttributes =
    sso === undefined || sso === 'off'
      ? html`data-sso-login="/?as=ada" data-sso-logout="/"`
      : html`data-sso-token="${sso.token}" data-sso-login="/?as=ada" data-sso-logout="/"`;
  const counter = (page: string, title: string) =>
    html`<li><a href="#">${title}</a> · <span data-reply-desk-count="${page}">…</span></li>`;
  return html`<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>A customer's blog — Reply Desk embedded from another origin</title>
<link rel="icon" href="${apiUrl}/assets/favicon.svg" type="image/svg+xml">
</head>
<body>
<main>
${account}
<article>
<h1>A customer's blog</h1>
<p>This page is served from a different origin than the comment service (${apiUrl}). The thread
below is the demo article's, loaded by two lines of HTML:</p>
<pre><code>&lt;div id="reply-desk"&gt;&lt;/div&gt;
&lt;script src="${apiUrl}/embed.js" data-site="${DEMO_SITE_ID}" data-page="${DEMO_PAGE_ID}" async&gt;&lt;/script&gt;</code></pre>
${accounts}
<h2>More from this blog</h2>
<ul>
${counter(DEMO_PAGE_ID, 'Hello from Reply Desk')}
${counter('second-post', 'A second post')}
${counter('third-post', 'A third post')}
</ul>
</article>
<div id="reply-desk"></div>
</main>
<script src="${apiUrl}/embed.js" data-site="${DEMO_SITE_ID}" data-page="${DEMO_PAGE_ID}" ${sso === 'off' ? html`` : ssoAttributes} async></script>
<script src="${apiUrl}/count.js" data-site="${DEMO_SITE_ID}" async></script>
</body>
</html>
`.value;
}

/** The host page's policy: scripts, API calls and the icon from the comment service only, no inline anything. */
export function demoHostCsp(apiUrl: string): string {
  const api = new URL(apiUrl).origin;
  return [`default-src 'none'`, `script-src ${api}`, `connect-src ${api}`, `img-src ${api}`, `base-uri 'none'`].join(
    '; ',
  );
}

/** Serves the host page at `/` on its own port until closed. */
export async function startDemoHostServer(opts: {
  port: number;
  host: string;
  apiUrl: string;
  /** The demo site's SSO secret: `/?as=ada` signs the page in as that subscriber. Left out, no accounts. */
  ssoSecret?: string | null;
}): Promise<Server> {
  const secret = opts.ssoSecret ?? null;
  const guestPage = renderDemoHostPage(opts.apiUrl, secret === null ? 'off' : undefined);
  const send = (res: ServerResponse, page: string): void => {
    res
      .writeHead(200, {
        'content-type': 'text/html; charset=utf-8',
        'cache-control': 'no-store',
        'content-security-policy': demoHostCsp(opts.apiUrl),
        'x-content-type-options': 'nosniff',
      })
      .end(page);
  };
  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://demo-host.invalid');
    if (req.method !== 'GET' || url.pathname !== '/') {
      res.writeHead(404, { 'content-type': 'text/plain; charset=utf-8' }).end('Not found\n');
      return;
    }
    const as = url.searchParams.get('as');
    const who = as !== null && Object.hasOwn(DEMO_SUBSCRIBERS, as) ? (as as DemoSubscriber) : null;
    if (who === null || secret === null) {
      send(res, guestPage);
      return;
    }
    // A fresh token per page view, as the host's template signs one for each.
    signDemoToken(secret, who).then(
      (token) => send(res, renderDemoHostPage(opts.apiUrl, { token, who })),
      () => res.writeHead(500, { 'content-type': 'text/plain; charset=utf-8' }).end('Could not sign the token\n'),
    );
  });
  server.listen(opts.port, opts.host);
  await once(server, 'listening');
  return server;
}
