import type { ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createPool, type Pool } from '../../src/store/db.js';
import {
  addSite,
  deleteQueueKeys,
  newQueuePrefix,
  postJson,
  spawnWorker,
  startApi,
  stopProcess,
  TEST_REDIS_URL,
  waitFor,
  type TestApi,
} from '../support/harness.js';
import { startPrivatePostgres, type PrivatePostgres } from '../support/private-postgres.js';

// Worker processes die (OOM killer, deploys, power) while jobs are in flight. BullMQ gives a dead
// worker's jobs to another once their lock lapses; the processor must then finish each job exactly
// once: no comment lost, none stored twice, none refused as a duplicate of its own earlier attempt.

const COMMENTS = 300;
/** Most comments streamed while workers are killed (the stream ends a moment after the last kill). */
const STREAM_MAX = 8000;
const LOCK_MS = 2000;
// Some lock durations: the worker's own promise (WORKER_LOCK_MS, src/config.ts) is that a dead
// worker's jobs are "picked up again after about this long". The budget also covers working off the
// backlog the kills left, which on a machine at load 16 took 18 s (3 s when idle): it is there to
// catch jobs that never come back, not to time the machine.
const RECOVERY_BUDGET_MS = 30_000;

// A Postgres cluster of this file's own rather than a clone on the shared server: a vitest run started
// elsewhere meanwhile (another checkout, a watch run) drops every rd_test_* database in its global
// setup, and a 90-second file is long enough to lose its database that way.
let pg: PrivatePostgres;
let db: { url: string; pool: Pool };
const prefixes: string[] = [];
const children: ChildProcess[] = [];
const apis: TestApi[] = [];

beforeAll(async () => {
  pg = await startPrivatePostgres();
  db = { url: pg.url, pool: createPool(pg.url, 10) };
});

afterEach(async () => {
  await Promise.all(children.splice(0).map((c) => stopProcess(c, 'SIGKILL')));
  await Promise.all(apis.splice(0).map((a) => a.close()));
});

afterAll(async () => {
  await Promise.all(prefixes.map((p) => deleteQueueKeys(p)));
  await db?.pool.end();
  await pg?.destroy();
});

async function setUp(site: string): Promise<{ api: TestApi; env: Record<string, string> }> {
  const prefix = newQueuePrefix();
  prefixes.push(prefix);
  const api = await startApi({ pool: db.pool, prefix });
  apis.push(api);
  // Every comment must be approved, so a wrongly refused retry shows: no first-time hold, no flood
  // window (all posts come from 127.0.0.1).
  await addSite(db.pool, site, [api.origin], { holdFirstTime: false, floodSeconds: 0 });
  const env = {
    QUEUE_PREFIX: prefix,
    DATABASE_URL: db.url,
    REDIS_URL: TEST_REDIS_URL,
    WORKER_LOCK_MS: String(LOCK_MS),
    WORKER_CONCURRENCY: '16',
  };
  return { api, env };
}

async function spawn(env: Record<string, string>): Promise<ChildProcess> {
  const child = await spawnWorker(env);
  children.push(child);
  return child;
}

/**
 * Posts `count` distinct comments (own author, email, text) from `parallel` clients, each waiting
 * `pauseMs` between posts so the stream lasts while workers come and go, until `count` or until
 * `keepGoing` says stop. Returns the 202'd ids.
 */
async function submitComments(
  api: TestApi,
  site: string,
  count: number,
  parallel: number,
  pauseMs: number,
  keepGoing: () => boolean = () => true,
): Promise<{ accepted: string[]; refused: string[] }> {
  const accepted: string[] = [];
  const refused: string[] = [];
  let next = 0;
  const run = randomUUID().slice(0, 8);
  const client = async (): Promise<void> => {
    for (let i = next++; i < count && keepGoing(); i = next++) {
      const res = await postJson(
        api,
        {
          site,
          page: `page-${i % 5}`,
          author: `Reader ${run}-${i}`,
          email: `reader-${run}-${i}@example.org`,
          body: `Comment ${i} of run ${run}, sent while workers die.`,
        },
        { origin: api.origin },
      );
      const text = await res.text();
      if (res.status === 202) accepted.push((JSON.parse(text) as { id: string }).id);
      else refused.push(`${res.status} ${text}`);
      if (pauseMs > 0) await new Promise((r) => setTimeout(r, pauseMs));
    }
  };
  await Promise.all(Array.from({ length: parallel }, client));
  return { accepted, refused };
}

