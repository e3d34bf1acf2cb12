import { once } from 'node:events';
import { createServer, type Server } from 'node:http';
import { DEMO_PAGE_ID, DEMO_SITE_ID } from './demo-page.js';
import { html } from '../../html/html.js';

/**
 * A second demo page, as a customer's blog would embed Reply Desk: another origin (the API's port + 1),
 * no server-side thread, just the two-line embed and count.js. `npm start` serves it, so the widget is
 * seen working across origins, under a CSP that lets in the comment service and nothing else.
 */
export function renderDemoHostPage(apiUrl: string): string {
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
<article>
<h1>A customer's blog</h1>
<p>This page is served from a different origin than the comment service (${apiUrl}). The thread
below is the demo article's, loaded by two lines of HTML:</p>
<pre><code>&lt;div id="reply-desk"&gt;&lt;/div&gt;
&lt;script src="${apiUrl}/embed.js" data-site="${DEMO_SITE_ID}" data-page="${DEMO_PAGE_ID}" async&gt;&lt;/script&gt;</code></pre>
<h2>More from this blog</h2>
<ul>
${counter(DEMO_PAGE_ID, 'Hello from Reply Desk')}
${counter('second-post', 'A second post')}
${counter('third-post', 'A third post')}
</ul>
</article>
<div id="reply-desk"></div>
</main>
<script src="${apiUrl}/embed.js" data-site="${DEMO_SITE_ID}" data-page="${DEMO_PAGE_ID}" async></script>
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
export async function startDemoHostServer(opts: { port: number; host: string; apiUrl: string }): Promise<Server> {
  const page = renderDemoHostPage(opts.apiUrl);
  const server = createServer((req, res) => {
    if (req.method !== 'GET' || (req.url ?? '/').split('?')[0] !== '/') {
      res.writeHead(404, { 'content-type': 'text/plain; charset=utf-8' }).end('Not found\n');
      return;
    }
    res
      .writeHead(200, {
        'content-type': 'text/html; charset=utf-8',
        'cache-control': 'no-store',
        'content-security-policy': demoHostCsp(opts.apiUrl),
        'x-content-type-options': 'nosniff',
      })
      .end(page);
  });
  server.listen(opts.port, opts.host);
  await once(server, 'listening');
  return server;
}
