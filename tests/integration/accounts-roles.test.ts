import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { toSiteFormValues } from '../../src/domain/site-form.js';
import { loadMailKey, signMailToken } from '../../src/mail/mail-tokens.js';
import { queueHeldNotices } from '../../src/store/mail-notices.js';
import { loadSite } from '../../src/store/sites.js';
import { addModerator, DashboardClient } from '../support/dashboard-client.js';
import { addSite, deleteQueueKeys, newQueuePrefix, startApi, type TestApi } from '../support/harness.js';
import { insertHeldComments } from '../support/held-comments.js';
import { createTestDatabase, type TestDatabase } from '../support/test-db.js';

// Issue 16, item 3: roles per site (sql/0041). A viewer reads the queue and the audit log of their
// sites and every action is refused with a clear 403 (and offered by no button); a moderator of one
// site cannot act on another; a site admin changes their own site's settings and no other's.
let db: TestDatabase;
let api: TestApi;
const prefix = newQueuePrefix();
const held: Record<string, string[]> = {};

async function signedIn(email: string): Promise<DashboardClient> {
  const c = new DashboardClient(api.url);
  await c.signIn(email);
  return c;
}

async function errorOf(res: Response): Promise<{ status: number; code: string; message: string }> {
  const body = (await res.json()) as { error: { code: string; message: string } };
  return { status: res.status, code: body.error.code, message: body.error.message };
}

async function statusOf(id: string): Promise<string> {
  const { rows } = await db.pool.query<{ status: string }>('select status from comments where id = $1', [id]);
  return rows[0]!.status;
}

/** The site's settings form as a browser posts it, with some fields changed. */
async function formFor(id: string, over: Record<string, string> = {}): Promise<Record<string, string>> {
  const site = await loadSite(db.pool, id);
  const fields: Record<string, string> = {};
  for (const [k, v] of Object.entries(toSiteFormValues(site!))) {
    if (typeof v === 'string') fields[k] = v;
    else if (v) fields[k] = '1';
  }
  return { ...fields, ...over };
}

beforeAll(async () => {
  db = await createTestDatabase();
  api = await startApi({ pool: db.pool, prefix });
  await addSite(db.pool, 'news', [api.origin]);
  await addSite(db.pool, 'blog', [api.origin]);
  held.news = await insertHeldComments(db.pool, 'news', 'story', 4);
  held.blog = await insertHeldComments(db.pool, 'blog', 'post', 3);
  await addModerator(db.pool, 'admin@example.org', 'admin');
  await addModerator(db.pool, 'legal@example.org', 'moderator', ['news'], { news: 'viewer' });
  await addModerator(db.pool, 'mixed@example.org', 'moderator', ['news', 'blog'], {
    news: 'viewer',
    blog: 'moderator',
  });
  await addModerator(db.pool, 'newsmod@example.org', 'moderator', ['news']);
  await addModerator(db.pool, 'editor@example.org', 'moderator', ['news', 'blog'], { news: 'admin' });
});

afterAll(async () => {
  await api?.close();
  await db?.drop();
  await deleteQueueKeys(prefix);
});

