import { get } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { COUNTS_CACHE_MS } from '../../src/http/public/public-routes.js';
import { addModerator, DashboardClient } from '../support/dashboard-client.js';
import { addSite, postJson, waitFor, waitForStored, type TestApi } from '../support/harness.js';
import { startPipeline, type TestPipeline } from '../support/pipeline.js';
import type { TestDatabase } from '../support/test-db.js';

/*
 * The API keeps rendered thread pages in memory (src/http/public/thread-cache.ts). These tests read a thread
 * so its pages are cached, change it every way the service can, and read again at once, with no
 * waiting or polling: the change must be there on the very next read, long before the cache's
 * time-to-live would have expired it.
 */
let pipeline: TestPipeline;
let db: TestDatabase;
let api: TestApi;
let moderator: DashboardClient;
let n = 0;

interface Thread {
  comments: { id: string; parent: string | null; html: string }[];
  nextCursor: string | null;
  total?: number;
}

async function read(page: string, query = ''): Promise<{ thread: Thread; etag: string | null }> {
  const res = await fetch(`${api.url}/api/comments?site=live&page=${page}${query}`);
  expect(res.status).toBe(200);
  return { thread: (await res.json()) as Thread, etag: res.headers.get('etag') };
}

const ids = (t: Thread): string[] => t.comments.map((c) => c.id);

/** Posts a comment and waits until the worker stored it; "live" publishes it, "held" holds it. */
async function stored(site: 'live' | 'held', page: string, extra: Record<string, unknown> = {}): Promise<string> {
  n += 1;
  const res = await postJson(
    api,
    { site, page, author: `Reader ${n}`, email: `r${n}@example.org`, body: `Comment ${n}`, ...extra },
    { origin: api.origin },
  );
  expect(res.status).toBe(202);
  const { id } = (await res.json()) as { id: string };
  await waitForStored(db.pool, id);
  return id;
}

/** GET with If-None-Match over node:http (fetch's own no-cache header would forbid a 304). */
function revalidate(path: string, etag: string): Promise<number | undefined> {
  return new Promise((resolve, reject) => {
    get(`${api.url}${path}`, { headers: { 'if-none-match': etag } }, (res) => {
      res.resume();
      resolve(res.statusCode);
    }).on('error', reject);
  });
}

async function threadVersion(page: string): Promise<number> {
  const { rows } = await db.pool.query('select thread_version from pages where site_id = $1 and identifier = $2', [
    'live',
    page,
  ]);
  return Number(rows[0].thread_version);
}

beforeAll(async () => {
  pipeline = await startPipeline();
  ({ db, api } = pipeline);
  await addSite(db.pool, 'live', [api.origin], { holdFirstTime: false, floodSeconds: 0 });
  await addModerator(db.pool, 'mod@example.org', 'moderator', ['live']);
  moderator = new DashboardClient(api.url);
  await moderator.signIn('mod@example.org');
});

afterAll(async () => {
  await pipeline?.close();
});

