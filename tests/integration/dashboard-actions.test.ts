import { SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateSsoSecret, setSsoSecret } from '../../src/readers/sso-secrets.js';
import { addSite, postJson, waitForStored, type TestApi } from '../support/harness.js';
import { addModerator, DashboardClient } from '../support/dashboard-client.js';
import { startPipeline, type TestPipeline } from '../support/pipeline.js';
import type { TestDatabase } from '../support/test-db.js';

// The dashboard's single-comment actions, undo, edits, bans and trusted authors, over HTTP with a real
// session, CSRF tokens, Postgres and a worker.
let db: TestDatabase;
let api: TestApi;
let pipeline: TestPipeline;
let n = 0;

async function held(site: string, extra: Record<string, unknown> = {}): Promise<string> {
  n += 1;
  const res = await postJson(
    api,
    { site, page: 'p', author: `Author ${n}`, email: `a${n}@example.org`, body: `Held comment ${n}`, ...extra },
    { origin: api.origin },
  );
  expect(res.status).toBe(202);
  const { id } = (await res.json()) as { id: string };
  return id;
}

async function statusOf(id: string): Promise<string> {
  const { rows } = await db.pool.query('select status from comments where id = $1', [id]);
  return rows[0]?.status;
}

beforeAll(async () => {
  pipeline = await startPipeline();
  ({ db, api } = pipeline);
  await addSite(db.pool, 'news', [api.origin], { holdFirstTime: true, floodSeconds: 0 });
  await addSite(db.pool, 'blog', [api.origin], { holdFirstTime: true, floodSeconds: 0 });
  await addModerator(db.pool, 'admin@example.org', 'admin');
  await addModerator(db.pool, 'mod@example.org', 'moderator', ['news']);
});

afterAll(async () => {
  await pipeline?.close();
});

describe('signing in', () => {
  it('sends a signed-out visitor to the sign-in page and a signed-out POST gets 401', async () => {
    const anon = new DashboardClient(api.url);
    const page = await anon.get('/admin');
    expect(page.status).toBe(303);
    expect(page.headers.get('location')).toBe('/admin/sign-in?next=%2Fadmin');
    await anon.page('/admin/sign-in');
    const post = await anon.post('/admin/undo', {}, { json: true });
    expect(post.status).toBe(401);
  });

  it('refuses a wrong password, and regenerates the session id at sign-in', async () => {
    const c = new DashboardClient(api.url);
    await c.page('/admin/sign-in');
    const before = c.cookie;
    const wrong = await c.post('/admin/sign-in', { email: 'mod@example.org', password: 'nope nope nope' });
    expect(wrong.status).toBe(401);
    expect(await wrong.text()).toContain('do not match');
    await c.signIn('mod@example.org');
    expect(c.cookie).not.toBe(before);
    const cookieHeader = (await c.get('/admin')).headers.getSetCookie().join(';');
    expect(cookieHeader).toMatch(/HttpOnly/i);
    expect(cookieHeader).toMatch(/SameSite=Lax/i);
  });

  it('throttles repeated failures for an account with 429 and Retry-After', async () => {
    await addModerator(db.pool, 'target@example.org', 'moderator', ['news']);
    const c = new DashboardClient(api.url);
    await c.page('/admin/sign-in');
    for (let i = 0; i < 5; i++)
      expect((await c.post('/admin/sign-in', { email: 'target@example.org', password: `guess ${i}` })).status).toBe(
        401,
      );
    const locked = await c.post('/admin/sign-in', {
      email: 'target@example.org',
      password: 'correct horse battery staple',
    });
    expect(locked.status).toBe(429);
    expect(Number(locked.headers.get('retry-after'))).toBeGreaterThan(0);
  });

  it('refuses a state-changing request without the CSRF token', async () => {
    const c = new DashboardClient(api.url);
    await c.signIn('admin@example.org');
    const id = await held('news');
    await waitForStored(db.pool, id);
    const res = await c.post(`/admin/comments/${id}/status`, { action: 'approve' }, { json: true, csrf: false });
    expect(res.status).toBe(403);
    expect(((await res.json()) as { error: { code: string } }).error.code).toBe('CSRF_INVALID');
    expect(await statusOf(id)).toBe('pending');
  });
});

