import { get } from 'node:http';
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

// The whole pipeline through HTTP: API on port 0, a real BullMQ worker, this file's own database and
// queue prefix.
let db: TestDatabase;
let api: TestApi;
let worker: { close(): Promise<void> };
const prefix = newQueuePrefix();
let n = 0;

/** A valid comment from a new author (distinct email), so flood and duplicate rules stay quiet. */
function comment(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  n += 1;
  return {
    site: 'open',
    page: 'post-1',
    author: `Reader ${n}`,
    email: `reader${n}@example.org`,
    body: `Comment number ${n}`,
    ...overrides,
  };
}

async function submit(body: Record<string, unknown>, headers: Record<string, string> = {}): Promise<string> {
  const res = await postJson(api, body, { origin: api.origin, ...headers });
  expect(res.status, await res.clone().text()).toBe(202);
  const json = (await res.json()) as { id: string; status: string; statusUrl: string };
  expect(json.status).toBe('queued');
  expect(json.statusUrl).toBe(`${api.url}/api/comments/${json.id}`);
  return json.id;
}

async function listThread(
  site: string,
  page: string,
  query = '',
): Promise<{ comments: Record<string, unknown>[]; nextCursor: string | null }> {
  const res = await fetch(`${api.url}/api/comments?site=${site}&page=${encodeURIComponent(page)}${query}`);
  expect(res.status).toBe(200);
  return (await res.json()) as { comments: Record<string, unknown>[]; nextCursor: string | null };
}

beforeAll(async () => {
  db = await createTestDatabase();
  api = await startApi({ pool: db.pool, prefix });
  // "open": publishes what passes the checks; the flood rule is off so tests can post quickly.
  await addSite(db.pool, 'open', [api.origin], { holdFirstTime: false, floodSeconds: 0 });
  await addSite(db.pool, 'strict', [api.origin], {
    holdFirstTime: true,
    floodSeconds: 0,
    holdWords: ['casino'],
    spamWords: ['viagra'],
  });
  await addSite(db.pool, 'other', ['https://other.example'], { holdFirstTime: false, floodSeconds: 0 });
  worker = await startWorker({ pool: db.pool, prefix });
});

afterAll(async () => {
  await worker?.close();
  await api?.close();
  await db?.drop();
  await deleteQueueKeys(prefix);
});

describe('a valid reply', () => {
  it('is queued, published by the worker, listed on its page without the email, and counted', async () => {
    const id = await submit(
      comment({
        page: 'listed',
        author: 'Ann',
        email: 'ann@example.org',
        url: 'https://ann.example',
        body: 'Hello *world*',
      }),
    );
    const row = await waitForStored(db.pool, id);
    expect(row.status).toBe('approved');
    const thread = await listThread('open', 'listed');
    expect(thread.comments).toHaveLength(1);
    expect(thread.comments[0]).toMatchObject({
      id,
      parent: null,
      author: { name: 'Ann', verified: false },
      website: 'https://ann.example',
      html: '<p>Hello <em>world</em></p>',
    });
    expect(JSON.stringify(thread)).not.toContain('ann@example.org');
    const status = await (await fetch(`${api.url}/api/comments/${id}`)).json();
    expect(status).toMatchObject({ id, status: 'published', page: 'listed' });
    expect(JSON.stringify(status)).not.toContain('ann@example.org');
    const counts = await (await fetch(`${api.url}/api/counts?site=open&page=listed&page=never-commented`)).json();
    expect(counts).toEqual({ site: 'open', counts: { listed: 1, 'never-commented': 0 } });
  });

  it('threads a reply under an approved parent, one level deeper', async () => {
    const parent = await submit(comment({ page: 'threaded' }));
    await waitForStored(db.pool, parent);
    const reply = await submit(comment({ page: 'threaded', parent }));
    const row = await waitForStored(db.pool, reply);
    expect(row).toMatchObject({ status: 'approved', parent_id: parent, depth: 1 });
    const thread = await listThread('open', 'threaded');
    expect(thread.comments.map((c) => c.parent)).toEqual([null, parent]);
  });

  it('is answered with an ETag, and a repeat with If-None-Match gets 304', async () => {
    const id = await submit(comment({ page: 'etag' }));
    await waitForStored(db.pool, id);
    const first = await fetch(`${api.url}/api/comments?site=open&page=etag`);
    const etag = first.headers.get('etag');
    expect(etag).toBeTruthy();
    // node:http, not fetch: fetch adds "Cache-Control: no-cache", which rightly forbids a 304.
    const status = await new Promise<number | undefined>((resolve, reject) => {
      get(`${api.url}/api/comments?site=open&page=etag`, { headers: { 'if-none-match': etag! } }, (res) => {
        res.resume();
        resolve(res.statusCode);
      }).on('error', reject);
    });
    expect(status).toBe(304);
  });

  it('pages through a long thread with a cursor, oldest first, with no gaps or repeats', async () => {
    const ids: string[] = [];
    for (let i = 0; i < 7; i++) ids.push(await submit(comment({ page: 'long' })));
    for (const id of ids) await waitForStored(db.pool, id);
    const seen: unknown[] = [];
    let cursor: string | null = null;
    do {
      const page: { comments: Record<string, unknown>[]; nextCursor: string | null } = await listThread(
        'open',
        'long',
        `&limit=3${cursor ? `&cursor=${cursor}` : ''}`,
      );
      expect(page.comments.length).toBeLessThanOrEqual(3);
      seen.push(...page.comments.map((c) => c.id));
      cursor = page.nextCursor;
    } while (cursor !== null);
    expect(seen).toEqual(ids);
  });
});

