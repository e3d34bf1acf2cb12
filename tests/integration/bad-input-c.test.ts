import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addModerator, DashboardClient, TEST_PASSWORD } from '../support/dashboard-client.js';
import { addSite, postJson, waitForStored, type TestApi } from '../support/harness.js';
import { startPipeline, type TestPipeline } from '../support/pipeline.js';
import type { TestDatabase } from '../support/test-db.js';

// Hostile inputs of issue 11, item 12 (desk parts): NUL bytes in any dashboard value and in the
// sign-in email are clear 400s (they were 500s: Postgres cannot store a NUL), and a form post's
// Back link and redirect never lead off-site, however the path is disguised.
let db: TestDatabase;
let api: TestApi;
let pipeline: TestPipeline;
let admin: DashboardClient;
let commentId: string;

beforeAll(async () => {
  pipeline = await startPipeline();
  ({ db, api } = pipeline);
  await addSite(db.pool, 'news', [api.origin], { holdFirstTime: true, floodSeconds: 0 });
  await addModerator(db.pool, 'admin@example.org', 'admin');
  admin = new DashboardClient(api.url);
  await admin.signIn('admin@example.org');
  const res = await postJson(
    api,
    { site: 'news', page: 'p', author: 'A', email: 'a@example.org', body: 'Held' },
    { origin: api.origin },
  );
  commentId = ((await res.json()) as { id: string }).id;
  await waitForStored(db.pool, commentId);
});

afterAll(async () => {
  await pipeline?.close();
});

describe('NUL bytes in dashboard inputs', () => {
  const gets: [string, string][] = [
    ['the queue search', '/admin?q=spam%00here'],
    ['the queue page filter', '/admin?page=p%00'],
    ['the queue reason filter', '/admin?tab=pending&reason=%00'],
    ['the queue cursor', '/admin?cursor=%00'],
    ['the audit log filter', '/admin/audit?actor=%00&action=%00'],
    ['a site id in the path', '/admin/sites/news%00'],
    ['a bulk job id in the path', '/admin/bulk/%00'],
    ['a webhook id in the path', '/admin/webhooks/1%00'],
    ['a card id in the path', '/admin/cards/%00'],
    ['a notice', '/admin/me?notice=%00'],
  ];
  it.each(gets)('%s answers a readable 400 page, and 400 JSON to admin.js', async (_name, path) => {
    const page = await admin.get(path);
    expect(page.status).toBe(400);
    expect(page.headers.get('content-type')).toContain('text/html');
    const text = await page.text();
    expect(text).toContain('control character');
    expect(text).not.toMatch(/at .*\.[jt]s:\d+/);
    const json = await admin.get(path, { accept: 'application/json' });
    expect(json.status).toBe(400);
    expect(((await json.json()) as { error: { code: string } }).error.code).toBe('INVALID_CHARACTERS');
  });

  const posts: [string, () => [string, Record<string, string | string[]>]][] = [
    ['a typed ban value', () => ['/admin/bans', { site: 'news', kind: 'email', value: 'spam\u0000@example.org' }]],
    ['a ban reason', () => ['/admin/bans', { site: 'news', kind: 'ip', value: '203.0.113.9', reason: 'flood\u0000' }]],
    ['a lifted ban value', () => ['/admin/bans/delete', { site: 'news', kind: 'email', value: '\u0000' }]],
    ['a trusted email', () => ['/admin/trusted', { site: 'news', email: 'x\u0000@example.org' }]],
    ['an edited body', () => [`/admin/comments/${commentId}/edit`, { body: 'Fixed \u0000 text' }]],
    ['a new site id', () => ['/admin/sites', { id: 'new\u0000site', name: 'New', origins: 'https://new.example' }]],
    ['a site setting', () => ['/admin/sites/news', { name: 'News\u0000', holdWords: 'a\u0000b' }]],
    ['a privacy export email', () => ['/admin/privacy/export', { email: 'a\u0000@example.org' }]],
    [
      'a privacy erase email',
      () => ['/admin/privacy/erase', { email: 'a\u0000@example.org', confirm: 'a\u0000@example.org' }],
    ],
    [
      'a webhook URL',
      () => ['/admin/webhooks', { site: 'news', url: 'https://hooks.example/\u0000', events: 'comment.approved' }],
    ],
    ['a bulk selection', () => ['/admin/bulk', { action: 'approve', ids: ['\u0000'] }]],
    ['an undo batch', () => ['/admin/undo', { batch: '\u0000' }]],
    ['a field name', () => ['/admin/undo', { 'ba\u0000tch': 'x' }]],
  ];
  it.each(posts)('%s answers 400 INVALID_CHARACTERS, in a form and from admin.js', async (_name, make) => {
    const [path, fields] = make();
    const form = await admin.post(path, fields);
    expect(form.status).toBe(400);
    expect(await form.text()).toContain('control character');
    const json = await admin.post(path, fields, { json: true });
    expect(json.status).toBe(400);
    expect(((await json.json()) as { error: { code: string; field: string } }).error.code).toBe('INVALID_CHARACTERS');
  });

  it('a JSON body with a NUL deep inside answers 400 with the field named', async () => {
    const res = await fetch(`${api.url}/admin/bulk`, {
      method: 'POST',
      headers: {
        cookie: admin.cookie,
        accept: 'application/json',
        'content-type': 'application/json',
        'x-csrf-token': admin.csrf,
      },
      body: JSON.stringify({ action: 'approve', filter: { q: ['ok', { deep: 'x\u0000' }] } }),
    });
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({ error: { code: 'INVALID_CHARACTERS', field: 'filter' } });
  });

  it('a NUL in the sign-in email is a 400 page, not a 500, and a tab or newline in an edit is still fine', async () => {
    const visitor = new DashboardClient(api.url);
    await visitor.page('/admin/sign-in');
    const res = await visitor.post('/admin/sign-in', { email: 'admin\u0000@example.org', password: TEST_PASSWORD });
    expect(res.status).toBe(400);
    expect(await res.text()).toContain('control character');

    const edit = await admin.post(
      `/admin/comments/${commentId}/edit`,
      { body: 'Line one\n\tindented line two' },
      { json: true },
    );
    expect(edit.status).toBe(200);
  });
});

