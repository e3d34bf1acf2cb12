import { diffSites } from '../domain/site-form.js';
import type { Site, SiteSettings } from '../domain/site-settings.js';
import type { Pool, PoolClient } from './db.js';
import { inTransaction, type Actor } from './moderation-actions.js';
import { insertSite, loadSite, updateSite } from './sites.js';

/** A site as the admin's form saves it: the whole editable document. */
export interface SiteChange {
  name: string;
  allowedOrigins: string[];
  settings: SiteSettings;
}

async function recordSiteUpdate(client: PoolClient, siteId: string, actor: Actor, detail: object): Promise<void> {
  await client.query(
    `insert into moderation_events (actor_id, actor, action, site_id, detail) values ($1, $2, 'site_update', $3, $4)`,
    [actor.id, actor.label, siteId, JSON.stringify(detail)],
  );
}

/**
 * Saves a site's name, origins and settings and records the changed keys (before and after) in the
 * audit log, in one transaction. The row is locked first so two admins saving at once each log the
 * difference from what the other saved, never from a stale read. Returns null when there is no such
 * site; `changed` is empty (and nothing is logged) when the form changed nothing.
 */
export async function saveSite(
  pool: Pool,
  id: string,
  change: SiteChange,
  actor: Actor,
): Promise<{ site: Site; changed: string[] } | null> {
  return inTransaction(pool, async (client) => {
    const locked = await client.query('select 1 from sites where id = $1 for update', [id]);
    if (!locked.rowCount) return null;
    const before = await loadSite(client, id);
    const after = await updateSite(client, id, change);
    if (!before || !after) return null;
    const diff = diffSites(before, after);
    const changed = Object.keys(diff.after);
    if (changed.length > 0) await recordSiteUpdate(client, id, actor, diff);
    return { site: after, changed };
  });
}

/** Creates a site and logs it (every key, with an empty before); false when the id is taken. */
export async function createSite(pool: Pool, site: SiteChange & { id: string }, actor: Actor): Promise<boolean> {
  return inTransaction(pool, async (client) => {
    if (!(await insertSite(client, site))) return false;
    const created = await loadSite(client, site.id);
    if (created) await recordSiteUpdate(client, site.id, actor, { created: true, ...diffSites(null, created) });
    return true;
  });
}
