import { randomUUID } from 'node:crypto';
import type { Job } from 'bullmq';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BulkView } from '../../src/http/desk/moderator/bulk-page.js';
import { createLogger } from '../../src/logger.js';
import type { BulkActionData, BulkJobData, BulkJobName, BulkProgress, BulkResult } from '../../src/queue/bulk-queue.js';
import { countBulkFilter } from '../../src/store/bulk-batches.js';
import { findLastUndoableBatch } from '../../src/store/moderation-actions.js';
import {
  addSite,
  deleteQueueKeys,
  newQueuePrefix,
  startApi,
  startWorker,
  waitFor,
  type TestApi,
} from '../support/harness.js';
import { addModerator, DashboardClient } from '../support/dashboard-client.js';
import { insertHeldComments } from '../support/held-comments.js';
import { createTestDatabase, type TestDatabase } from '../support/test-db.js';
import { createBulkProcessor } from '../../workers/bulk-processor.js';

// Bulk actions on a selection and on a whole queue view: a BullMQ job with progress, one batch in the
// audit log, one undo for all of it, and the moderator's sites as the fence, over HTTP with a real
// session, Postgres, Redis and the bulk worker.
let db: TestDatabase;
let api: TestApi;
let worker: { close(): Promise<void> };
const prefix = newQueuePrefix();
let modId: number;

function insertPending(site: string, page: string, n: number): Promise<string[]> {
  return insertHeldComments(db.pool, site, page, n);
}

async function statusCounts(ids: string[]): Promise<Record<string, number>> {
  const { rows } = await db.pool.query<{ status: string; n: number }>(
    'select status, count(*)::int as n from comments where id = any($1::uuid[]) group by status',
    [ids],
  );
  return Object.fromEntries(rows.map((r) => [r.status, r.n]));
}

async function statusOf(id: string): Promise<string> {
  const { rows } = await db.pool.query('select status from comments where id = $1', [id]);
  return rows[0]?.status;
}

/** Polls a job's JSON until it finishes; returns the last view and every progress seen. */
async function waitForJob(
  c: DashboardClient,
  jobId: string,
): Promise<{ view: BulkView; seen: { done: number; total: number }[] }> {
  const seen: { done: number; total: number }[] = [];
  const view = await waitFor(
    `bulk job ${jobId}`,
    async () => {
      const res = await c.get(`/admin/bulk/${jobId}`, { accept: 'application/json' });
      expect(res.status).toBe(200);
      const v = (await res.json()) as BulkView;
      seen.push({ done: v.done, total: v.total });
      return v.state === 'completed' || v.state === 'failed' ? v : undefined;
    },
    60_000,
    10,
  );
  return { view, seen };
}

async function startBulk(
  c: DashboardClient,
  fields: Record<string, string | string[]>,
): Promise<{ jobId: string; batchId: string; total: number }> {
  const res = await c.post('/admin/bulk', fields, { json: true });
  const text = await res.text();
  expect(res.status, text).toBe(202);
  return JSON.parse(text) as { jobId: string; batchId: string; total: number };
}

const seconds = (ms: number): string => `${(ms / 1000).toFixed(2)} s`;

beforeAll(async () => {
  db = await createTestDatabase();
  api = await startApi({ pool: db.pool, prefix });
  await addSite(db.pool, 'news', [api.origin]);
  await addSite(db.pool, 'blog', [api.origin]);
  await addModerator(db.pool, 'admin@example.org', 'admin');
  modId = await addModerator(db.pool, 'mod@example.org', 'moderator', ['news']);
  await addModerator(db.pool, 'other@example.org', 'moderator', ['news']);
  // Small chunks, so a 2,000-comment job reports progress ten times.
  worker = await startWorker({ pool: db.pool, prefix, bulkChunkSize: 200 });
});

afterAll(async () => {
  await worker?.close();
  await api?.close();
  await db?.drop();
  await deleteQueueKeys(prefix);
});

