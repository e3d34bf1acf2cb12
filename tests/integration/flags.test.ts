import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addSite, postJson, waitForStored, type TestApi } from '../support/harness.js';
import { addModerator, DashboardClient } from '../support/dashboard-client.js';
import { startPipeline, type TestPipeline } from '../support/pipeline.js';
import type { TestDatabase } from '../support/test-db.js';

// Readers' flags over HTTP against real Postgres, Redis and a worker: one flag per reader, the site's
// threshold sends a published comment back to the queue as reported, exactly once.
let db: TestDatabase;
let api: TestApi;
let pipeline: TestPipeline;
let n = 0;

async function comment(site: string): Promise<string> {
  n += 1;
  const res = await postJson(api, { site, page: 'p', author: `Reader ${n}`, email: `r${n}@example.org`, body: `Comment number ${n}` }, { origin: api.origin });
  expect(res.status).toBe(202);
  const { id } = (await res.json()) as { id: string };
  await waitForStored(db.pool, id);
  return id;
}

function flag(id: string, body: unknown, origin: string | null = api.origin): Promise<Response> {
  return fetch(`${api.url}/api/comments/${id}/flag`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(origin !== null ? { origin } : {}) },
    body: JSON.stringify(body),
  });
}

async function row(id: string): Promise<{ status: string; flag_count: number; reported_at: Date | null }> {
  const { rows } = await db.pool.query('select status, flag_count, reported_at from comments where id = $1', [id]);
  return rows[0];
}

async function onThread(site: string, id: string): Promise<boolean> {
  const res = await fetch(`${api.url}/api/comments?site=${site}&page=p`);
  const { comments } = (await res.json()) as { comments: { id: string }[] };
  return comments.some((c) => c.id === id);
}

beforeAll(async () => {
  pipeline = await startPipeline();
  ({ db, api } = pipeline);
  await addSite(db.pool, 'news', [api.origin], { holdFirstTime: false, floodSeconds: 0, holdLinks: 0, flagThreshold: 2 });
  await addSite(db.pool, 'busy', [api.origin], { holdFirstTime: false, floodSeconds: 0, holdLinks: 0, flagThreshold: 3 });
  await addSite(db.pool, 'strict', [api.origin], { moderation: 'pre', floodSeconds: 0 });
  await addModerator(db.pool, 'admin@example.org', 'admin');
});

afterAll(async () => {
  await pipeline?.close();
});