describe('intake validation', () => {
  it.each([
    ['a missing name', { author: '' }, 'author', 'REQUIRED'],
    ['a missing email', { email: '' }, 'email', 'REQUIRED'],
    ['an invalid email', { email: 'not-an-email' }, 'email', 'INVALID_EMAIL'],
    ['an empty comment', { body: '   ' }, 'body', 'REQUIRED'],
    ['a javascript: website', { url: 'javascript:alert(1)' }, 'url', 'INVALID_URL'],
    ['a name over 245 bytes', { author: 'é'.repeat(123) }, 'author', 'TOO_LONG'],
    ['a comment over 65525 bytes', { body: 'x'.repeat(65_526) }, 'body', 'TOO_LONG'],
    ['a NUL byte in the comment', { body: 'a\u0000b' }, 'body', 'INVALID_CHARACTERS'],
  ])('%s gets 422 at once with the field named, and nothing is queued', async (_name, change, field, code) => {
    const before = await api.queue.count();
    const res = await postJson(api, comment(change), { origin: api.origin });
    expect(res.status).toBe(422);
    const body = (await res.json()) as { error: { code: string; field: string; message: string } };
    expect(body.error).toMatchObject({ code, field });
    expect(body.error.message.length).toBeGreaterThan(5);
    expect(await api.queue.count()).toBe(before);
  });

  it('reports every field problem at once', async () => {
    const res = await postJson(api, comment({ author: '', email: 'bad', body: '' }), { origin: api.origin });
    const body = (await res.json()) as { error: { errors: { field: string }[] } };
    expect(body.error.errors.map((e) => e.field).sort()).toEqual(['author', 'body', 'email']);
  });

  it.each([
    [
      'wrong type',
      { 'content-type': 'application/json' },
      JSON.stringify({ site: 'open', page: 'p', body: 42 }),
      400,
      'INVALID_TYPE',
    ],
    ['malformed JSON', { 'content-type': 'application/json' }, '{"site": "open",', 400, 'INVALID_JSON'],
    ['a JSON array', { 'content-type': 'application/json' }, '[1,2]', 400, 'INVALID_BODY'],
    ['text/plain', { 'content-type': 'text/plain' }, 'hello', 415, 'UNSUPPORTED_MEDIA_TYPE'],
    [
      'gzip-encoded',
      { 'content-type': 'application/json', 'content-encoding': 'gzip' },
      'xx',
      415,
      'UNSUPPORTED_ENCODING',
    ],
    [
      'a body over the limit',
      { 'content-type': 'application/json' },
      JSON.stringify({ site: 'open', body: 'x'.repeat(600_000) }),
      413,
      'PAYLOAD_TOO_LARGE',
    ],
  ])('%s gets %i with a JSON error', async (_name, headers, payload, status, code) => {
    const res = await fetch(`${api.url}/api/comments`, {
      method: 'POST',
      headers: { origin: api.origin, ...headers },
      body: payload,
    });
    expect(res.status).toBe(status);
    expect(((await res.json()) as { error: { code: string } }).error.code).toBe(code);
  });

  it('refuses invalid UTF-8 instead of storing replacement characters', async () => {
    const bytes = Buffer.concat([
      Buffer.from('{"site":"open","page":"p","author":"A","email":"a@b.co","body":"'),
      Buffer.from([0xc3, 0x28]),
      Buffer.from('"}'),
    ]);
    const res = await fetch(`${api.url}/api/comments`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', origin: api.origin },
      body: bytes,
    });
    expect(res.status).toBe(400);
    expect(((await res.json()) as { error: { code: string } }).error.code).toBe('INVALID_ENCODING');
  });

  it('ignores server-owned fields in the body (status, id, ip)', async () => {
    const res = await postJson(
      api,
      {
        ...comment({ page: 'mass', body: 'Approve me?' }),
        status: 'approved',
        id: '00000000-0000-4000-8000-000000000000',
        ip: '1.2.3.4',
      },
      { origin: api.origin },
    );
    const { id } = (await res.json()) as { id: string };
    expect(id).not.toBe('00000000-0000-4000-8000-000000000000');
    await waitForStored(db.pool, id);
    const { rows } = await db.pool.query('select host(ip) as ip from comments where id = $1', [id]);
    expect(rows[0].ip).toBe('127.0.0.1');
  });
});

