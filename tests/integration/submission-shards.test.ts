import { randomUUID } from 'node:crypto';
import { Registry } from 'prom-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mintCommentId, type Submission } from '../../src/domain/submission.js';
import { registerQueueGauges } from '../../src/metrics/queue-gauges.js';
import { submissionShardPrefixes } from '../../src/queue/queue-prefix.js';
import { shardFor } from '../../src/queue/submission-shards.js';
import { addModerator, DashboardClient } from '../support/dashboard-client.js';
import { distinctComment, tally, waitAllStored } from '../support/fault-load.js';
import {
  addSite,
  deleteQueueKeys,
  newQueuePrefix,
  postJson,
  spawnWorker,
  startApi,
  startWorker,
  stopProcess,
  waitFor,
  type TestApi,
} from '../support/harness.js';
import { createTestDatabase, type TestDatabase } from '../support/test-db.js';

/*
 * SUBMISSION_SHARDS=3 (issue 18, item 1): comments posted through the API spread over three queues by
 * their id, workers consuming all three store each once, and whatever finds a job by its comment id
 * (the status endpoint, the admins' failed-jobs page, erasure) finds it on its shard.
 */

const SHARDS = 3;
const COMMENTS = 60;
const site = 'sharded';
const prefix = newQueuePrefix();
let db: TestDatabase;
let api: TestApi;
let worker: { close(): Promise<void> } | undefined;

beforeAll(async () => {
  db = await createTestDatabase();
  api = await startApi({ pool: db.pool, prefix, submissionShards: SHARDS });
  await addSite(db.pool, site, [api.origin], { holdFirstTime: false, floodSeconds: 0 });
  await addModerator(db.pool, 'admin@shards.example', 'admin');
});

afterAll(async () => {
  await worker?.close();
  await api?.close();
  await db?.drop();
  for (const p of submissionShardPrefixes(prefix, SHARDS)) await deleteQueueKeys(p);
});

async function statusOf(id: string): Promise<{ code: number; status?: string }> {
  const res = await fetch(`${api.url}/api/comments/${id}`);
  return { code: res.status, status: res.ok ? ((await res.json()) as { status: string }).status : undefined };
}

/** A comment id that lands on `shard`. */
function idOnShard(shard: number): string {
  for (;;) {
    const id = mintCommentId(site, null);
    if (shardFor(id, SHARDS) === shard) return id;
  }
}

