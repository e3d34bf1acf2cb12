import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addModerator, DashboardClient } from '../support/dashboard-client.js';
import { addSite, deleteQueueKeys, newQueuePrefix, startApi, type TestApi } from '../support/harness.js';
import { createTestDatabase, type TestDatabase } from '../support/test-db.js';

// Issue 13, item 6: hostile input to the Moderators page and the own-password form is refused plainly
// (404 or 422), never a 500, and changes nothing.
let db: TestDatabase;
let api: TestApi;
let prefix: string;
let admin: DashboardClient;
let modId: number;

beforeAll(async () => {
  prefix = newQueuePrefix();
  db = await createTestDatabase();
  api = await startApi({ pool: db.pool, prefix });
  await addSite(db.pool, 'news', [api.origin]);
  await addModerator(db.pool, 'root@example.org', 'admin');
  modId = await addModerator(db.pool, 'target@example.org', 'moderator', ['news']);
  admin = new DashboardClient(api.url);
  await admin.signIn('root@example.org');
});

afterAll(async () => {
  await api?.close();
  await db?.drop();
  if (prefix) await deleteQueueKeys(prefix);
});

async function account() {
  const { rows } = await db.pool.query(
    `select role, display_name, disabled, password_hash, array(select site_id from moderator_sites where moderator_id = m.id) as sites
       from moderators m where id = $1`,
    [modId],
  );
  return rows[0];
}

describe('bad input to /admin/moderators', () => {
  it.each(['abc', '0', '-1', '1.5', '99999999999999999999', '%00'])('account id %s is a 404', async (id) => {
    const res = await admin.get(`/admin/moderators/${id}`);
    expect([400, 404]).toContain(res.status);
    const post = await admin.post(`/admin/moderators/${id}/disable`, {});
    expect([400, 404]).toContain(post.status);
  });

  it.each([
    ['an unknown role', { role: 'root', displayName: 'x' }],
    ['no role', { displayName: 'x' }],
    ['an empty name', { role: 'moderator', displayName: '   ' }],
    ['a 101-character name', { role: 'moderator', displayName: 'n'.repeat(101) }],
    ['a site that does not exist', { role: 'moderator', displayName: 'x', sites: ['news', 'nowhere'] }],
    ['a role sent twice', { role: ['admin', 'moderator'], displayName: 'x' }],
  ])('%s is a 422 that changes nothing', async (_name, fields) => {
    const before = await account();
    const res = await admin.post(`/admin/moderators/${modId}`, fields);
    expect(res.status).toBe(422);
    expect(await account()).toEqual(before);
  });

  it('a password sent as a list, or short, is a 422; the hash is unchanged', async () => {
    const before = await account();
    for (const password of [['a long enough one', 'another long one'], 'x'.repeat(9), '']) {
      const res = await admin.post(`/admin/moderators/${modId}/password`, { password });
      expect(res.status).toBe(422);
    }
    expect(await account()).toEqual(before);
  });

  it("remove without the typed email, or with another account's, changes nothing", async () => {
    for (const confirm of ['', 'root@example.org', ['target@example.org', 'x']]) {
      const res = await admin.post(`/admin/moderators/${modId}/remove`, { confirm });
      expect(res.status).toBe(422);
    }
    expect(await account()).toBeDefined();
  });

  it('a form without the CSRF token is refused (403)', async () => {
    const res = await admin.post(`/admin/moderators/${modId}/disable`, {}, { csrf: false });
    expect(res.status).toBe(403);
    expect((await account()).disabled).toBe(false);
  });

  it('the own-password form refuses a missing current password and a list of them', async () => {
    await admin.page('/admin/me');
    for (const current of ['', ['correct horse battery staple', 'x']]) {
      const res = await admin.post('/admin/me/password', { current, password: 'a long new password' });
      expect(res.status).toBe(422);
    }
  });
});
