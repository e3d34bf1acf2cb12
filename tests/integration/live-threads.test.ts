import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Redis } from 'ioredis';
import { createReaderSession } from '../../src/readers/reader-sessions.js';
import { upsertReader } from '../../src/readers/reader-store.js';
import { threadLogKey } from '../../src/queue/live-threads.js';
import { addModerator, DashboardClient } from '../support/dashboard-client.js';
import {
  addSite,
  deleteQueueKeys,
  newQueuePrefix,
  postJson,
  startApi,
  startWorker,
  TEST_REDIS_URL,
  waitFor,
  waitForStored,
  type TestApi,
} from '../support/harness.js';
import { seedThread } from '../support/seed-thread.js';
import { readEvents, type SseEvent } from '../support/sse-reader.js';
import { createTestDatabase, type TestDatabase } from '../support/test-db.js';

// Issue 15, item 4: live threads for readers. GET /api/live streams a page's new comments, votes,
// removals and closure; two API processes share one prefix, so what one announces reaches streams on
// the other, as behind a load balancer. Real Postgres, Redis, a worker, and the desk over HTTP.
let db: TestDatabase;
let one: TestApi;
let two: TestApi;
let worker: { close(): Promise<void> };
let redis: Redis;
const prefix = newQueuePrefix();
const open: { stop(): Promise<void> }[] = [];

async function live(
  api: TestApi,
  page: string,
  opts: { lastEventId?: string; ip?: string; site?: string; origin?: string } = {},
): Promise<{ res: Response; events: SseEvent[]; comments: string[]; stop(): Promise<void> }> {
  const res = await fetch(`${api.url}/api/live?site=${opts.site ?? 'live'}&page=${page}`, {
    headers: {
      origin: opts.origin ?? api.origin,
      accept: 'text/event-stream',
      'x-forwarded-for': opts.ip ?? '203.0.113.50',
      ...(opts.lastEventId ? { 'last-event-id': opts.lastEventId } : {}),
    },
  });
  if (res.status !== 200) return { res, events: [], comments: [], stop: async () => {} };
  const stream = readEvents(res);
  open.push(stream);
  await waitFor('the ready event', () => stream.events.some((e) => e.event === 'ready'));
  return { res, ...stream };
}

function named(events: SseEvent[], name: string): unknown[] {
  return events.filter((e) => e.event === name).map((e) => JSON.parse(e.data) as unknown);
}

async function threadItem(api: TestApi, page: string, id: string): Promise<unknown> {
  const res = await fetch(`${api.url}/api/comments?site=live&page=${page}`, { headers: { origin: api.origin } });
  const { comments } = (await res.json()) as { comments: { id: string }[] };
  return comments.find((c) => c.id === id);
}

async function desk(api: TestApi): Promise<DashboardClient> {
  const c = new DashboardClient(api.url);
  await c.signIn('live-mod@example.org');
  return c;
}

beforeAll(async () => {
  db = await createTestDatabase();
  [one, two] = await Promise.all([
    startApi({ pool: db.pool, prefix, trustProxy: 'loopback', liveHeartbeatMs: 300 }),
    startApi({ pool: db.pool, prefix, trustProxy: 'loopback', liveHeartbeatMs: 300 }),
  ]);
  worker = await startWorker({ pool: db.pool, prefix });
  redis = new Redis(TEST_REDIS_URL);
  await addSite(db.pool, 'live', [one.origin, two.origin], { floodSeconds: 0, votes: 'updown', holdFirstTime: false });
  await Promise.all([one.sites.refresh(), two.sites.refresh()]);
  await addModerator(db.pool, 'live-mod@example.org', 'moderator', ['live']);
}, 60_000);

afterAll(async () => {
  await Promise.all(open.map((s) => s.stop()));
  await worker?.close();
  await one?.close();
  await two?.close();
  redis?.disconnect();
  await deleteQueueKeys(prefix);
  await db?.drop();
});