describe('sites and origins', () => {
  it('refuses an unknown site with 403', async () => {
    const res = await postJson(api, comment({ site: 'nope' }), { origin: api.origin });
    expect(res.status).toBe(403);
    expect(((await res.json()) as { error: { code: string } }).error.code).toBe('UNKNOWN_SITE');
  });

  it.each([
    ['a foreign origin', 'https://evil.example'],
    ['the null origin', 'null'],
  ])('refuses %s with 403', async (_n, origin) => {
    const res = await postJson(api, comment(), { origin });
    expect(res.status).toBe(403);
    expect(((await res.json()) as { error: { code: string } }).error.code).toBe('ORIGIN_NOT_ALLOWED');
  });

  it("refuses a site's comment from another site's origin, and lets the site's own origin in with CORS", async () => {
    expect((await postJson(api, comment({ site: 'other' }), { origin: api.origin })).status).toBe(403);
    const ok = await postJson(api, comment({ site: 'other' }), { origin: 'https://other.example' });
    expect(ok.status).toBe(202);
    expect(ok.headers.get('access-control-allow-origin')).toBe('https://other.example');
    const preflight = await fetch(`${api.url}/api/comments`, {
      method: 'OPTIONS',
      headers: {
        origin: 'https://other.example',
        'access-control-request-method': 'POST',
        'access-control-request-headers': 'content-type',
      },
    });
    expect(preflight.status).toBe(204);
    expect(preflight.headers.get('access-control-allow-origin')).toBe('https://other.example');
    const foreign = await fetch(`${api.url}/api/comments`, {
      method: 'OPTIONS',
      headers: { origin: 'https://evil.example', 'access-control-request-method': 'POST' },
    });
    expect(foreign.headers.get('access-control-allow-origin')).toBeNull();
  });
});

describe('the worker is the authority', () => {
  it('honours a site setting changed between submit and check', async () => {
    await addSite(db.pool, 'changing', [api.origin], { requireName: false, holdFirstTime: false });
    await worker.close(); // hold the job in the queue while the setting changes
    let restarted = false;
    try {
      const res = await postJson(
        api,
        { site: 'changing', page: 'p', email: 'nameless@example.org', body: 'No name given' },
        { origin: api.origin },
      );
      expect(res.status).toBe(202);
      const { id } = (await res.json()) as { id: string };
      await updateSite(db.pool, 'changing', { settings: { requireName: true } });
      worker = await startWorker({ pool: db.pool, prefix });
      restarted = true;
      const row = await waitForStored(db.pool, id);
      expect(row.status).toBe('rejected');
      expect(row.verdict.reasons.map((r) => r.code)).toContain('REQUIRED');
      const status = (await (await fetch(`${api.url}/api/comments/${id}`)).json()) as {
        status: string;
        errors: { field: string }[];
      };
      expect(status.status).toBe('rejected');
      expect(status.errors.map((e) => e.field)).toContain('author');
    } finally {
      // Only if the test failed before restarting it: a second worker would leak, and later tests that
      // close "the" worker to hold a job in the queue would find it processed by the leaked one.
      if (!restarted) worker = await startWorker({ pool: db.pool, prefix });
    }
  });
});

