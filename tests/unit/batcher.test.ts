import { describe, it, expect } from 'vitest';
import { createBatcher } from '../../src/store/batched/batcher.js';

/** A flush that records each batch and answers each item with its double. */
function recordingFlush(): { batches: number[][]; flush: (items: number[]) => Promise<number[]> } {
  const batches: number[][] = [];
  return {
    batches,
    flush: async (items) => {
      batches.push([...items]);
      return items.map((n) => n * 2);
    },
  };
}

const nextTurn = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

describe('createBatcher', () => {
  it('items added in the same tick share one flush, and each gets its own result', async () => {
    const { batches, flush } = recordingFlush();
    const batcher = createBatcher(flush, 10);
    const results = await Promise.all([batcher.add(1), batcher.add(2), batcher.add(3)]);
    expect(batches).toEqual([[1, 2, 3]]);
    expect(results).toEqual([2, 4, 6]);
  });

  it('items added on different turns of the event loop are flushed separately', async () => {
    const { batches, flush } = recordingFlush();
    const batcher = createBatcher(flush, 10);
    const first = batcher.add(1);
    await nextTurn();
    const second = batcher.add(2);
    expect(await Promise.all([first, second])).toEqual([2, 4]);
    expect(batches).toEqual([[1], [2]]);
  });

  it.each([
    [5, 2, [[1, 2], [3, 4], [5]]],
    [
      4,
      2,
      [
        [1, 2],
        [3, 4],
      ],
    ],
    [3, 1, [[1], [2], [3]]],
    [3, 3, [[1, 2, 3]]],
    [2, 100, [[1, 2]]],
  ])('%i items with maxSize %i are flushed as %j', async (count, maxSize, expected) => {
    const { batches, flush } = recordingFlush();
    const batcher = createBatcher(flush, maxSize);
    const items = Array.from({ length: count }, (_, i) => i + 1);
    expect(await Promise.all(items.map((n) => batcher.add(n)))).toEqual(items.map((n) => n * 2));
    expect(batches).toEqual(expected);
  });

  it('a full batch is flushed at once, without waiting for the next turn', () => {
    const { batches, flush } = recordingFlush();
    const batcher = createBatcher(flush, 2);
    void batcher.add(1);
    void batcher.add(2);
    expect(batches).toEqual([[1, 2]]);
  });

  it('a failed flush rejects every item of that batch, and only that batch', async () => {
    const failure = new Error('deadlock detected');
    const batches: number[][] = [];
    const batcher = createBatcher<number, number>(async (items) => {
      batches.push([...items]);
      if (items.includes(2)) throw failure;
      return items.map((n) => n * 2);
    }, 2);
    const settled = await Promise.allSettled([1, 2, 3, 4, 5].map((n) => batcher.add(n)));
    expect(batches).toEqual([[1, 2], [3, 4], [5]]);
    expect(settled).toEqual([
      { status: 'rejected', reason: failure },
      { status: 'rejected', reason: failure },
      { status: 'fulfilled', value: 6 },
      { status: 'fulfilled', value: 8 },
      { status: 'fulfilled', value: 10 },
    ]);
  });

  it('a flush returning the wrong number of results rejects every item of the batch', async () => {
    const batcher = createBatcher<number, number>(async (items) => items.slice(1), 10);
    const settled = await Promise.allSettled([batcher.add(1), batcher.add(2)]);
    expect(settled.map((s) => s.status)).toEqual(['rejected', 'rejected']);
    expect(settled[0]).toMatchObject({ reason: { message: 'batch flush returned 1 results for 2 items' } });
  });

  it('keeps working after a failed batch', async () => {
    let fail = true;
    const batcher = createBatcher<number, number>(async (items) => {
      if (fail) throw new Error('down');
      return items;
    }, 10);
    await expect(batcher.add(1)).rejects.toThrow('down');
    fail = false;
    await expect(batcher.add(2)).resolves.toBe(2);
  });

  it('drain flushes what is pending and resolves only when every batch has finished', async () => {
    const releases: (() => void)[] = [];
    const batches: number[][] = [];
    const batcher = createBatcher<number, number>((items) => {
      batches.push([...items]);
      return new Promise((resolve) => releases.push(() => resolve(items)));
    }, 2);
    const added = [1, 2, 3].map((n) => batcher.add(n));
    let drained = false;
    const drain = batcher.drain().then(() => {
      drained = true;
    });
    expect(batches).toEqual([[1, 2], [3]]);
    releases[0]?.();
    await nextTurn();
    expect(drained).toBe(false);
    releases[1]?.();
    await drain;
    expect(drained).toBe(true);
    expect(await Promise.all(added)).toEqual([1, 2, 3]);
  });

  it('drain resolves even when a batch failed (the failure goes to the items, not to drain)', async () => {
    const batcher = createBatcher<number, number>(async () => {
      throw new Error('down');
    }, 10);
    const item = batcher.add(1);
    await expect(batcher.drain()).resolves.toBeUndefined();
    await expect(item).rejects.toThrow('down');
  });

  it('drain with nothing pending resolves at once', async () => {
    const { batches, flush } = recordingFlush();
    await createBatcher(flush, 10).drain();
    expect(batches).toEqual([]);
  });

  it('with maxInFlight 1, items added while a flush runs wait for it and then go out together', async () => {
    const batches: number[][] = [];
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const batcher = createBatcher<number, number>(
      async (items) => {
        batches.push([...items]);
        if (batches.length === 1) await gate;
        return items.map((n) => n * 2);
      },
      10,
      { maxInFlight: 1 },
    );
    const first = batcher.add(1);
    await nextTurn();
    const later = [batcher.add(2), batcher.add(3)];
    await nextTurn();
    await nextTurn();
    expect(batches).toEqual([[1]]);
    release();
    expect(await Promise.all([first, ...later])).toEqual([2, 4, 6]);
    expect(batches).toEqual([[1], [2, 3]]);
  });

  it('with maxInFlight 1, drain waits for the batches queued behind the one in flight', async () => {
    const { batches, flush } = recordingFlush();
    const batcher = createBatcher(flush, 2, { maxInFlight: 1 });
    const items = [1, 2, 3, 4, 5].map((n) => batcher.add(n));
    await batcher.drain();
    expect(batches).toEqual([[1, 2], [3, 4], [5]]);
    expect(await Promise.all(items)).toEqual([2, 4, 6, 8, 10]);
  });
});