describe('bulk actions on a selection', () => {
  it('rejects exactly the ticked comments, as one batch', async () => {
    const ids = await insertPending('news', 'selection', 4);
    const c = new DashboardClient(api.url);
    await c.signIn('mod@example.org');
    const { jobId, batchId, total } = await startBulk(c, {
      action: 'reject',
      scope: 'selection',
      ids: ids.slice(0, 3),
    });
    expect(total).toBe(3);
    const { view } = await waitForJob(c, jobId);
    expect(view).toMatchObject({
      state: 'completed',
      kind: 'bulk',
      done: 3,
      total: 3,
      changed: 3,
      batchId,
      action: 'reject',
      scope: 'selection',
      undone: false,
    });
    expect(await statusCounts(ids.slice(0, 3))).toEqual({ rejected: 3 });
    expect(await statusOf(ids[3]!)).toBe('pending');
    const { rows } = await db.pool.query(
      'select action, count(*)::int as n from moderation_events where batch_id = $1 group by action order by action',
      [batchId],
    );
    expect(rows).toEqual([
      { action: 'bulk', n: 1 },
      { action: 'reject', n: 3 },
    ]);
  });

  it("refuses (403) a selection that includes another site's comment, and changes nothing", async () => {
    const mine = await insertPending('news', 'mixed', 2);
    const theirs = await insertPending('blog', 'mixed', 1);
    const c = new DashboardClient(api.url);
    await c.signIn('mod@example.org');
    const res = await c.post(
      '/admin/bulk',
      { action: 'approve', scope: 'selection', ids: [...mine, ...theirs] },
      { json: true },
    );
    expect(res.status).toBe(403);
    expect(((await res.json()) as { error: { code: string } }).error.code).toBe('FORBIDDEN');
    expect(await statusCounts([...mine, ...theirs])).toEqual({ pending: 3 });
    expect((await api.bulkQueue.getJobCounts('waiting', 'active')).waiting).toBe(0);
  });

  it('refuses a bulk action without the CSRF token', async () => {
    const ids = await insertPending('news', 'csrf', 1);
    const c = new DashboardClient(api.url);
    await c.signIn('mod@example.org');
    const res = await c.post(
      '/admin/bulk',
      { action: 'approve', scope: 'selection', ids },
      { json: true, csrf: false },
    );
    expect(res.status).toBe(403);
    expect(await statusOf(ids[0]!)).toBe('pending');
  });
});

