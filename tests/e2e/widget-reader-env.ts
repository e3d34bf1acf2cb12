import { once } from 'node:events';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { SignJWT } from 'jose';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { buildWidget } from '../../scripts/build-widget.mjs';
import type { SiteSettingsInput } from '../../src/domain/site-settings.js';
import { saveOidcProvider } from '../../src/readers/oidc-client.js';
import { setSsoSecret } from '../../src/readers/sso-secrets.js';
import { CHROMIUM_PATH } from '../support/browser.js';
import { addSite, deleteQueueKeys, newQueuePrefix, startApi, startWorker, type TestApi } from '../support/harness.js';
import { hostPageCsp, startHostSite, type HostSite } from '../support/host-page.js';
import { startOidcProvider, type TestAccountClaims, type TestOidcProvider } from '../support/oidc-provider.js';
import { startSmtpSink, type SmtpSink } from '../support/smtp-sink.js';
import { createTestDatabase, type TestDatabase } from '../support/test-db.js';

/*
 * The world of the signed-in reader's widget tests: the API on http://127.0.0.1:<port>, the customer's
 * page on http://localhost:<port> — another *site*, not only another origin (cookies ignore ports, so two
 * ports of 127.0.0.1 would be one site and their cookies first-party) — and a Chromium that blocks
 * third-party cookies, so nothing here can lean on a cookie of the API's.
 */
export const SITE = 'demo';
/** A second site on the same API and host, taking no guests. */
export const MEMBERS = 'members';
export const PAGE = 'an-article';
export const SSO_SECRET = 'widget-reader-test-sso-secret-0123456789abcdef';
export const READER_TIMEOUT_MS = 90_000;

export interface ReaderEnv {
  db: TestDatabase;
  api: TestApi;
  host: HostSite;
  /** http://localhost:<host port>: the host page's origin, one of the sites'. */
  hostOrigin: string;
  browser: Browser;
  sink: SmtpSink | null;
  idp: TestOidcProvider | null;
  close(): Promise<void>;
}

// As tests/support/browser.ts, plus the switch that blocks third-party cookies (Chrome's "phase-out").
const ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-quic',
  '--no-first-run',
  '--disable-component-update',
  '--disable-sync',
  '--test-third-party-cookie-phaseout',
];

export async function startReaderEnv(
  o: { settings?: SiteSettingsInput; mail?: boolean; oidc?: Record<string, TestAccountClaims> } = {},
): Promise<ReaderEnv> {
  await buildWidget();
  const db = await createTestDatabase();
  const prefix = newQueuePrefix();
  const sink = o.mail ? await startSmtpSink() : null;
  // replyMail: the API says mail is set up (as SMTP_URL does), which is what offers email sign-in.
  const api = await startApi({ pool: db.pool, prefix, emailQueue: !!o.mail, replyMail: !!o.mail });
  const worker = await startWorker({
    pool: db.pool,
    prefix,
    notifications: sink ? { smtpUrl: sink.url, publicUrl: api.url } : undefined,
  });
  const host = await startHostSite();
  const hostOrigin = host.otherOrigin;
  const settings: SiteSettingsInput = { floodSeconds: 0, editWindowMinutes: 15, ...o.settings };
  await addSite(db.pool, SITE, [hostOrigin, api.origin], settings);
  await addSite(db.pool, MEMBERS, [hostOrigin, api.origin], { ...settings, guests: false });
  for (const siteId of [SITE, MEMBERS])
    await setSsoSecret(db.pool, { siteId, secret: SSO_SECRET, actorId: null, actor: 'test' });
  let idp: TestOidcProvider | null = null;
  if (o.oidc) {
    idp = await startOidcProvider({ redirectUri: `${api.url}/readers/oidc/callback`, accounts: o.oidc });
    for (const siteId of [SITE, MEMBERS])
      await saveOidcProvider(
        db.pool,
        {
          siteId,
          id: 'idp',
          name: 'Newsroom ID',
          issuer: idp.issuer,
          clientId: idp.clientId,
          clientSecret: idp.clientSecret,
        },
        { actorId: null, actor: 'test' },
      );
  }
  await api.sites.refresh();
  const browser = await chromium.launch({ executablePath: CHROMIUM_PATH, args: ARGS });
  return {
    db,
    api,
    host,
    hostOrigin,
    browser,
    sink,
    idp,
    async close() {
      await browser.close().catch(() => {});
      await host.close();
      await idp?.close();
      await worker.close().catch(() => {});
      await api.close();
      await sink?.close();
      await db.drop();
      await deleteQueueKeys(prefix);
    },
  };
}

