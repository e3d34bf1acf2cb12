import type { Logger } from 'pino';
import { effectivePageSettings } from '../../domain/pages/page-settings.js';
import { pageClosureAt, type ThreadClosure } from '../../domain/thread-closure.js';
import type { Site } from '../../domain/site-settings.js';
import type { ChannelFeed } from '../../queue/live-events.js';
import { compareSeq, type LoggedThreadSignal } from '../../queue/live-threads.js';
import { createThreadVersionReader } from '../../store/batched/thread-versions.js';
import { loadLiveComments, type LiveComment } from '../../store/comments.js';
import type { Queryable } from '../../store/db.js';
import type { SiteDirectory } from '../kit/site-directory.js';
import { toThreadItem } from './thread-item.js';

/** The events a reader's live thread receives (GET /api/live); `ready` and `reset` say where it stands. */
export type LiveThreadEventName = 'ready' | 'comment' | 'vote' | 'removed' | 'closed' | 'reset';

/** One event for one page, as every stream of that page gets it. */
export interface LiveThreadEvent {
  seq: string | null;
  name: LiveThreadEventName;
  data: Record<string, unknown>;
}

/** One open stream: a widget on one page. */
export interface LiveStream {
  site: string;
  page: string;
  /** The last log entry it was sent (or caught up to): anything at or before it is not sent again. */
  lastSeq: string;
  /** Events that arrived while it was replaying the log; sent, in order, once it has caught up. */
  pending: LiveThreadEvent[] | null;
  closedSent: boolean;
  write(chunk: string): void;
  end(): void;
}

export interface LiveThreadHub {
  add(stream: LiveStream): void;
  remove(stream: LiveStream): void;
  /** Turns logged signals into each page's events: one query for the comments they name. */
  resolve(signals: readonly LoggedThreadSignal[]): Promise<Routed[]>;
  send(stream: LiveStream, event: LiveThreadEvent): void;
  /** The stream has caught up with the log: what arrived meanwhile is sent. */
  caughtUp(stream: LiveStream): void;
  /** Whether the page is closed now (by hand or by age). */
  closure(site: Site, page: string): Promise<ThreadClosure>;
  size(): number;
  close(): void;
}

/** An event and where it goes: the streams of this site and page (`page` null: all of the site's). */
export interface Routed {
  site: string;
  page: string | null;
  event: LiveThreadEvent;
}

export function sseChunk(event: LiveThreadEvent): string {
  return `${event.seq === null ? '' : `id: ${event.seq}\n`}event: ${event.name}\ndata: ${JSON.stringify(event.data)}\n\n`;
}

/**
 * The `closed` event's data: why, and when the desk's staffed hours closed it, until when (the widget
 * says "closed until 07:00" and mounts afresh then, as for a page loaded while closed).
 */
export function closedEventData(c: ThreadClosure & { closed: true }): Record<string, unknown> {
  return c.reason === 'off-hours'
    ? { reason: c.reason, closedUntil: c.until?.toISOString() ?? null, closedUntilLocal: c.untilLocal }
    : { reason: c.reason };
}

/**
 * The process's open live threads, fed by one subscription to the thread channel (src/queue/
 * live-threads.ts). A signal is turned into events once per process, whatever the number of streams:
 * one Postgres read for the comments it names (from the primary, which has them the moment they are
 * announced), then a write per stream of that page. Signals are resolved in order, one batch after
 * another, so a stream never gets a comment after its removal. Every `heartbeatMs` each stream gets a
 * comment line (proxies keep it open) and pages are checked for closure (closing by hand, by the CLI,
 * by age or by the end of the desk's staffed hours is not announced; the check catches all four within
 * a heartbeat).
 */
