import type { ChildProcess } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mintCommentId, type Submission } from '../../src/domain/submission.js';
import { createSubmissionsQueue, submitJobOptions } from '../../src/queue/submissions-queue.js';
import { createWorkerRedis } from '../../src/redis.js';
import { createPool, type Pool } from '../../src/store/db.js';
import { seconds, sleep } from '../support/fault-load.js';
import { addSite, newQueuePrefix, spawnWorker, stopProcess } from '../support/harness.js';
import { startPrivatePostgres, type PrivatePostgres } from '../support/private-postgres.js';
import { startPrivateRedis, type PrivateRedis } from '../support/private-redis.js';

// A long backlog (a worker fleet down for an hour on a busy night) must drain at a steady pace with
// flat memory in the worker: nothing per job may stay behind (listeners, cached rows, promises).
// The jobs go straight to Redis with addBulk, as the API would have queued them; one worker process
// drains them while its RSS is sampled from /proc every second.
//
// Issue 7 asks for 200,000. On a 2-core machine one worker stores about 650 comments a second, so that
// takes some 6 minutes (measured: see the README's Guarantees), more than the whole fault suite's
// budget; the suite runs 10,000 (20-50 s, with the other fault files beside it) and
// FAULTS_BACKLOG=200000 runs the full one.

const BACKLOG = Number(process.env.FAULTS_BACKLOG ?? 10_000);
/** The last quarter's median RSS may exceed the second quarter's by at most this much. */
const MAX_GROWTH = 0.25;

let pg: PrivatePostgres;
let redis: PrivateRedis;
let pool: Pool;
let worker: ChildProcess | undefined;
const prefix = newQueuePrefix();
const site = 'backlog';

beforeAll(async () => {
  // Servers of this file's own: the backlog takes a few hundred MB of Redis and a big table.
  [pg, redis] = await Promise.all([startPrivatePostgres(), startPrivateRedis({ appendonly: false })]);
  pool = createPool(pg.url, 4);
  await addSite(pool, site, ['http://127.0.0.1'], { holdFirstTime: false, floodSeconds: 0 });
});

afterAll(async () => {
  if (worker) await stopProcess(worker, 'SIGKILL');
  await pool?.end();
  await Promise.all([pg?.destroy(), redis?.destroy()]);
});

async function rssKb(pid: number): Promise<number> {
  const status = await readFile(`/proc/${pid}/status`, 'utf8');
  return Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0);
}

const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)] ?? 0;
};

describe(`a backlog of ${BACKLOG} queued comments`, () => {
  it("drains completely, each stored once, with the worker's memory flat", async () => {
    const connection = createWorkerRedis(redis.url);
    const queue = createSubmissionsQueue(connection, prefix);
    const enqueueStarted = Date.now();
    const receivedAt = new Date().toISOString();
    for (let start = 0; start < BACKLOG; start += 1000) {
      const jobs = [];
      for (let i = start; i < Math.min(BACKLOG, start + 1000); i += 1) {
        const data: Submission = {
          id: mintCommentId(site, `backlog-${i}`),
          siteId: site,
          page: `page-${i % 500}`,
          pageUrl: null,
          pageTitle: null,
          parentId: null,
          author: `Reader ${i}`,
          email: `reader-${i}@example.org`,
          url: '',
          body: `Backlog comment number ${i}, queued while the workers were away.`,
          honeypot: '',
          key: `backlog-${i}`,
          ip: '127.0.0.1',
          userAgent: 'backlog-test',
          referrer: '',
          receivedAt,
          source: 'json',
        };
        jobs.push({ name: 'submit' as const, data, opts: { ...submitJobOptions, jobId: data.id } });
      }
      await queue.addBulk(jobs);
    }
    const enqueueMs = Date.now() - enqueueStarted;
    const redisMemory = String(await connection.info('memory')).match(/used_memory_human:(\S+)/)?.[1];

    worker = await spawnWorker({
      QUEUE_PREFIX: prefix,
      DATABASE_URL: pg.url,
      REDIS_URL: redis.url,
      WORKER_CONCURRENCY: '32',
      WORKER_LOCK_MS: '30000',
    });
    const pid = worker.pid ?? 0;
    const drainStarted = Date.now();
    const samples: number[] = [];
    let stored = 0;
    while (Date.now() - drainStarted < 600_000) {
      samples.push(await rssKb(pid));
      const { rows } = await pool.query<{ n: number }>('select count(*)::int as n from comments where site_id = $1', [
        site,
      ]);
      stored = rows[0]?.n ?? 0;
      if (stored >= BACKLOG) break;
      await sleep(1000);
    }
    const drainMs = Date.now() - drainStarted;
    const { rows: dup } = await pool.query<{ n: number }>(
      'select count(*)::int as n from (select idempotency_key from comments where site_id = $1 group by idempotency_key having count(*) > 1) d',
      [site],
    );
    const failed = await queue.getFailedCount();
    const waiting = await queue.getWaitingCount();
    await queue.close();
    connection.disconnect();

    const q = Math.floor(samples.length / 4);
    const second = median(samples.slice(q, 2 * q));
    const last = median(samples.slice(3 * q));
    const growth = second === 0 ? 0 : (last - second) / second;
    const mb = (kb: number): string => (kb / 1024).toFixed(0);
    console.log(
      `backlog ${BACKLOG}: enqueued in ${seconds(enqueueMs)} s (Redis ${redisMemory}), drained in ${seconds(drainMs)} s ` +
        `(${Math.round(stored / (drainMs / 1000))}/s); accepted ${BACKLOG}, stored ${stored}, duplicates ${dup[0]?.n ?? 0}, lost ${BACKLOG - stored}, ` +
        `failed ${failed}, left waiting ${waiting}; worker RSS MB over ${samples.length} samples: min ${mb(Math.min(...samples))}, ` +
        `max ${mb(Math.max(...samples))}, 2nd-quarter median ${mb(second)}, last-quarter median ${mb(last)} (${(growth * 100).toFixed(1)}%)`,
    );

    expect(stored).toBe(BACKLOG);
    expect(dup[0]?.n).toBe(0);
    expect(failed).toBe(0);
    expect(samples.length, 'too few RSS samples to judge a slope: raise FAULTS_BACKLOG').toBeGreaterThanOrEqual(8);
    expect(growth, 'worker memory grew while draining').toBeLessThanOrEqual(MAX_GROWTH);
  }, 900_000);
});
