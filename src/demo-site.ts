import { DEMO_SITE_ID } from './http/demo/demo-page.js';
import { newSiteSettings } from './domain/site-form.js';
import { toOrigin } from './domain/site-settings.js';
import type { Queryable } from './store/db.js';
import { insertSite, loadSite, updateSite } from './store/sites.js';
import { generateSsoSecret, getSsoSecret } from './readers/sso-secrets.js';

/** The port of the demo "customer" page `npm start` serves next to the API (src/http/demo/demo-host-page.ts). */
export function demoHostPort(port: number): number {
  return port + 1;
}

/** The address of that page: the public URL's host on the next port (or on `hostPort`). */
export function demoHostUrl(publicUrl: string, port: number, hostPort = demoHostPort(port)): string {
  const u = new URL(publicUrl);
  u.port = String(hostPort);
  return u.origin;
}

/**
 * The origins the demo page is reached from on a developer machine: the API's own (the demo article)
 * and the demo host page's on the next port (the widget embedded from another origin).
 */
export function demoOrigins(publicUrl: string, port: number): string[] {
  const host = demoHostPort(port);
  const origins = [
    toOrigin(publicUrl),
    `http://localhost:${port}`,
    `http://127.0.0.1:${port}`,
    demoHostUrl(publicUrl, port),
    `http://localhost:${host}`,
    `http://127.0.0.1:${host}`,
  ];
  return [...new Set(origins.filter((o): o is string => o !== null))];
}

/**
 * Creates the `demo` site on first start. An existing one (perhaps edited by its admin) keeps its
 * settings and origins, and gains the origins this PORT and PUBLIC_URL need: a first start on :3000 and
 * a later `PORT=4100 npm start` must both work without SQL. Nothing is removed.
 */
export async function ensureDemoSite(db: Queryable, publicUrl: string, port: number): Promise<boolean> {
  // As every new site: its widget and no-JS form send a form token, so one left out is a bot's.
  const created = await insertSite(db, {
    id: DEMO_SITE_ID,
    name: 'Reply Desk demo',
    allowedOrigins: demoOrigins(publicUrl, port),
    settings: newSiteSettings,
  });
  if (!created) await allowDemoOrigins(db, demoOrigins(publicUrl, port));
  return created;
}

/** Adds `origins` the demo site lacks (none when there is no demo site); returns those added. */
export async function allowDemoOrigins(db: Queryable, origins: string[]): Promise<string[]> {
  const site = await loadSite(db, DEMO_SITE_ID);
  if (!site) return [];
  const missing = origins.filter((o) => !site.allowedOrigins.includes(o));
  if (missing.length > 0) await updateSite(db, DEMO_SITE_ID, { allowedOrigins: [...site.allowedOrigins, ...missing] });
  return missing;
}

/**
 * The demo site's SSO secret, made on first use: the demo host page signs its "subscribers'" tokens
 * with it, as a newsroom's article template would (README "Host-site SSO"). Null without a demo site.
 */
export async function ensureDemoSsoSecret(db: Queryable): Promise<string | null> {
  if (!(await loadSite(db, DEMO_SITE_ID))) return null;
  // Two processes starting at once (npm start's and a demo-host) agree on the first one's secret; an
  // admin's rotated secret stays (the host page reads whatever is current on every start).
  await db.query('insert into site_sso_secrets (site_id, secret) values ($1, $2) on conflict (site_id) do nothing', [
    DEMO_SITE_ID,
    generateSsoSecret(),
  ]);
  return getSsoSecret(db, DEMO_SITE_ID);
}