describe('submissions over three shards', () => {
  let accepted: string[] = [];

  it('spread over all three queues by id; a keyed retry finds its job, and each status is read from its own shard', async () => {
    const run = randomUUID().slice(0, 8);
    let next = 0;
    await Promise.all(
      Array.from({ length: 6 }, async () => {
        for (let i = next++; i < COMMENTS; i = next++) {
          const res = await postJson(api, distinctComment(site, run, i, { key: `${run}-${i}` }), {
            origin: api.origin,
          });
          expect(res.status).toBe(202);
          accepted.push(((await res.json()) as { id: string }).id);
        }
      }),
    );
    // A reader's retry with the same idempotency key is the same comment id, so the same shard and job.
    const retried = await Promise.all(
      [0, 1, 2, 3, 4, 5].map(async (i) => {
        const res = await postJson(api, distinctComment(site, run, i, { key: `${run}-${i}` }), { origin: api.origin });
        return ((await res.json()) as { id: string }).id;
      }),
    );
    expect(accepted).toEqual(expect.arrayContaining(retried));
    // No worker yet: every job waits where intake put it.
    const queues = api.shards.all();
    const waiting = await Promise.all(queues.map(async (q) => (await q.getWaiting(0, -1)).map((j) => j.id!)));
    console.log(`submission shards: ${COMMENTS} posted, waiting per shard ${waiting.map((w) => w.length).join(' / ')}`);
    expect(waiting.map((w) => w.length > 0)).toEqual([true, true, true]);
    expect(waiting.flat().sort()).toEqual([...accepted].sort());
    waiting.forEach((ids, shard) => ids.forEach((id) => expect(shardFor(id, SHARDS)).toBe(shard)));
    // Shard 0 is QUEUE_PREFIX itself (what one shard has always been); the others have prefixes of their own.
    expect(queues.map((q) => q.opts.prefix)).toEqual([prefix, `${prefix}-s1`, `${prefix}-s2`]);

    const statuses = await Promise.all(accepted.map(statusOf));
    expect(new Set(statuses.map((s) => `${s.code} ${s.status}`))).toEqual(new Set(['200 queued']));

    // Metrics: the queue's depth is the shards' sum, and each shard has its own series.
    const registry = new Registry();
    registerQueueGauges(registry, queues);
    const text = await registry.metrics();
    expect(text).toContain(`reply_desk_queue_jobs{queue="submissions",state="waiting"} ${COMMENTS}`);
    waiting.forEach((ids, shard) =>
      expect(text).toContain(
        `reply_desk_queue_shard_jobs{queue="submissions",shard="${shard}",state="waiting"} ${ids.length}`,
      ),
    );
  });

  it('workers consuming every shard store each comment exactly once, and the status says so', async () => {
    worker = await startWorker({ pool: db.pool, prefix, submissionShards: SHARDS, concurrency: 4 });
    const { stored } = await waitAllStored(db.pool, site, accepted, 20_000);
    const t = tally(accepted, stored);
    expect({ lost: t.lost, duplicates: t.duplicates, unexpected: t.unexpected }).toEqual({
      lost: [],
      duplicates: 0,
      unexpected: 0,
    });
    const { rows } = await db.pool.query<{ n: number }>('select count(*)::int as n from comments where site_id = $1', [
      site,
    ]);
    expect(rows[0]!.n).toBe(COMMENTS);
    const statuses = await Promise.all(accepted.map(statusOf));
    expect(new Set(statuses.map((s) => `${s.code} ${s.status}`))).toEqual(new Set(['200 published']));
  });

  it('a job that failed on shard 2 is on /admin/failed, and a retry there stores it', async () => {
    const sample = await api.shards.forId(accepted[0]!).getJob(accepted[0]!);
    const id = idOnShard(2);
    const orphan: Submission = { ...sample!.data, id, siteId: 'late-shard', body: 'Written before its site existed.' };
    const shard2 = api.shards.all()[2]!;
    await shard2.add('submit', orphan, { jobId: id, attempts: 1 });
    await waitFor('the job to fail on shard 2', async () => (await shard2.getJobState(id)) === 'failed');
    expect(await statusOf(id)).toEqual({ code: 200, status: 'held' });

    const admin = new DashboardClient(api.url);
    await admin.signIn('admin@shards.example');
    const page = await admin.page('/admin/failed');
    expect(page).toContain(id);
    expect(page).toContain('site late-shard no longer exists');
    // The board lists each shard apart (bull-board tells queues apart by name).
    const board = await admin.get('/admin/queues/api/queues?page=1', { accept: 'application/json' });
    const names = ((await board.json()) as { queues: { name: string }[] }).queues.map((q) => q.name);
    expect(names).toEqual(expect.arrayContaining(['submissions', 's1-submissions', 's2-submissions']));

    await addSite(db.pool, 'late-shard', [api.origin], { holdFirstTime: false, floodSeconds: 0 });
    const retry = await admin.post(`/admin/failed/${id}/retry`, {});
    expect(retry.status).toBe(303);
    const row = await waitFor('the retried comment to be stored', async () => {
      const { rows: r } = await db.pool.query<{ status: string }>('select status from comments where id = $1', [id]);
      return r[0];
    });
    expect(row.status).toBe('approved');
    expect(await admin.page('/admin/failed')).toContain('No failed jobs.');
  });

  it('the real worker process (workers/main.ts) with SUBMISSION_SHARDS=3 consumes every shard and stops cleanly', async () => {
    await worker?.close();
    worker = undefined;
    const child = await spawnWorker({ QUEUE_PREFIX: prefix, SUBMISSION_SHARDS: String(SHARDS), DATABASE_URL: db.url });
    try {
      const run = randomUUID().slice(0, 8);
      const ids = await Promise.all(
        Array.from({ length: 30 }, async (_, i) => {
          const res = await postJson(api, distinctComment(site, run, i), { origin: api.origin });
          return ((await res.json()) as { id: string }).id;
        }),
      );
      expect(new Set(ids.map((id) => shardFor(id, SHARDS))).size).toBe(SHARDS);
      const { stored } = await waitAllStored(db.pool, site, [...accepted, ...ids], 20_000);
      expect(ids.filter((id) => stored.get(id)?.n !== 1)).toEqual([]);
    } finally {
      await stopProcess(child);
    }
    expect(child.exitCode).toBe(0);
  });

  it('erasing a commenter removes their job still queued on shard 1', async () => {
    const email = 'dora.erase@example.org';
    const sample = await api.shards.forId(accepted[0]!).getJob(accepted[0]!);
    const id = idOnShard(1);
    const shard1 = api.shards.all()[1]!;
    // Delayed, so it is still queued (a retry waiting out its backoff) when the erasure comes.
    await shard1.add('submit', { ...sample!.data, id, email, author: 'Dora' }, { jobId: id, delay: 600_000 });
    expect(await shard1.getJobState(id)).toBe('delayed');

    const admin = new DashboardClient(api.url);
    await admin.signIn('admin@shards.example');
    const erased = await admin.post('/admin/privacy/erase', { email, site: '', confirm: '1' });
    expect(erased.status).toBe(303);
    expect(decodeURIComponent(erased.headers.get('location') ?? '')).toMatch(/queued jobs: 1 removed/i);
    expect(await shard1.getJob(id)).toBeUndefined();
  });
});