async function countStored(pool: Pool, site: string): Promise<number> {
  const { rows } = await pool.query<{ n: number }>('select count(*)::int as n from comments where site_id = $1', [
    site,
  ]);
  return rows[0]?.n ?? 0;
}

interface Audit {
  stored: number;
  duplicates: number;
  lost: string[];
  unexpected: string[];
  byStatus: Record<string, number>;
  pageCountsMatch: boolean;
}

/** Compares what the API accepted with what Postgres holds for the site, row by row. */
async function auditSite(pool: Pool, site: string, accepted: string[]): Promise<Audit> {
  const { rows } = await pool.query<{ id: string; n: number; status: string }>(
    'select id, count(*)::int as n, min(status) as status from comments where site_id = $1 group by id',
    [site],
  );
  const storedIds = new Set(rows.map((r) => r.id));
  const acceptedIds = new Set(accepted);
  const byStatus: Record<string, number> = {};
  for (const r of rows) byStatus[r.status] = (byStatus[r.status] ?? 0) + r.n;
  // The triggers keep pages.approved_count; a retried job must not count twice either.
  const { rows: pages } = await pool.query<{ mismatched: number }>(
    `select count(*)::int as mismatched from pages p
      where p.site_id = $1
        and p.approved_count <> (select count(*) from comments c where c.page_id = p.id and c.status = 'approved')`,
    [site],
  );
  return {
    stored: rows.reduce((sum, r) => sum + r.n, 0),
    duplicates: rows.filter((r) => r.n > 1).length,
    lost: accepted.filter((id) => !storedIds.has(id)),
    unexpected: rows.filter((r) => !acceptedIds.has(r.id)).map((r) => r.id),
    byStatus,
    pageCountsMatch: pages[0]?.mismatched === 0,
  };
}

function expectExactlyOnce(audit: Audit, accepted: string[]): void {
  expect(new Set(accepted).size, 'the API handed out an id twice').toBe(accepted.length);
  expect(audit.lost, 'accepted but never stored').toEqual([]);
  expect(audit.unexpected, 'stored but never accepted').toEqual([]);
  expect(audit.duplicates, 'ids stored more than once').toBe(0);
  expect(audit.stored).toBe(accepted.length);
  expect(audit.byStatus, 'a retried job was refused (e.g. as a duplicate of itself)').toEqual({
    approved: accepted.length,
  });
  expect(audit.pageCountsMatch, 'pages.approved_count differs from the approved rows').toBe(true);
}

const seconds = (ms: number): string => (ms / 1000).toFixed(1);

