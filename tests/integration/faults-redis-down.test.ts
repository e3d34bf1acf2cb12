import { randomUUID } from 'node:crypto';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { mintCommentId } from '../../src/domain/submission.js';
import { createPool, type Pool } from '../../src/store/db.js';
import { addSite, postJson, startApi, startWorker, waitFor, newQueuePrefix, type TestApi } from '../support/harness.js';
import { startPrivatePostgres, type PrivatePostgres } from '../support/private-postgres.js';
import { startPrivateRedis, type PrivateRedis } from '../support/private-redis.js';

// Redis is where an accepted comment lives until a worker stores it, so the API may only say 202 once
// Redis holds the job, and must say 503 (quickly, with Retry-After) when it cannot. The shared Redis on
// 6379 carries other files' queues and must never stop, so this file stops one of its own, with an
// append-only file so that a restart keeps what it had accepted.

const ENQUEUE_TIMEOUT_MS = 500;

let pg: PrivatePostgres;
let pool: Pool;
const closers: (() => Promise<void>)[] = [];

beforeAll(async () => {
  // Postgres is not under test here; a private cluster keeps this file clear of other runs' clean-ups.
  pg = await startPrivatePostgres();
  pool = createPool(pg.url, 10);
});

afterEach(async () => {
  for (const close of closers.splice(0).reverse()) await close().catch(() => {});
});

afterAll(async () => {
  await pool?.end();
  await pg?.destroy();
});

async function setUp(site: string): Promise<{ redis: PrivateRedis; api: TestApi }> {
  const redis = await startPrivateRedis({ appendonly: true });
  closers.push(() => redis.destroy());
  const api = await startApi({
    pool,
    redisUrl: redis.url,
    prefix: newQueuePrefix(),
    enqueueTimeoutMs: ENQUEUE_TIMEOUT_MS,
  });
  closers.push(() => api.close());
  await addSite(pool, site, [api.origin], { holdFirstTime: false, floodSeconds: 0 });
  return { redis, api };
}

const run = randomUUID().slice(0, 8);
let n = 0;

/** A distinct comment (own author, email and text), so no duplicate or flood rule can refuse it. */
function comment(site: string, extra: Record<string, unknown> = {}): Record<string, unknown> {
  n += 1;
  return {
    site,
    page: 'down',
    author: `Reader ${run}-${n}`,
    email: `reader-${run}-${n}@example.org`,
    body: `Comment ${n} of run ${run}.`,
    ...extra,
  };
}

async function submitAccepted(api: TestApi, body: Record<string, unknown>): Promise<string> {
  const res = await postJson(api, body, { origin: api.origin });
  expect(res.status, await res.clone().text()).toBe(202);
  return ((await res.json()) as { id: string }).id;
}

async function readStored(site: string): Promise<Map<string, { n: number; status: string; body: string }>> {
  const { rows } = await pool.query<{ id: string; n: number; status: string; body: string }>(
    'select id, count(*)::int as n, min(status) as status, min(body) as body from comments where site_id = $1 group by id',
    [site],
  );
  return new Map(rows.map((r) => [r.id, r]));
}

async function readyz(
  api: TestApi,
): Promise<{ status: number; body: { status: string; postgres: string; redis: string }; ms: number }> {
  const started = Date.now();
  const res = await fetch(`${api.url}/readyz`);
  return {
    status: res.status,
    body: (await res.json()) as { status: string; postgres: string; redis: string },
    ms: Date.now() - started,
  };
}

