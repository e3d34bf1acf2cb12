import { connect } from 'node:net';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  addSite,
  deleteQueueKeys,
  newQueuePrefix,
  startApi,
  startWorker,
  waitForStored,
  type TestApi,
} from '../support/harness.js';
import { createTestDatabase, type TestDatabase } from '../support/test-db.js';

/*
 * Hostile requests against the public API and the form endpoint. Each names its expected status and,
 * when it is accepted, what is stored: nothing here may give a 500 or a stack trace, nothing stored may
 * render active, and the process stays healthy throughout.
 */
let db: TestDatabase;
let api: TestApi;
let worker: { close(): Promise<void> };
const prefix = newQueuePrefix();
let otherSiteComment = '';
let n = 0;

interface Sent {
  res: Response;
  text: string;
}

type Case = {
  name: string;
  send: () => Promise<Sent>;
  status: number;
  code?: string;
  /** For 202s: the stored status the worker must give it. */
  stored?: 'approved' | 'pending' | 'spam' | 'rejected';
  /** For 202s: what the stored row must satisfy beyond being inert. */
  check?: (row: {
    body: string;
    author_name: string;
    author_url: string;
    body_html: string;
    status: string;
    verdict: { reasons: { code: string }[] };
  }) => void;
};

function valid(extra: Record<string, unknown> = {}): Record<string, unknown> {
  n += 1;
  return {
    site: 'hostile',
    page: 'p',
    author: `Tester ${n}`,
    email: `t${n}@example.org`,
    body: `Plain comment ${n}`,
    ...extra,
  };
}

async function send(
  body: string | Buffer | Uint8Array,
  headers: Record<string, string>,
  path = '/api/comments',
  method = 'POST',
): Promise<Sent> {
  const res = await fetch(`${api.url}${path}`, {
    method,
    redirect: 'manual',
    headers: { origin: api.origin, ...headers },
    body: method === 'GET' ? undefined : body,
  });
  return { res, text: await res.text() };
}
const json = (payload: unknown, headers: Record<string, string> = {}) =>
  send(typeof payload === 'string' ? payload : JSON.stringify(payload), {
    'content-type': 'application/json',
    ...headers,
  });
const form = (fields: Record<string, string> | string, headers: Record<string, string> = {}) =>
  send(typeof fields === 'string' ? fields : new URLSearchParams(fields).toString(), {
    'content-type': 'application/x-www-form-urlencoded',
    ...headers,
  });
const formFields = (extra: Record<string, string> = {}): Record<string, string> => {
  n += 1;
  return {
    site: 'hostile',
    comment_post_ID: 'p',
    author: `Former ${n}`,
    email: `f${n}@example.org`,
    comment: `Form comment ${n}`,
    ...extra,
  };
};

const nested = (depth: number) => '['.repeat(depth) + ']'.repeat(depth);