describe('worker processes killed with SIGKILL while jobs run', () => {
  it('when the worker is killed three times mid-stream, every accepted comment is stored exactly once, approved, and back within a few lock durations', async () => {
    const site = 'killed';
    const { api, env } = await setUp(site);
    let worker = await spawn(env);
    // ~200 posts a second until a moment after the last kill, however slowly workers respawn on a
    // loaded machine: dense enough that a worker (which stores a comment in milliseconds) holds jobs
    // when it is killed, and still running when the last one is.
    let streaming = true;
    const submitting = submitComments(api, site, STREAM_MAX, 12, 60, () => streaming);

    const kills: { storedAtKill: number; inFlight: number }[] = [];
    let lastKillAt = 0;
    let lastReadyAt = 0;
    for (let round = 0; round < 3; round += 1) {
      const storedBefore = await countStored(db.pool, site);
      const stuck = await api.queue.getActiveCount(); // left active by workers killed earlier
      // Kill while this worker holds jobs: it has stored some since it started and has some active now.
      // If that moment never comes, kill anyway; the in-flight figure below tells.
      // The stream runs until after the last kill, so waiting for a moment with jobs active cannot
      // push a kill past its end.
      await waitFor(
        'the worker to hold jobs',
        async () => {
          if ((await countStored(db.pool, site)) < storedBefore + 20) return false;
          return (await api.queue.getActiveCount()) > stuck;
        },
        8000,
        2,
      ).catch(() => undefined);
      await stopProcess(worker, 'SIGKILL');
      lastKillAt = Date.now();
      const [storedAtKill, active] = await Promise.all([countStored(db.pool, site), api.queue.getActiveCount()]);
      kills.push({ storedAtKill, inFlight: active - stuck });
      worker = await spawn(env);
      lastReadyAt = Date.now();
    }
    await new Promise((r) => setTimeout(r, 1000));
    streaming = false;
    const { accepted, refused } = await submitting;
    expect(refused, 'intake does not depend on workers').toEqual([]);
    expect(
      kills.some((k) => k.inFlight > 0),
      'no kill caught a job in flight; the test proved nothing',
    ).toBe(true);
    expect(
      kills.every((k) => k.storedAtKill < accepted.length),
      'a kill came after everything was stored',
    ).toBe(true);

    await waitFor(
      'every accepted comment to be stored',
      async () => (await countStored(db.pool, site)) >= accepted.length,
      90_000,
      100,
    ).catch(() => undefined);
    const recoveredMs = Date.now() - lastKillAt;
    // The queue's promise is about a live worker picking up a dead one's jobs once their locks expire;
    // how long the machine takes to start a new worker process (seconds under load) is not part of it.
    const sinceReadyMs = Date.now() - lastReadyAt;
    const audit = await auditSite(db.pool, site, accepted);
    const failed = await api.queue.getFailedCount();
    // Jobs BullMQ handed out again after a kill, and how many of those found their row already written
    // (the killed worker committed, then died before acknowledging): the idempotent path, exercised.
    const completed = await api.queue.getCompleted(0, -1);
    const stalled = completed.filter((j) => j.stalledCounter > 0);
    const foundStored = stalled.filter((j) => j.returnvalue?.alreadyStored === true).length;
    console.log(
      `worker SIGKILL x${kills.length} (in flight at each kill: ${kills.map((k) => k.inFlight).join(', ')}; stored at each kill: ` +
        `${kills.map((k) => k.storedAtKill).join(', ')}): accepted ${accepted.length}, stored ${audit.stored}, ` +
        `duplicates ${audit.duplicates}, lost ${audit.lost.length}, failed jobs ${failed}, statuses ${JSON.stringify(audit.byStatus)}, ` +
        `jobs re-run after a stall ${stalled.length} (of which found their row already stored ${foundStored}), ` +
        `recovered ${seconds(recoveredMs)} s after the last kill (${seconds(sinceReadyMs)} s after the last worker was ready)`,
    );
    // Soft: slow recovery is reported, and the exactly-once checks below still run.
    expect
      .soft(
        sinceReadyMs,
        `a dead worker's jobs came back ${seconds(sinceReadyMs)} s after a live worker was ready (${seconds(recoveredMs)} s after the kill) with WORKER_LOCK_MS=${LOCK_MS}`,
      )
      .toBeLessThan(RECOVERY_BUDGET_MS);
    expectExactlyOnce(audit, accepted);
    expect(failed).toBe(0);
  }, 150_000);

  it('when two worker processes race on one queue, each of 300 comments is stored exactly once', async () => {
    const site = 'raced';
    const { api, env } = await setUp(site);
    await Promise.all([spawn(env), spawn(env)]);
    const started = Date.now();
    const { accepted, refused } = await submitComments(api, site, COMMENTS, 16, 0);
    expect(refused).toEqual([]);
    await waitFor(
      'every accepted comment to be stored',
      async () => (await countStored(db.pool, site)) >= accepted.length,
      30_000,
      50,
    ).catch(() => undefined);
    const audit = await auditSite(db.pool, site, accepted);
    // A job is acknowledged (completed) just after its row commits: under load the last few may still
    // be between the two when the rows are all there.
    const completed = await waitFor(
      'every job to complete',
      async () => {
        const n = await api.queue.getCompletedCount();
        return n >= accepted.length ? n : false;
      },
      10_000,
      50,
    ).catch(() => api.queue.getCompletedCount());
    console.log(
      `two racing workers: accepted ${accepted.length}, stored ${audit.stored}, duplicates ${audit.duplicates}, ` +
        `lost ${audit.lost.length}, jobs completed ${completed}, all stored in ${seconds(Date.now() - started)} s`,
    );
    expectExactlyOnce(audit, accepted);
    expect(completed).toBe(accepted.length);
  }, 60_000);
});