describe('the queue and its actions', () => {
  it('shows a held comment with its reasons, and approving it publishes it on the public API at once', async () => {
    const c = new DashboardClient(api.url);
    await c.signIn('mod@example.org');
    const id = await held('news', { body: 'See https://a.example and https://b.example' });
    await waitForStored(db.pool, id);
    const page = await c.page('/admin?tab=pending');
    expect(page).toContain(`id="card-${id}"`);
    expect(page).toContain('First comment');
    expect(page).toContain('Contains 2 links');
    const res = await c.post(`/admin/comments/${id}/status`, { action: 'approve' }, { json: true });
    expect(res.status).toBe(200);
    expect(await statusOf(id)).toBe('approved');
    const thread = (await (await fetch(`${api.url}/api/comments?site=news&page=p`)).json()) as {
      comments: { id: string }[];
    };
    expect(thread.comments.map((x) => x.id)).toContain(id);
    const { rows } = await db.pool.query(
      `select actor, action, from_status, to_status from moderation_events where comment_id = $1`,
      [id],
    );
    expect(rows).toEqual([
      { actor: 'mod@example.org', action: 'approve', from_status: 'pending', to_status: 'approved' },
    ]);
  });

  it("refuses a moderator acting on another site's comment (403) and leaves it alone", async () => {
    const c = new DashboardClient(api.url);
    await c.signIn('mod@example.org');
    const id = await held('blog');
    await waitForStored(db.pool, id);
    expect(await c.page('/admin?tab=pending')).not.toContain(id);
    const res = await c.post(`/admin/comments/${id}/status`, { action: 'approve' }, { json: true });
    expect(res.status).toBe(403);
    expect(await statusOf(id)).toBe('pending');
    const edit = await c.post(`/admin/comments/${id}/edit`, { body: 'hijacked' }, { json: true });
    expect(edit.status).toBe(404);
  });

  it.each([
    ['reject', 'rejected'],
    ['spam', 'spam'],
    ['delete', 'deleted'],
  ])('%s sets %s, and undo (u) restores pending', async (action, status) => {
    const c = new DashboardClient(api.url);
    await c.signIn('admin@example.org');
    const id = await held('news');
    await waitForStored(db.pool, id);
    await c.post(`/admin/comments/${id}/status`, { action }, { json: true });
    expect(await statusOf(id)).toBe(status);
    const undo = await c.post('/admin/undo', {}, { json: true });
    expect(undo.status).toBe(200);
    expect(await statusOf(id)).toBe('pending');
    // Nothing more to undo twice over: the batch is marked undone.
    const again = (await (await c.post('/admin/undo', {}, { json: true })).json()) as { restored?: unknown[] };
    expect(again.restored ?? []).toEqual([]);
  });

  it('without JavaScript, an action form redirects back to the queue', async () => {
    const c = new DashboardClient(api.url);
    await c.signIn('admin@example.org');
    const id = await held('news');
    await waitForStored(db.pool, id);
    const res = await c.post(`/admin/comments/${id}/status`, { action: 'reject' });
    expect(res.status).toBe(303);
    expect(res.headers.get('location')).toBe('/admin');
  });

  it('an edit changes the text and its rendering, and keeps the old text in history and the audit log', async () => {
    const c = new DashboardClient(api.url);
    await c.signIn('admin@example.org');
    const id = await held('news', { body: 'Teh typo' });
    await waitForStored(db.pool, id);
    expect((await c.post(`/admin/comments/${id}/edit`, { body: 'The *fixed* text' }, { json: true })).status).toBe(200);
    const { rows } = await db.pool.query('select body, body_html, edited_at from comments where id = $1', [id]);
    expect(rows[0]).toMatchObject({ body: 'The *fixed* text', body_html: '<p>The <em>fixed</em> text</p>' });
    expect(rows[0].edited_at).not.toBeNull();
    const edits = await db.pool.query('select body_before, body_after from comment_edits where comment_id = $1', [id]);
    expect(edits.rows).toEqual([{ body_before: 'Teh typo', body_after: 'The *fixed* text' }]);
  });
});