describe('check rules end to end', () => {
  it('rejects an exact duplicate (same page, parent, author and text)', async () => {
    const c = comment({ page: 'dup', body: 'Same words twice' });
    const first = await submit(c);
    expect((await waitForStored(db.pool, first)).status).toBe('approved');
    const second = await submit(c);
    const row = await waitForStored(db.pool, second);
    expect(row.status).toBe('rejected');
    expect(row.verdict.reasons[0]?.code).toBe('DUPLICATE');
  });

  it('stores one live copy when the same text arrives many times at once (duplicate race)', async () => {
    const c = comment({ page: 'dup-race', body: 'Posted by a double-clicking reader' });
    const ids = await Promise.all(Array.from({ length: 8 }, () => submit(c)));
    const rows = await Promise.all(ids.map((id) => waitForStored(db.pool, id)));
    expect(rows.filter((r) => r.status === 'approved')).toHaveLength(1);
    expect(rows.filter((r) => r.status === 'rejected')).toHaveLength(7);
  });

  it('rejects a second comment from the same email within the flood window as too fast', async () => {
    await addSite(db.pool, 'floody', [api.origin], { holdFirstTime: false, floodSeconds: 15 });
    const first = await submit({ site: 'floody', page: 'p', author: 'Fast', email: 'fast@example.org', body: 'one' });
    expect((await waitForStored(db.pool, first)).status).toBe('approved');
    const second = await submit({ site: 'floody', page: 'p2', author: 'Fast', email: 'fast@example.org', body: 'two' });
    const row = await waitForStored(db.pool, second);
    expect(row.status).toBe('rejected');
    expect(row.verdict.reasons.map((r) => r.code)).toEqual(['TOO_FAST']);
  });

  it('holds a reply with two links and does not list it', async () => {
    const id = await submit(comment({ page: 'links', body: 'See https://a.example and https://b.example' }));
    const row = await waitForStored(db.pool, id);
    expect(row.status).toBe('pending');
    expect(row.verdict.reasons.map((r) => r.code)).toEqual(['TOO_MANY_LINKS']);
    expect((await listThread('open', 'links')).comments).toHaveLength(0);
    const status = (await (await fetch(`${api.url}/api/comments/${id}`)).json()) as { status: string };
    expect(status.status).toBe('held');
  });

  it('holds a first-time author, with every reason listed, and publishes them once one is approved', async () => {
    const id = await submit({
      site: 'strict',
      page: 'p',
      author: 'New',
      email: 'new@example.org',
      body: 'Visit my casino https://x.example https://y.example',
    });
    const row = await waitForStored(db.pool, id);
    expect(row.status).toBe('pending');
    expect(row.verdict.reasons.map((r) => r.code)).toEqual(['HOLD_WORD', 'TOO_MANY_LINKS', 'FIRST_COMMENT']);
    await db.pool.query(`update comments set status = 'approved' where id = $1`, [id]);
    const next = await submit({
      site: 'strict',
      page: 'p',
      author: 'New',
      email: 'new@example.org',
      body: 'Thanks for having me',
    });
    expect((await waitForStored(db.pool, next)).status).toBe('approved');
  });

  it('marks spam words (through look-alike letters and zero-width characters) as spam', async () => {
    const id = await submit({
      site: 'strict',
      page: 'p',
      author: 'Bot',
      email: 'bot@example.org',
      body: 'Cheap ＶＩＡ\u200BＧＲＡ here',
    });
    const row = await waitForStored(db.pool, id);
    expect(row.status).toBe('spam');
    expect(row.verdict.reasons[0]?.code).toBe('SPAM_WORD');
  });

  it('marks a filled honeypot as spam', async () => {
    const id = await submit(comment({ page: 'hp', honeypot: 'http://bot.example' }));
    expect((await waitForStored(db.pool, id)).status).toBe('spam');
  });

  it('refuses replies to unknown, unapproved and other-page parents, and past the depth limit', async () => {
    await addSite(db.pool, 'shallow', [api.origin], { holdFirstTime: false, floodSeconds: 0, maxDepth: 2 });
    const top = await submit(comment({ site: 'shallow', page: 'a' }));
    await waitForStored(db.pool, top);
    const held = await submit(
      comment({ site: 'shallow', page: 'a', body: 'two links https://a.example https://b.example' }),
    );
    await waitForStored(db.pool, held);
    const cases: [Record<string, unknown>, string][] = [
      [{ parent: '00000000-0000-4000-8000-000000000000' }, 'PARENT_NOT_FOUND'],
      [{ parent: held }, 'PARENT_NOT_APPROVED'],
      [{ parent: top, page: 'b' }, 'PARENT_NOT_FOUND'],
    ];
    for (const [change, code] of cases) {
      const id = await submit(comment({ site: 'shallow', page: 'a', ...change }));
      const row = await waitForStored(db.pool, id);
      expect(row.status).toBe('rejected');
      expect(row.verdict.reasons.map((r) => r.code)).toContain(code);
    }
    const level2 = await submit(comment({ site: 'shallow', page: 'a', parent: top }));
    expect((await waitForStored(db.pool, level2)).status).toBe('approved');
    const level3 = await submit(comment({ site: 'shallow', page: 'a', parent: level2 }));
    const row = await waitForStored(db.pool, level3);
    expect(row.status).toBe('rejected');
    expect(row.verdict.reasons.map((r) => r.code)).toContain('TOO_DEEP');
  });

  it('refuses comments on a closed page', async () => {
    const first = await submit(comment({ page: 'closing' }));
    await waitForStored(db.pool, first);
    await db.pool.query(`update pages set closed = true where site_id = 'open' and identifier = 'closing'`);
    const id = await submit(comment({ page: 'closing' }));
    const row = await waitForStored(db.pool, id);
    expect(row.status).toBe('rejected');
    expect(row.verdict.reasons[0]?.code).toBe('THREAD_CLOSED');
  });
});

