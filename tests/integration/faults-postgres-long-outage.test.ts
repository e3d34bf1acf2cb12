import type { ChildProcess } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPool, type Pool } from '../../src/store/db.js';
import { seconds, sleep, startPosting, tally, waitAllStored } from '../support/fault-load.js';
import {
  addSite,
  deleteQueueKeys,
  newQueuePrefix,
  spawnWorker,
  startApi,
  stopProcess,
  TEST_REDIS_URL,
  type TestApi,
} from '../support/harness.js';
import { startPrivatePostgres, type PrivatePostgres } from '../support/private-postgres.js';

// A long Postgres outage (a failover, a restart after an upgrade) while readers post. Jobs retry with
// exponential backoff from 1 s, so after 30 s down the next retries would be 16-32 s away when it is
// back; the worker promotes them as soon as Postgres answers (workers/outage-recovery.ts). This
// measures that, with the real worker process.

const OUTAGE_MS = 30_000;
/** Without the promotion, the backoff alone would take up to ~32 s; with it, a few seconds. */
const RECOVERY_BUDGET_MS = 8000;

let pg: PrivatePostgres;
let pool: Pool;
let api: TestApi;
let worker: ChildProcess | undefined;
const prefix = newQueuePrefix();
const site = 'long-outage';

beforeAll(async () => {
  pg = await startPrivatePostgres();
  pool = createPool(pg.url, 10);
  api = await startApi({ pool, prefix });
  await addSite(pool, site, [api.origin], { holdFirstTime: false, floodSeconds: 0 });
  worker = await spawnWorker({
    QUEUE_PREFIX: prefix,
    DATABASE_URL: pg.url,
    REDIS_URL: TEST_REDIS_URL,
    WORKER_CONCURRENCY: '16',
  });
});

afterAll(async () => {
  if (worker) await stopProcess(worker, 'SIGKILL');
  await api?.close();
  await pool?.end();
  await pg?.destroy();
  await deleteQueueKeys(prefix);
});

describe('Postgres stopped for 30 seconds while jobs run', () => {
  it('intake keeps answering 202, every accepted comment is stored exactly once, and the backlog is stored within seconds of the restart', async () => {
    let phase = 'before';
    const posting = startPosting(api, site, { clients: 2, pauseMs: 100, phase: () => phase });
    await sleep(1500);
    phase = 'during';
    await pg.stop('fast');
    const downAt = Date.now();
    await sleep(OUTAGE_MS);
    await pg.start();
    const upAt = Date.now();
    phase = 'after';
    await sleep(1000);
    const posted = await posting.stop();

    const accepted = posted.flatMap((p) => (p.id === null ? [] : [p.id]));
    const during = posted.filter((p) => p.phase === 'during');
    const { stored, at } = await waitAllStored(pool, site, accepted, 40_000);
    const t = tally(accepted, stored);
    const recoveredMs = at - upAt;
    const failed = await api.queue.getFailedCount();
    const notApproved = [...stored.values()].filter((r) => r.status !== 'approved').length;
    console.log(
      `postgres down ${seconds(upAt - downAt)} s: accepted ${t.accepted} (${during.filter((p) => p.status === 202).length}/${during.length} during the outage), ` +
        `stored ${t.stored}, duplicates ${t.duplicates}, lost ${t.lost.length}, failed jobs ${failed}, not approved ${notApproved}, ` +
        `time to recover ${seconds(recoveredMs)} s after Postgres was back (backoff alone: up to ~32 s)`,
    );

    expect(during.length).toBeGreaterThan(100);
    expect(posted.filter((p) => p.status !== 202)).toEqual([]);
    expect(t.lost).toEqual([]);
    expect(t.duplicates).toBe(0);
    expect(t.unexpected).toBe(0);
    expect(t.stored).toBe(t.accepted);
    expect(notApproved).toBe(0);
    expect(failed).toBe(0);
    expect(recoveredMs).toBeLessThan(RECOVERY_BUDGET_MS);
  }, 90_000);
});