/** What pg throws: a DatabaseError carries the SQLSTATE in `code`. */
function pgError(code: string, message: string): Error {
  return Object.assign(new Error(message), { code });
}

/** A flush that fails its whole batch with `error(item)` when any item is poisoned, as one SQL statement does. */
function poisonableFlush(
  isPoison: (n: number) => boolean,
  error: () => Error,
): { batches: number[][]; flush: (items: number[]) => Promise<number[]> } {
  const batches: number[][] = [];
  return {
    batches,
    flush: async (items) => {
      batches.push([...items]);
      if (items.some(isPoison)) throw error();
      return items.map((n) => n * 2);
    },
  };
}

describe("createBatcher when a batch fails for one item's data", () => {
  it.each([
    ['22021', 'invalid byte sequence for encoding "UTF8": 0x00'],
    ['22P02', 'invalid input syntax for type uuid'],
    ['23505', 'duplicate key value violates unique constraint'],
  ])('SQLSTATE %s: only the guilty item fails, every other item gets its result', async (code, message) => {
    const { batches, flush } = poisonableFlush(
      (n) => n === 6,
      () => pgError(code, message),
    );
    const batcher = createBatcher(flush, 100);
    const settled = await Promise.allSettled(Array.from({ length: 10 }, (_, i) => batcher.add(i + 1)));
    expect(settled.map((s) => (s.status === 'fulfilled' ? s.value : (s.reason as { code: string }).code))).toEqual([
      2,
      4,
      6,
      8,
      10,
      code,
      14,
      16,
      18,
      20,
    ]);
    // Bisected, not retried row by row: 10 → 5+5 → (3+2) → (2+1) → (1+1): 7 flushes, not 11.
    expect(batches).toEqual([
      [1, 2, 3, 4, 5, 6, 7, 8, 9, 10],
      [1, 2, 3, 4, 5],
      [6, 7, 8, 9, 10],
      [6, 7, 8],
      [6, 7],
      [6],
      [7],
      [8],
      [9, 10],
    ]);
  });

  it('several poisoned items among many each fail alone', async () => {
    const poisoned = new Set([3, 17, 18, 60]);
    const { flush } = poisonableFlush(
      (n) => poisoned.has(n),
      () => pgError('22021', 'NUL'),
    );
    const batcher = createBatcher(flush, 100);
    const settled = await Promise.allSettled(Array.from({ length: 66 }, (_, i) => batcher.add(i + 1)));
    const failed = settled.flatMap((s, i) => (s.status === 'rejected' ? [i + 1] : []));
    expect(failed).toEqual([...poisoned]);
  });

  it.each([
    ['08006', 'connection failure'],
    ['57P01', 'terminating connection due to administrator command'],
    ['53300', 'too many connections'],
    ['57014', 'canceling statement due to statement timeout'],
    [undefined, 'Connection terminated unexpectedly'],
  ])('a transient error (SQLSTATE %s) fails the whole batch once, without splitting it', async (code, message) => {
    const { batches, flush } = poisonableFlush(
      () => true,
      () => (code === undefined ? new Error(message) : pgError(code, message)),
    );
    const batcher = createBatcher(flush, 100);
    const settled = await Promise.allSettled([1, 2, 3, 4].map((n) => batcher.add(n)));
    expect(settled.map((s) => s.status)).toEqual(['rejected', 'rejected', 'rejected', 'rejected']);
    expect(batches).toEqual([[1, 2, 3, 4]]);
  });

  it('a caller can say which errors are about the data (a Redis batch, say)', async () => {
    const { batches, flush } = poisonableFlush(
      (n) => n === 2,
      () => new Error('ERR value is not an integer'),
    );
    const batcher = createBatcher(flush, 100, { splitOn: (err) => (err as Error).message.startsWith('ERR value') });
    const settled = await Promise.allSettled([1, 2, 3].map((n) => batcher.add(n)));
    expect(settled.map((s) => s.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    expect(batches).toEqual([[1, 2, 3], [1, 2], [1], [2], [3]]);
  });

  it("the halves are flushed one after the other in their batch's slot: with maxInFlight 1, never two flushes at once", async () => {
    let running = 0;
    let most = 0;
    const batcher = createBatcher<number, number>(
      async (items) => {
        running++;
        most = Math.max(most, running);
        await nextTurn();
        running--;
        if (items.includes(5)) throw pgError('22021', 'NUL');
        return items;
      },
      8,
      { maxInFlight: 1 },
    );
    const settled = await Promise.allSettled(Array.from({ length: 20 }, (_, i) => batcher.add(i + 1)));
    expect(settled.filter((s) => s.status === 'rejected')).toHaveLength(1);
    expect(most).toBe(1);
  });
});
