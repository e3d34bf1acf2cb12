import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PREVIEW_LIMIT } from '../../src/flood/preview-throttle.js';
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

// POST /api/preview against real Postgres, Redis and a worker: the preview is the HTML the worker
// publishes for the same text, checked as a comment's body is, limited per network. The API believes
// X-Forwarded-For from loopback, so each request can come from another reader's address.
let db: TestDatabase;
let api: TestApi;
let worker: { close(): Promise<void> };
const prefix = newQueuePrefix();
const otherOrigin = 'https://elsewhere.example';

function preview(body: unknown, opts: { ip?: string; origin?: string | null; type?: string } = {}): Promise<Response> {
  return fetch(`${api.url}/api/preview`, {
    method: 'POST',
    headers: {
      'content-type': opts.type ?? 'application/json',
      'x-forwarded-for': opts.ip ?? '198.51.100.7',
      ...(opts.origin === null ? {} : { origin: opts.origin ?? api.origin }),
    },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
}

beforeAll(async () => {
  db = await createTestDatabase();
  api = await startApi({ pool: db.pool, prefix, trustProxy: 'loopback' });
  worker = await startWorker({ pool: db.pool, prefix });
  await addSite(db.pool, 'news', [api.origin, 'https://news.example'], {
    holdFirstTime: false,
    floodSeconds: 0,
    holdLinks: 0,
  });
});

afterAll(async () => {
  await worker?.close();
  await api?.close();
  await db?.drop();
  await deleteQueueKeys(prefix);
});

describe('POST /api/preview', () => {
  it('answers the very HTML the worker publishes for the same text', async () => {
    const text = '**Bold** and _soft_, a [link](https://example.org/a) and `code`\n\n> quoted\n\n- one\n- two';
    const res = await preview({ site: 'news', text }, { ip: '198.51.100.1' });
    expect(res.status).toBe(200);
    expect(res.headers.get('cache-control')).toBe('no-store');
    const { html } = (await res.json()) as { html: string };
    expect(html).toContain('<strong>Bold</strong>');
    expect(html).toContain('<a href="https://example.org/a" rel="nofollow ugc noopener">link</a>');

    const posted = await postJson(
      api,
      { site: 'news', page: 'p', author: 'Ann', email: 'ann@example.org', body: text },
      { origin: api.origin },
    );
    expect(posted.status).toBe(202);
    const { id } = (await posted.json()) as { id: string };
    expect((await waitForStored(db.pool, id)).status).toBe('approved');
    const { rows } = await db.pool.query<{ body_html: string }>('select body_html from comments where id = $1', [id]);
    expect(html).toBe(rows[0]?.body_html);
  });

  it('prints markup that would run as text: no script tag, no event attribute, no javascript: link', async () => {
    const text = '<script>alert(1)</script> <img src=x onerror="alert(2)"> [x](javascript:alert(3))';
    const res = await preview({ site: 'news', text }, { ip: '198.51.100.2' });
    const { html } = (await res.json()) as { html: string };
    expect(html).not.toMatch(/<script|<img|href="javascript/i);
    expect(html).toContain('&lt;script&gt;');
  });

  it.each([
    ['no site', { text: 'x' }, 400, 'REQUIRED', 'site'],
    ['a site that is not a string', { site: 7, text: 'x' }, 400, 'INVALID_TYPE', 'site'],
    ['an unknown site', { site: 'nope', text: 'x' }, 403, 'UNKNOWN_SITE', 'site'],
    ['no text', { site: 'news' }, 422, 'REQUIRED', 'text'],
    ['only whitespace', { site: 'news', text: ' \n\t ' }, 422, 'REQUIRED', 'text'],
    ['a text that is not a string', { site: 'news', text: ['x'] }, 400, 'INVALID_TYPE', 'text'],
    ['a text past a comment’s byte limit', { site: 'news', text: 'é'.repeat(32_763) }, 422, 'TOO_LONG', 'text'],
    ['a NUL in the text', { site: 'news', text: 'a\u0000b' }, 422, 'INVALID_CHARACTERS', 'text'],
  ])('refuses %s with error JSON', async (_what, body, status, code, field) => {
    const res = await preview(body, { ip: '198.51.100.3' });
    expect(res.status).toBe(status);
    const { error } = (await res.json()) as { error: { code: string; field?: string; message: string } };
    expect(error).toMatchObject({ code, field });
    expect(error.message).not.toBe('');
  });

  it('refuses a body that is not JSON, and a page of an origin the site does not list', async () => {
    const plain = await preview('site=news&text=x', { type: 'text/plain' });
    expect(plain.status).toBe(415);
    expect(((await plain.json()) as { error: { code: string } }).error.code).toBe('UNSUPPORTED_MEDIA_TYPE');
    const foreign = await preview({ site: 'news', text: 'x' }, { origin: otherOrigin });
    expect(foreign.status).toBe(403);
    expect(((await foreign.json()) as { error: { code: string } }).error.code).toBe('ORIGIN_NOT_ALLOWED');
  });

  it('answers a site origin’s CORS preflight and carries its CORS header', async () => {
    const pre = await fetch(`${api.url}/api/preview`, {
      method: 'OPTIONS',
      headers: {
        origin: 'https://news.example',
        'access-control-request-method': 'POST',
        'access-control-request-headers': 'content-type',
      },
    });
    expect(pre.status).toBe(204);
    expect(pre.headers.get('access-control-allow-origin')).toBe('https://news.example');
    const res = await preview({ site: 'news', text: 'hi' }, { origin: 'https://news.example', ip: '198.51.100.4' });
    expect(res.headers.get('access-control-allow-origin')).toBe('https://news.example');
  });

  it(`refuses the ${PREVIEW_LIMIT + 1}th preview of a minute from one IPv6 /64 with 429 and Retry-After; another network goes on`, async () => {
    for (let i = 0; i < PREVIEW_LIMIT; i += 1) {
      const res = await preview({ site: 'news', text: `try ${i}` }, { ip: `2001:db8:5:6::${(i + 1).toString(16)}` });
      expect(res.status).toBe(200);
    }
    const over = await preview({ site: 'news', text: 'one more' }, { ip: '2001:db8:5:6:ffff::1' });
    expect(over.status).toBe(429);
    expect(Number(over.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(((await over.json()) as { error: { code: string } }).error.code).toBe('RATE_LIMITED');
    const other = await preview({ site: 'news', text: 'elsewhere' }, { ip: '2001:db8:5:7::1' });
    expect(other.status).toBe(200);
  });
});
