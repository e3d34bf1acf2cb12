import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addSite, deleteQueueKeys, newQueuePrefix, startApi, type TestApi } from '../support/harness.js';
import { seedThread } from '../support/seed-thread.js';
import { createTestDatabase, type TestDatabase } from '../support/test-db.js';

/*
 * Hostile query values on the public reads (issue 11, item 2): each is refused at the edge with a 400
 * naming the field, never reaches SQL, and never costs another reader anything.
 */

let db: TestDatabase;
let api: TestApi;
const prefix = newQueuePrefix();
const SITES = ['s1', 's2', 's3', 's4'];

async function errorOf(path: string): Promise<{ status: number; code?: string; field?: string }> {
  const res = await fetch(`${api.url}${path}`);
  const text = await res.text();
  let body: { error?: { code: string; field?: string } } = {};
  try {
    body = JSON.parse(text) as typeof body;
  } catch {
    // a feed: XML
  }
  return { status: res.status, code: body.error?.code, field: body.error?.field };
}

beforeAll(async () => {
  db = await createTestDatabase();
  api = await startApi({ pool: db.pool, prefix });
  for (const s of SITES) {
    await addSite(db.pool, s, [api.origin]);
    await seedThread(db.pool, s, 'article', [{ at: 0 }, { at: 1 }]);
  }
  await api.sites.refresh();
});

afterAll(async () => {
  await api?.close();
  await db?.drop();
  await deleteQueueKeys(prefix);
});

const long = 'a'.repeat(5000);
// [name, value as it goes in the URL, field]
const badPages: [string, string][] = [
  ['NUL', '%00'],
  ['NUL inside', 'art%00icle'],
  ['a control character', 'art%01icle'],
  ['DEL', 'article%7F'],
  ['a C1 control', 'article%C2%85'],
  ['invalid UTF-8', 'article%FF'],
  ['a truncated UTF-8 sequence', 'article%C3'],
  ['an encoded lone surrogate', 'article%ED%A0%80'],
  ['an absurd length', long],
];

describe('bad query values on public reads are 400 with the field named', () => {
  it.each(badPages)('thread page with %s', async (_name, value) => {
    expect(await errorOf(`/api/comments?site=s1&page=${value}`)).toMatchObject({ status: 400, field: 'page' });
  });

  it.each(badPages)('counts page with %s', async (_name, value) => {
    expect(await errorOf(`/api/counts?site=s1&page=article&page=${value}`)).toMatchObject({
      status: 400,
      field: 'page',
    });
  });

  it.each(badPages)('site settings ?page= with %s', async (_name, value) => {
    expect(await errorOf(`/api/sites/s1/public?page=${value}`)).toMatchObject({ status: 400, field: 'page' });
  });

  it.each(badPages)('page feed ?page= with %s', async (_name, value) => {
    expect(await errorOf(`/feeds/s1/comments.atom?page=${value}`)).toMatchObject({ status: 400, field: 'page' });
  });

  it.each(
    badPages.filter(([n]) => n !== 'invalid UTF-8' && !n.startsWith('a truncated') && !n.startsWith('an encoded')),
  )('page feed path with %s', async (_name, value) => {
    expect(await errorOf(`/feeds/s1/pages/${value}.atom`)).toMatchObject({ status: 400, field: 'page' });
  });

  it.each([
    ['site', '/api/comments?site=s%001&page=article', 'site'],
    ['site of counts', '/api/counts?site=s1%00&page=article', 'site'],
    ['site of the site settings', '/api/sites/s1%00/public', 'site'],
    ['site of a feed', '/feeds/s1%00/comments.atom', 'site'],
    ['cursor', '/api/comments?site=s1&page=article&cursor=%00', 'cursor'],
    ['order', '/api/comments?site=s1&page=article&order=new%00est', 'order'],
    ['limit', '/api/comments?site=s1&page=article&limit=1%00', 'limit'],
    ['replies', '/api/comments?site=s1&page=article&replies=%00', 'replies'],
  ])('NUL in the %s', async (_name, path, field) => {
    expect(await errorOf(path)).toMatchObject({ status: 400, field });
  });

  it.each([
    ['page twice on a thread', '/api/comments?site=s1&page=a&page=b', 'page'],
    ['site twice', '/api/comments?site=s1&site=s2&page=article', 'site'],
    ['page as an object', '/api/comments?site=s1&page[x]=1', 'page'],
    ['counts page as an object', '/api/counts?site=s1&page[x]=1', 'page'],
    ['settings page twice', '/api/sites/s1/public?page=a&page=b', 'page'],
    ['feed page twice', '/feeds/s1/comments.atom?page=a&page=b', 'page'],
  ])('an array or object where a string is expected: %s', async (_name, path, field) => {
    expect(await errorOf(path)).toMatchObject({ status: 400, field });
  });

  it.each([
    ['a page feed', '/feeds/s1/pages/article%FF.atom'],
    ['a page feed, truncated', '/feeds/s1/pages/article%C3.atom'],
    ['the site settings', '/api/sites/s1%FF/public'],
  ])('a path value that is not UTF-8 in %s is 400 INVALID_ENCODING, not 500', async (_name, path) => {
    expect(await errorOf(path)).toEqual({ status: 400, code: 'INVALID_ENCODING', field: 'path' });
  });

  it('the same reads with good values are 200 (a stray undecodable parameter nobody reads is no error)', async () => {
    for (const path of [
      '/api/comments?site=s1&page=article&%FF=1',
      '/api/comments?site=s1&page=article',
      '/api/counts?site=s1&page=article',
      '/api/sites/s1/public?page=article',
      '/feeds/s1/comments.atom?page=article',
      '/feeds/s1/pages/article.atom',
    ]) {
      expect((await fetch(`${api.url}${path}`)).status, path).toBe(200);
    }
  });

  it('concurrent thread reads of several sites where one has a NUL in page: that one 400, all others 200', async () => {
    for (let round = 0; round < 5; round++) {
      const reads = Array.from({ length: 40 }, (_, i) => {
        const site = SITES[i % SITES.length] as string;
        const poisoned = i === 17;
        return fetch(
          `${api.url}/api/comments?site=${site}&page=${poisoned ? 'art%00icle' : 'article'}&limit=${1 + (i % 3)}`,
        ).then(async (r) => ({
          i,
          poisoned,
          status: r.status,
          body: (await r.json()) as { comments?: unknown[]; error?: { field?: string } },
        }));
      });
      const answers = await Promise.all(reads);
      for (const a of answers) {
        if (a.poisoned) {
          expect(a.status).toBe(400);
          expect(a.body.error?.field).toBe('page');
        } else {
          expect(a.status, JSON.stringify(a.body)).toBe(200);
          expect(a.body.comments?.length).toBeGreaterThan(0);
        }
      }
    }
  });
});