describe('bulk actions on a whole view', () => {
  it('approves all 2,000 pending comments of a view with progress reported, and one undo puts them all back', async () => {
    const ids = await insertPending('news', 'flood', 2000);
    const c = new DashboardClient(api.url);
    await c.signIn('mod@example.org');

    const t0 = performance.now();
    const started = await startBulk(c, {
      action: 'approve',
      scope: 'filter',
      filter_tab: 'pending',
      filter_site: 'news',
      filter_page: 'flood',
      filter_reason: '',
      filter_q: '',
    });
    expect(started.total).toBe(2000);
    const { view, seen } = await waitForJob(c, started.jobId);
    const bulkMs = performance.now() - t0;
    expect(view).toMatchObject({
      state: 'completed',
      done: 2000,
      total: 2000,
      changed: 2000,
      scope: 'filter',
      undone: false,
    });
    expect(await statusCounts(ids)).toEqual({ approved: 2000 });
    // Progress only ever grows, always against the same total.
    for (let i = 1; i < seen.length; i++) expect(seen[i]!.done).toBeGreaterThanOrEqual(seen[i - 1]!.done);
    expect(new Set(seen.map((s) => s.total))).toEqual(new Set([2000]));
    const job = await api.bulkQueue.getJob(started.jobId);
    expect(job?.progress).toEqual({ done: 2000, total: 2000, changed: 2000 });

    // One batch in the audit log: 2,000 approvals and the summary the "u" key finds.
    const { rows: events } = await db.pool.query(
      `select action, count(*)::int as n, count(distinct comment_id)::int as comments from moderation_events where batch_id = $1 group by action order by action`,
      [started.batchId],
    );
    expect(events).toEqual([
      { action: 'approve', n: 2000, comments: 2000 },
      { action: 'bulk', n: 1, comments: 0 },
    ]);
    expect(await findLastUndoableBatch(db.pool, { id: modId, label: 'mod@example.org', siteIds: ['news'] })).toBe(
      started.batchId,
    );

    const t1 = performance.now();
    const undo = await c.post(`/admin/bulk/${started.batchId}/undo`, {}, { json: true });
    expect(undo.status).toBe(202);
    const undoJob = (await undo.json()) as { jobId: string; batchId: string; total: number };
    expect(undoJob).toMatchObject({ batchId: started.batchId, total: 2000 });
    const undone = await waitForJob(c, undoJob.jobId);
    const undoMs = performance.now() - t1;
    expect(undone.view).toMatchObject({ kind: 'undo', state: 'completed', done: 2000, total: 2000, changed: 2000 });
    expect(await statusCounts(ids)).toEqual({ pending: 2000 });

    const after = (await (
      await c.get(`/admin/bulk/${started.jobId}`, { accept: 'application/json' })
    ).json()) as BulkView;
    expect(after.undone).toBe(true);
    // Undo twice: the second click finds the same undo job; nothing is restored twice.
    const again = await c.post(`/admin/bulk/${started.batchId}/undo`, {}, { json: true });
    expect(((await again.json()) as { jobId: string }).jobId).toBe(undoJob.jobId);
    console.log(
      `bulk approve 2,000 (chunks of 200, HTTP to done): ${seconds(bulkMs)}; undo: ${seconds(undoMs)}; progress polls seen: ${seen.length}`,
    );
  });

  it('undo leaves alone a comment someone else changed after the bulk action', async () => {
    const ids = await insertPending('news', 'contested', 5);
    const mod = new DashboardClient(api.url);
    await mod.signIn('mod@example.org');
    const started = await startBulk(mod, {
      action: 'reject',
      scope: 'filter',
      filter_tab: 'pending',
      filter_site: 'news',
      filter_page: 'contested',
    });
    await waitForJob(mod, started.jobId);
    expect(await statusCounts(ids)).toEqual({ rejected: 5 });

    const admin = new DashboardClient(api.url);
    await admin.signIn('admin@example.org');
    expect((await admin.post(`/admin/comments/${ids[2]}/status`, { action: 'approve' }, { json: true })).status).toBe(
      200,
    );

    const undo = (await (await mod.post(`/admin/bulk/${started.batchId}/undo`, {}, { json: true })).json()) as {
      jobId: string;
    };
    const { view } = await waitForJob(mod, undo.jobId);
    expect(view).toMatchObject({ state: 'completed', total: 5, changed: 4 });
    expect(await statusOf(ids[2]!)).toBe('approved');
    expect(await statusCounts(ids)).toEqual({ pending: 4, approved: 1 });
  });

  it("never touches another site's comments: a moderator's view is their sites only, and a foreign site is refused", async () => {
    const news = await insertPending('news', 'shared', 5);
    const blog = await insertPending('blog', 'shared', 5);
    const c = new DashboardClient(api.url);
    await c.signIn('mod@example.org');
    // "All sites" for this moderator means news only.
    const started = await startBulk(c, {
      action: 'spam',
      scope: 'filter',
      filter_tab: 'pending',
      filter_site: '',
      filter_page: 'shared',
    });
    expect(started.total).toBe(5);
    await waitForJob(c, started.jobId);
    expect(await statusCounts(news)).toEqual({ spam: 5 });
    expect(await statusCounts(blog)).toEqual({ pending: 5 });

    const foreign = await c.post(
      '/admin/bulk',
      { action: 'approve', scope: 'filter', filter_tab: 'pending', filter_site: 'blog', filter_page: 'shared' },
      { json: true },
    );
    expect(foreign.status).toBe(403);
    expect(await statusCounts(blog)).toEqual({ pending: 5 });
  });

  it('uses exactly the filter shown: a search narrows the bulk action to what matches', async () => {
    const ids = await insertPending('news', 'searched', 30);
    const c = new DashboardClient(api.url);
    await c.signIn('mod@example.org');
    // "Held comment 1" matches 1 and 10–19 (11 comments), and nothing else on the page.
    const started = await startBulk(c, {
      action: 'approve',
      scope: 'filter',
      filter_tab: 'pending',
      filter_page: 'searched',
      filter_q: 'Held comment 1',
    });
    expect(started.total).toBe(11);
    await waitForJob(c, started.jobId);
    expect(await statusCounts(ids)).toEqual({ approved: 11, pending: 19 });
  });

  it('lets only its moderator or an admin see or undo a bulk action', async () => {
    await insertPending('news', 'owned', 3);
    const mod = new DashboardClient(api.url);
    await mod.signIn('mod@example.org');
    const started = await startBulk(mod, {
      action: 'approve',
      scope: 'filter',
      filter_tab: 'pending',
      filter_page: 'owned',
    });
    await waitForJob(mod, started.jobId);

    const other = new DashboardClient(api.url);
    await other.signIn('other@example.org');
    expect((await other.get(`/admin/bulk/${started.jobId}`, { accept: 'application/json' })).status).toBe(403);
    expect((await other.post(`/admin/bulk/${started.batchId}/undo`, {}, { json: true })).status).toBe(403);

    const admin = new DashboardClient(api.url);
    await admin.signIn('admin@example.org');
    const seen = (await (
      await admin.get(`/admin/bulk/${started.jobId}`, { accept: 'application/json' })
    ).json()) as BulkView;
    expect(seen.changed).toBe(3);
  });

  it('a 10,000-comment view is approved and undone in seconds (figures for the undo-as-a-job decision)', async () => {
    const ids = await insertPending('news', 'big', 10_000);
    const c = new DashboardClient(api.url);
    await c.signIn('mod@example.org');
    const t0 = performance.now();
    const started = await startBulk(c, {
      action: 'approve',
      scope: 'filter',
      filter_tab: 'pending',
      filter_page: 'big',
    });
    await waitForJob(c, started.jobId);
    const bulkMs = performance.now() - t0;
    expect(await statusCounts(ids)).toEqual({ approved: 10_000 });
    const t1 = performance.now();
    const undo = (await (await c.post(`/admin/bulk/${started.batchId}/undo`, {}, { json: true })).json()) as {
      jobId: string;
    };
    await waitForJob(c, undo.jobId);
    const undoMs = performance.now() - t1;
    expect(await statusCounts(ids)).toEqual({ pending: 10_000 });
    const timing = async (jobId: string): Promise<string> => {
      const j = await api.bulkQueue.getJob(jobId);
      return `waited ${seconds((j?.processedOn ?? 0) - (j?.timestamp ?? 0))}, ran ${seconds((j?.finishedOn ?? 0) - (j?.processedOn ?? 0))}`;
    };
    console.log(
      `bulk approve 10,000 (chunks of 200): ${seconds(bulkMs)} from POST to done (${await timing(started.jobId)}); ` +
        `undo (one transaction, as a job): ${seconds(undoMs)} (${await timing(undo.jobId)})`,
    );
  }, 120_000);
});