describe('bans and trusted authors', () => {
  it('a ban rejects the pending comments, later comments from the domain are spam, and one undo brings the rejected back', async () => {
    const c = new DashboardClient(api.url);
    await c.signIn('mod@example.org');
    const a = await held('news', { email: 'one@spam.example' });
    const b = await held('news', { email: 'two@mail.spam.example' });
    await Promise.all([waitForStored(db.pool, a), waitForStored(db.pool, b)]);
    const res = await c.post(
      '/admin/bans',
      { site: 'news', kind: 'domain', value: 'spam.example', rejectPending: '1' },
      { json: true },
    );
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ banned: 'domain:spam.example', rejected: 2 });
    expect([await statusOf(a), await statusOf(b)]).toEqual(['rejected', 'rejected']);
    const later = await held('news', { email: 'three@spam.example' });
    const row = await waitForStored(db.pool, later);
    expect(row.status).toBe('spam');
    expect(row.verdict.reasons.map((r) => r.code)).toContain('BANNED');
    await c.post('/admin/undo', {}, { json: true });
    expect([await statusOf(a), await statusOf(b)]).toEqual(['pending', 'pending']);
  });

  it("an IP range ban matches the reader's address", async () => {
    const c = new DashboardClient(api.url);
    await c.signIn('mod@example.org');
    expect(
      (await c.post('/admin/bans', { site: 'news', kind: 'ip', value: '127.0.0.0/8' }, { json: true })).status,
    ).toBe(200);
    const id = await held('news');
    expect((await waitForStored(db.pool, id)).status).toBe('spam');
    expect(
      (await c.post('/admin/bans/delete', { site: 'news', kind: 'ip', value: '127.0.0.0/8' }, { json: true })).status,
    ).toBe(200);
    const after = await held('news');
    expect((await waitForStored(db.pool, after)).status).toBe('pending');
  });

  it('refuses a malformed ban value with 422', async () => {
    const c = new DashboardClient(api.url);
    await c.signIn('mod@example.org');
    const res = await c.post('/admin/bans', { site: 'news', kind: 'ip', value: '999.1.1.1' }, { json: true });
    expect(res.status).toBe(422);
  });

  it("a trusted author's next comments skip the hold rules (but not spam), when the author is verified", async () => {
    const c = new DashboardClient(api.url);
    await c.signIn('mod@example.org');
    expect((await c.post('/admin/trusted', { site: 'news', email: 'Friend@Example.org' }, { json: true })).status).toBe(
      200,
    );
    // Email-keyed trust is for the verified reader with that address (issue 14): a guest who types it
    // is somebody else, and is held as any first-timer is.
    const typed = await held('news', {
      email: 'friend@example.org',
      body: 'two links https://a.example https://b.example',
    });
    expect((await waitForStored(db.pool, typed)).status).toBe('pending');

    const secret = generateSsoSecret();
    await setSsoSecret(db.pool, { siteId: 'news', secret, actorId: null, actor: 'test' });
    const sso = await new SignJWT({ name: 'Friend', email: 'friend@example.org' })
      .setProtectedHeader({ alg: 'HS256' })
      .setSubject('friend-1')
      .setExpirationTime('10m')
      .sign(new TextEncoder().encode(secret));
    const session = await fetch(`${api.url}/api/readers/session`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', origin: api.origin },
      body: JSON.stringify({ site: 'news', sso }),
    });
    expect(session.status).toBe(200);
    const { token } = (await session.json()) as { token: string };
    const asReader = async (body: Record<string, unknown>): Promise<string> => {
      const res = await postJson(
        api,
        { site: 'news', page: 'p', body: 'x', ...body },
        { origin: api.origin, authorization: `Bearer ${token}` },
      );
      expect(res.status).toBe(202);
      return ((await res.json()) as { id: string }).id;
    };
    const ok = await asReader({ body: 'two links https://a.example https://b.example' });
    expect((await waitForStored(db.pool, ok)).status).toBe('approved');
    const bot = await asReader({ body: 'honeypot', honeypot: 'x' });
    expect((await waitForStored(db.pool, bot)).status).toBe('spam');
  });
});
