import { describe, expect, it } from 'vitest';
import { createThreadCache, type RenderedAnswer, type ThreadCacheOptions } from '../../src/http/public/thread-cache.js';

/** A cache on a hand-moved clock, and a render that counts its calls and answers `text`. */
function setUp(opts: Omit<ThreadCacheOptions, 'now'> = {}) {
  let time = 0;
  const cache = createThreadCache({ ...opts, now: () => time });
  let renders = 0;
  const render = (text: string) => async (): Promise<RenderedAnswer> => {
    renders += 1;
    return { body: Buffer.from(text), etag: `W/"${text}"` };
  };
  return {
    cache,
    render,
    renders: () => renders,
    tick: (ms: number) => {
      time += ms;
    },
  };
}

const text = (a: RenderedAnswer): string => a.body.toString();

describe('createThreadCache', () => {
  it('a second request at the same version is answered from memory, body and ETag alike', async () => {
    const { cache, render, renders } = setUp();
    const first = await cache.get('k', 'v1', render('a'));
    const second = await cache.get('k', 'v1', render('b'));
    expect(text(second)).toBe('a');
    expect(second.etag).toBe(first.etag);
    expect(renders()).toBe(1);
  });

  it('a request that reads a new version renders again and keeps the new answer', async () => {
    const { cache, render, renders } = setUp();
    await cache.get('k', 'v1', render('a'));
    expect(text(await cache.get('k', 'v2', render('b')))).toBe('b');
    expect(text(await cache.get('k', 'v2', render('c')))).toBe('b');
    expect(renders()).toBe(2);
  });

  it('an entry older than the TTL renders again even when the version stands', async () => {
    const { cache, render, tick } = setUp({ ttlMs: 1000 });
    await cache.get('k', 'v1', render('a'));
    tick(999);
    expect(text(await cache.get('k', 'v1', render('b')))).toBe('a');
    tick(1);
    expect(text(await cache.get('k', 'v1', render('c')))).toBe('c');
  });

  it('requests for the same key and version while a render runs share it', async () => {
    const { cache, render, renders } = setUp();
    const all = await Promise.all([
      cache.get('k', 'v1', render('a')),
      cache.get('k', 'v1', render('b')),
      cache.get('k', 'v1', render('c')),
    ]);
    expect(all.map(text)).toEqual(['a', 'a', 'a']);
    expect(renders()).toBe(1);
  });

  it('a request that saw a newer version does not wait on a render of the older one', async () => {
    const { cache, render, renders } = setUp();
    const [older, newer] = await Promise.all([
      cache.get('k', 'v1', render('old')),
      cache.get('k', 'v2', render('new')),
    ]);
    expect([text(older), text(newer)]).toEqual(['old', 'new']);
    expect(renders()).toBe(2);
  });

  it('a failed render is not kept: every request sharing it gets the error, and the next one renders', async () => {
    const { cache, render } = setUp();
    const failing = async (): Promise<RenderedAnswer> => {
      throw new Error('database down');
    };
    const shared = [cache.get('k', 'v1', failing), cache.get('k', 'v1', failing)];
    for (const p of shared) await expect(p).rejects.toThrow('database down');
    expect(cache.stats().entries).toBe(0);
    expect(text(await cache.get('k', 'v1', render('a')))).toBe('a');
  });

  it('past its byte budget it drops the least recently used entries first', async () => {
    const { cache, render } = setUp({ maxBytes: 10 });
    await cache.get('a', 'v', render('aaaa'));
    await cache.get('b', 'v', render('bbbb'));
    await cache.get('a', 'v', render('AAAA')); // a hit: "a" is now the most recently used
    await cache.get('c', 'v', render('cccc')); // 12 bytes: "b" goes
    expect(cache.stats()).toEqual({ entries: 2, bytes: 8 });
    expect(text(await cache.get('a', 'v', render('x')))).toBe('aaaa');
    expect(text(await cache.get('b', 'v', render('y')))).toBe('y');
  });

  it('keeps at most maxEntries, and never an answer bigger than the whole budget', async () => {
    const { cache, render } = setUp({ maxEntries: 2, maxBytes: 100 });
    for (const k of ['a', 'b', 'c']) await cache.get(k, 'v', render(k));
    expect(cache.stats()).toEqual({ entries: 2, bytes: 2 });
    expect(text(await cache.get('big', 'v', render('x'.repeat(101))))).toHaveLength(101);
    expect(cache.stats()).toEqual({ entries: 2, bytes: 2 });
  });

  it('an entry replaced by a new version gives its bytes back', async () => {
    const { cache, render } = setUp();
    await cache.get('k', 'v1', render('aaaa'));
    await cache.get('k', 'v2', render('bb'));
    expect(cache.stats()).toEqual({ entries: 1, bytes: 2 });
  });
});
