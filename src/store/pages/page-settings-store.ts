import {
  changePageSettings,
  toPageSettings,
  type PageSettings,
  type PageSettingKey,
  type PageSettingsProblem,
} from '../../domain/pages/page-settings.js';
import type { Pool, Queryable } from '../db.js';
import { inTransaction } from '../moderation-actions.js';
import type { PageActor } from './page-closure.js';

/** A page as the desk's page settings and Pages list show it. */
export interface StoredPage {
  /** The page's id: its settings are at /admin/pages/:id (and /admin/api/pages/:id). */
  id: number;
  siteId: string;
  identifier: string;
  title: string | null;
  url: string | null;
  closed: boolean;
  /** What the page overrides of its site's settings (issue 16): only those keys. */
  settings: PageSettings;
  approvedCount: number;
}

export interface PageRow {
  id: number;
  site_id: string;
  identifier: string;
  title: string | null;
  url: string | null;
  closed: boolean;
  settings: unknown;
  approved_count: number;
}

/** The columns a PageRow reads, of the pages table (or of its alias). */
export const pageColumns = (alias = ''): string =>
  ['id', 'site_id', 'identifier', 'title', 'url', 'closed', 'settings', 'approved_count']
    .map((c) => (alias === '' ? c : `${alias}.${c}`))
    .join(', ');

export function toStoredPage(r: PageRow): StoredPage {
  return {
    id: r.id,
    siteId: r.site_id,
    identifier: r.identifier,
    title: r.title,
    url: r.url,
    closed: r.closed,
    settings: toPageSettings(r.settings),
    approvedCount: r.approved_count,
  };
}

/** A page by its id (the desk's and the API's handle on it); null when there is none. */
export async function loadPage(db: Queryable, id: number): Promise<StoredPage | null> {
  const { rows } = await db.query<PageRow>(`select ${pageColumns()} from pages where id = $1`, [id]);
  return rows[0] ? toStoredPage(rows[0]) : null;
}

/** A page by its site and identifier (the command line's handle on it); null when there is none. */
export async function findPage(db: Queryable, siteId: string, identifier: string): Promise<StoredPage | null> {
  const { rows } = await db.query<PageRow>(
    `select ${pageColumns()} from pages where site_id = $1 and identifier = $2`,
    [siteId, identifier],
  );
  return rows[0] ? toStoredPage(rows[0]) : null;
}

export type PageSettingsUpdate =
  { ok: true; page: StoredPage; changed: PageSettingKey[] } | { ok: false; errors: PageSettingsProblem[] } | null;

/**
 * Applies a change to a page's overrides (src/domain/pages/page-settings.ts: a value overrides, null
 * follows the site again). The row is locked, so two editors' changes apply one after the other and
 * neither is lost. A real change moves pages.thread_version (readers' cached threads and forms show
 * the page's new state at once, as closing does) and is audited as page_settings with the keys' before
 * and after, in the same transaction; a change that changes nothing records nothing. Null: no such page.
 */
export async function updatePageSettings(
  pool: Pool,
  p: { pageId: number; change: unknown; actor: PageActor },
): Promise<PageSettingsUpdate> {
  return inTransaction(pool, async (client) => {
    const { rows } = await client.query<PageRow>(`select ${pageColumns()} from pages where id = $1 for update`, [
      p.pageId,
    ]);
    if (!rows[0]) return null;
    const page = toStoredPage(rows[0]);
    const result = changePageSettings(page.settings, p.change);
    if (!result.ok) return result;
    if (result.changed.length === 0) return { ok: true, page, changed: [] };
    await client.query(`update pages set settings = $2, thread_version = thread_version + 1 where id = $1`, [
      page.id,
      JSON.stringify(result.settings),
    ]);
    const pick = (s: PageSettings) => Object.fromEntries(result.changed.map((k) => [k, s[k] ?? null]));
    await client.query(
      `insert into moderation_events (actor_id, actor, action, site_id, detail) values ($1, $2, 'page_settings', $3, $4)`,
      [
        p.actor.id,
        p.actor.label,
        page.siteId,
        JSON.stringify({ page: page.identifier, before: pick(page.settings), after: pick(result.settings) }),
      ],
    );
    return { ok: true, page: { ...page, settings: result.settings }, changed: result.changed };
  });
}
