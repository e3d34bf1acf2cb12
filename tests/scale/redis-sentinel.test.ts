import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPool, type Pool } from '../../src/store/db.js';
import { failoverReport, sleep, startPosting, tally, waitAllStored } from '../support/fault-load.js';
import { addSite, newQueuePrefix, startApi, startWorker, type TestApi } from '../support/harness.js';
import { startPrivatePostgres, type PrivatePostgres } from '../support/private-postgres.js';
import { startSentinelSet, type SentinelSet } from '../support/redis-sentinel.js';

/*
 * Issue 18, item 2: Redis behind Sentinel, a master killed under load. The API and the worker are given
 * only the sentinels (src/redis.ts); after SIGKILL on the master the sentinels promote its replica
 * (down after 1 s here) and every connection finds the new master by asking them again. Intake waits
 * for the replica to hold each submission (REDIS_WAIT_REPLICAS=1), so a comment answered 202 cannot die
 * with the master: the test counts accepted, stored, lost and doubled, and the time to recover.
 */

let pg: PrivatePostgres;
let pool: Pool;
let set: SentinelSet;
let api: TestApi;
let worker: { close(): Promise<void> };
const site = 'sentinel';

beforeAll(async () => {
  pg = await startPrivatePostgres();
  pool = createPool(pg.url, 10);
  set = await startSentinelSet();
  const prefix = newQueuePrefix();
  api = await startApi({
    pool,
    redisUrl: set.address,
    prefix,
    enqueueTimeoutMs: 1000,
    waitReplicas: { replicas: 1, timeoutMs: 500 },
  });
  worker = await startWorker({ pool, redisUrl: set.address, prefix });
  await addSite(pool, site, [api.origin], { holdFirstTime: false, floodSeconds: 0 });
}, 120_000);

afterAll(async () => {
  await worker?.close().catch(() => {});
  await api?.close().catch(() => {});
  await set?.destroy();
  await pool?.end();
  await pg?.destroy();
});

describe('Redis Sentinel: the master SIGKILLed under load', () => {
  it('the replica takes over; every comment answered 202 is stored once', async () => {
    const firstMaster = await set.masterPort();
    expect(firstMaster).toBe(set.master.port);
    let phase = 'before';
    const load = startPosting(api, site, { clients: 8, pauseMs: 20, phase: () => phase });
    await sleep(2000);
    phase = 'during';
    const killedAt = Date.now();
    await set.master.kill();
    // Wait for the sentinels to promote the replica, then for intake to answer 202 again.
    let promotedAt = 0;
    while (Date.now() - killedAt < 30_000) {
      if ((await set.masterPort().catch(() => 0)) === set.replica.port) {
        promotedAt = Date.now();
        break;
      }
      await sleep(100);
    }
    expect(promotedAt, 'the sentinels promoted the replica').toBeGreaterThan(0);
    phase = 'after';
    while (Date.now() - promotedAt < 20_000 && !load.posted.some((p) => p.phase === 'after' && p.status === 202))
      await sleep(50);
    const firstAfter = load.posted.find((p) => p.phase === 'after' && p.status === 202);
    const recoveredAt = Date.now();
    await sleep(2000);
    const posted = await load.stop();

    const accepted = posted.filter((p) => p.status === 202 && p.id !== null).map((p) => p.id as string);
    const { stored, at } = await waitAllStored(pool, site, accepted, 60_000);
    const t = tally(accepted, stored);
    for (const line of failoverReport('sentinel', posted, t, { killedAt, promotedAt, recoveredAt, storedAt: at }))
      console.log(line);
    expect(firstAfter, 'intake answered 202 again after the failover').toBeDefined();
    expect(t.lost).toEqual([]);
    expect(t.duplicates).toBe(0);
    // A post whose job reached Redis just before its connection dropped is answered 503 and stored all
    // the same (printed above): not lost, and its retry with the same idempotency key is the same comment.
    expect(accepted.length).toBeGreaterThan(50);
    // During the failover a post is refused (503, Retry-After) rather than accepted and lost.
    expect(posted.filter((p) => p.status !== 202).every((p) => p.status === 503 || p.status === 0)).toBe(true);
  }, 120_000);
});