describe('a viewer', () => {
  it('reads the queue of their site, with the cards but no button to act and no bulk bar', async () => {
    const v = await signedIn('legal@example.org');
    const page = await v.page('/admin');
    expect(page).toContain('Held comment 1');
    expect(page).not.toContain(held.blog![0]); // the other site is not theirs
    expect(page).not.toContain('rd-act-approve');
    expect(page).not.toContain(`/admin/comments/${held.news![0]}/status`);
    expect(page).not.toContain('id="rd-bulk"');
    expect(page).not.toContain('form="rd-bulk"');
    // The page still signs out, and still filters (a GET form).
    expect(page).toContain('action="/admin/sign-out"');
    expect(page).toContain('role="search"');
    // The live queue's card (admin.js fetches it) has no buttons either.
    const card = await (await v.get(`/admin/cards/${held.news![0]}`)).text();
    expect(card).toContain('Held comment');
    expect(card).not.toContain('<form');
  });

  it.each([
    ['approve', (id: string) => [`/admin/comments/${id}/status`, { action: 'approve' }] as const],
    ['reject', (id: string) => [`/admin/comments/${id}/status`, { action: 'reject' }] as const],
    ['edit', (id: string) => [`/admin/comments/${id}/edit`, { body: 'changed' }] as const],
    ['bulk', (id: string) => ['/admin/bulk', { action: 'approve', scope: 'selection', ids: id }] as const],
    ['ban', () => ['/admin/bans', { site: 'news', kind: 'email', email: 'x@example.org' }] as const],
    ['close a page', () => ['/admin/pages/close', { site: 'news', page: 'story' }] as const],
  ])('is refused %s with 403 VIEWER_READ_ONLY as JSON, and nothing changes', async (_name, request) => {
    const v = await signedIn('legal@example.org');
    const [path, fields] = request(held.news![0]!);
    const res = await v.post(path, fields, { json: true });
    expect(await errorOf(res)).toEqual({
      status: 403,
      code: 'VIEWER_READ_ONLY',
      message: expect.stringContaining('viewer') as string,
    });
    expect(await statusOf(held.news![0]!)).toBe('pending');
  });

  it("is refused the site's settings, and a form post gets a readable page, not JSON", async () => {
    const v = await signedIn('legal@example.org');
    expect((await errorOf(await v.post('/admin/sites/news', await formFor('news'), { json: true }))).code).toBe(
      'VIEWER_READ_ONLY',
    );
    const form = await v.post('/admin/comments/' + held.news![0] + '/status', { action: 'approve' });
    expect(form.status).toBe(403);
    expect(form.headers.get('content-type')).toContain('text/html');
    expect(await form.text()).toContain('viewer');
  });

  it('still changes their own settings (My settings is theirs)', async () => {
    const v = await signedIn('legal@example.org');
    await v.page('/admin/me');
    expect((await v.post('/admin/me', { notifyHeld: '1' })).status).toBe(303);
    expect(await v.page('/admin/me')).toContain('action="/admin/me/password"');
  });

  it("reads the audit log, with their sites' events only", async () => {
    const a = await signedIn('admin@example.org');
    expect(
      (await a.post(`/admin/comments/${held.news![1]}/status`, { action: 'approve' }, { json: true })).status,
    ).toBe(200);
    expect(
      (await a.post(`/admin/comments/${held.blog![1]}/status`, { action: 'approve' }, { json: true })).status,
    ).toBe(200);
    const v = await signedIn('legal@example.org');
    const res = await v.get('/admin/audit');
    expect(res.status).toBe(200);
    const page = await res.text();
    expect(page).toContain(held.news![1]); // the news comment the admin approved
    expect(page).not.toContain(held.blog![1]); // the blog's events are not theirs
    // A plain moderator still has no audit log, as before roles.
    const m = await signedIn('newsmod@example.org');
    expect((await errorOf(await m.get('/admin/audit', { accept: 'application/json' }))).code).toBe('ADMIN_ONLY');
  });
});