describe('reader text is stored as written and rendered inert', () => {
  it.each([
    '<script>alert(1)</script>',
    '<img src=x onerror=alert(1)>',
    '<svg onload=alert(1)>',
    '[click](javascript:alert(1))',
    '[click](JaVaScRiPt:alert(1))',
    '[click](javascript&#58;alert(1))',
    '[x](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)',
    '<a href="https://ok.example" onclick="alert(1)">x</a>',
    '[a](https://ok.example "title\\" onmouseover=\\"alert(1)")',
    '<noscript><p title="</noscript><img src=x onerror=alert(1)>">',
  ])('%s', async (payload) => {
    const id = await submit(comment({ page: 'xss', body: payload }));
    const row = await waitForStored(db.pool, id);
    const { rows } = await db.pool.query('select body from comments where id = $1', [id]);
    expect(rows[0].body).toBe(payload);
    const html = row.body_html;
    // Inert: only allow-listed tags, no event-handler attributes, only web and mail links.
    for (const tag of html.matchAll(/<\/?([a-z0-9]+)([^>]*)>/gi)) {
      expect(['p', 'br', 'em', 'strong', 'a', 'blockquote', 'code', 'pre', 'ul', 'ol', 'li']).toContain(
        tag[1]!.toLowerCase(),
      );
      expect(tag[2]).not.toMatch(/\son\w+\s*=/i);
      const href = /\shref="([^"]*)"/.exec(tag[2] ?? '');
      if (href) expect(href[1]).toMatch(/^(https?:|mailto:)/);
    }
  });

  it('gives reader links rel="nofollow ugc noopener"', async () => {
    const id = await submit(comment({ page: 'rel', body: 'see [docs](https://docs.example/x)' }));
    const row = await waitForStored(db.pool, id);
    expect(row.body_html).toBe('<p>see <a href="https://docs.example/x" rel="nofollow ugc noopener">docs</a></p>');
  });
});

describe('idempotency', () => {
  it('answers the same id for the same key twice and stores one comment', async () => {
    const c = comment({ page: 'idem', key: 'client-key-1' });
    const first = await submit(c);
    const second = await submit(c);
    expect(second).toBe(first);
    await waitForStored(db.pool, first);
    const third = await submit({ ...c, body: 'a retry after the first was stored' });
    expect(third).toBe(first);
    await new Promise((r) => setTimeout(r, 300));
    const { rows } = await db.pool.query(
      `select count(*)::int as n from comments where idempotency_key = 'client-key-1'`,
    );
    expect(rows[0].n).toBe(1);
  });

  it('gives the same key on two sites two different comments', async () => {
    const a = await submit(comment({ key: 'shared-key' }));
    const b = await submit(comment({ site: 'other', key: 'shared-key' }), { origin: 'https://other.example' });
    expect(a).not.toBe(b);
  });
});