export function createLiveThreadHub(deps: {
  db: Queryable;
  sites: SiteDirectory;
  feed: ChannelFeed<LoggedThreadSignal>;
  logger: Logger;
  heartbeatMs: number;
  /** Where this service answers (avatar URLs) and the avatars' HMAC key (src/domain/avatar-url.ts). */
  publicUrl: string;
  avatarSecret: () => Promise<string>;
}): LiveThreadHub {
  const { db, sites, feed, logger } = deps;
  const bySite = new Map<string, Set<LiveStream>>();
  const readVersion = createThreadVersionReader(db);
  let unlisten: (() => void) | null = null;
  let queue: LoggedThreadSignal[] = [];
  let running: Promise<void> = Promise.resolve();

  async function resolve(signals: readonly LoggedThreadSignal[]): Promise<Routed[]> {
    const ids = [...new Set(signals.filter((s) => s.type !== 'vote' || s.page === undefined).map((s) => s.id))];
    const rows = new Map<string, LiveComment>((await loadLiveComments(db, ids)).map((c) => [c.id, c]));
    const secret = rows.size > 0 ? await deps.avatarSecret() : '';
    const out: Routed[] = [];
    for (const s of signals) {
      const site = await sites.get(s.site).catch(() => null);
      if (site === null) continue;
      const showVotes = site.settings.votes !== 'off';
      const row = rows.get(s.id);
      if (s.type === 'comment') {
        // Taken down again before this was read: nothing to show (its `removed` follows).
        if (row?.status !== 'approved') continue;
        out.push({
          site: s.site,
          page: row.page,
          event: {
            seq: s.seq,
            name: 'comment',
            data: toThreadItem(row, {
              showVotes,
              avatar: { gravatar: site.settings.gravatar, publicUrl: deps.publicUrl, secret },
            }),
          },
        });
      } else if (s.type === 'removed') {
        // Erased since: its page is unknown, so every stream of the site hears it (an id they lack is ignored).
        out.push({ site: s.site, page: row?.page ?? null, event: { seq: s.seq, name: 'removed', data: { id: s.id } } });
      } else if (showVotes) {
        const page = s.page ?? row?.page;
        if (page === undefined) continue;
        out.push({
          site: s.site,
          page,
          event: { seq: s.seq, name: 'vote', data: { id: s.id, up: s.up ?? 0, down: s.down ?? 0 } },
        });
      }
    }
    return out;
  }

  function send(stream: LiveStream, event: LiveThreadEvent): void {
    if (stream.pending !== null) {
      stream.pending.push(event);
      return;
    }
    if (event.seq !== null) {
      if (compareSeq(event.seq, stream.lastSeq) <= 0) return;
      stream.lastSeq = event.seq;
    }
    stream.write(sseChunk(event));
  }

  function deliver(resolved: readonly Routed[]): void {
    for (const { site, page, event } of resolved) {
      const streams = bySite.get(site);
      if (streams) for (const stream of streams) if (page === null || stream.page === page) send(stream, event);
    }
  }

  function onSignal(signal: LoggedThreadSignal): void {
    if (!bySite.has(signal.site)) return;
    queue.push(signal);
    // One batch per turn of the event loop: a burst of votes is one read, not one per vote.
    if (queue.length > 1) return;
    running = running.then(async () => {
      await new Promise((r) => setImmediate(r));
      const batch = queue;
      queue = [];
      try {
        deliver(await resolve(batch));
      } catch (err) {
        // Postgres away: these events are lost to open streams, which catch up on their next reload.
        logger.warn({ err: (err as Error).message, signals: batch.length }, 'live thread events not sent');
      }
    });
  }

  async function closure(site: Site, page: string): Promise<ThreadClosure> {
    const version = await readVersion({ siteId: site.id, page });
    // As the thread and the worker see it: the page's own settings over the site's, staffed hours too.
    return pageClosureAt(version, effectivePageSettings(site.settings, version?.settings ?? {}), new Date());
  }

  const timer = setInterval(() => {
    for (const [siteId, streams] of bySite) {
      for (const stream of streams) stream.write(': heartbeat\n\n');
      void (async () => {
        const site = await sites.get(siteId).catch(() => null);
        if (site === null) return;
        const pages = new Set([...streams].filter((s) => !s.closedSent).map((s) => s.page));
        for (const page of pages) {
          const c = await closure(site, page).catch(() => null);
          if (!c?.closed) continue;
          for (const stream of streams)
            if (stream.page === page && !stream.closedSent) {
              stream.closedSent = true;
              send(stream, { seq: null, name: 'closed', data: closedEventData(c) });
            }
        }
      })();
    }
  }, deps.heartbeatMs);
  timer.unref();

  return {
    add(stream) {
      let streams = bySite.get(stream.site);
      if (!streams) bySite.set(stream.site, (streams = new Set()));
      streams.add(stream);
      unlisten ??= feed.listen(onSignal, () => {
        for (const s of [...bySite.values()].flatMap((set) => [...set])) s.end();
      });
    },
    remove(stream) {
      const streams = bySite.get(stream.site);
      streams?.delete(stream);
      if (streams?.size === 0) bySite.delete(stream.site);
    },
    resolve,
    send,
    caughtUp(stream) {
      const pending = stream.pending ?? [];
      stream.pending = null;
      for (const event of pending) send(stream, event);
    },
    closure,
    size() {
      let n = 0;
      for (const s of bySite.values()) n += s.size;
      return n;
    },
    close() {
      clearInterval(timer);
      unlisten?.();
      unlisten = null;
    },
  };
}
