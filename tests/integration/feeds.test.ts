import { join } from 'node:path';
import { SaxesParser } from 'saxes';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addSite, deleteQueueKeys, newQueuePrefix, startApi, type TestApi } from '../support/harness.js';
import { fixtureDir, importFile } from '../support/import-helpers.js';
import { createTestDatabase, type TestDatabase } from '../support/test-db.js';

let db: TestDatabase;
let api: TestApi;
const prefix = newQueuePrefix();

interface ParsedFeed {
  root: string;
  entries: { id: string; updated: string; content: string; contentType: string | undefined; author: string }[];
  elements: string[];
}

/** Parses a feed with the SAX parser (throws on any well-formedness error). */
function parseFeed(xml: string): ParsedFeed {
  const parser = new SaxesParser({ xmlns: true });
  const feed: ParsedFeed = { root: '', entries: [], elements: [] };
  const path: string[] = [];
  let text = '';
  let entry: ParsedFeed['entries'][number] | null = null;
  parser.on('error', (e) => {
    throw e;
  });
  parser.on('opentag', (t) => {
    if (path.length === 0) feed.root = `{${t.uri}}${t.local}`;
    path.push(t.local);
    feed.elements.push(t.local);
    text = '';
    if (t.local === 'entry') entry = { id: '', updated: '', content: '', contentType: undefined, author: '' };
    if (t.local === 'content' && entry)
      entry.contentType = (t.attributes as Record<string, { value: string }>).type?.value;
  });
  parser.on('text', (t) => (text += t));
  parser.on('closetag', (t) => {
    path.pop();
    if (entry && t.local === 'id' && path.at(-1) === 'entry') entry.id = text;
    if (entry && t.local === 'updated' && path.at(-1) === 'entry') entry.updated = text;
    if (entry && t.local === 'content') entry.content = text;
    if (entry && t.local === 'name') entry.author = text;
    if (t.local === 'entry' && entry) {
      feed.entries.push(entry);
      entry = null;
    }
    text = '';
  });
  parser.write(xml).close();
  return feed;
}

beforeAll(async () => {
  db = await createTestDatabase();
  api = await startApi({ pool: db.pool, prefix });
  await addSite(db.pool, 'blog', ['https://blog.example']);
  await addSite(db.pool, 'quiet', ['https://quiet.example']);
  await api.sites.refresh();
  expect(
    (await importFile(db.pool, ['wordpress', join(fixtureDir, 'wordpress-nasty.xml'), '--site', 'blog'])).code,
  ).toBe(0);
  expect((await importFile(db.pool, ['disqus', join(fixtureDir, 'disqus-nasty.xml'), '--site', 'blog'])).code).toBe(0);
});

afterAll(async () => {
  await api?.close();
  await db?.drop();
  await deleteQueueKeys(prefix);
});

describe('Atom feeds', () => {
  it('a site feed lists its approved comments, newest first, as well-formed inert Atom', async () => {
    const res = await fetch(`${api.url}/feeds/blog/comments.atom`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/atom+xml; charset=utf-8');
    const xml = await res.text();
    const feed = parseFeed(xml);
    expect(feed.root).toBe('{http://www.w3.org/2005/Atom}feed');
    const approved = await db.pool.query(
      `select id from comments where site_id = 'blog' and status = 'approved' order by received_at desc, id desc`,
    );
    expect(feed.entries.map((e) => e.id)).toEqual(approved.rows.map((r) => `urn:uuid:${r.id}`));
    const times = feed.entries.map((e) => e.updated);
    expect([...times].sort().reverse()).toEqual(times);
    // No active content: the only elements are Atom's (and RFC 4685's in-reply-to), comment HTML is escaped text of type html.
    expect(new Set(feed.elements)).toEqual(
      new Set([
        'feed',
        'id',
        'title',
        'updated',
        'link',
        'generator',
        'entry',
        'author',
        'name',
        'uri',
        'published',
        'content',
        'in-reply-to',
      ]),
    );
    for (const e of feed.entries) {
      expect(e.contentType).toBe('html');
      expect(e.content).not.toMatch(/<script|<img|<iframe|<[^>]*\son\w+=|javascript:/i);
    }
    // Never an email or an IP.
    expect(xml).not.toMatch(/@example\.org|203\.0\.113\.|198\.51\.100\./);
    expect(xml).toContain('&lt;p&gt;First &amp;amp; &lt;strong&gt;best&lt;/strong&gt;');
  });

  it('answers If-None-Match with 304', async () => {
    const first = await fetch(`${api.url}/feeds/blog/comments.atom`);
    const etag = first.headers.get('etag');
    expect(etag).toMatch(/^"[\w-]+"$/);
    const again = await fetch(`${api.url}/feeds/blog/comments.atom`, { headers: { 'if-none-match': etag ?? '' } });
    expect(again.status).toBe(304);
    expect(await again.text()).toBe('');
  });

  it('a page feed, by path or by ?page= for URL identifiers', async () => {
    const byPath = parseFeed(await (await fetch(`${api.url}/feeds/blog/pages/10.atom`)).text());
    expect(byPath.entries).toHaveLength(7);
    const url = 'https://news.example/2020/post-2';
    const byQuery = await fetch(`${api.url}/feeds/blog/comments.atom?page=${encodeURIComponent(url)}`);
    expect(byQuery.status).toBe(200);
    expect(parseFeed(await byQuery.text()).entries).toHaveLength(1);
    const encoded = await fetch(`${api.url}/feeds/blog/pages/${encodeURIComponent(url)}.atom`);
    expect(parseFeed(await encoded.text()).entries).toHaveLength(1);
  });

  it('an empty site gives a valid empty feed; unknown sites are 404', async () => {
    const empty = await fetch(`${api.url}/feeds/quiet/comments.atom`);
    expect(empty.status).toBe(200);
    expect(parseFeed(await empty.text()).entries).toHaveLength(0);
    expect((await fetch(`${api.url}/feeds/nope/comments.atom`)).status).toBe(404);
  });

  it('keeps at most 50 entries', async () => {
    await db.pool.query(`
      insert into comments (id, site_id, page_id, body, body_html, status, verdict, content_hash, received_at)
      select gen_random_uuid(), 'blog', (select id from pages where site_id = 'blog' and identifier = '20'), 'n' || g, '<p>n' || g || '</p>',
             'approved', '{"status":"approved","score":0,"reasons":[]}', sha256(convert_to('feed' || g, 'UTF8')), now() - g * interval '1 minute'
        from generate_series(1, 60) g`);
    const feed = parseFeed(await (await fetch(`${api.url}/feeds/blog/comments.atom`)).text());
    expect(feed.entries).toHaveLength(50);
    expect(feed.entries[0]!.content).toBe('<p>n1</p>');
  });
});