describe('roles differ per site', () => {
  it('a viewer of one site who moderates another acts there only: FORBIDDEN names the site', async () => {
    const c = await signedIn('mixed@example.org');
    const page = await c.page('/admin');
    // Their blog cards carry buttons, their news cards none.
    expect(page).toContain(`/admin/comments/${held.blog![2]}/status`);
    expect(page).not.toContain(`/admin/comments/${held.news![2]}/status`);
    const refused = await c.post(`/admin/comments/${held.news![2]}/status`, { action: 'approve' }, { json: true });
    expect(await errorOf(refused)).toMatchObject({ status: 403, code: 'FORBIDDEN' });
    expect(await statusOf(held.news![2]!)).toBe('pending');
    const done = await c.post(`/admin/comments/${held.blog![2]}/status`, { action: 'approve' }, { json: true });
    expect(done.status).toBe(200);
    expect(await statusOf(held.blog![2]!)).toBe('approved');
  });

  it('a moderator of news cannot act on a blog comment', async () => {
    const c = await signedIn('newsmod@example.org');
    const res = await c.post(`/admin/comments/${held.blog![0]}/status`, { action: 'reject' }, { json: true });
    expect(await errorOf(res)).toMatchObject({ status: 403, code: 'FORBIDDEN' });
    expect(await statusOf(held.blog![0]!)).toBe('pending');
  });

  it("a site admin changes their site's settings, and no other site's; the rest of the admin rooms stay shut", async () => {
    const e = await signedIn('editor@example.org');
    expect((await e.get('/admin/sites/news')).status).toBe(200);
    const saved = await e.post('/admin/sites/news', await formFor('news', { flagThreshold: '7' }));
    expect(saved.status).toBe(303);
    expect((await loadSite(db.pool, 'news'))!.settings.flagThreshold).toBe(7);
    const other = await e.post('/admin/sites/blog', await formFor('blog', { flagThreshold: '7' }), { json: true });
    expect(await errorOf(other)).toMatchObject({ status: 403, code: 'ADMIN_ONLY' });
    expect((await loadSite(db.pool, 'blog'))!.settings.flagThreshold).toBe(3);
    // Their site's sign-in page too (the readers' sign-in methods), not another's.
    expect((await e.get('/admin/sites/news/sign-in')).status).toBe(200);
    expect((await e.get('/admin/sites/blog/sign-in', { accept: 'application/json' })).status).toBe(403);
    for (const path of ['/admin/sites', '/admin/sites/news/delete', '/admin/moderators', '/admin/webhooks'])
      expect((await e.get(path, { accept: 'application/json' })).status).toBe(403);
    // A moderator of news (not its admin) is refused the settings.
    const m = await signedIn('newsmod@example.org');
    expect((await errorOf(await m.get('/admin/sites/news', { accept: 'application/json' }))).code).toBe('ADMIN_ONLY');
  });

  it('an admin gives and changes roles per site on the account page, audited with before and after', async () => {
    const a = await signedIn('admin@example.org');
    const { rows } = await db.pool.query<{ id: string }>(
      `select id from moderators where email = 'newsmod@example.org'`,
    );
    const id = rows[0]!.id;
    await a.page(`/admin/moderators/${id}`);
    const res = await a.post(`/admin/moderators/${id}`, {
      role: 'moderator',
      displayName: 'newsmod',
      sites: ['news', 'blog'],
      role_news: 'moderator',
      role_blog: 'viewer',
    });
    expect(res.status).toBe(303);
    const { rows: roles } = await db.pool.query<{ site_id: string; role: string }>(
      'select site_id, role from moderator_sites where moderator_id = $1 order by site_id',
      [id],
    );
    expect(roles).toEqual([
      { site_id: 'blog', role: 'viewer' },
      { site_id: 'news', role: 'moderator' },
    ]);
    const { rows: events } = await db.pool.query<{ detail: Record<string, unknown> }>(
      `select detail from moderation_events where action = 'account_update' and detail ->> 'email' = 'newsmod@example.org'`,
    );
    expect(events.at(-1)!.detail).toMatchObject({
      sites: { from: ['news'], to: ['blog', 'news'] },
      roles: { from: { news: 'moderator' }, to: { news: 'moderator', blog: 'viewer' } },
    });
    // The page shows the roles it saved.
    const page = await a.page(`/admin/moderators/${id}`);
    expect(page).toMatch(/name="role_blog"[\s\S]*?<option value="viewer"\s+selected/);
  });
});

describe("a viewer's mail", () => {
  it('holds no held-comment notices for them, and a moderation link made for them neither shows nor acts', async () => {
    await db.pool.query(
      `update moderators set notify_held = true where email in ('legal@example.org', 'newsmod@example.org')`,
    );
    const [fresh] = await insertHeldComments(db.pool, 'news', 'mail-story', 1);
    // Only the news moderator hears of it (and no admin asked for mail).
    expect(await queueHeldNotices(db.pool, fresh!, 'news')).toBe(1);
    const { rows } = await db.pool.query<{ id: string }>(`select id from moderators where email = 'legal@example.org'`);
    const token = signMailToken(await loadMailKey(db.pool), {
      kind: 'moderate',
      commentId: fresh!,
      action: 'approve',
      moderatorId: Number(rows[0]!.id),
      expiresAt: Math.floor(Date.now() / 1000) + 3600,
      nonce: 'viewer-nonce',
    });
    expect((await fetch(`${api.url}/mail/moderate?token=${encodeURIComponent(token)}`)).status).toBe(403);
    const post = await fetch(`${api.url}/mail/moderate`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ token }).toString(),
    });
    expect(post.status).toBe(403);
    expect(await statusOf(fresh!)).toBe('pending');
  });
});