describe('the progress page without JavaScript', () => {
  it('redirects the form post to a page that refreshes itself while queued, then shows the result with an Undo button that works', async () => {
    const ids = await insertPending('news', 'nojs', 7);
    const c = new DashboardClient(api.url);
    await c.signIn('mod@example.org');
    // Hold the job in the queue so the page is seen before it runs.
    await api.bulkQueue.pause();
    let location: string;
    try {
      const res = await c.post('/admin/bulk', {
        action: 'approve',
        scope: 'filter',
        filter_tab: 'pending',
        filter_site: 'news',
        filter_page: 'nojs',
        filter_reason: '',
        filter_q: '',
      });
      expect(res.status).toBe(303);
      location = res.headers.get('location') ?? '';
      expect(location).toMatch(/^\/admin\/bulk\/[0-9a-f-]{36}$/);
      const waiting = await c.page(location);
      expect(waiting).toMatch(/<head>[\s\S]*<meta http-equiv="refresh" content="1">[\s\S]*<\/head>/);
      expect(waiting).toContain('Approving 7 comments in the view');
      expect(waiting).toMatch(/<span data-bulk="done">0<\/span> of <span data-bulk="total">7<\/span>/);
    } finally {
      await api.bulkQueue.resume();
    }
    const done = await waitFor('the result page', async () => {
      const page = await c.page(location);
      return page.includes('http-equiv="refresh"') ? undefined : page;
    });
    expect(done).toContain('Approved 7 comments');
    expect(done).toContain(`action="${location}/undo"`);
    expect(await statusCounts(ids)).toEqual({ approved: 7 });

    const undo = await c.post(`${location}/undo`, {});
    expect(undo.status).toBe(303);
    const undoPage = undo.headers.get('location') ?? '';
    expect(undoPage).toBe(location.replace('/admin/bulk/', '/admin/bulk/undo-'));
    const restored = await waitFor('the undo result', async () => {
      const page = await c.page(undoPage);
      return page.includes('http-equiv="refresh"') ? undefined : page;
    });
    expect(restored).toContain('Restored <b data-bulk="changed">7 comments</b>');
    expect(await statusCounts(ids)).toEqual({ pending: 7 });
    expect(await c.page(location)).toContain('This bulk action has been undone.');
  });
});

