import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addModerator, DashboardClient } from '../support/dashboard-client.js';
import { addSite, postJson, waitFor, waitForStored, type TestApi } from '../support/harness.js';
import { startPipeline, type TestPipeline } from '../support/pipeline.js';
import type { TestDatabase } from '../support/test-db.js';
import { readEvents } from '../support/sse-reader.js';

// The live queue over HTTP: GET /admin/live relays the worker's pub/sub events to signed-in moderators,
// each stream filtered to the moderator's sites; GET /admin/cards/:id renders the card to insert.
let db: TestDatabase;
let api: TestApi;
let pipeline: TestPipeline;
let n = 0;

async function held(site: string): Promise<string> {
  n += 1;
  const res = await postJson(
    api,
    { site, page: 'p', author: `Author ${n}`, email: `live${n}@example.org`, body: `Held comment ${n}` },
    { origin: api.origin },
  );
  expect(res.status).toBe(202);
  return ((await res.json()) as { id: string }).id;
}

beforeAll(async () => {
  pipeline = await startPipeline();
  ({ db, api } = pipeline);
  await addSite(db.pool, 'news', [api.origin], { holdFirstTime: true, floodSeconds: 0 });
  await addSite(db.pool, 'blog', [api.origin], { holdFirstTime: true, floodSeconds: 0 });
  await addModerator(db.pool, 'news-mod@example.org', 'moderator', ['news']);
});

afterAll(async () => {
  await pipeline?.close();
});

describe('the live queue stream', () => {
  it('a signed-out request gets 401, with or without an event-stream Accept header', async () => {
    const anon = new DashboardClient(api.url);
    expect((await anon.get('/admin/live', { accept: 'text/event-stream' })).status).toBe(401);
    expect((await anon.get('/admin/live')).status).toBe(401);
    expect((await anon.get('/admin/cards/00000000-0000-4000-8000-000000000000')).status).toBe(401);
  });

  it("a moderator's stream gets an event for a comment held on their site, and none for another site's", async () => {
    const mod = new DashboardClient(api.url);
    await mod.signIn('news-mod@example.org');
    const res = await mod.get('/admin/live', { accept: 'text/event-stream' });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/event-stream/);
    const stream = readEvents(res);
    try {
      await waitFor('the stream to be ready', () => stream.events.some((e) => e.event === 'ready'));

      // The other site's comment first, stored before ours is even posted: had the stream not been
      // filtered, its event would have arrived before ours on the one ordered channel.
      const other = await held('blog');
      expect((await waitForStored(db.pool, other)).status).toBe('pending');
      const ours = await held('news');
      expect((await waitForStored(db.pool, ours)).status).toBe('pending');

      const event = await waitFor('the news event', () => stream.events.find((e) => e.event === 'comment'));
      expect(JSON.parse(event.data)).toEqual({ id: ours, siteId: 'news', status: 'pending' });
      expect(
        stream.events
          .filter((e) => e.event === 'comment')
          .map((e) => e.data)
          .join(),
      ).not.toContain(other);
    } finally {
      await stream.stop();
    }
  });

  it("renders a held card on the moderator's site for admin.js to insert, and not another site's", async () => {
    const mod = new DashboardClient(api.url);
    await mod.signIn('news-mod@example.org');
    const ours = await held('news');
    const other = await held('blog');
    await waitForStored(db.pool, ours);
    await waitForStored(db.pool, other);

    const card = await mod.get(`/admin/cards/${ours}?tab=pending`);
    expect(card.status).toBe(200);
    const fragment = await card.text();
    expect(fragment).toMatch(new RegExp(`^<article class="rd-card" id="card-${ours}"`));
    expect(fragment).toContain('First comment');
    expect(fragment).toContain('data-key="a"');

    expect((await mod.get(`/admin/cards/${other}?tab=pending`)).status).toBe(404);
    // Already out of the asked-for queue (here: it is pending, not spam): nothing to insert.
    expect((await mod.get(`/admin/cards/${ours}?tab=spam`)).status).toBe(404);
  });
});
