import { storedSiteSettings, toSiteSettings, type Site, type SiteSettingsInput } from '../domain/site-settings.js';
import type { Queryable } from './db.js';

interface SiteRow {
  id: string;
  name: string;
  allowed_origins: string[];
  settings: unknown;
  pages_override_guests?: boolean;
}

function toSite(row: SiteRow): Site {
  const site: Site = {
    id: row.id,
    name: row.name,
    allowedOrigins: row.allowed_origins,
    settings: storedSiteSettings(row.settings).settings,
  };
  if (row.pages_override_guests !== undefined) site.pagesOverrideGuests = row.pages_override_guests;
  return site;
}

/**
 * Every site, with whether some page of it overrides `guests` (a partial index, sql/0060): the site
 * directory's copy, so intake reads a guest's page only where a page can say otherwise.
 */
export async function listSites(db: Queryable): Promise<Site[]> {
  const { rows } = await db.query<SiteRow>(
    `select id, name, allowed_origins, settings,
            exists (select 1 from pages p where p.site_id = sites.id and p.settings ? 'guests') as pages_override_guests
       from sites order by id`,
  );
  return rows.map(toSite);
}

export async function loadSite(db: Queryable, id: string): Promise<Site | null> {
  const { rows } = await db.query<SiteRow>('select id, name, allowed_origins, settings from sites where id = $1', [id]);
  return rows[0] ? toSite(rows[0]) : null;
}

/** Creates a site; returns false when one with that id exists already (nothing is changed then). */
export async function insertSite(
  db: Queryable,
  site: { id: string; name: string; allowedOrigins: string[]; settings: SiteSettingsInput },
): Promise<boolean> {
  const settings = toSiteSettings(site.settings);
  const { rowCount } = await db.query(
    `insert into sites (id, name, allowed_origins, settings) values ($1, $2, $3, $4)
     on conflict (id) do nothing`,
    [site.id, site.name, site.allowedOrigins, JSON.stringify(settings)],
  );
  return rowCount === 1;
}

/**
 * Changes a site's name, origins or some settings (merged over the stored ones, then validated whole).
 * Returns the updated site, or null when there is none with that id.
 */
export async function updateSite(
  db: Queryable,
  id: string,
  change: { name?: string; allowedOrigins?: string[]; settings?: SiteSettingsInput },
): Promise<Site | null> {
  const current = await loadSite(db, id);
  if (!current) return null;
  const settings = toSiteSettings({ ...current.settings, ...change.settings });
  const { rows } = await db.query<SiteRow>(
    `update sites set name = $2, allowed_origins = $3, settings = $4, updated_at = now()
     where id = $1 returning id, name, allowed_origins, settings`,
    [id, change.name ?? current.name, change.allowedOrigins ?? current.allowedOrigins, JSON.stringify(settings)],
  );
  return rows[0] ? toSite(rows[0]) : null;
}