const cases: Case[] = [
  // Size and shape
  {
    name: 'a 600 KB JSON body',
    send: () => json(valid({ body: 'x'.repeat(600_000) })),
    status: 413,
    code: 'PAYLOAD_TOO_LARGE',
  },
  { name: 'a 600 KB form body', send: () => form(formFields({ comment: 'x'.repeat(600_000) })), status: 413 },
  { name: 'a JSON array nested 50,000 deep', send: () => json(nested(50_000)), status: 400, code: 'INVALID_BODY' },
  {
    name: 'a comment that is a deeply nested object',
    send: () => json(`{"site":"hostile","page":"p","body":${'{"a":'.repeat(5000)}1${'}'.repeat(5000)}}`),
    status: 400,
    code: 'INVALID_TYPE',
  },
  { name: 'a JSON string, not an object', send: () => json('"hello"'), status: 400 },
  { name: 'JSON null', send: () => json('null'), status: 400 },
  { name: 'an empty JSON body', send: () => json(''), status: 400 },
  {
    name: 'a body with 20,000 unknown keys',
    send: () => json({ ...Object.fromEntries(Array.from({ length: 20_000 }, (_, i) => [`k${i}`, i])), ...valid() }),
    status: 202,
    stored: 'approved',
  },
  // Content types, charsets, encodings
  {
    name: 'text/plain',
    send: () => send(JSON.stringify(valid()), { 'content-type': 'text/plain' }),
    status: 415,
    code: 'UNSUPPORTED_MEDIA_TYPE',
  },
  { name: 'application/xml', send: () => send('<comment/>', { 'content-type': 'application/xml' }), status: 415 },
  {
    name: 'multipart/form-data',
    send: () => send('--x\r\n\r\n--x--', { 'content-type': 'multipart/form-data; boundary=x' }),
    status: 415,
  },
  { name: 'no content type', send: () => send(JSON.stringify(valid()), {}), status: 415 },
  {
    name: 'JSON in latin1',
    send: () => send(JSON.stringify(valid()), { 'content-type': 'application/json; charset=latin1' }),
    status: 415,
    code: 'UNSUPPORTED_CHARSET',
  },
  {
    name: 'JSON in UTF-16',
    send: () =>
      send(Buffer.from(JSON.stringify(valid()), 'utf16le'), { 'content-type': 'application/json; charset=utf-16le' }),
    status: 415,
    code: 'UNSUPPORTED_CHARSET',
  },
  {
    name: 'a form in ISO-8859-1',
    send: () => form(formFields(), { 'content-type': 'application/x-www-form-urlencoded; charset=iso-8859-1' }),
    status: 415,
  },
  {
    name: 'a gzip bomb (10 MB of zeros)',
    send: () =>
      send(gzipSync(Buffer.alloc(10_000_000)), { 'content-type': 'application/json', 'content-encoding': 'gzip' }),
    status: 415,
    code: 'UNSUPPORTED_ENCODING',
  },
  {
    name: 'deflate-encoded JSON',
    send: () => send(Buffer.from('xx'), { 'content-type': 'application/json', 'content-encoding': 'deflate' }),
    status: 415,
  },
  {
    name: 'invalid UTF-8 bytes',
    send: () =>
      send(Buffer.concat([Buffer.from('{"site":"hostile","body":"'), Buffer.from([0xff, 0xfe]), Buffer.from('"}')]), {
        'content-type': 'application/json',
      }),
    status: 400,
    code: 'INVALID_ENCODING',
  },
  {
    name: 'an overlong UTF-8 encoding of "/"',
    send: () =>
      send(Buffer.concat([Buffer.from('{"site":"hostile","body":"'), Buffer.from([0xc0, 0xaf]), Buffer.from('"}')]), {
        'content-type': 'application/json',
      }),
    status: 400,
    code: 'INVALID_ENCODING',
  },
  {
    name: 'a UTF-8-encoded surrogate',
    send: () =>
      send(
        Buffer.concat([Buffer.from('{"site":"hostile","body":"'), Buffer.from([0xed, 0xa0, 0x80]), Buffer.from('"}')]),
        { 'content-type': 'application/json' },
      ),
    status: 400,
    code: 'INVALID_ENCODING',
  },
  {
    name: 'a form with %FF (invalid UTF-8 escape)',
    send: () => form('site=hostile&comment_post_ID=p&author=a&email=a%40b.co&comment=%FF'),
    status: 400,
  },
  // Characters
  {
    name: 'a lone surrogate in the comment',
    send: () => json('{"site":"hostile","page":"p","author":"A","email":"a@b.co","body":"x\\ud800y"}'),
    status: 422,
    code: 'INVALID_CHARACTERS',
  },
  {
    name: 'a lone low surrogate in the name',
    send: () => json('{"site":"hostile","page":"p","author":"\\udc00","email":"a@b.co","body":"x"}'),
    status: 422,
    code: 'INVALID_CHARACTERS',
  },
  {
    name: 'a NUL byte in the comment',
    send: () => json(valid({ body: 'a\u0000b' })),
    status: 422,
    code: 'INVALID_CHARACTERS',
  },
  {
    name: 'a control character in the name',
    send: () => json(valid({ author: 'Bell\u0007' })),
    status: 422,
    code: 'INVALID_CHARACTERS',
  },
  {
    name: 'a right-to-left override in the name',
    send: () => json(valid({ author: 'evil\u202Egnp.exe' })),
    status: 422,
    code: 'INVALID_CHARACTERS',
  },
  {
    name: 'a zero-width space in the name',
    send: () => json(valid({ author: 'Adm\u200Bin' })),
    status: 422,
    code: 'INVALID_CHARACTERS',
  },
  {
    name: 'a byte-order mark inside the name',
    send: () => json(valid({ author: 'Ad\uFEFFmin' })),
    status: 422,
    code: 'INVALID_CHARACTERS',
  },
  {
    name: 'a byte-order mark before the name (trimmed away)',
    send: () => json(valid({ author: '\uFEFFAdmin Two' })),
    status: 202,
    stored: 'approved',
    check: (r) => expect(r.author_name).toBe('Admin Two'),
  },
  {
    name: 'a zero-width joiner in an emoji name (allowed)',
    send: () => json(valid({ author: 'Family 👨\u200D👩\u200D👧' })),
    status: 202,
    stored: 'approved',
  },
  {
    name: 'right-to-left text in the comment (allowed)',
    send: () => json(valid({ body: 'שלום עולם مرحبا' })),
    status: 202,
    stored: 'approved',
  },
  { name: 'a NUL in the page identifier', send: () => json(valid({ page: 'p\u0000' })), status: 422 },
  // Mass assignment and prototype keys
  {
    name: 'status, id, ip, site_id and received_at in the body',
    send: () =>
      json(
        valid({
          status: 'approved',
          id: '00000000-0000-4000-8000-000000000001',
          ip: '1.1.1.1',
          site_id: 'other',
          receivedAt: '2000-01-01T00:00:00Z',
          verdict: {},
          body: 'two links https://a.example https://b.example',
        }),
      ),
    status: 202,
    stored: 'pending',
  },
  {
    name: 'a __proto__ key',
    send: () => json(`{"__proto__":{"status":"approved","polluted":true},${JSON.stringify(valid()).slice(1)}`),
    status: 202,
    stored: 'approved',
  },
  {
    name: 'a constructor.prototype key',
    send: () => json(valid({ constructor: { prototype: { polluted: true } } })),
    status: 202,
    stored: 'approved',
  },
  {
    name: 'a form field named __proto__',
    send: () => form({ ...formFields(), __proto__x: '1', ['__proto__']: 'x' }),
    status: 303,
  },
  // Type confusion
  { name: 'the comment as a number', send: () => json(valid({ body: 42 })), status: 400, code: 'INVALID_TYPE' },
  { name: 'the comment as an array', send: () => json(valid({ body: ['a', 'b'] })), status: 400, code: 'INVALID_TYPE' },
  { name: 'the name as true', send: () => json(valid({ author: true })), status: 400, code: 'INVALID_TYPE' },
  {
    name: 'the site as an object',
    send: () => json(valid({ site: { $ne: null } })),
    status: 400,
    code: 'INVALID_TYPE',
  },
  { name: 'the parent as a number', send: () => json(valid({ parent: 1 })), status: 400, code: 'INVALID_TYPE' },
  { name: 'the key as an object', send: () => json(valid({ key: { a: 1 } })), status: 400, code: 'INVALID_TYPE' },
  {
    name: 'a repeated form field (array)',
    send: () => form('site=hostile&comment_post_ID=p&comment=a&comment=b&author=x&email=x%40y.co'),
    status: 400,
  },
  { name: 'the site missing', send: () => json({ page: 'p', body: 'x' }), status: 400, code: 'REQUIRED' },
  // Ids and parents
  {
    name: 'a huge numeric parent id',
    send: () => json(valid({ parent: '99999999999999999999999' })),
    status: 422,
    code: 'INVALID_PARENT',
  },
  { name: 'a negative parent id', send: () => json(valid({ parent: '-1' })), status: 422, code: 'INVALID_PARENT' },
  {
    name: 'a SQL injection as parent id',
    send: () => json(valid({ parent: "1' OR '1'='1" })),
    status: 422,
    code: 'INVALID_PARENT',
  },
  {
    name: "another site's comment as parent",
    send: () => json(valid({ parent: otherSiteComment })),
    status: 202,
    stored: 'rejected',
    check: (r) => expect(r.verdict.reasons.map((x) => x.code)).toContain('PARENT_NOT_FOUND'),
  },
  { name: 'a form with comment_parent=abc', send: () => form(formFields({ comment_parent: 'abc' })), status: 422 },
  {
    name: 'a page identifier of 5,000 bytes',
    send: () => json(valid({ page: 'p'.repeat(5000) })),
    status: 422,
    code: 'TOO_LONG',
  },
  {
    name: 'an idempotency key of 5,000 bytes',
    send: () => json(valid({ key: 'k'.repeat(5000) })),
    status: 422,
    code: 'TOO_LONG',
  },
  // Sites and origins
  { name: 'an unknown site', send: () => json(valid({ site: 'nope' })), status: 403, code: 'UNKNOWN_SITE' },
  {
    name: 'a path-traversal site id',
    send: () => json(valid({ site: '../../etc/passwd' })),
    status: 403,
    code: 'UNKNOWN_SITE',
  },
  {
    name: 'a foreign origin',
    send: () => json(valid(), { origin: 'https://evil.example' }),
    status: 403,
    code: 'ORIGIN_NOT_ALLOWED',
  },
  { name: 'the null origin', send: () => json(valid(), { origin: 'null' }), status: 403, code: 'ORIGIN_NOT_ALLOWED' },
  {
    name: 'the right origin with a trailing path',
    send: () => json(valid(), { origin: `${'http://127.0.0.1'}:1/` }),
    status: 403,
  },
  {
    name: 'a foreign origin on the form',
    send: () => form(formFields(), { origin: 'https://evil.example' }),
    status: 403,
  },
  // Websites
  {
    name: 'a javascript: website',
    send: () => json(valid({ url: 'javascript:alert(1)' })),
    status: 422,
    code: 'INVALID_URL',
  },
  {
    name: 'a JaVaScRiPt: website with spaces',
    send: () => json(valid({ url: '  JaVaScRiPt:alert(1)' })),
    status: 422,
    code: 'INVALID_URL',
  },
  {
    name: 'a data: website',
    send: () => json(valid({ url: 'data:text/html,<script>alert(1)</script>' })),
    status: 422,
    code: 'INVALID_URL',
  },
  {
    name: 'a protocol-relative website',
    send: () => json(valid({ url: '//evil.example' })),
    status: 422,
    code: 'INVALID_URL',
  },
  {
    name: 'a website with user:pass@',
    send: () => json(valid({ url: 'https://bank.example:pw@evil.example/' })),
    status: 422,
    code: 'INVALID_URL',
  },
  {
    name: 'an ftp: website',
    send: () => json(valid({ url: 'ftp://files.example' })),
    status: 422,
    code: 'INVALID_URL',
  },
  {
    name: 'a website with a quote breaking out of href',
    send: () => json(valid({ url: 'https://ok.example/"onmouseover="alert(1)' })),
    status: 202,
    stored: 'approved',
    check: (r) => expect(r.author_url).toContain('ok.example'),
  },
  // Reader text that tries to become markup
  {
    name: 'an SVG with onload',
    send: () => json(valid({ body: '<svg/onload=alert(1)><circle r=9/></svg>' })),
    status: 202,
    stored: 'approved',
  },
  {
    name: 'an mXSS noscript payload',
    send: () => json(valid({ body: '<noscript><p title="</noscript><img src=x onerror=alert(1)>">' })),
    status: 202,
    stored: 'approved',
  },
  {
    name: 'an mXSS math/style payload',
    send: () => json(valid({ body: '<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>' })),
    status: 202,
    stored: 'approved',
  },
  {
    name: 'a CSS overlay',
    send: () =>
      json(valid({ body: '<div style="position:fixed;inset:0;background:red;z-index:9999">Login again</div>' })),
    status: 202,
    stored: 'approved',
  },
  {
    name: 'a markdown javascript: link',
    send: () => json(valid({ body: '[win a prize](javascript:alert(document.cookie))' })),
    status: 202,
    stored: 'approved',
  },
  {
    name: 'a markdown reference link to javascript:',
    send: () => json(valid({ body: '[x][1]\n\n[1]: javascript:alert(1)' })),
    status: 202,
    stored: 'approved',
  },
  {
    name: 'a markdown autolink to javascript:',
    send: () => json(valid({ body: '<javascript:alert(1)>' })),
    status: 202,
    stored: 'approved',
  },
  {
    name: 'a markdown image with onerror',
    send: () => json(valid({ body: '![x" onerror="alert(1)](https://img.example/a.png)' })),
    status: 202,
    stored: 'approved',
  },
  {
    name: 'a markdown link with an entity-encoded scheme',
    send: () => json(valid({ body: '[x](jav&#x09;ascript:alert(1))' })),
    status: 202,
    stored: 'approved',
  },
  {
    name: 'a markdown link to file:',
    send: () => json(valid({ body: '[passwords](file:///etc/passwd)' })),
    status: 202,
    stored: 'approved',
  },
  {
    name: 'template strings',
    send: () => json(valid({ body: '${7*7} {{constructor.constructor("alert(1)")()}} <%= 7*7 %>' })),
    status: 202,
    stored: 'approved',
    check: (r) => expect(r.body).toContain('${7*7}'),
  },
  {
    name: 'SQL metacharacters everywhere',
    send: () =>
      json(
        valid({
          author: "Robert'); DROP TABLE comments;--",
          body: "1' OR '1'='1'; DELETE FROM sites; --",
          page: "p'; --",
        }),
      ),
    status: 202,
    stored: 'approved',
    check: (r) => expect(r.author_name).toBe("Robert'); DROP TABLE comments;--"),
  },
  {
    name: 'an emoji flood just under the limit',
    send: () => json(valid({ body: '😀'.repeat(16_381) })),
    status: 202,
    stored: 'approved',
  },
  {
    name: 'an emoji flood just over the limit',
    send: () => json(valid({ body: '😀'.repeat(16_382) })),
    status: 422,
    code: 'TOO_LONG',
  },
  {
    name: 'a Zalgo comment',
    send: () => json(valid({ body: `Z${'\u0336\u0337\u0338\u0339'.repeat(2000)}algo` })),
    status: 202,
    stored: 'approved',
  },
  {
    name: 'a Zalgo name over the byte limit',
    send: () => json(valid({ author: `Z${'\u0336'.repeat(200)}` })),
    status: 422,
    code: 'TOO_LONG',
  },
  // Header injection through fields
  {
    name: 'CRLF and a Bcc header in the email',
    send: () => json(valid({ email: 'a@b.co\r\nBcc: victim@example.org' })),
    status: 422,
    code: 'INVALID_EMAIL',
  },
  {
    name: 'an encoded newline in the email (form)',
    send: () => form(formFields({ email: 'a@b.co\nBcc: x@y.co' })),
    status: 422,
  },
  {
    name: 'a newline in the name',
    send: () => json(valid({ author: 'Name\r\nX-Injected: 1' })),
    status: 422,
    code: 'INVALID_CHARACTERS',
  },
  // Other methods and reads
  {
    name: 'PUT on the comments endpoint',
    send: () => send(JSON.stringify(valid()), { 'content-type': 'application/json' }, '/api/comments', 'PUT'),
    status: 404,
  },
  {
    name: 'DELETE on a comment',
    send: () => send('', {}, '/api/comments/00000000-0000-4000-8000-000000000000', 'DELETE'),
    status: 404,
  },
  {
    name: 'a status lookup with SQL in the id',
    send: () => send('', {}, "/api/comments/1'%20OR%20'1'='1", 'GET'),
    status: 404,
  },
  {
    name: 'a thread read with the site twice',
    send: () => send('', {}, '/api/comments?site=hostile&site=other&page=p', 'GET'),
    status: 400,
  },
  {
    name: 'a thread read with limit=-1',
    send: () => send('', {}, '/api/comments?site=hostile&page=p&limit=-1', 'GET'),
    status: 400,
    code: 'INVALID_LIMIT',
  },
  {
    name: 'a thread read with a forged cursor',
    send: () =>
      send(
        '',
        {},
        `/api/comments?site=hostile&page=p&cursor=${Buffer.from("x'; drop table comments;--|1").toString('base64url')}`,
        'GET',
      ),
    status: 400,
    code: 'INVALID_CURSOR',
  },
  {
    name: 'counts for 101 pages',
    send: () =>
      send('', {}, `/api/counts?site=hostile&${Array.from({ length: 101 }, (_, i) => `page=${i}`).join('&')}`, 'GET'),
    status: 400,
    code: 'TOO_MANY_PAGES',
  },
];

