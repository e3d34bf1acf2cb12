/**
 * Collects calls made in the same moment into one batch, so many concurrent jobs share one round trip
 * to the database. A batch is flushed when it is full or on the next turn of the event loop, whichever
 * comes first: under light load a call waits for nothing; under heavy load batches fill up by
 * themselves. If the flush fails, every call in the batch fails with the same error.
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
  opts: { maxInFlight?: number } = {},
): Batcher<T, R> {
  if (!Number.isInteger(maxSize) || maxSize < 1) throw new RangeError(`batch size must be a whole number ≥ 1, got ${maxSize}`);
  const maxInFlight = opts.maxInFlight ?? Infinity;
  if (!(maxInFlight >= 1)) throw new RangeError(`maxInFlight must be ≥ 1, got ${maxInFlight}`);
  let pending: { item: T; resolve: (r: R) => void; reject: (e: unknown) => void }[] = [];
  let scheduled = false;
  const inFlight = new Set<Promise<void>>();

  const run = (): void => {
    scheduled = false;
    while (pending.length > 0 && inFlight.size < maxInFlight) {
      const batch = pending.splice(0, maxSize);
      const done = flush(batch.map((b) => b.item)).then(
        (results) => {
          if (results.length !== batch.length) throw new Error(`batch flush returned ${results.length} results for ${batch.length} items`);
          batch.forEach((b, i) => b.resolve(results[i] as R));
        },
      ).catch((err: unknown) => batch.forEach((b) => b.reject(err)));
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
