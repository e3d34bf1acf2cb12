import { describe, expect, it } from 'vitest';
import type { Queryable } from '../../src/store/db.js';
import { createThreadVersionReader } from '../../src/store/batched/thread-versions.js';

/**
 * A stand-in for Postgres that knows some pages (site/page → [id, version, count]), answers the
 * version query as the join would (1-based ordinality, unknown pages left out) and records each call.
 */
function fakeDb(pages: Record<string, [number, number, number]>) {
  const calls: { sites: string[]; pages: string[] }[] = [];
  let release: (() => void) | null = null;
  let hold = false;
  const db = {
    async query(q: { values: [string[], string[]] }) {
      const [sites, idents] = q.values;
      calls.push({ sites: [...sites], pages: [...idents] });
      if (hold) await new Promise<void>((r) => (release = r));
      const rows = sites.flatMap((s, i) => {
        const p = pages[`${s}/${idents[i]}`];
        return p ? [{ i: i + 1, id: p[0], thread_version: p[1], approved_count: p[2] }] : [];
      });
      return { rows };
    },
  } as unknown as Queryable;
  return {
    db,
    calls,
    holdNext: () => {
      hold = true;
    },
    release: () => {
      hold = false;
      release?.();
    },
  };
}

describe('createThreadVersionReader', () => {
  it('reads made in the same turn share one query, each page asked once, and each gets its own answer', async () => {
    const f = fakeDb({ 'a/p1': [1, 7, 3], 'b/p1': [2, 0, 1] });
    const read = createThreadVersionReader(f.db);
    const answers = await Promise.all([
      read({ siteId: 'a', page: 'p1' }),
      read({ siteId: 'b', page: 'p1' }),
      read({ siteId: 'a', page: 'p1' }),
      read({ siteId: 'a', page: 'none' }),
    ]);
    expect(f.calls).toEqual([{ sites: ['a', 'b', 'a'], pages: ['p1', 'p1', 'none'] }]);
    expect(answers).toEqual([
      // A row without settings overrides nothing (issue 16).
      { version: '1.7', approved: 3, settings: {} },
      { version: '2.0', approved: 1, settings: {} },
      { version: '1.7', approved: 3, settings: {} },
      null,
    ]);
  });

  it('reads arriving while a query is out wait for it and go out together, after it', async () => {
    const f = fakeDb({ 'a/p1': [1, 1, 1] });
    const read = createThreadVersionReader(f.db);
    f.holdNext();
    const first = read({ siteId: 'a', page: 'p1' });
    await new Promise((r) => setImmediate(r));
    expect(f.calls).toHaveLength(1);
    const later = [read({ siteId: 'a', page: 'p1' }), read({ siteId: 'a', page: 'p1' })];
    await new Promise((r) => setImmediate(r));
    // Not answered by the query already out: it may have read the row before they arrived.
    expect(f.calls).toHaveLength(1);
    f.release();
    await Promise.all([first, ...later]);
    expect(f.calls).toEqual([
      { sites: ['a'], pages: ['p1'] },
      { sites: ['a'], pages: ['p1'] },
    ]);
  });
});