describe('Redis down', () => {
  // stop: SIGTERM, Redis writes its files and exits; kill: SIGKILL, only what was already in the
  // append-only file survives (appendfsync always: every acknowledged write).
  it.each(['stop', 'kill'] as const)(
    'when Redis is taken down (%s), posts are refused with a quick 503 and Retry-After, taken again once it is back, and nothing accepted before is lost',
    async (how) => {
      const site = `redis-${how}`;
      const { redis, api } = await setUp(site);
      const before = [];
      for (let i = 0; i < 20; i += 1) before.push(await submitAccepted(api, comment(site)));
      expect((await readyz(api)).status).toBe(200);

      await (how === 'stop' ? redis.stop() : redis.kill());
      const refusals: {
        status: number;
        retryAfter: string | null;
        code: string | undefined;
        ms: number;
        body: string;
      }[] = [];
      for (let i = 0; i < 5; i += 1) {
        const body = comment(site);
        const started = Date.now();
        const res = await postJson(api, body, { origin: api.origin });
        const json = (await res.json()) as { error?: { code?: string; message?: string } };
        refusals.push({
          status: res.status,
          retryAfter: res.headers.get('retry-after'),
          code: json.error?.code,
          ms: Date.now() - started,
          body: body.body as string,
        });
      }
      const down = await readyz(api);

      await redis.start();
      const restartedAt = Date.now();
      await waitFor('readyz to answer 200 again', async () => (await readyz(api)).status === 200, 15_000, 50);
      const backMs = Date.now() - restartedAt;
      const after = [];
      for (let i = 0; i < 20; i += 1) after.push(await submitAccepted(api, comment(site)));

      const worker = await startWorker({ pool, redisUrl: redis.url, prefix: api.queue.opts.prefix ?? '' });
      closers.push(() => worker.close());
      const accepted = [...before, ...after];
      const stored = await waitFor(
        'every accepted comment to be stored',
        async () => {
          const m = await readStored(site);
          return accepted.every((id) => m.has(id)) ? m : false;
        },
        20_000,
        100,
      ).catch(() => readStored(site));

      const lostBefore = before.filter((id) => !stored.has(id));
      const lostAfter = after.filter((id) => !stored.has(id));
      const refusedBodies = new Set(refusals.map((r) => r.body));
      const refusedButStored = [...stored.values()].filter((r) => refusedBodies.has(r.body)).length;
      console.log(
        `redis down (${how}): accepted ${before.length} before and ${after.length} after the outage; during it ${refusals.length} posts answered ` +
          `${[...new Set(refusals.map((r) => r.status))].join('/')} in ${Math.min(...refusals.map((r) => r.ms))}-${Math.max(...refusals.map((r) => r.ms))} ms ` +
          `(Retry-After ${refusals[0]?.retryAfter}, enqueue timeout ${ENQUEUE_TIMEOUT_MS} ms); readyz ${down.status} redis=${down.body.redis} in ${down.ms} ms; ` +
          `ready again ${backMs} ms after the restart; stored ${stored.size}, duplicates ${[...stored.values()].filter((r) => r.n > 1).length}, ` +
          `lost ${lostBefore.length + lostAfter.length}, refused-but-stored ${refusedButStored}, all stored ${((Date.now() - restartedAt) / 1000).toFixed(1)} s after restart`,
      );

      for (const r of refusals) {
        expect(r.status).toBe(503);
        expect(r.retryAfter).toMatch(/^[1-9]\d*$/);
        expect(r.code).toBe('QUEUE_UNAVAILABLE');
        expect(r.ms).toBeLessThan(ENQUEUE_TIMEOUT_MS + 1000);
      }
      expect(down.status).toBe(503);
      expect(down.body).toMatchObject({ status: 'unavailable', redis: 'unavailable', postgres: 'ok' });
      expect(lostBefore, 'accepted before the outage, lost with the restart').toEqual([]);
      expect(lostAfter, 'accepted after the outage, never stored').toEqual([]);
      expect(stored.size, 'stored something never accepted').toBe(accepted.length);
      expect([...stored.values()].every((r) => r.n === 1 && r.status === 'approved')).toBe(true);
    },
    60_000,
  );

  it('when Redis stalls past the enqueue timeout, the post is answered 503, and its retry with the same key is stored exactly once', async () => {
    const site = 'redis-stall';
    const { redis, api } = await setUp(site);
    const worker = await startWorker({ pool, redisUrl: redis.url, prefix: api.queue.opts.prefix ?? '' });
    closers.push(() => worker.close());
    // The widget and the demo form send an idempotency key with each comment; a reader's retry sends it again.
    const key = randomUUID();
    const body = comment(site, { key });

    redis.pause();
    const started = Date.now();
    const res = await postJson(api, body, { origin: api.origin });
    const stalledMs = Date.now() - started;
    const json = (await res.json()) as { error?: { code?: string } };
    redis.resume();

    // The stalled add may still land after the 503: the answer was "not taken", the truth "maybe".
    await new Promise((r) => setTimeout(r, 1000));
    const landedState = await api.queue.getJobState(mintCommentId(site, key));
    const retryId = await waitFor(
      'the retry to be accepted',
      async () => {
        const again = await postJson(api, body, { origin: api.origin });
        return again.status === 202 ? ((await again.json()) as { id: string }).id : false;
      },
      10_000,
      200,
    );
    const stored = await waitFor(
      'the comment to be stored',
      async () => {
        const m = await readStored(site);
        return m.has(retryId) ? m : false;
      },
      10_000,
      100,
    );
    console.log(
      `redis stalled (SIGSTOP): post answered ${res.status} ${json.error?.code} after ${stalledMs} ms; its job ` +
        `${landedState === 'unknown' ? 'never reached the queue' : `reached the queue anyway (${landedState})`}; retry with the same key ` +
        `accepted as ${retryId}; rows for this comment ${[...stored.values()].reduce((s, r) => s + r.n, 0)}`,
    );

    expect(res.status).toBe(503);
    expect(json.error?.code).toBe('QUEUE_UNAVAILABLE');
    expect(stalledMs).toBeLessThan(ENQUEUE_TIMEOUT_MS + 1000);
    expect(stored.size).toBe(1);
    expect(stored.get(retryId)).toMatchObject({ n: 1, status: 'approved' });
  }, 60_000);
});
