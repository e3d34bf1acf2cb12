/*
 * Rendered public answers (thread pages, counts) kept in memory for a moment, so a busy thread costs
 * one small version read per request instead of decoding 50 comments from Postgres, serialising
 * them to ~40 KB of JSON and hashing that for the ETag.
 *
 * Freshness does not rest on the time-to-live: every request reads the thread's version first
 * (pages.thread_version, which Postgres moves on every change a reader could see) and an entry is
 * used only for the version it was rendered at. Because the version is read *before* the comments
 * are, an entry holds what the thread looked like at its version or later, never earlier; a request
 * that reads the version after a comment was approved, edited or removed always misses. The TTL is
 * only a safety net for writes that bypass the triggers (a bulk load with triggers off).
 */

/** One answer as sent: the exact bytes and their ETag (computed once, when rendered). */
export interface RenderedAnswer {
  body: Buffer;
  etag: string | undefined;
}

export interface ThreadCacheOptions {
  /** Bodies kept at most, in bytes; the least recently used go first. @defaultValue 32 MiB */
  maxBytes?: number;
  /** Entries kept at most (bounds the keys' own memory when bodies are tiny). @defaultValue 10000 */
  maxEntries?: number;
  /** How long an entry may be served at most, even while its version stands. @defaultValue 2000 */
  ttlMs?: number;
  /** The clock, in milliseconds. @defaultValue performance.now */
  now?: () => number;
}

export interface ThreadCache {
  /**
   * The answer for `key` as of `version`: from memory when an entry of that same version is younger
   * than the TTL, otherwise from `render`, whose result is kept. Requests for the same key and
   * version while a render runs share it (a popular thread that just changed is rendered once). A
   * failed render is not kept, and every request that shared it gets its error.
   */
  get(key: string, version: string, render: () => Promise<RenderedAnswer>): Promise<RenderedAnswer>;
  /** Entries and body bytes held (for tests and metrics). */
  stats(): { entries: number; bytes: number };
  clear(): void;
}

interface Entry extends RenderedAnswer {
  version: string;
  storedAt: number;
}

export function createThreadCache(opts: ThreadCacheOptions = {}): ThreadCache {
  const maxBytes = opts.maxBytes ?? 32 * 1024 * 1024;
  const maxEntries = opts.maxEntries ?? 10_000;
  const ttlMs = opts.ttlMs ?? 2000;
  const now = opts.now ?? (() => performance.now());
  // A Map iterates in insertion order: re-inserting on every hit keeps the least recently used first.
  const entries = new Map<string, Entry>();
  const rendering = new Map<string, Promise<RenderedAnswer>>();
  let bytes = 0;

  function drop(key: string, entry: Entry): void {
    entries.delete(key);
    bytes -= entry.body.length;
  }

  function keep(key: string, version: string, answer: RenderedAnswer): void {
    const old = entries.get(key);
    if (old) drop(key, old);
    // An answer bigger than the whole budget would only push everything else out.
    if (answer.body.length > maxBytes || maxEntries === 0) return;
    entries.set(key, { ...answer, version, storedAt: now() });
    bytes += answer.body.length;
    for (const [k, e] of entries) {
      if (bytes <= maxBytes && entries.size <= maxEntries) break;
      drop(k, e);
    }
  }

  return {
    get(key, version, render) {
      const entry = entries.get(key);
      if (entry) {
        if (entry.version === version && now() - entry.storedAt < ttlMs) {
          entries.delete(key);
          entries.set(key, entry);
          return Promise.resolve(entry);
        }
        drop(key, entry);
      }
      // The version is part of the flight's name: a request that saw a newer version never waits on
      // a render that may have read the thread before that change.
      const flight = `${version}\n${key}`;
      const running = rendering.get(flight);
      if (running) return running;
      const started = render().then(
        (answer) => {
          rendering.delete(flight);
          keep(key, version, answer);
          return answer;
        },
        (err: unknown) => {
          rendering.delete(flight);
          throw err;
        },
      );
      rendering.set(flight, started);
      return started;
    },
    stats() {
      return { entries: entries.size, bytes };
    },
    clear() {
      entries.clear();
      bytes = 0;
    },
  };
}
