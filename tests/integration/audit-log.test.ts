import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addSite, postJson, waitForStored, type TestApi } from '../support/harness.js';
import { addModerator, DashboardClient } from '../support/dashboard-client.js';
import { startPipeline, type TestPipeline } from '../support/pipeline.js';
import type { TestDatabase } from '../support/test-db.js';

// The audit log at /admin/audit: what moderators did, filterable, newest first, paged by keyset, every
// reader- and moderator-written value escaped; and moderation_events refuses changes from the app.
let db: TestDatabase;
let api: TestApi;
let pipeline: TestPipeline;
let n = 0;

async function held(site: string, body?: string): Promise<string> {
  n += 1;
  const res = await postJson(
    api,
    { site, page: 'p', author: `Author ${n}`, email: `a${n}@example.org`, body: body ?? `Held comment ${n}` },
    { origin: api.origin },
  );
  expect(res.status).toBe(202);
  const { id } = (await res.json()) as { id: string };
  await waitForStored(db.pool, id);
  return id;
}

/** The ids of the event rows on an audit page, in order. */
function eventIds(page: string): number[] {
  return [...page.matchAll(/<tr id="event-(\d+)"/g)].map((m) => Number(m[1]));
}

function nextLink(page: string): string | null {
  const href = /<a href="([^"]+)" rel="next">/.exec(page)?.[1];
  return href ? href.replace(/&amp;/g, '&') : null;
}