describe('flagging a published comment', () => {
  it('when flags reach the threshold, the comment leaves the public thread and waits in the reported tab', async () => {
    const id = await comment('news');
    expect((await row(id)).status).toBe('approved');

    const first = await flag(id, { reason: 'abuse', key: 'reader-one' });
    expect(first.status).toBe(202);
    expect(await first.json()).toEqual({ flagged: true });
    expect(first.headers.get('access-control-allow-origin')).toBe(api.origin);
    expect(await row(id)).toMatchObject({ status: 'approved', flag_count: 1, reported_at: null });
    expect(await onThread('news', id)).toBe(true);

    expect((await flag(id, { reason: 'spam', key: 'reader-two' })).status).toBe(202);
    const after = await row(id);
    expect(after).toMatchObject({ status: 'pending', flag_count: 2 });
    expect(after.reported_at).toBeInstanceOf(Date);
    expect(await onThread('news', id)).toBe(false);

    const { rows: events } = await db.pool.query('select actor, actor_id, action, from_status, to_status, detail from moderation_events where comment_id = $1', [id]);
    expect(events).toEqual([
      { actor: 'readers', actor_id: null, action: 'report', from_status: 'approved', to_status: 'pending', detail: { flags: 2, threshold: 2, reasons: { abuse: 1, spam: 1 } } },
    ]);

    const c = new DashboardClient(api.url);
    await c.signIn('admin@example.org');
    const reported = await c.page('/admin?tab=reported');
    expect(reported).toContain(`id="card-${id}"`);
    expect(reported).toMatch(/abuse ×1/);
    expect(await c.page('/admin?tab=pending')).not.toContain(`id="card-${id}"`);
  });

  it('counts one flag per reader: a repeat answers 202 and changes nothing, and neither IP nor key is stored', async () => {
    const id = await comment('busy');
    for (let i = 0; i < 3; i++) expect((await flag(id, { reason: 'off_topic', key: 'same-browser' })).status).toBe(202);
    expect(await row(id)).toMatchObject({ status: 'approved', flag_count: 1 });
    // Without a key the reader is their IP alone: a second reader, then a repeat of that one.
    expect((await flag(id, { reason: 'other' })).status).toBe(202);
    expect((await flag(id, { reason: 'other' })).status).toBe(202);
    expect(await row(id)).toMatchObject({ status: 'approved', flag_count: 2 });
    const { rows } = await db.pool.query<{ reporter: string }>('select reporter from flags where comment_id = $1', [id]);
    expect(rows).toHaveLength(2);
    for (const r of rows) {
      expect(r.reporter).toMatch(/^[0-9a-f]{64}$/);
      expect(r.reporter).not.toContain('same-browser');
      expect(r.reporter).not.toContain('127.0.0.1');
    }
  });

  it('when many readers flag at once, the comment is reported exactly once', async () => {
    const id = await comment('busy');
    const answers = await Promise.all(Array.from({ length: 12 }, (_, i) => flag(id, { reason: 'spam', key: `crowd-${i}` })));
    expect(answers.map((a) => a.status)).toEqual(Array(12).fill(202));
    expect(await row(id)).toMatchObject({ status: 'pending', flag_count: 12 });
    const { rows } = await db.pool.query(`select count(*)::int as n from moderation_events where comment_id = $1 and action = 'report'`, [id]);
    expect(rows[0].n).toBe(1);
  });

  it('after a moderator approves a reported comment, it takes threshold new readers to report it again', async () => {
    const id = await comment('news');
    await flag(id, { reason: 'spam', key: 'x1' });
    await flag(id, { reason: 'spam', key: 'x2' });
    expect((await row(id)).status).toBe('pending');
    const c = new DashboardClient(api.url);
    await c.signIn('admin@example.org');
    expect((await c.post(`/admin/comments/${id}/status`, { action: 'approve' }, { json: true })).status).toBe(200);
    expect(await row(id)).toMatchObject({ status: 'approved', reported_at: null });
    await flag(id, { reason: 'spam', key: 'x3' });
    expect((await row(id)).status).toBe('approved');
    await flag(id, { reason: 'spam', key: 'x4' });
    expect((await row(id)).status).toBe('pending');
  });
});

describe('refused flags', () => {
  it('answers 404 for an unknown comment, a malformed id and a comment that is not published', async () => {
    for (const id of [randomUUID(), 'not-a-uuid']) {
      const res = await flag(id, { reason: 'spam', key: 'k' });
      expect(res.status).toBe(404);
      expect(((await res.json()) as { error: { code: string } }).error.code).toBe('NOT_FOUND');
    }
    const held = await comment('strict');
    expect((await row(held)).status).toBe('pending');
    expect((await flag(held, { reason: 'spam', key: 'k' })).status).toBe(404);
    expect(await row(held)).toMatchObject({ flag_count: 0, reported_at: null });
  });

  it('answers 403 to a page on a foreign origin, and counts nothing', async () => {
    const id = await comment('news');
    const res = await flag(id, { reason: 'spam', key: 'k' }, 'https://evil.example');
    expect(res.status).toBe(403);
    expect(((await res.json()) as { error: { code: string } }).error.code).toBe('ORIGIN_NOT_ALLOWED');
    expect((await row(id)).flag_count).toBe(0);
  });

  it.each([
    [{ reason: 'boring' }, 'INVALID_REASON', 'reason'],
    [{}, 'INVALID_REASON', 'reason'],
    [{ reason: 'spam', key: 42 }, 'INVALID_KEY', 'key'],
    [{ reason: 'spam', key: 'k'.repeat(201) }, 'INVALID_KEY', 'key'],
  ])('answers 422 to %j', async (body, code, field) => {
    const id = await comment('news');
    const res = await flag(id, body);
    expect(res.status).toBe(422);
    expect(await res.json()).toMatchObject({ error: { code, field } });
    expect((await row(id)).flag_count).toBe(0);
  });

  it('answers 415 to a body that is not JSON', async () => {
    const id = await comment('news');
    const res = await fetch(`${api.url}/api/comments/${id}/flag`, { method: 'POST', headers: { 'content-type': 'text/plain' }, body: 'spam' });
    expect(res.status).toBe(415);
  });
});
