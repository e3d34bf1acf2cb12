import { describe, it, expect } from 'vitest';
import { createBatcher } from '../../src/store/batcher.js';

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
    [4, 2, [[1, 2], [3, 4]]],
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
    const batcher = createBatcher<number, number>(async (items) => {
      batches.push([...items]);
      if (batches.length === 1) await gate;
      return items.map((n) => n * 2);
    }, 10, { maxInFlight: 1 });
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
