import { createHash } from 'node:crypto';
import { SaxesParser } from 'saxes';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { updateSite } from '../../src/store/sites.js';
import {
  addSite,
  deleteQueueKeys,
  newQueuePrefix,
  postJson,
  startApi,
  startWorker,
  waitForStored,
  type TestApi,
} from '../support/harness.js';
import { createTestDatabase, type TestDatabase } from '../support/test-db.js';

// Avatars in the thread (issue 15) over HTTP against real Postgres, Redis and a worker: an identicon of
// ours by default, named so the URL reveals no email; Gravatar only where the site turns it on.
let db: TestDatabase;
let api: TestApi;
let worker: { close(): Promise<void> };
const prefix = newQueuePrefix();
const sha256 = (s: string): string => createHash('sha256').update(s).digest('hex');
const md5 = (s: string): string => createHash('md5').update(s).digest('hex');

interface Item {
  id: string;
  author: { name: string; avatar: string };
}

async function comment(site: string, author: string, email: string, body: string): Promise<string> {
  const res = await postJson(api, { site, page: 'p', author, email, body }, { origin: api.origin });
  expect(res.status).toBe(202);
  const { id } = (await res.json()) as { id: string };
  expect((await waitForStored(db.pool, id)).status).toBe('approved');
  return id;
}

async function avatars(site: string): Promise<Map<string, string>> {
  const res = await fetch(`${api.url}/api/comments?site=${site}&page=p`, { headers: { origin: api.origin } });
  const { comments } = (await res.json()) as { comments: Item[] };
  return new Map(comments.map((c) => [c.id, c.author.avatar]));
}

/** The element names of an SVG, or the parse error: saxes refuses what is not well-formed XML. */
function elementsOf(svg: string): string[] {
  const names: string[] = [];
  const parser = new SaxesParser({ xmlns: true });
  parser.on('opentag', (t) => names.push(t.local));
  parser.write(svg).close();
  return names;
}

beforeAll(async () => {
  db = await createTestDatabase();
  api = await startApi({ pool: db.pool, prefix });
  worker = await startWorker({ pool: db.pool, prefix });
  const open = { holdFirstTime: false, floodSeconds: 0, holdLinks: 0 };
  await addSite(db.pool, 'plain', [api.origin], { ...open, requireEmail: false });
  await addSite(db.pool, 'grav', [api.origin], { ...open, requireEmail: false, gravatar: true });
});

afterAll(async () => {
  await worker?.close();
  await api?.close();
  await db?.drop();
  await deleteQueueKeys(prefix);
});

describe('author.avatar in the thread', () => {
  it('is our own identicon, the same for one email, another for another, and the URL holds no trace of the email', async () => {
    const a1 = await comment('plain', 'Ann', 'ann.smith@example.org', 'First');
    const a2 = await comment('plain', 'Ann again', 'Ann.Smith@example.org', 'Second');
    const b = await comment('plain', 'Bob', 'bob@example.org', 'Third');
    const urls = await avatars('plain');
    const url = urls.get(a1) as string;
    expect(url).toMatch(new RegExp(`^${api.url}/avatars/[0-9a-f]{32}\\.svg$`));
    expect(urls.get(a2)).toBe(url);
    expect(urls.get(b)).not.toBe(url);
    const email = 'ann.smith@example.org';
    for (const trace of ['ann', 'example', sha256(email).slice(0, 12), md5(email).slice(0, 12)])
      expect(url.slice(api.url.length)).not.toContain(trace);
  });

  it('for a guest without an email, is drawn from the name', async () => {
    const c1 = await comment('plain', 'Nameonly', '', 'No email here');
    const c2 = await comment('plain', 'Nameonly', '', 'Nor here');
    const c3 = await comment('plain', 'Someone else', '', 'Nor here either');
    const urls = await avatars('plain');
    expect(urls.get(c1)).toMatch(/\/avatars\/[0-9a-f]{32}\.svg$/);
    expect(urls.get(c2)).toBe(urls.get(c1));
    expect(urls.get(c3)).not.toBe(urls.get(c1));
  });

  it('is never Gravatar’s for a guest, whose email is typed (a signed-in reader’s is: tests/unit/avatar-url)', async () => {
    const g = await comment('grav', 'Gina', ' Gina@Example.org', 'Gravatar please');
    const none = await comment('grav', 'Nomail', '', 'No email, no Gravatar');
    const urls = await avatars('grav');
    // Anyone may type gina@example.org: her Gravatar face is not theirs to wear.
    expect(urls.get(g)).toMatch(new RegExp(`^${api.url}/avatars/[0-9a-f]{32}\\.svg$`));
    expect(urls.get(g)).not.toContain(sha256('gina@example.org'));
    expect(urls.get(none)).toMatch(new RegExp(`^${api.url}/avatars/[0-9a-f]{32}\\.svg$`));
    // Off again: the next read of the same, unchanged thread is ours again (the setting is part of the cache key).
    await updateSite(db.pool, 'grav', { settings: { gravatar: false } });
    await api.sites.refresh();
    const after = await avatars('grav');
    expect(after.get(g)).toMatch(new RegExp(`^${api.url}/avatars/[0-9a-f]{32}\\.svg$`));
    expect([...after.values()].some((u) => u.includes('gravatar'))).toBe(false);
  });
});

describe('GET /avatars/<hash>.svg', () => {
  it('answers a valid SVG of rectangles only, the same bytes every time, as image/svg+xml cached for a year', async () => {
    const id = await comment('plain', 'Svg', 'svg@example.org', 'Picture');
    const url = (await avatars('plain')).get(id) as string;
    const first = await fetch(url);
    expect(first.status).toBe(200);
    expect(first.headers.get('content-type')).toMatch(/^image\/svg\+xml/);
    expect(first.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
    const svg = await first.text();
    expect(await (await fetch(url)).text()).toBe(svg);
    const elements = elementsOf(svg);
    expect(elements[0]).toBe('svg');
    expect(new Set(elements)).toEqual(new Set(['svg', 'rect', 'path']));
    expect(svg).not.toMatch(/script|href|on\w+=|url\(/i);
    const other = await (await fetch(`${api.url}/avatars/${'0123456789abcdef'.repeat(2)}.svg`)).text();
    expect(other).not.toBe(svg);
  });

  it.each([
    ['a short hash', 'abc.svg'],
    ['upper-case hex', `${'ABCDEF0123456789'.repeat(2)}.svg`],
    ['another extension', `${'0123456789abcdef'.repeat(2)}.png`],
    ['a path', '..%2Fetc%2Fpasswd'],
  ])('is a 404 with error JSON for %s', async (_what, file) => {
    const res = await fetch(`${api.url}/avatars/${file}`);
    expect(res.status).toBe(404);
    expect(((await res.json()) as { error: { code: string } }).error.code).toBe('NOT_FOUND');
  });
});
