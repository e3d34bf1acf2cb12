import { DEMO_SITE_ID } from './api/demo-page.js';
import { toOrigin } from './domain/site-settings.js';
import type { Queryable } from './store/db.js';
import { insertSite } from './store/sites.js';

/** The origins the demo page is reached from on a developer machine. */
export function demoOrigins(publicUrl: string, port: number): string[] {
  const origins = [toOrigin(publicUrl), `http://localhost:${port}`, `http://127.0.0.1:${port}`];
  return [...new Set(origins.filter((o): o is string => o !== null))];
}

/** Creates the `demo` site on first start; an existing one (perhaps edited by its admin) is left alone. */
export async function ensureDemoSite(db: Queryable, publicUrl: string, port: number): Promise<boolean> {
  return insertSite(db, { id: DEMO_SITE_ID, name: 'Reply Desk demo', allowedOrigins: demoOrigins(publicUrl, port), settings: {} });
}
