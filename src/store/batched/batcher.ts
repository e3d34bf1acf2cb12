import { isDataError } from '../pg-errors.js';

/**
 * Collects calls made in the same moment into one batch, so many concurrent jobs share one round trip
 * to the database. A batch is flushed when it is full or on the next turn of the event loop, whichever
 * comes first: under light load a call waits for nothing; under heavy load batches fill up by
 * themselves. If the flush fails, every call in the batch fails with the same error, except when the
 * error is about the data (`splitOn`, by default a Postgres data error: src/store/pg-errors.ts): then
 * the batch is flushed again in halves, down to single items, so only the items that cause the error
 * fail and the others get their answers. One NUL byte must not fail a hundred readers' comments. A
 * transient error (connection lost, timeout) is not split: the halves would fail the same way, and
 * bisecting would multiply the load on a database that is already struggling. The halves go one after
 * the other, in the slot of the batch they came from, so splitting never adds concurrent flushes.
 *
 * With `maxInFlight`, at most that many flushes run at once and calls made meanwhile wait for one to
 * finish, then go out together (group commit). Without it, a busy worker sends a stream of tiny
 * transactions that queue on Postgres' WAL flush one commit each; with it, the batch grows with the
 * load and each commit carries many rows.
 */
export interface Batcher<T, R> {
  add(item: T): Promise<R>;
  /** Resolves when every batch started so far has finished. */
  drain(): Promise<void>;
}

export function createBatcher<T, R>(
  flush: (items: T[]) => Promise<R[]>,
  maxSize: number,
  opts: {
    maxInFlight?: number;
    /** Whether a flush's error is caused by its items (split and retry) rather than by the service. @defaultValue isDataError */
    splitOn?: (err: unknown) => boolean;
  } = {},
): Batcher<T, R> {
  if (!Number.isInteger(maxSize) || maxSize < 1)
    throw new RangeError(`batch size must be a whole number ≥ 1, got ${maxSize}`);
  const maxInFlight = opts.maxInFlight ?? Infinity;
  if (!(maxInFlight >= 1)) throw new RangeError(`maxInFlight must be ≥ 1, got ${maxInFlight}`);
  const splitOn = opts.splitOn ?? isDataError;
  type Entry = { item: T; resolve: (r: R) => void; reject: (e: unknown) => void };
  let pending: Entry[] = [];
  let scheduled = false;
  const inFlight = new Set<Promise<void>>();

  // Never rejects: each entry is settled, with its result or its error.
  const settle = async (batch: Entry[]): Promise<void> => {
    let results: R[];
    try {
      results = await flush(batch.map((b) => b.item));
    } catch (err) {
      if (batch.length > 1 && splitOn(err)) {
        const half = Math.ceil(batch.length / 2);
        await settle(batch.slice(0, half));
        await settle(batch.slice(half));
      } else batch.forEach((b) => b.reject(err));
      return;
    }
    if (results.length !== batch.length) {
      const err = new Error(`batch flush returned ${results.length} results for ${batch.length} items`);
      batch.forEach((b) => b.reject(err));
      return;
    }
    batch.forEach((b, i) => b.resolve(results[i] as R));
  };

  const run = (): void => {
    scheduled = false;
    while (pending.length > 0 && inFlight.size < maxInFlight) {
      const batch = pending.splice(0, maxSize);
      const done = settle(batch);
      inFlight.add(done);
      void done.finally(() => {
        inFlight.delete(done);
        // Calls that queued up behind a full set of flushes go out now, together.
        if (pending.length > 0) run();
      });
    }
  };

  return {
    add(item) {
      return new Promise<R>((resolve, reject) => {
        pending.push({ item, resolve, reject });
        if (pending.length >= maxSize) run();
        else if (!scheduled) {
          scheduled = true;
          setImmediate(run);
        }
      });
    },
    async drain() {
      while (pending.length > 0 || inFlight.size > 0) {
        if (pending.length > 0) run();
        await Promise.all([...inFlight]);
      }
    },
  };
}
