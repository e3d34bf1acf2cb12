import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addSite, deleteQueueKeys, newQueuePrefix, startApi, type TestApi } from '../support/harness.js';
import { createTestDatabase, type TestDatabase } from '../support/test-db.js';

/*
 * Issue 11, item 12: every /api answer varies by Origin (CORS headers for a site's origin, none for a
 * request without one, a 403 for a foreign one), so each says Vary: Origin, or a shared cache could
 * serve one origin's answer to another. Counts and site settings are publicly cacheable.
 */

let db: TestDatabase;
let api: TestApi;
const prefix = newQueuePrefix();

beforeAll(async () => {
  db = await createTestDatabase();
  api = await startApi({ pool: db.pool, prefix });
  await addSite(db.pool, 'news', ['https://news.example']);
  await api.sites.refresh();
});

afterAll(async () => {
  await api?.close();
  await db?.drop();
  await deleteQueueKeys(prefix);
});

const paths = [
  '/api/counts?site=news&page=a',
  '/api/sites/news/public',
  '/api/sites/news/public?page=a',
  '/api/comments?site=news&page=a',
];
const origins: [string, string | undefined][] = [
  ['no Origin', undefined],
  ["the site's origin", 'https://news.example'],
  ['a foreign origin', 'https://evil.example'],
];

describe('Vary: Origin on every public API answer', () => {
  for (const path of paths) {
    it.each(origins)(`${path} with %s`, async (_name, origin) => {
      const res = await fetch(`${api.url}${path}`, { headers: origin ? { origin } : {} });
      expect([200, 403]).toContain(res.status);
      expect(res.headers.get('vary') ?? '').toMatch(/\bOrigin\b/i);
      if (origin === 'https://news.example') expect(res.headers.get('access-control-allow-origin')).toBe(origin);
    });
  }
});
