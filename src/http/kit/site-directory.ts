import type pg from 'pg';
import type { Site } from '../../domain/site-settings.js';
import type { Queryable } from '../../store/db.js';
import { listSites } from '../../store/sites.js';

/** The channel sql/0024's trigger on `sites` notifies on every change. */
export const SITE_CHANGES_CHANNEL = 'reply_desk_sites';

/**
 * The API's in-memory copy of the sites table. Intake must not wait on Postgres for every comment (and
 * keeps taking comments while Postgres is briefly away), so sites are loaded whole. Every change to
 * `sites` is announced by Postgres (sql/0024) to a LISTEN on a connection of the directory's own, and
 * the directory reloads at once, so a site added while the service runs passes CORS within a second in
 * every API process. The periodic refresh stays as the net for a notice lost with its connection; an
 * unknown id triggers at most one extra refresh per second, so a flood of made-up site ids cannot flood
 * the database. The worker always reads fresh settings: it is the authority.
 */
export interface SiteDirectory {
  /** The site, or null when it does not exist. Throws only when it was never loaded and Postgres is down. */
  get(id: string): Promise<Site | null>;
  /** Whether any site allows this origin (for CORS preflights, which carry no site id). */
  isKnownOrigin(origin: string): boolean;
  refresh(): Promise<void>;
  /** Stops the refresh and ends the LISTEN connection. */
  close(): Promise<void>;
}

/** A Postgres connection the directory LISTENs on (`pg.Client`; tests may count or break it). */
export type ListenClient = Pick<pg.Client, 'connect' | 'query' | 'end' | 'on'>;

export interface SiteDirectoryOptions {
  /** The periodic reload, the net under the notifications. */
  refreshMs: number;
  /** An unknown site id reloads at most this often. */
  missRefreshMs: number;
  /**
   * Makes an unconnected client of its own (not from a pool) to LISTEN for site changes on. Left out,
   * the directory learns of changes only by its periodic refresh.
   */
  listenClient?: () => ListenClient;
  /** Wait before a lost LISTEN connection is opened again. @defaultValue 1000 */
  reconnectMs?: number;
  /** Told when the LISTEN connection fails or is lost (it is opened again after `reconnectMs`). */
  onListenError?: (err: Error) => void;
}

export function createSiteDirectory(db: Queryable, opts: SiteDirectoryOptions): SiteDirectory {
  let sites = new Map<string, Site>();
  let origins = new Set<string>();
  let loadedAt = 0;
  let inFlight: Promise<void> | null = null;
  // A change announced while a load is in flight may have committed after that load read the table:
  // one more load follows it, or the directory would keep the old list until the next refresh.
  let reloadAfter = false;

  const refresh = (): Promise<void> => {
    inFlight ??= listSites(db)
      .then((list) => {
        sites = new Map(list.map((s) => [s.id, s]));
        origins = new Set(list.flatMap((s) => s.allowedOrigins));
        loadedAt = Date.now();
      })
      .finally(() => {
        inFlight = null;
        if (reloadAfter) {
          reloadAfter = false;
          void refresh().catch(() => {});
        }
      });
    return inFlight;
  };
  const reloadOnChange = (): void => {
    if (inFlight) reloadAfter = true;
    else void refresh().catch(() => {});
  };

  // Fire and forget, and quiet on failure: while Postgres is away this fails every few seconds, the copy
  // already loaded keeps serving intake, and /readyz is where an outage shows.
  const timer = setInterval(() => void refresh().catch(() => {}), opts.refreshMs);
  timer.unref();

  let closed = false;
  let listener: ListenClient | null = null;
  let retry: NodeJS.Timeout | null = null;
  const listen = async (): Promise<void> => {
    if (closed || !opts.listenClient) return;
    const client = opts.listenClient();
    listener = client;
    let lost = false;
    const onLost = (err?: Error): void => {
      if (lost) return;
      lost = true;
      if (listener === client) listener = null;
      void client.end().catch(() => {});
      if (closed) return;
      opts.onListenError?.(err ?? new Error('site changes connection ended'));
      retry = setTimeout(() => {
        retry = null;
        void listen();
      }, opts.reconnectMs ?? 1000);
      retry.unref();
    };
    // An idle client whose server goes away emits 'error' (then 'end'); unheard it would kill the process.
    client.on('error', onLost);
    client.on('end', () => onLost());
    client.on('notification', reloadOnChange);
    try {
      await client.connect();
      await client.query(`listen ${SITE_CHANGES_CHANNEL}`);
      // Changes made while nobody listened (before this connection, or while a lost one was down)
      // were announced to no one: reload once now that every later change will be heard.
      reloadOnChange();
    } catch (err) {
      onLost(err as Error);
    }
  };
  void listen();

  return {
    async get(id) {
      const known = sites.get(id);
      if (known) return known;
      if (Date.now() - loadedAt >= opts.missRefreshMs) await refresh();
      return sites.get(id) ?? null;
    },
    isKnownOrigin: (origin) => origins.has(origin),
    refresh,
    async close() {
      closed = true;
      clearInterval(timer);
      if (retry) clearTimeout(retry);
      const client = listener;
      listener = null;
      if (!client) return;
      // A stop must not wait on a stalled Postgres to say goodbye: a second, then the socket just goes.
      let giveUp: NodeJS.Timeout | undefined;
      await Promise.race([
        client.end().catch(() => {}),
        new Promise<void>((resolve) => {
          giveUp = setTimeout(resolve, 1000);
          giveUp.unref();
        }),
      ]);
      clearTimeout(giveUp);
    },
  };
}
