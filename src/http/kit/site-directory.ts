import type { Site } from '../../domain/site-settings.js';
import type { Queryable } from '../../store/db.js';
import { listSites } from '../../store/sites.js';

/**
 * The API's in-memory copy of the sites table. Intake must not wait on Postgres for every comment (and
 * keeps taking comments while Postgres is briefly away), so sites are loaded whole and refreshed every
 * few seconds; an unknown id triggers at most one extra refresh per second, so a flood of made-up
 * site ids cannot flood the database. The worker always reads fresh settings: it is the authority.
 */
export interface SiteDirectory {
  /** The site, or null when it does not exist. Throws only when it was never loaded and Postgres is down. */
  get(id: string): Promise<Site | null>;
  /** Whether any site allows this origin (for CORS preflights, which carry no site id). */
  isKnownOrigin(origin: string): boolean;
  refresh(): Promise<void>;
  close(): void;
}

export function createSiteDirectory(db: Queryable, opts: { refreshMs: number; missRefreshMs: number }): SiteDirectory {
  let sites = new Map<string, Site>();
  let origins = new Set<string>();
  let loadedAt = 0;
  let inFlight: Promise<void> | null = null;

  const refresh = (): Promise<void> => {
    inFlight ??= listSites(db)
      .then((list) => {
        sites = new Map(list.map((s) => [s.id, s]));
        origins = new Set(list.flatMap((s) => s.allowedOrigins));
        loadedAt = Date.now();
      })
      .finally(() => {
        inFlight = null;
      });
    return inFlight;
  };

  // Fire and forget, and quiet on failure: while Postgres is away this fails every few seconds, the copy
  // already loaded keeps serving intake, and /readyz is where an outage shows.
  const timer = setInterval(() => void refresh().catch(() => {}), opts.refreshMs);
  timer.unref();

  return {
    async get(id) {
      const known = sites.get(id);
      if (known) return known;
      if (Date.now() - loadedAt >= opts.missRefreshMs) await refresh();
      return sites.get(id) ?? null;
    },
    isKnownOrigin: (origin) => origins.has(origin),
    refresh,
    close: () => clearInterval(timer),
  };
}