async function admin(): Promise<DashboardClient> {
  const c = new DashboardClient(api.url);
  await c.signIn('admin@example.org');
  return c;
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

describe('the audit page', () => {
  it('shows who did what to which comment, before and after, with edits’ text escaped, newest first', async () => {
    const mod = new DashboardClient(api.url);
    await mod.signIn('mod@example.org');
    const id = await held('news');
    expect((await mod.post(`/admin/comments/${id}/status`, { action: 'approve' }, { json: true })).status).toBe(200);
    expect(
      (await mod.post(`/admin/comments/${id}/edit`, { body: 'Now with <img src=x onerror=alert(1)>' }, { json: true }))
        .status,
    ).toBe(200);
    expect(
      (
        await mod.post(
          '/admin/bans',
          { site: 'news', kind: 'email', value: 'spammer@example.org', reason: '<b>rude</b>' },
          { json: true },
        )
      ).status,
    ).toBe(200);

    const c = await admin();
    const page = await c.page(`/admin/audit?site=news`);
    const { rows } = await db.pool.query<{ id: number; action: string }>(
      `select id, action from moderation_events where site_id = 'news' order by created_at desc, id desc`,
    );
    expect(eventIds(page)).toEqual(rows.map((r) => r.id));
    expect(rows.map((r) => r.action).slice(0, 3)).toEqual(['ban', 'edit', 'approve']);
    expect(page).toContain('mod@example.org');
    expect(page).toContain('pending → approved');
    // The comment links into the queue (its current tab, found by id) and to its own history.
    expect(page).toContain(`href="/admin?tab=approved&amp;q=${id}"`);
    expect(page).toContain(`href="/admin/audit?comment=${id}"`);
    expect(page).toContain(`<pre class="rd-after">Now with &lt;img src=x onerror=alert(1)&gt;</pre>`);
    expect(page).toContain(`<pre class="rd-before">Held comment ${n}</pre>`);
    expect(page).toContain('spammer@example.org — &lt;b&gt;rude&lt;/b&gt;');
    expect(page).not.toContain('<img src=x');
  });

  it('filters by actor, action, site, comment and date range', async () => {
    const c = await admin();
    const id = await held('blog');
    expect((await c.post(`/admin/comments/${id}/status`, { action: 'reject' }, { json: true })).status).toBe(200);
    await db.pool.query(
      `insert into moderation_events (actor, action, site_id, created_at, detail) values ('cli', 'trust', 'blog', '2020-01-15T12:00:00Z', '{"email":"old@example.org"}')`,
    );

    const byComment = await c.page(`/admin/audit?comment=${id}`);
    expect(eventIds(byComment)).toHaveLength(1);
    expect(byComment).toContain('pending → rejected');

    const byActor = await c.page('/admin/audit?actor=ADMIN@example.org');
    const { rows: adminRows } = await db.pool.query(
      `select id from moderation_events where actor = 'admin@example.org' order by id desc`,
    );
    expect(eventIds(byActor)).toEqual(adminRows.map((r) => r.id));

    const byAction = await c.page('/admin/audit?action=reject&site=blog');
    expect(eventIds(byAction)).toHaveLength(1);
    expect(await c.page('/admin/audit?action=reject&site=news')).toContain('Nothing recorded for this filter.');

    const old = await c.page('/admin/audit?from=2020-01-15&to=2020-01-15');
    expect(old).toContain('old@example.org');
    expect(eventIds(old)).toHaveLength(1);
    expect(eventIds(await c.page('/admin/audit?to=2020-01-14'))).toHaveLength(0);
    expect(await c.page('/admin/audit?from=2020-01-16')).not.toContain('old@example.org');

    expect((await c.get('/admin/audit?comment=nope')).status).toBe(400);
    expect((await c.get('/admin/audit?from=yesterday')).status).toBe(400);
    expect((await c.get('/admin/audit?cursor=garbage')).status).toBe(400);
  });

  it('pages by keyset through events that share a timestamp, without repeating or skipping any', async () => {
    // 130 events in one statement: one created_at for all, so only the id orders them.
    await db.pool.query(
      `insert into moderation_events (actor, action, site_id, detail)
       select 'cli', 'untrust', 'news', jsonb_build_object('email', 'p' || g || '@example.org') from generate_series(1, 130) g`,
    );
    const c = await admin();
    const seen: number[] = [];
    let url: string | null = '/admin/audit?actor=cli&action=untrust';
    let pages = 0;
    while (url !== null) {
      const page = await c.page(url);
      seen.push(...eventIds(page));
      url = nextLink(page);
      pages += 1;
    }
    expect(pages).toBe(3);
    const { rows } = await db.pool.query(
      `select id from moderation_events where actor = 'cli' and action = 'untrust' order by created_at desc, id desc`,
    );
    expect(seen).toEqual(rows.map((r) => r.id));
  });

  it('shows a bulk batch as its summary row, and every change in it when filtered by batch', async () => {
    const ids = [await held('news'), await held('news'), await held('news')];
    const batch = randomUUID();
    await db.pool.query(
      `with s as (insert into moderation_events (actor_id, actor, action, site_id, batch_id, detail)
                  values (null, 'admin@example.org', 'bulk', 'news', $1, '{"action":"approve","scope":"filter"}'))
       insert into moderation_events (actor, action, site_id, comment_id, from_status, to_status, batch_id)
       select 'admin@example.org', 'approve', 'news', id, 'pending', 'approved', $1 from unnest($2::uuid[]) id`,
      [batch, ids],
    );
    const c = await admin();
    const page = await c.page('/admin/audit?site=news');
    expect(page).toContain('Bulk action');
    expect(page).toContain('3 comments changed.');
    const { rows } = await db.pool.query<{ id: number; comment_id: string | null }>(
      'select id, comment_id from moderation_events where batch_id = $1',
      [batch],
    );
    const summary = rows.find((r) => r.comment_id === null)!;
    const shown = eventIds(page);
    expect(shown).toContain(summary.id);
    for (const r of rows.filter((x) => x.comment_id !== null)) expect(shown).not.toContain(r.id);

    const all = await c.page(`/admin/audit?batch=${batch}`);
    expect(eventIds(all).sort()).toEqual(rows.map((r) => r.id).sort());
    expect(all).toContain(`href="/admin/audit?batch=${batch}"`);
    // Filtering by one of its comments shows that comment's row too.
    expect(eventIds(await c.page(`/admin/audit?comment=${ids[0]}`))).toHaveLength(1);
  });

  it('is for admins only: a moderator gets 403 and a signed-out visitor is sent to sign in', async () => {
    const mod = new DashboardClient(api.url);
    await mod.signIn('mod@example.org');
    expect((await mod.get('/admin/audit')).status).toBe(403);
    expect(await mod.page('/admin')).not.toContain('href="/admin/audit"');
    const anon = new DashboardClient(api.url);
    const res = await anon.get('/admin/audit');
    expect(res.status).toBe(303);
    expect(res.headers.get('location')).toBe('/admin/sign-in?next=%2Fadmin%2Faudit');
  });
});

describe('append-only', () => {
  it('refuses UPDATE and DELETE on moderation_events from the application’s connection', async () => {
    await db.pool.query(
      `insert into moderation_events (actor, action, site_id, detail) values ('cli', 'trust', 'news', '{}')`,
    );
    const { rows } = await db.pool.query<{ n: number }>('select count(*)::int as n from moderation_events');
    await expect(db.pool.query(`update moderation_events set actor = 'someone else'`)).rejects.toMatchObject({
      code: '42501',
      message: expect.stringContaining('append-only'),
    });
    await expect(db.pool.query(`delete from moderation_events where actor = 'cli'`)).rejects.toMatchObject({
      code: '42501',
    });
    const after = await db.pool.query<{ n: number; someone: number }>(
      `select count(*)::int as n, count(*) filter (where actor = 'someone else')::int as someone from moderation_events`,
    );
    expect(after.rows[0]).toEqual({ n: rows[0]!.n, someone: 0 });
  });
});
