import type { ChildProcess } from 'node:child_process';
import pg from 'pg';
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

// Postgres ends sessions on its own: an admin's pg_terminate_backend, a pooler restart, an
// idle_in_transaction timeout. Every backend of the worker and of the API is terminated, again and
// again, while readers post and read: jobs caught mid-query must retry and store once, and both pools
// must replace their dead connections without a restart.

const ROUNDS = 6;

let server: PrivatePostgres;
let observer: pg.Pool;
let apiPool: Pool;
let api: TestApi;
let worker: ChildProcess | undefined;
const prefix = newQueuePrefix();
const site = 'terminated';

beforeAll(async () => {
  server = await startPrivatePostgres();
  // The test's own connections carry another application_name, so they are never terminated.
  observer = new pg.Pool({ connectionString: server.url, max: 4, application_name: 'rd-test-observer' });
  observer.on('error', () => {});
  apiPool = createPool(server.url, 10);
  api = await startApi({ pool: apiPool, prefix });
  await addSite(apiPool, site, [api.origin], { holdFirstTime: false, floodSeconds: 0 });
  worker = await spawnWorker({
    QUEUE_PREFIX: prefix,
    DATABASE_URL: server.url,
    REDIS_URL: TEST_REDIS_URL,
    WORKER_CONCURRENCY: '16',
  });
});

afterAll(async () => {
  if (worker) await stopProcess(worker, 'SIGKILL');
  await api?.close();
  await apiPool?.end();
  await observer?.end();
  await server?.destroy();
  await deleteQueueKeys(prefix);
});

describe('Postgres connections terminated mid-load', () => {
  it('every accepted comment is stored exactly once, and the API and worker pools recover by themselves', async () => {
    const posting = startPosting(api, site, { clients: 6, pauseMs: 10, phase: () => 'load' });
    // A reader paging the thread keeps the API's pool busy too.
    const reads: number[] = [];
    let reading = true;
    const reader = (async () => {
      while (reading) {
        const res = await fetch(`${api.url}/api/comments?site=${site}&page=page-1&limit=20`, {
          headers: { origin: api.origin },
        }).catch(() => null);
        reads.push(res?.status ?? 0);
        await res?.arrayBuffer().catch(() => {});
        await sleep(20);
      }
    })();
    let terminated = 0;
    for (let round = 0; round < ROUNDS; round += 1) {
      await sleep(700);
      const { rows } = await observer.query<{ n: number }>(
        `select count(*) filter (where pg_terminate_backend(pid))::int as n from pg_stat_activity
          where application_name = 'reply-desk' and pid <> pg_backend_pid()`,
      );
      terminated += rows[0]?.n ?? 0;
    }
    const lastKillAt = Date.now();
    await sleep(1000);
    const posted = await posting.stop();
    reading = false;
    await reader;

    const accepted = posted.flatMap((p) => (p.id === null ? [] : [p.id]));
    const { stored, at } = await waitAllStored(observer, site, accepted, 30_000);
    const t = tally(accepted, stored);
    const after = await fetch(`${api.url}/api/comments?site=${site}&page=page-1&limit=20`, {
      headers: { origin: api.origin },
    });
    const ready = await fetch(`${api.url}/readyz`);
    const failed = await api.queue.getFailedCount();
    const readErrors = reads.filter((s) => s !== 200).length;
    console.log(
      `postgres backends terminated: ${terminated} in ${ROUNDS} rounds; accepted ${t.accepted}, stored ${t.stored}, duplicates ${t.duplicates}, ` +
        `lost ${t.lost.length}, failed jobs ${failed}; thread reads ${reads.length} (${readErrors} not 200, during the terminations); ` +
        `after: thread ${after.status}, readyz ${ready.status}; time to recover ${seconds(at - lastKillAt)} s after the last round`,
    );

    expect(terminated).toBeGreaterThan(ROUNDS);
    expect(posted.filter((p) => p.status !== 202)).toEqual([]);
    expect(t.lost).toEqual([]);
    expect(t.duplicates).toBe(0);
    expect(t.unexpected).toBe(0);
    expect(failed).toBe(0);
    expect(after.status).toBe(200);
    expect(ready.status).toBe(200);
    expect(worker?.exitCode).toBeNull();
  }, 60_000);
});