describe('status endpoint', () => {
  it('says queued before the worker runs, and 404 for an unknown id', async () => {
    await worker.close();
    try {
      const id = await submit(comment({ page: 'status' }));
      const res = await fetch(`${api.url}/api/comments/${id}`);
      expect(await res.json()).toEqual({ id, status: 'queued' });
    } finally {
      worker = await startWorker({ pool: db.pool, prefix });
    }
    expect((await fetch(`${api.url}/api/comments/00000000-0000-4000-8000-000000000000`)).status).toBe(404);
    expect((await fetch(`${api.url}/api/comments/not-a-uuid`)).status).toBe(404);
  });
});

describe('the classic HTML form post', () => {
  async function postForm(fields: Record<string, string>, headers: Record<string, string> = {}): Promise<Response> {
    return fetch(`${api.url}/api/comments`, {
      method: 'POST',
      redirect: 'manual',
      headers: { 'content-type': 'application/x-www-form-urlencoded', origin: api.origin, ...headers },
      body: new URLSearchParams(fields).toString(),
    });
  }

  it('redirects back to the page (303) and the reply appears on the demo page', async () => {
    await addSite(db.pool, 'demo', [api.origin], { holdFirstTime: false, floodSeconds: 0 });
    const res = await postForm({
      site: 'demo',
      comment_post_ID: 'demo-article',
      comment_parent: '0',
      author: 'Form Fan',
      email: 'form@example.org',
      url: '',
      comment: 'Posted **without** JavaScript',
      redirect_to: '/',
      submit: 'Post Comment',
    });
    expect(res.status).toBe(303);
    const location = res.headers.get('location')!;
    const match = /^\/\?rd_comment=([0-9a-f-]{36})#comment-\1$/.exec(location);
    expect(match, location).not.toBeNull();
    await waitForStored(db.pool, match![1]!);
    const page = await (await fetch(`${api.url}${location}`)).text();
    expect(page).toContain('Form Fan');
    expect(page).toContain('<p>Posted <strong>without</strong> JavaScript</p>');
    expect(page).toContain(`id="comment-${match![1]}"`);
    expect(page).not.toContain('form@example.org');
  });

  it('answers bad input with a readable HTML error page, not JSON', async () => {
    const res = await postForm({
      site: 'demo',
      comment_post_ID: 'demo-article',
      author: '',
      email: 'x',
      comment: 'hi',
      redirect_to: '/',
    });
    expect(res.status).toBe(422);
    expect(res.headers.get('content-type')).toContain('text/html');
    const text = await res.text();
    expect(text).toContain('Comment Submission Failure');
    expect(text).toContain('Please fill in your name.');
    expect(text).toContain('href="/"');
    expect(text).not.toMatch(/at .*\.ts:\d+/);
  });

  it('never redirects off the site: a foreign redirect_to falls back to the referer on the site', async () => {
    const res = await postForm(
      {
        site: 'demo',
        comment_post_ID: 'demo-article',
        author: 'R',
        email: 'r@example.org',
        comment: 'Where do I go?',
        redirect_to: 'https://evil.example/',
      },
      { referer: `${api.origin}/some/article` },
    );
    expect(res.status).toBe(303);
    expect(res.headers.get('location')).toMatch(new RegExp(`^${api.origin}/some/article\\?rd_comment=`));
    const res2 = await postForm({
      site: 'demo',
      comment_post_ID: 'demo-article',
      author: 'R2',
      email: 'r2@example.org',
      comment: 'And now?',
      redirect_to: '//evil.example/x',
    });
    expect(res2.headers.get('location')).not.toContain('evil.example');
  });
});

describe('health', () => {
  it('/healthz and /readyz answer 200 when Postgres and Redis are up', async () => {
    expect((await fetch(`${api.url}/healthz`)).status).toBe(200);
    const ready = await fetch(`${api.url}/readyz`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toEqual({ status: 'ok', postgres: 'ok', redis: 'ok' });
  });

  it('unknown routes get a JSON 404', async () => {
    const res = await fetch(`${api.url}/api/nothing`);
    expect(res.status).toBe(404);
    expect(((await res.json()) as { error: { code: string } }).error.code).toBe('NOT_FOUND');
  });
});