/** A host SSO token for `sub`, signed as the host's server would sign it. */
export function ssoToken(sub: string, name: string, email?: string): Promise<string> {
  return new SignJWT({ sub, name, ...(email ? { email } : {}) })
    .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
    .setIssuedAt()
    .setExpirationTime('10m')
    .sign(new TextEncoder().encode(SSO_SECRET));
}

/** Serves an article at `path` with the embed and the given data- attributes, under a strict CSP. */
export function serveArticle(
  env: ReaderEnv,
  path: string,
  o: { site?: string; sso?: string; login?: string; logout?: string } = {},
): string {
  const attrs = [`src="${env.api.url}/embed.js"`, `data-site="${o.site ?? SITE}"`, `data-page="${PAGE}"`];
  if (o.sso) attrs.push(`data-sso-token="${o.sso}"`);
  if (o.login) attrs.push(`data-sso-login="${o.login}"`);
  if (o.logout) attrs.push(`data-sso-logout="${o.logout}"`);
  env.host.serve(
    path,
    `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>An article</title></head>
<body><main><h1>An article</h1><div id="reply-desk"></div><script ${attrs.join(' ')} async></script></main></body></html>`,
    { 'content-security-policy': hostPageCsp(env.api.url) },
  );
  return `${env.hostOrigin}${path}`;
}

/** The page's globals as the tests' page.evaluate callbacks use them (the tests are typed without the DOM). */
export interface PageGlobals {
  document: { cookie: string };
  localStorage: { getItem(key: string): string | null; setItem(key: string, value: string): void };
  ReplyDesk: { signIn(o: { sso: string }): Promise<boolean>; signOut(): Promise<void> };
}

/** A page with its script errors, and the API requests it made with their headers. */
export interface ReaderVisit {
  context: BrowserContext;
  page: Page;
  errors: string[];
  requests: { method: string; url: URL; headers: Record<string, string> }[];
}

export async function visit(env: ReaderEnv, url: string, context?: BrowserContext): Promise<ReaderVisit> {
  const ctx = context ?? (await env.browser.newContext({ viewport: { width: 800, height: 1000 } }));
  const page = await ctx.newPage();
  const v: ReaderVisit = { context: ctx, page, errors: [], requests: [] };
  page.on('pageerror', (e) => v.errors.push(`pageerror: ${e.message}`));
  page.on('console', (m) => {
    if (m.type() === 'error' && !m.location().url.endsWith('/favicon.ico')) v.errors.push(`console: ${m.text()}`);
  });
  page.on('request', (r) => {
    const u = new URL(r.url());
    if (u.origin === env.api.origin && u.pathname.startsWith('/api/'))
      v.requests.push({ method: r.method(), url: u, headers: r.headers() });
  });
  await page.goto(url);
  return v;
}

/** A server on 127.0.0.1 (the API's site) that records the Cookie header of every request it gets. */
export async function startCookieProbe(): Promise<{ origin: string; seen: Map<string, string>; close(): void }> {
  const seen = new Map<string, string>();
  const server = createServer((req, res) => {
    seen.set((req.url ?? '/').split('?')[0]!, req.headers.cookie ?? '');
    res.writeHead(200, { 'content-type': 'text/html', 'access-control-allow-origin': '*' }).end('<p>probe</p>');
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  return {
    origin: `http://127.0.0.1:${port}`,
    seen,
    close: () => {
      server.closeAllConnections();
      server.close();
    },
  };
}