describe('the bulk processor, called directly', () => {
  /** A stand-in for a BullMQ job that records progress and keeps updated data, as Redis would. */
  function fakeJob(data: BulkActionData, failOnSave?: number) {
    const progress: BulkProgress[] = [];
    let saves = 0;
    const job = {
      name: 'bulk',
      data,
      opts: { attempts: 8 },
      attemptsMade: 0,
      async updateProgress(p: BulkProgress) {
        progress.push(p);
      },
      async updateData(d: BulkActionData) {
        saves += 1;
        if (saves === failOnSave) throw new Error('Redis went away');
        job.data = d;
      },
    };
    return { job, progress, asJob: job as unknown as Job<BulkJobData, BulkResult, BulkJobName> };
  }

  it('reports progress after every chunk, and a retry after a crash continues without redoing or miscounting', async () => {
    const ids = await insertPending('news', 'retried', 1000);
    const processBulk = createBulkProcessor({ db: db.pool, logger: createLogger('silent', 'test'), chunkSize: 100 });
    const { total, until } = await countBulkFilter(db.pool, {
      tab: 'pending',
      siteIds: ['news'],
      site: null,
      page: 'retried',
      reason: null,
      q: null,
      order: 'oldest',
    });
    const data: BulkActionData = {
      batchId: randomUUID(),
      action: 'approve',
      actor: { id: modId, label: 'mod@example.org', siteIds: ['news'] },
      target: {
        filter: {
          tab: 'pending',
          siteIds: ['news'],
          site: null,
          page: 'retried',
          reason: null,
          q: null,
          order: 'oldest',
        },
        until,
      },
      total,
    };
    // First attempt: the third chunk commits, then saving its resume point fails.
    const first = fakeJob(data, 3);
    await expect(processBulk(first.asJob)).rejects.toThrow('Redis went away');
    expect(await statusCounts(ids)).toEqual({ approved: 300, pending: 700 });
    expect(first.progress.map((p) => p.done)).toEqual([0, 100, 200]);

    // The retry starts from the last saved point (after chunk two), as BullMQ would hand it back.
    const retry = fakeJob(first.job.data);
    const result = await processBulk(retry.asJob);
    expect(result).toEqual({ total: 1000, changed: 1000 });
    expect(await statusCounts(ids)).toEqual({ approved: 1000 });
    const dones = retry.progress.map((p) => p.done);
    expect(dones).toEqual([...dones].sort((x, y) => x - y));
    expect(retry.progress.at(-1)).toEqual({ done: 1000, total: 1000, changed: 1000 });
    const { rows } = await db.pool.query(
      `select action, count(*)::int as n, count(distinct comment_id)::int as comments, max((detail->>'count')::int) as summary_count
         from moderation_events where batch_id = $1 group by action order by action`,
      [data.batchId],
    );
    expect(rows).toEqual([
      { action: 'approve', n: 1000, comments: 1000, summary_count: null },
      { action: 'bulk', n: 1, comments: 0, summary_count: 1000 },
    ]);
  });
});
