import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addSite, deleteQueueKeys, newQueuePrefix, startApi, type TestApi } from '../support/harness.js';
import { addModerator, DashboardClient } from '../support/dashboard-client.js';
import { seedThread } from '../support/seed-thread.js';
import { createTestDatabase, type TestDatabase } from '../support/test-db.js';

/*
 * Hostile input to issue 13 item 7's routes (Pages, close/reopen, untrust, site delete): each is a
 * 4xx with a code, never a 500, and changes nothing.
 */
let db: TestDatabase;
let api: TestApi;
const prefix = newQueuePrefix();
let admin: DashboardClient;

beforeAll(async () => {
  db = await createTestDatabase();
  api = await startApi({ pool: db.pool, prefix });
  await addSite(db.pool, 'news', [api.origin]);
  await api.sites.refresh();
  await seedThread(db.pool, 'news', 'p', [{ at: 0 }]);
  await addModerator(db.pool, 'root@example.org', 'admin', ['news']);
  admin = new DashboardClient(api.url);
  await admin.signIn('root@example.org');
});

afterAll(async () => {
  await api?.close();
  await db?.drop();
  await deleteQueueKeys(prefix);
});

const closedCount = async () => (await db.pool.query('select 1 from pages where closed')).rowCount;

describe('hostile input to the Pages, untrust and site-delete routes', () => {
  it.each([
    ['a page identifier of 5000 characters', { site: 'news', page: 'x'.repeat(5000) }, 404, 'UNKNOWN_PAGE'],
    ['no page', { site: 'news' }, 404, 'UNKNOWN_PAGE'],
    ['the page as a list', { site: 'news', page: ['p', 'p'] }, 404, 'UNKNOWN_PAGE'],
    ['the site as a list', { site: ['news', 'news'], page: 'p' }, 403, 'FORBIDDEN'],
    ['no site', { page: 'p' }, 403, 'FORBIDDEN'],
  ])('closing with %s: %i %s, nothing closed', async (_name, fields, status, code) => {
    const res = await admin.post('/admin/pages/close', fields, { json: true });
    expect(res.status).toBe(status);
    expect(await res.json()).toMatchObject({ error: { code } });
    expect(await closedCount()).toBe(0);
  });

  it('the Pages list takes any view, a huge search and a foreign site without a 500', async () => {
    expect((await admin.get('/admin/pages?site=news&view=bogus')).status).toBe(200);
    expect((await admin.get(`/admin/pages?site=news&q=${'%25'.repeat(3000)}`)).status).toBe(200);
    expect((await admin.get('/admin/pages?site=news&view[]=closed&q[x]=1')).status).toBe(200);
    expect((await admin.get('/admin/pages?site=nosuch')).status).toBe(403);
  });

  it('untrust without an email is 422; a site delete with the confirmation as a list or of another site is refused', async () => {
    const untrust = await admin.post('/admin/trusted/delete', { site: 'news', email: '' }, { json: true });
    expect(untrust.status).toBe(422);
    expect(await untrust.json()).toMatchObject({ error: { code: 'REQUIRED', field: 'email' } });
    for (const confirm of [['news', 'news'], 'NEWS', 'news2']) {
      const res = await admin.post('/admin/sites/news/delete', { confirm }, { json: true });
      expect(res.status).toBe(422);
      expect(await res.json()).toMatchObject({ error: { code: 'CONFIRMATION_MISMATCH', field: 'confirm' } });
    }
    const missing = await admin.post('/admin/sites/nosuch/delete', { confirm: 'nosuch' }, { json: true });
    expect(missing.status).toBe(404);
    expect((await admin.get(`/admin/sites/${'x'.repeat(3000)}/delete`)).status).toBe(404);
    expect((await db.pool.query(`select 1 from sites where id = 'news'`)).rowCount).toBe(1);
  });
});
