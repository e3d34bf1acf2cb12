import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPool, type Pool } from '../../src/store/db.js';
import { seconds, sleep, startPosting, tally, waitAllStored, type Posted } from '../support/fault-load.js';
import { addSite, deleteQueueKeys, newQueuePrefix, startApi, startWorker, type TestApi } from '../support/harness.js';
import { startPrivatePostgres, type PrivatePostgres } from '../support/private-postgres.js';
import { startPrivateRedis, type PrivateRedis } from '../support/private-redis.js';
import { startTcpProxy, type TcpProxy } from '../support/tcp-proxy.js';

// The network between the processes and their servers turns bad without going down: slow (every
// chunk delayed), stalled (connections open, nothing moves: no RST, no error, only silence), or reset.
// The API and the worker reach Postgres and Redis only through in-test TCP proxies, so each can be
// made to misbehave. The API must keep answering quickly (202, or 503 with Retry-After when Redis is
// silent), and once the network is good again every accepted comment must be stored exactly once.

const ENQUEUE_TIMEOUT_MS = 1000;
/** Short so a stalled query gives up (client side after this + 5 s) well within the test. */
const STATEMENT_TIMEOUT_MS = 1000;

let pg: PrivatePostgres;
let redis: PrivateRedis;
let pgProxy: TcpProxy;
let redisProxy: TcpProxy;
let observer: Pool;
let apiPool: Pool;
let workerPool: Pool;
let api: TestApi;
let worker: { close(): Promise<void> };
const prefix = newQueuePrefix();
const site = 'bad-network';

beforeAll(async () => {
  [pg, redis] = await Promise.all([startPrivatePostgres(), startPrivateRedis({ appendonly: false })]);
  [pgProxy, redisProxy] = await Promise.all([startTcpProxy({ port: pg.port }), startTcpProxy({ port: redis.port })]);
  const viaProxy = pg.url.replace(`:${pg.port}/`, `:${pgProxy.port}/`);
  const redisViaProxy = `redis://127.0.0.1:${redisProxy.port}`;
  observer = createPool(pg.url, 4);
  apiPool = createPool(viaProxy, 10, { statementTimeoutMs: STATEMENT_TIMEOUT_MS });
  workerPool = createPool(viaProxy, 10, { statementTimeoutMs: STATEMENT_TIMEOUT_MS });
  api = await startApi({ pool: apiPool, redisUrl: redisViaProxy, prefix, enqueueTimeoutMs: ENQUEUE_TIMEOUT_MS });
  await addSite(observer, site, [api.origin], { holdFirstTime: false, floodSeconds: 0 });
  worker = await startWorker({ pool: workerPool, redisUrl: redisViaProxy, prefix });
});

afterAll(async () => {
  await worker?.close().catch(() => {});
  await api?.close();
  await Promise.all([apiPool?.end(), workerPool?.end(), observer?.end()]);
  await Promise.all([pgProxy?.close(), redisProxy?.close()]);
  await Promise.all([pg?.destroy(), redis?.destroy(), deleteQueueKeys(prefix, redis.url).catch(() => {})]);
});

async function timedGet(path: string): Promise<{ status: number; ms: number; retryAfter: string | null }> {
  const started = Date.now();
  const res = await fetch(`${api.url}${path}`);
  await res.arrayBuffer();
  return { status: res.status, ms: Date.now() - started, retryAfter: res.headers.get('retry-after') };
}

const stats = (ps: Posted[]): string => {
  const ms = ps.map((p) => p.ms).sort((a, b) => a - b);
  const codes = [...new Set(ps.map((p) => p.status))].join('/');
  return `${ps.length} posts ${codes}, median ${ms[Math.floor(ms.length / 2)] ?? 0} ms, max ${ms[ms.length - 1] ?? 0} ms`;
};