describe('a cached thread page', () => {
  it('shows a newly published comment on the next read, with the new total and a new ETag', async () => {
    const first = await stored('live', 'new-comment');
    const before = await read('new-comment');
    expect(ids(before.thread)).toEqual([first]);
    // A second read is served from memory: same bytes, same ETag, and If-None-Match still gets 304.
    expect((await read('new-comment')).etag).toBe(before.etag);
    expect(await revalidate('/api/comments?site=live&page=new-comment', before.etag!)).toBe(304);
    const second = await stored('live', 'new-comment');
    const after = await read('new-comment');
    expect(ids(after.thread)).toEqual([first, second]);
    expect(after.thread.total).toBe(2);
    expect(after.etag).not.toBe(before.etag);
    expect(await revalidate('/api/comments?site=live&page=new-comment', before.etag!)).toBe(200);
  });

  it('shows a held comment a moderator approves, and drops one a moderator deletes, at once', async () => {
    const kept = await stored('live', 'moderated');
    const held = await stored('live', 'moderated', { body: 'A held one' });
    // Held by hand (the live site publishes everything), as a moderator's queue would have it.
    await db.pool.query(`update comments set status = 'pending' where id = $1`, [held]);
    expect(ids((await read('moderated')).thread)).toEqual([kept]);
    expect((await moderator.post(`/admin/comments/${held}/status`, { action: 'approve' }, { json: true })).status).toBe(
      200,
    );
    expect(ids((await read('moderated')).thread)).toEqual([kept, held]);
    expect((await moderator.post(`/admin/comments/${kept}/status`, { action: 'delete' }, { json: true })).status).toBe(
      200,
    );
    const after = await read('moderated');
    expect(ids(after.thread)).toEqual([held]);
    expect(after.thread.total).toBe(1);
  });

  it("shows a moderator's edit at once", async () => {
    const id = await stored('live', 'edited', { body: 'Teh typo' });
    expect((await read('edited')).thread.comments[0]?.html).toBe('<p>Teh typo</p>');
    expect(
      (await moderator.post(`/admin/comments/${id}/edit`, { body: 'The *fixed* text' }, { json: true })).status,
    ).toBe(200);
    expect((await read('edited')).thread.comments[0]?.html).toBe('<p>The <em>fixed</em> text</p>');
  });

  it('refreshes every cached page of the thread, not only the first', async () => {
    const a = await stored('live', 'paged');
    const b = await stored('live', 'paged');
    const firstPage = await read('paged', '&limit=1');
    const cursor = firstPage.thread.nextCursor!;
    expect(ids((await read('paged', `&limit=1&cursor=${cursor}`)).thread)).toEqual([b]);
    await db.pool.query(`update comments set status = 'rejected' where id = $1`, [b]);
    const second = await read('paged', `&limit=1&cursor=${cursor}`);
    expect(second.thread).toEqual({ comments: [], nextCursor: null, closed: false, sort: 'oldest' });
    expect(ids((await read('paged', '&limit=1&order=newest')).thread)).toEqual([a]);
  });

  it('shows the first comment on a page that had none, cached while empty', async () => {
    expect((await read('was-empty')).thread).toEqual({
      comments: [],
      nextCursor: null,
      total: 0,
      closed: false,
      sort: 'oldest',
    });
    const id = await stored('live', 'was-empty');
    expect(ids((await read('was-empty')).thread)).toEqual([id]);
  });
});

describe("the thread's version (pages.thread_version, kept by triggers)", () => {
  it('moves on a change a reader sees, and stays for one nobody sees', async () => {
    const id = await stored('live', 'versioned');
    const v0 = await threadVersion('versioned');
    // A reader's flag, IP retention and a held comment arriving change nothing in the thread.
    await db.pool.query('update comments set flag_count = flag_count + 1 where id = $1', [id]);
    await db.pool.query(`update comments set ip = '10.0.0.0/24', user_agent = '' where id = $1`, [id]);
    await stored('live', 'versioned', { body: 'Arrives held' }).then((held) =>
      db.pool.query(`update comments set status = 'pending' where id = $1`, [held]),
    );
    const afterHeld = await threadVersion('versioned');
    // The held one was published by the worker first, then held: two visible changes, nothing else.
    expect(afterHeld).toBe(v0 + 2);
    await db.pool.query(`update comments set author_name = 'Erased' where id = $1`, [id]);
    expect(await threadVersion('versioned')).toBe(afterHeld + 1);
    await db.pool.query('delete from comments where id = $1', [id]);
    expect(await threadVersion('versioned')).toBe(afterHeld + 2);
  });
});

describe('cached counts', () => {
  it(`count a new comment within ${COUNTS_CACHE_MS} ms`, async () => {
    await stored('live', 'counted');
    const url = `${api.url}/api/counts?site=live&page=counted`;
    const before = (await (await fetch(url)).json()) as { counts: Record<string, number> };
    expect(before.counts.counted).toBe(1);
    await stored('live', 'counted');
    const since = Date.now();
    const counted = await waitFor(
      'the count to move',
      async () => {
        const now = (await (await fetch(url)).json()) as { counts: Record<string, number> };
        return now.counts.counted === 2 ? Date.now() - since : undefined;
      },
      COUNTS_CACHE_MS * 5,
      20,
    );
    // The cache's second, plus a poll and a request on a busy test machine.
    expect(counted).toBeLessThanOrEqual(COUNTS_CACHE_MS + 500);
  });
});
