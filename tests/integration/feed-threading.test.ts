import { randomUUID } from 'node:crypto';
import { SaxesParser, type SaxesTagNS } from 'saxes';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addSite, deleteQueueKeys, newQueuePrefix, startApi, type TestApi } from '../support/harness.js';
import { seedThread } from '../support/seed-thread.js';
import { createTestDatabase, type TestDatabase } from '../support/test-db.js';

/*
 * Issue 11, item 18: a page nobody has commented on yet has an empty feed (200, ETag, 304), as its
 * thread is an empty list; replies carry thr:in-reply-to (RFC 4685).
 */

const THR = 'http://purl.org/syndication/thread/1.0';
let db: TestDatabase;
let api: TestApi;
const prefix = newQueuePrefix();
const root = randomUUID();
const reply = randomUUID();
const held = randomUUID();
const orphan = randomUUID();

/** Each entry's id and its thr:in-reply-to attributes (namespace-resolved), from a well-formed feed. */
function inReplyTo(xml: string): Map<string, Record<string, string> | null> {
  const parser = new SaxesParser({ xmlns: true });
  const entries = new Map<string, Record<string, string> | null>();
  let current: { id: string; thr: Record<string, string> | null } | null = null;
  let inId = false;
  parser.on('error', (e) => {
    throw e;
  });
  parser.on('opentag', (t: SaxesTagNS) => {
    if (t.local === 'entry') current = { id: '', thr: null };
    inId = t.local === 'id' && current !== null;
    if (current && t.uri === THR && t.local === 'in-reply-to') {
      current.thr = Object.fromEntries(
        Object.values(t.attributes)
          .map((a) => [a.local, a.value])
          .filter(([k]) => k !== 'thr'),
      );
    }
  });
  parser.on('text', (s) => {
    if (inId && current) current.id += s;
  });
  parser.on('closetag', (t) => {
    inId = false;
    if (t.local === 'entry' && current) {
      entries.set(current.id, current.thr);
      current = null;
    }
  });
  parser.write(xml).close();
  return entries;
}

beforeAll(async () => {
  db = await createTestDatabase();
  api = await startApi({ pool: db.pool, prefix });
  await addSite(db.pool, 'blog', ['https://blog.example']);
  await api.sites.refresh();
  await seedThread(db.pool, 'blog', 'post-1', [
    { id: root, at: 0 },
    { id: held, at: 1, status: 'pending' },
    { id: reply, parent: root, depth: 1, at: 2 },
    // Answers a comment readers never saw: shown without a parent, as in the thread.
    { id: orphan, parent: held, depth: 1, at: 3 },
  ]);
  await db.pool.query(`update pages set url = 'https://blog.example/post-1?x=1' where identifier = 'post-1'`);
});

afterAll(async () => {
  await api?.close();
  await db?.drop();
  await deleteQueueKeys(prefix);
});

describe('feeds of threads', () => {
  it('a page nobody has commented on yet is an empty feed with an ETag, and 304 on If-None-Match', async () => {
    for (const path of [
      '/feeds/blog/pages/fresh-article.atom',
      `/feeds/blog/comments.atom?page=${encodeURIComponent('https://blog.example/new')}`,
    ]) {
      const res = await fetch(`${api.url}${path}`);
      expect(res.status, path).toBe(200);
      expect(res.headers.get('content-type')).toBe('application/atom+xml; charset=utf-8');
      const xml = await res.text();
      expect(inReplyTo(xml).size).toBe(0);
      expect(xml).toContain('<feed xmlns="http://www.w3.org/2005/Atom">');
      const etag = res.headers.get('etag') as string;
      expect(etag).toMatch(/^"[\w-]+"$/);
      // Same bytes on every read (nothing comes from the clock), so the ETag holds.
      const again = await fetch(`${api.url}${path}`);
      expect(again.headers.get('etag')).toBe(etag);
      await again.text();
      const notModified = await fetch(`${api.url}${path}`, { headers: { 'if-none-match': etag } });
      expect(notModified.status).toBe(304);
    }
    // An unknown site stays 404.
    expect((await fetch(`${api.url}/feeds/nope/pages/fresh-article.atom`)).status).toBe(404);
  });

  it('a reply carries thr:in-reply-to with the parent entry id and its link; a top-level comment none', async () => {
    for (const path of ['/feeds/blog/pages/post-1.atom', '/feeds/blog/comments.atom']) {
      const entries = inReplyTo(await (await fetch(`${api.url}${path}`)).text());
      expect([...entries.keys()].sort()).toEqual(
        [`urn:uuid:${root}`, `urn:uuid:${reply}`, `urn:uuid:${orphan}`].sort(),
      );
      expect(entries.get(`urn:uuid:${reply}`)).toEqual({
        ref: `urn:uuid:${root}`,
        href: `https://blog.example/post-1?x=1#comment-${root}`,
        type: 'text/html',
      });
      expect(entries.get(`urn:uuid:${root}`)).toBeNull();
      // Its parent is held: no reference to a comment that is not in any feed.
      expect(entries.get(`urn:uuid:${orphan}`)).toBeNull();
    }
  });
});