describe('GET /api/live', () => {
  it('a comment the checks publish reaches a stream on another API process, as the thread lists it; other pages hear nothing', async () => {
    const here = await live(two, 'story');
    const elsewhere = await live(two, 'another-story');
    expect(here.res.headers.get('content-type')).toMatch(/^text\/event-stream/);
    const res = await postJson(
      one,
      { site: 'live', page: 'story', author: 'Ada', email: 'ada@example.org', body: 'Live from the scene.' },
      { origin: one.origin },
    );
    const { id } = (await res.json()) as { id: string };
    await waitForStored(db.pool, id);
    await waitFor('the comment event', () => named(here.events, 'comment').length === 1);
    // As `two`'s own thread lists it: an avatar URL starts with the process's public URL, which only
    // tests give each process a port of its own (the avatar hash is the same on both).
    expect(named(here.events, 'comment')[0]).toEqual(await threadItem(two, 'story', id));
    // Every event carries the log's id, so a reconnect can resume after it.
    expect(here.events.find((e) => e.event === 'comment')?.id).toMatch(/^\d+-\d+$/);
    expect(named(elsewhere.events, 'comment')).toEqual([]);
  });

  it("a moderator's approve is a comment, a reject is removed; votes arrive as counts", async () => {
    const [held] = await seedThread(db.pool, 'live', 'desk-story', [{ at: 0, status: 'pending' }]);
    const stream = await live(two, 'desk-story');
    const mod = await desk(one);
    expect((await mod.post(`/admin/comments/${held}/status`, { action: 'approve' }, { json: true })).status).toBe(200);
    await waitFor('the approved comment', () => named(stream.events, 'comment').length === 1);
    expect(named(stream.events, 'comment')[0]).toMatchObject({ id: held, up: 0, down: 0 });

    const r = await upsertReader(db.pool, {
      siteId: 'live',
      via: 'sso',
      identity: 'sso:live-voter',
      name: 'Voter',
      email: 'voter@example.org',
    });
    const token = (await createReaderSession(db.pool, r.id)).token;
    const vote = await fetch(`${one.url}/api/comments/${held}/vote`, {
      method: 'PUT',
      headers: { 'content-type': 'application/json', origin: one.origin, authorization: `Bearer ${token}` },
      body: JSON.stringify({ value: -1 }),
    });
    expect(vote.status).toBe(200);
    await waitFor('the vote event', () => named(stream.events, 'vote').length === 1);
    expect(named(stream.events, 'vote')[0]).toEqual({ id: held, up: 0, down: 1 });

    await mod.post(`/admin/comments/${held}/status`, { action: 'reject' }, { json: true });
    await waitFor('the removed event', () => named(stream.events, 'removed').length === 1);
    expect(named(stream.events, 'removed')[0]).toEqual({ id: held });
    // In the order they happened, each once.
    expect(stream.events.filter((e) => e.id !== undefined && e.event !== 'ready').map((e) => e.event)).toEqual([
      'comment',
      'vote',
      'removed',
    ]);
  });

  it('a page closed from the desk says closed within a heartbeat; a stream opened on a closed page says so at once', async () => {
    await seedThread(db.pool, 'live', 'closing', [{ at: 0 }]);
    const stream = await live(two, 'closing');
    const mod = await desk(one);
    await mod.page('/admin/pages?site=live');
    expect((await mod.post('/admin/pages/close', { site: 'live', page: 'closing' })).status).toBe(303);
    await waitFor('the closed event', () => named(stream.events, 'closed').length === 1);
    expect(named(stream.events, 'closed')[0]).toEqual({ reason: 'by-hand' });
    // Heartbeats keep the stream open through proxies.
    expect(stream.comments).toContain('heartbeat');
    const later = await live(one, 'closing');
    expect(named(later.events, 'ready')[0]).toEqual({ closed: true });
    expect(named(later.events, 'closed')).toEqual([{ reason: 'by-hand' }]);
  });

  it('Last-Event-ID resumes after what the reader saw; a log trimmed past it says reset', async () => {
    const [a, b] = await seedThread(db.pool, 'live', 'resume', [
      { at: 0, status: 'pending' },
      { at: 1, status: 'pending' },
    ]);
    const first = await live(one, 'resume');
    const since = first.events.find((e) => e.event === 'ready')?.id;
    expect(since).toMatch(/^\d+-\d+$/);
    await first.stop();
    const mod = await desk(one);
    await mod.post(`/admin/comments/${a}/status`, { action: 'approve' }, { json: true });
    await mod.post(`/admin/comments/${b}/status`, { action: 'approve' }, { json: true });
    // Both announced (the log has them) before the reader comes back.
    await waitFor('the log', async () => (await redis.xlen(threadLogKey(prefix, 'live'))) > 0);
    const again = await live(two, 'resume', { lastEventId: since });
    expect(named(again.events, 'comment').map((c) => (c as { id: string }).id)).toEqual([a, b]);
    const back = again.events.find((e) => e.event === 'ready')?.id as string;
    // Nothing new since: resuming from the last id replays nothing.
    const idle = await live(two, 'resume', { lastEventId: back });
    expect(named(idle.events, 'comment')).toEqual([]);
    // The log loses its old entries (as MAXLEN trims a busy site's): the reader must reload.
    await redis.xtrim(threadLogKey(prefix, 'live'), 'MAXLEN', 0);
    const gone = await live(two, 'resume', { lastEventId: since });
    expect(gone.events.map((e) => e.event).slice(0, 2)).toEqual(['reset', 'ready']);
    expect(named(gone.events, 'comment')).toEqual([]);
  });

  it('is capped per network (IPv4 address or IPv6 /64), not for everyone', async () => {
    const streams = [];
    for (let i = 0; i < 10; i++) streams.push(await live(one, 'capped', { ip: '198.51.100.7' }));
    const over = await live(one, 'capped', { ip: '198.51.100.7' });
    expect(over.res.status).toBe(429);
    expect(((await over.res.json()) as { error: { code: string } }).error.code).toBe('TOO_MANY_STREAMS');
    expect(over.res.headers.get('retry-after')).toBe('30');
    // Another reader is not shut out; the cap is per process, so the other API has its own count.
    expect((await live(one, 'capped', { ip: '198.51.100.8' })).res.status).toBe(200);
    // One /64 is one network.
    for (let i = 0; i < 10; i++) await live(one, 'capped', { ip: `2001:db8:1:2::${i + 1}` });
    expect((await live(one, 'capped', { ip: '2001:db8:1:2::ff' })).res.status).toBe(429);
    // Closing a stream frees its place.
    await streams[0]!.stop();
    await waitFor('a freed place', async () => (await live(one, 'capped', { ip: '198.51.100.7' })).res.status === 200);
  });

  it('bad requests get JSON errors, never a stream', async () => {
    const bad = [
      [await live(one, 'x', { site: 'nope' }), 404, 'UNKNOWN_SITE'],
      [await live(one, 'x', { origin: 'https://elsewhere.example' }), 403, 'ORIGIN_NOT_ALLOWED'],
      [await live(one, 'x', { lastEventId: 'yesterday' }), 400, 'INVALID_CURSOR'],
    ] as const;
    for (const [r, status, code] of bad) {
      expect(r.res.status).toBe(status);
      expect(((await r.res.json()) as { error: { code: string } }).error.code).toBe(code);
    }
  });
});
