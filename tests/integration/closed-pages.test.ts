import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addSite, deleteQueueKeys, newQueuePrefix, startApi, type TestApi } from '../support/harness.js';
import { seedThread } from '../support/seed-thread.js';
import { createTestDatabase, type TestDatabase } from '../support/test-db.js';

/*
 * Issue 11, item 16: a closed page must not look open. The thread API and the form's settings for a
 * page say `closed`, and why: by hand (pages.closed) or after the site's closeAfterDays.
 */

let db: TestDatabase;
let api: TestApi;
const prefix = newQueuePrefix();
const DAY = 86_400_000;

async function json(path: string): Promise<Record<string, unknown>> {
  const res = await fetch(`${api.url}${path}`);
  expect(res.status, path).toBe(200);
  return (await res.json()) as Record<string, unknown>;
}

beforeAll(async () => {
  db = await createTestDatabase();
  api = await startApi({ pool: db.pool, prefix });
  await addSite(db.pool, 'news', [api.origin], { closeAfterDays: 30 });
  await addSite(db.pool, 'forever', [api.origin]);
  await api.sites.refresh();
  const now = Date.now();
  await seedThread(db.pool, 'news', 'old', [{ at: 0 }], new Date(now - 40 * DAY));
  await seedThread(db.pool, 'news', 'recent', [{ at: 0 }], new Date(now - 2 * DAY));
  await seedThread(db.pool, 'news', 'shut', [{ at: 0 }], new Date(now - DAY));
  await db.pool.query(`update pages set closed = true where identifier = 'shut'`);
  await seedThread(db.pool, 'forever', 'old', [{ at: 0 }], new Date(now - 4000 * DAY));
});

afterAll(async () => {
  await api?.close();
  await db?.drop();
  await deleteQueueKeys(prefix);
});

describe('a closed page says so', () => {
  it.each([
    ['closed by hand', 'news', 'shut', { closed: true, closedReason: 'by-hand' }],
    [
      'closed 30 days after its first comment',
      'news',
      'old',
      { closed: true, closedReason: 'after-days', closeAfterDays: 30 },
    ],
    ['within its 30 days', 'news', 'recent', { closed: false }],
    ['nobody has commented yet', 'news', 'fresh', { closed: false }],
    ['on a site that never closes', 'forever', 'old', { closed: false }],
  ])('%s: the thread API and the page settings agree', async (_name, site, page, expected) => {
    const thread = await json(`/api/comments?site=${site}&page=${page}`);
    const settings = await json(`/api/sites/${site}/public?page=${page}`);
    for (const answer of [thread, settings]) {
      expect({
        closed: answer.closed,
        closedReason: answer.closedReason,
        closeAfterDays: answer.closeAfterDays,
      }).toEqual({
        closedReason: undefined,
        closeAfterDays: undefined,
        ...expected,
      });
    }
    // Later pages of the thread say it too (a reader who paged far still sees no form).
    expect((await json(`/api/comments?site=${site}&page=${page}&order=newest`)).closed).toBe(expected.closed);
  });

  it('closing a page by hand shows on the next thread read, though no comment changed (the cache keys on it)', async () => {
    const before = await json('/api/comments?site=news&page=recent');
    expect(before.closed).toBe(false);
    await db.pool.query(`update pages set closed = true where identifier = 'recent'`);
    const after = await json('/api/comments?site=news&page=recent');
    expect(after).toMatchObject({ closed: true, closedReason: 'by-hand' });
    expect(after.comments).toEqual(before.comments);
    await db.pool.query(`update pages set closed = false where identifier = 'recent'`);
    expect((await json('/api/comments?site=news&page=recent')).closed).toBe(false);
  });

  it('without ?page= the site settings stay cacheable and say nothing about a page', async () => {
    const res = await fetch(`${api.url}/api/sites/news/public`);
    expect(res.headers.get('cache-control')).toBe('public, max-age=60');
    expect((await res.json()) as object).not.toHaveProperty('closed');
  });
});
