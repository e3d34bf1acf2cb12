import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN_PATHS } from '../../src/http/desk/admin/admin-door.js';
import { addModerator, DashboardClient } from '../support/dashboard-client.js';
import { addSite, deleteQueueKeys, newQueuePrefix, startApi, type TestApi } from '../support/harness.js';
import { createTestDatabase, type TestDatabase } from '../support/test-db.js';

// Issue 12, item 1: the desk's guards are applied once, by its door (desk-door.ts) and the admin door
// (admin-door.ts). These answers are the ones each route gave when it applied the guards itself.
let db: TestDatabase;
let api: TestApi;
let prefix: string;
const moderator = () => new DashboardClient(api.url);

beforeAll(async () => {
  prefix = newQueuePrefix();
  db = await createTestDatabase();
  api = await startApi({ pool: db.pool, prefix });
  await addSite(db.pool, 'news', [api.origin]);
  await addModerator(db.pool, 'mod@example.org', 'moderator', ['news']);
  await addModerator(db.pool, 'admin@example.org', 'admin', ['news']);
});

afterAll(async () => {
  await api?.close();
  await db?.drop();
  if (prefix) await deleteQueueKeys(prefix);
});

describe('the desk door, signed out', () => {
  it('the sign-in page is open', async () => {
    expect((await moderator().get('/admin/sign-in')).status).toBe(200);
  });

  it.each([
    '/admin',
    '/admin/bans',
    '/admin/me',
    '/admin/audit',
    '/admin/sites',
    '/admin/queues',
    '/admin/no-such-page',
  ])('a page visit to %s is sent to sign in, and comes back there after', async (path) => {
    const res = await moderator().get(path);
    expect(res.status).toBe(303);
    expect(res.headers.get('location')).toBe(`/admin/sign-in?next=${encodeURIComponent(path)}`);
  });

  it.each(['/admin/live', '/admin/cards/00000000-0000-4000-8000-000000000000'])(
    "admin.js's own fetch of %s hears 401 SIGNED_OUT, also when it asks for HTML: never a redirect",
    async (path) => {
      const res = await moderator().get(path, { accept: 'text/html' });
      expect(res.status).toBe(401);
      expect(res.headers.get('location')).toBeNull();
      const json = await moderator().get(path, { accept: 'application/json' });
      expect(((await json.json()) as { error: { code: string } }).error.code).toBe('SIGNED_OUT');
    },
  );

  it('a JSON call and a form post each hear 401 SIGNED_OUT', async () => {
    const json = await moderator().get('/admin/bulk/1', { accept: 'application/json' });
    expect(json.status).toBe(401);
    const post = await moderator().post('/admin/me', {}, { csrf: false });
    expect(post.status).toBe(401);
  });
});

describe('the admin door', () => {
  it.each(ADMIN_PATHS.map((p) => [p]))('a moderator who is not an admin hears 403 ADMIN_ONLY at %s', async (path) => {
    const m = moderator();
    await m.signIn('mod@example.org');
    const res = await m.get(`/admin${path}`, { accept: 'application/json' });
    expect(res.status).toBe(403);
    expect(((await res.json()) as { error: { code: string } }).error.code).toBe('ADMIN_ONLY');
    const post = await m.post(`/admin${path}`, {}, { json: true });
    expect(post.status).toBe(403);
  });

  it("the same moderator still reaches the moderators' rooms", async () => {
    const m = moderator();
    await m.signIn('mod@example.org');
    expect((await m.get('/admin')).status).toBe(200);
    expect((await m.get('/admin/me')).status).toBe(200);
    expect((await m.get('/admin/bans')).status).toBe(200);
  });

  it.each(['/audit', '/sites', '/privacy', '/webhooks', '/failed'])('an admin reaches %s', async (path) => {
    const a = moderator();
    await a.signIn('admin@example.org');
    expect((await a.get(`/admin${path}`)).status).toBe(200);
  });
});