describe('form posts never send the reader off-site', () => {
  const disguises = [
    '/\t/evil.test',
    '/\n/evil.test',
    '/\r\n/evil.test',
    '\t//evil.test',
    '//evil.test',
    '/\\evil.test',
    '/\\/evil.test',
    '/\t\\evil.test',
    'javascript:alert(1)',
    ' javascript:alert(1)',
    'JaVaScRiPt:alert(1)',
    'https://evil.test/',
    '///evil.test',
    '/%09/evil.test',
    '/\u0000/evil.test',
    '/\u00a0/evil.test',
  ];
  async function postForm(fields: Record<string, string>): Promise<Response> {
    return fetch(`${api.url}/api/comments`, {
      method: 'POST',
      redirect: 'manual',
      headers: { 'content-type': 'application/x-www-form-urlencoded', origin: api.origin },
      body: new URLSearchParams(fields).toString(),
    });
  }
  /** Where a browser would go: tabs and newlines dropped and "\" read as "/", as the WHATWG parser does. */
  function destination(href: string): URL {
    const unescaped = href
      .replace(/&amp;/g, '&')
      .replace(/&#39;/g, "'")
      .replace(/&quot;/g, '"')
      .replace(/&lt;/g, '<')
      .replace(/&gt;/g, '>');
    return new URL(unescaped, api.url);
  }

  it.each(disguises)("redirect_to %j: the error page's Back link stays on the site", async (redirect) => {
    const res = await postForm({
      site: 'news',
      comment_post_ID: 'p',
      author: '',
      email: 'x',
      comment: 'hi',
      redirect_to: redirect,
    });
    expect(res.status).toBeGreaterThanOrEqual(400);
    expect(res.status).toBeLessThan(500);
    const text = await res.text();
    const href = /<a href="([^"]*)">« Back<\/a>/.exec(text)?.[1];
    if (href !== undefined) {
      const to = destination(href);
      expect(to.origin, href).toBe(api.origin);
      expect(to.protocol).toBe('http:');
    }
  });

  it.each(disguises)('redirect_to %j: the redirect after a good post stays on the site', async (redirect) => {
    const res = await postForm({
      site: 'news',
      comment_post_ID: 'p',
      author: 'Reader',
      email: `r${Math.random()}@example.org`,
      comment: `Where to? ${Math.random()}`,
      redirect_to: redirect,
    });
    if (res.status !== 303) {
      // Intake may refuse the field itself (a control character): then there is no redirect to follow.
      expect(res.status).toBe(422);
      return;
    }
    const to = destination(res.headers.get('location')!);
    expect(to.origin, res.headers.get('location')!).toBe(api.origin);
  });
});