beforeAll(async () => {
  db = await createTestDatabase();
  api = await startApi({ pool: db.pool, prefix });
  await addSite(db.pool, 'hostile', [api.origin], { holdFirstTime: false, floodSeconds: 0, holdLinks: 2 });
  await addSite(db.pool, 'other', [api.origin], { holdFirstTime: false, floodSeconds: 0 });
  worker = await startWorker({ pool: db.pool, prefix });
  const res = await fetch(`${api.url}/api/comments`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', origin: api.origin },
    body: JSON.stringify({ site: 'other', page: 'p', author: 'O', email: 'o@example.org', body: 'On another site' }),
  });
  otherSiteComment = ((await res.json()) as { id: string }).id;
  await waitForStored(db.pool, otherSiteComment);
});

afterAll(async () => {
  await worker?.close();
  await api?.close();
  await db?.drop();
  await deleteQueueKeys(prefix);
});

describe(`${cases.length} hostile requests`, () => {
  it('has at least 60 cases', () => {
    expect(cases.length).toBeGreaterThanOrEqual(60);
  });

  it.each(cases.map((c) => [c.name, c] as const))('%s', async (_name, c) => {
    const before = await api.queue.count();
    const { res, text } = await c.send();
    expect(res.status, text.slice(0, 300)).toBe(c.status);
    // Never a stack trace or an internal path, whatever the status.
    expect(text).not.toMatch(/\bat [\w.<>]+ \(|node_modules|\/src\/|\.ts:\d+/);
    if (c.code !== undefined) expect((JSON.parse(text) as { error: { code: string } }).error.code).toBe(c.code);
    if (res.status >= 400 && res.headers.get('content-type')?.includes('json')) {
      const body = JSON.parse(text) as { error: { code: string; message: string } };
      expect(body.error.code).toMatch(/^[A-Z_]+$/);
      expect(body.error.message.length).toBeGreaterThan(0);
    }
    if (res.status === 202 || res.status === 303) {
      const id =
        res.status === 202
          ? (JSON.parse(text) as { id: string }).id
          : /rd_comment=([0-9a-f-]{36})/.exec(res.headers.get('location') ?? '')?.[1];
      expect(id).toBeDefined();
      const row = await waitForStored(db.pool, id!);
      const { rows } = await db.pool.query(
        'select body, author_name, author_url, body_html, status, verdict from comments where id = $1',
        [id],
      );
      const stored = rows[0];
      if (c.stored) expect(stored.status).toBe(c.stored);
      c.check?.(stored);
      // Inert: only allow-listed tags, no event handlers or style, only web and mail links.
      for (const tag of row.body_html.matchAll(/<\/?([a-z0-9]+)([^>]*)>/gi)) {
        expect(['p', 'br', 'em', 'strong', 'a', 'blockquote', 'code', 'pre', 'ul', 'ol', 'li']).toContain(
          tag[1]!.toLowerCase(),
        );
        expect(tag[2]).not.toMatch(/\s(on\w+|style|src|srcset|formaction)\s*=/i);
        const href = /\shref="([^"]*)"/.exec(tag[2] ?? '');
        if (href) expect(href[1]).toMatch(/^(https?:\/\/|mailto:)/);
      }
    } else {
      expect(await api.queue.count()).toBe(before);
    }
  });

  it('left the process healthy and the tables intact', async () => {
    expect((await fetch(`${api.url}/readyz`)).status).toBe(200);
    const { rows } = await db.pool.query(
      `select (select count(*)::int from sites) as sites, (select count(*)::int from comments) as comments`,
    );
    expect(rows[0].sites).toBe(2);
    expect(rows[0].comments).toBeGreaterThan(10);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('survives a request that lies about its length and hangs up', async () => {
    const port = Number(new URL(api.url).port);
    await new Promise<void>((resolve, reject) => {
      const socket = connect(port, '127.0.0.1', () => {
        socket.write(
          'POST /api/comments HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 100000\r\n\r\n{"site":',
        );
        setTimeout(() => {
          socket.destroy();
          resolve();
        }, 100);
      });
      socket.on('error', reject);
    });
    expect((await fetch(`${api.url}/healthz`)).status).toBe(200);
  });
});
