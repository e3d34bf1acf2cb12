import { DEMO_SITE_ID } from './http/demo/demo-page.js';
import { newSiteSettings } from './domain/site-form.js';
import { toOrigin } from './domain/site-settings.js';
import type { Queryable } from './store/db.js';
import { insertSite } from './store/sites.js';

/** The port of the demo "customer" page `npm start` serves next to the API (src/http/demo/demo-host-page.ts). */
export function demoHostPort(port: number): number {
  return port + 1;
}

/** The address of that page: the public URL's host on the next port. */
export function demoHostUrl(publicUrl: string, port: number): string {
  const u = new URL(publicUrl);
  u.port = String(demoHostPort(port));
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

/** Creates the `demo` site on first start; an existing one (perhaps edited by its admin) is left alone. */
export async function ensureDemoSite(db: Queryable, publicUrl: string, port: number): Promise<boolean> {
  // As every new site: its widget and no-JS form send a form token, so one left out is a bot's.
  return insertSite(db, {
    id: DEMO_SITE_ID,
    name: 'Reply Desk demo',
    allowedOrigins: demoOrigins(publicUrl, port),
    settings: newSiteSettings,
  });
}