describe('a slow, stalling and resetting network to Postgres and Redis', () => {
  it('the API answers quickly throughout, and every accepted comment is stored exactly once when the network is good again', async () => {
    let phase = 'normal';
    const posting = startPosting(api, site, { clients: 3, pauseMs: 30, phase: () => phase });
    await sleep(1000);

    // Slow: 25 ms on every chunk, both ways, to both servers.
    phase = 'slow';
    pgProxy.setDelay(25);
    redisProxy.setDelay(25);
    await sleep(3000);
    pgProxy.setDelay(0);
    redisProxy.setDelay(0);

    // Redis silent for 3 s: posts must get 503 + Retry-After within the enqueue timeout.
    phase = 'redis-stall';
    redisProxy.stall();
    await sleep(300);
    const readyRedisStalled = await timedGet('/readyz');
    await sleep(2700);
    redisProxy.resume();
    phase = 'after-redis';
    await sleep(1500);

    // Postgres silent for 8 s: intake does not need it (202s go on); the worker's queries give up
    // (query timeout) and retry; readiness says so within a second instead of hanging.
    phase = 'pg-stall';
    pgProxy.stall();
    await sleep(500);
    const readyPgStalled = await timedGet('/readyz');
    await sleep(7500);
    pgProxy.resume();
    phase = 'after-pg';
    await sleep(1500);

    // Every connection reset at once, both servers.
    phase = 'reset';
    pgProxy.resetAll();
    redisProxy.resetAll();
    await sleep(2000);
    phase = 'good';
    await sleep(1000);
    const posted = await posting.stop();
    const goodAt = Date.now();

    const accepted = posted.flatMap((p) => (p.id === null ? [] : [p.id]));
    const { stored, at } = await waitAllStored(observer, site, accepted, 30_000);
    const t = tally(accepted, stored);
    const byPhase = (ph: string): Posted[] => posted.filter((p) => p.phase === ph);
    const redisStalled = byPhase('redis-stall');
    const refusedSlow = redisStalled.filter((p) => p.status === 503 && p.ms > ENQUEUE_TIMEOUT_MS + 500);
    const after = await timedGet('/readyz');
    const failed = await api.queue.getFailedCount();
    console.log(
      `bad network: slow ${stats(byPhase('slow'))}; redis stalled ${stats(redisStalled)}, readyz ${readyRedisStalled.status} in ${readyRedisStalled.ms} ms; ` +
        `pg stalled ${stats(byPhase('pg-stall'))}, readyz ${readyPgStalled.status} in ${readyPgStalled.ms} ms; reset ${stats(byPhase('reset'))}; ` +
        `accepted ${t.accepted}, stored ${t.stored}, duplicates ${t.duplicates}, lost ${t.lost.length}, refused-but-stored ${t.unexpected}, failed jobs ${failed}; ` +
        `time to recover ${seconds(at - goodAt)} s after the network was good`,
    );

    // Slow is not down: most posts go through; one that needs longer than the enqueue timeout is told
    // 503 + Retry-After (never a hang), and its job may still land (counted as refused-but-stored:
    // a 503 means "maybe", which is why the widget retries with the same idempotency key).
    const slow = byPhase('slow');
    expect(slow.filter((p) => p.status === 202).length).toBeGreaterThan(slow.length * 0.8);
    expect(slow.every((p) => p.status === 202 || (p.status === 503 && p.retryAfter !== null))).toBe(true);
    expect(redisStalled.some((p) => p.status === 503)).toBe(true);
    for (const p of redisStalled.filter((q) => q.status !== 202)) {
      expect(p.status).toBe(503);
      expect(p.retryAfter).toMatch(/^[1-9]\d*$/);
    }
    expect(refusedSlow).toEqual([]);
    expect(readyRedisStalled.status).toBe(503);
    expect(readyRedisStalled.ms).toBeLessThan(1500);
    expect(byPhase('pg-stall').every((p) => p.status === 202)).toBe(true);
    expect(readyPgStalled.status).toBe(503);
    expect(readyPgStalled.ms).toBeLessThan(1500);
    expect(posted.filter((p) => p.status === 0 || (p.status >= 500 && p.status !== 503))).toEqual([]);
    expect(t.lost).toEqual([]);
    expect(t.duplicates).toBe(0);
    expect(failed).toBe(0);
    expect(after.status).toBe(200);
  }, 60_000);
});
