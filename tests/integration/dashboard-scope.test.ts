import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadMailKey, signMailToken } from '../../src/mail/mail-tokens.js';
import { addModerator, DashboardClient } from '../support/dashboard-client.js';
import { addSite, postJson, waitFor, waitForStored, type TestApi } from '../support/harness.js';
import { startPipeline, type TestPipeline } from '../support/pipeline.js';
import type { TestDatabase } from '../support/test-db.js';

// Issue 11, item 12 (desk parts): a moderator undoes only their own batches on their own sites, and a
// mail link shows and decides a comment only for a moderator who may still moderate its site.
let db: TestDatabase;
let api: TestApi;
let pipeline: TestPipeline;
let n = 0;
const ids: Record<string, number> = {};

async function held(site: string): Promise<string> {
  n += 1;
  const res = await postJson(
    api,
    { site, page: 'p', author: `Author ${n}`, email: `scope${n}@example.org`, body: `Secret held text ${n}` },
    { origin: api.origin },
  );
  expect(res.status).toBe(202);
  const { id } = (await res.json()) as { id: string };
  expect((await waitForStored(db.pool, id)).status).toBe('pending');
  return id;
}

async function statusOf(id: string): Promise<string> {
  const { rows } = await db.pool.query<{ status: string }>('select status from comments where id = $1', [id]);
  return rows[0]!.status;
}

async function signedIn(email: string): Promise<DashboardClient> {
  const c = new DashboardClient(api.url);
  await c.signIn(email);
  return c;
}

/** Approves one comment from the dashboard; returns the action's batch id. */
async function approve(c: DashboardClient, id: string): Promise<string> {
  const res = await c.post(`/admin/comments/${id}/status`, { action: 'approve' }, { json: true });
  expect(res.status).toBe(200);
  return ((await res.json()) as { batchId: string }).batchId;
}

beforeAll(async () => {
  pipeline = await startPipeline();
  ({ db, api } = pipeline);
  await addSite(db.pool, 'news', [api.origin], { holdFirstTime: true, floodSeconds: 0 });
  await addSite(db.pool, 'blog', [api.origin], { holdFirstTime: true, floodSeconds: 0 });
  ids.admin = await addModerator(db.pool, 'admin@example.org', 'admin');
  ids.alice = await addModerator(db.pool, 'alice@example.org', 'moderator', ['news']);
  ids.bob = await addModerator(db.pool, 'bob@example.org', 'moderator', ['news']);
  ids.carol = await addModerator(db.pool, 'carol@example.org', 'moderator', ['blog']);
});

afterAll(async () => {
  await pipeline?.close();
});

describe('POST /admin/undo', () => {
  it("refuses another moderator's batch on the same site (403) and leaves it undoable by its owner", async () => {
    const alice = await signedIn('alice@example.org');
    const bob = await signedIn('bob@example.org');
    const id = await held('news');
    const batch = await approve(alice, id);

    const res = await bob.post('/admin/undo', { batch }, { json: true });
    expect(res.status).toBe(403);
    expect(((await res.json()) as { error: { code: string } }).error.code).toBe('NOT_YOURS');
    expect(await statusOf(id)).toBe('approved');

    const own = await alice.post('/admin/undo', { batch }, { json: true });
    expect(own.status).toBe(200);
    expect(((await own.json()) as { restored: unknown[] }).restored).toHaveLength(1);
    expect(await statusOf(id)).toBe('pending');
  });

  it("refuses a batch on a site the moderator does not moderate, and an admin may undo anyone's", async () => {
    const admin = await signedIn('admin@example.org');
    const carol = await signedIn('carol@example.org');
    const id = await held('news');
    const batch = await approve(admin, id);

    expect((await carol.post('/admin/undo', { batch }, { json: true })).status).toBe(403);
    expect(await statusOf(id)).toBe('approved');

    const alice = await signedIn('alice@example.org');
    const other = await held('news');
    const aliceBatch = await approve(alice, other);
    const res = await admin.post('/admin/undo', { batch: aliceBatch }, { json: true });
    expect(res.status).toBe(200);
    expect(await statusOf(other)).toBe('pending');
  });

  it('refuses a moderator their own batch, single or bulk, once they no longer moderate its site', async () => {
    const dave = await addModerator(db.pool, 'dave@example.org', 'moderator', ['news']);
    const c = await signedIn('dave@example.org');
    const single = await held('news');
    const batch = await approve(c, single);
    const inBulk = await held('news');
    const bulk = await c.post('/admin/bulk', { action: 'approve', scope: 'selection', ids: [inBulk] }, { json: true });
    expect(bulk.status).toBe(202);
    const { jobId, batchId } = (await bulk.json()) as { jobId: string; batchId: string };
    await waitFor('the bulk action to finish', async () => {
      const r = await c.get(`/admin/bulk/${jobId}`, { accept: 'application/json' });
      return ((await r.json()) as { state: string }).state === 'completed';
    });
    await db.pool.query("delete from moderator_sites where moderator_id = $1 and site_id = 'news'", [dave]);
    await db.pool.query("insert into moderator_sites (moderator_id, site_id) values ($1, 'blog')", [dave]);

    expect((await c.post('/admin/undo', { batch }, { json: true })).status).toBe(403);
    expect((await c.post(`/admin/bulk/${batchId}/undo`, {}, { json: true })).status).toBe(403);
    expect(await statusOf(single)).toBe('approved');
    expect(await statusOf(inBulk)).toBe('approved');
  });

  it('answers 404 for a batch that never was', async () => {
    const alice = await signedIn('alice@example.org');
    const res = await alice.post('/admin/undo', { batch: '00000000-0000-4000-8000-00000000abcd' }, { json: true });
    expect(res.status).toBe(404);
  });
});

describe('mail links of a moderator who may no longer moderate', () => {
  async function link(moderatorId: number, commentId: string, nonce: string): Promise<string> {
    const key = await loadMailKey(db.pool);
    return signMailToken(key, {
      kind: 'moderate',
      commentId,
      action: 'approve',
      moderatorId,
      expiresAt: Math.floor(Date.now() / 1000) + 3600,
      nonce,
    });
  }
  const open = (token: string) => fetch(`${api.url}/mail/moderate?token=${encodeURIComponent(token)}`);
  const act = (token: string) =>
    fetch(`${api.url}/mail/moderate`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ token }).toString(),
    });

  it('works for a moderator of the site (the control)', async () => {
    const id = await held('news');
    const token = await link(ids.alice!, id, 'control-nonce');
    const page = await open(token);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('Secret held text');
  });

  it.each([
    [
      'disabled',
      async (m: number) => {
        await db.pool.query('update moderators set disabled = true where id = $1', [m]);
      },
    ],
    [
      'taken off the site',
      async (m: number) => {
        await db.pool.query('delete from moderator_sites where moderator_id = $1', [m]);
      },
    ],
    [
      'removed',
      async (m: number) => {
        await db.pool.query('delete from moderators where id = $1', [m]);
      },
    ],
  ])('a link to a moderator since %s neither shows the comment nor acts on it', async (what, change) => {
    const m = await addModerator(db.pool, `gone-${what.replace(/\W/g, '')}@example.org`, 'moderator', ['news']);
    const id = await held('news');
    const token = await link(m, id, `nonce-${what.replace(/\W/g, '')}`);
    await change(m);

    const page = await open(token);
    expect(page.status).toBe(403);
    expect(await page.text()).not.toContain('Secret held text');
    expect((await act(token)).status).toBe(403);
    expect(await statusOf(id)).toBe('pending');
  });
});
