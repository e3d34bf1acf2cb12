import { once } from 'node:events';
import { createServer, type OutgoingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A customer's site for the widget tests: a second HTTP server, on its own port, so every page it
 * serves is a different origin from the API — as real embedding is. It listens on 127.0.0.1; the same
 * server reached as `localhost` is yet another origin (the scheme, host name and port make an origin),
 * which the tests use as a site that is not on the list.
 */
export interface HostSite {
  /** http://127.0.0.1:<port> */
  origin: string;
  /** http://localhost:<port>: the same server under an origin the tests do not allow. */
  otherOrigin: string;
  /** Serves `html` at `path` (with extra response headers) until replaced. */
  serve(path: string, html: string, headers?: OutgoingHttpHeaders): void;
  close(): Promise<void>;
}

export async function startHostSite(): Promise<HostSite> {
  const pages = new Map<string, { html: string; headers: OutgoingHttpHeaders }>();
  const server: Server = createServer((req, res) => {
    const page = pages.get((req.url ?? '/').split(/[?#]/)[0] ?? '/');
    if (!page) {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
      return;
    }
    res
      .writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store', ...page.headers })
      .end(page.html);
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  return {
    origin: `http://127.0.0.1:${port}`,
    otherOrigin: `http://localhost:${port}`,
    serve: (path, html, headers = {}) => void pages.set(path, { html, headers }),
    async close() {
      server.closeAllConnections();
      server.close();
    },
  };
}

/** What goes on a host page: the two-line embed, and whatever else a test needs around it. */
export interface HostPageOptions {
  apiUrl: string;
  site: string;
  /** data-page; left out, the widget falls back to the canonical URL or the address. */
  page?: string;
  lang?: string;
  /** data-lang on the script tag. */
  dataLang?: string;
  theme?: 'light' | 'dark';
  /** Raw markup for <head> (hostile CSS, a canonical link) — test-authored, never reader text. */
  head?: string;
  /** Raw markup before the widget's container. */
  before?: string;
  /** Leave out the widget (a page with count.js only). */
  widget?: boolean;
}

export function hostPageHtml(o: HostPageOptions): string {
  const attrs = [`src="${o.apiUrl}/embed.js"`, `data-site="${o.site}"`];
  if (o.page !== undefined) attrs.push(`data-page="${o.page}"`);
  if (o.dataLang !== undefined) attrs.push(`data-lang="${o.dataLang}"`);
  if (o.theme !== undefined) attrs.push(`data-theme="${o.theme}"`);
  return `<!doctype html>
<html lang="${o.lang ?? 'en'}">
<head><meta charset="utf-8"><title>A customer's article</title>
<style nonce="${HOST_STYLE_NONCE}">body { margin: 0; font: 17px/1.6 Georgia, serif; } main { max-width: 720px; margin: 24px auto; padding: 0 16px; }</style>
${o.head ?? ''}</head>
<body>
<main>
<h1>A customer's article</h1>
${o.before ?? ''}
${o.widget === false ? '' : `<div id="reply-desk"></div>\n<script ${attrs.join(' ')} async></script>`}
</main>
</body>
</html>`;
}

/** The nonce of the host page's own <style>; the widget gets no nonce and needs none. */
const HOST_STYLE_NONCE = 'host-page-style';

/**
 * A strict host policy: scripts and API calls from the comment service only, and no inline style but
 * the page's own (by nonce), so the widget must style itself without inline CSS.
 */
export function hostPageCsp(apiUrl: string): string {
  // img-src: the authors' avatars (identicons) come from the comment service, as README tells sites.
  return `default-src 'none'; script-src ${apiUrl}; connect-src ${apiUrl}; img-src ${apiUrl}; style-src 'nonce-${HOST_STYLE_NONCE}'; base-uri 'none'`;
}
