import { toPageSettings, type PageSettings } from '../../domain/pages/page-settings.js';
import { createBatcher } from './batcher.js';
import type { Queryable } from '../db.js';

/**
 * What a page's thread looks like now, from its row of `pages`: `version` changes whenever a reader
 * would see something new in it (pages.thread_version, kept by the triggers of
 * sql/0012_pages_thread_version.sql), and `approved` is its count.
 */
export interface ThreadVersion {
  /** The page row's id and thread_version: a page deleted and made again does not repeat a version. */
  version: string;
  approved: number;
  /** Closed by hand (pages.closed); whether it is closed by age follows from `firstCommentAt` (src/domain/thread-closure.ts). */
  closed: boolean;
  firstCommentAt: Date | null;
  /** What the page overrides of its site's settings (issue 16); changing them moves the version too. */
  settings: PageSettings;
}

/** One page of one site. */
export interface ThreadRef {
  siteId: string;
  page: string;
}

/** Versions of many threads in one indexed read; null for a page nobody ever commented on (its thread is empty). */
export async function loadThreadVersions(db: Queryable, refs: ThreadRef[]): Promise<(ThreadVersion | null)[]> {
  const { rows } = await db.query<{
    i: number;
    id: number;
    thread_version: number;
    approved_count: number;
    closed: boolean;
    first_comment_at: Date | null;
    settings: unknown;
  }>({
    // Named: asked on every thread read, cached or not.
    name: 'load-thread-versions',
    text: `select q.i, p.id, p.thread_version, p.approved_count, p.closed, p.first_comment_at, p.settings
             from unnest($1::text[], $2::text[]) with ordinality as q(site_id, identifier, i)
             join pages p on p.site_id = q.site_id and p.identifier = q.identifier`,
    values: [refs.map((r) => r.siteId), refs.map((r) => r.page)],
  });
  const found: (ThreadVersion | null)[] = refs.map(() => null);
  for (const r of rows) {
    found[r.i - 1] = {
      version: `${r.id}.${r.thread_version}`,
      approved: r.approved_count,
      closed: r.closed,
      firstCommentAt: r.first_comment_at,
      settings: toPageSettings(r.settings),
    };
  }
  return found;
}

/** Reads a thread's version; calls made together share one query (see createThreadVersionReader). */
export type ReadThreadVersion = (ref: ThreadRef) => Promise<ThreadVersion | null>;

const MAX_BATCH = 200;

/**
 * Thread reads arriving together share one version query: those made in the same turn of the event
 * loop, and, while a query is out, all that arrive meanwhile (they go out together when it returns),
 * each page asked once however many readers want it. Batching never makes an answer stale: a query
 * is sent only after every request it answers has arrived, so it sees every change committed before
 * any of them.
 */
export function createThreadVersionReader(db: Queryable): ReadThreadVersion {
  const batcher = createBatcher<ThreadRef, ThreadVersion | null>(
    async (refs) => {
      const index = new Map<string, number>();
      const unique: ThreadRef[] = [];
      const slots = refs.map((r) => {
        const key = `${r.siteId}\n${r.page}`;
        let i = index.get(key);
        if (i === undefined) {
          i = unique.push(r) - 1;
          index.set(key, i);
        }
        return i;
      });
      const versions = await loadThreadVersions(db, unique);
      return slots.map((i) => versions[i] ?? null);
    },
    MAX_BATCH,
    { maxInFlight: 1 },
  );
  return (ref) => batcher.add(ref);
}
