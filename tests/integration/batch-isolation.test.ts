import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mintCommentId, type Submission } from '../../src/domain/submission.js';
import { createThreadVersionReader } from '../../src/store/batched/thread-versions.js';
import { distinctComment, seconds, tally, waitAllStored } from '../support/fault-load.js';
import { addSite, postJson, waitFor } from '../support/harness.js';
import { startPipeline, type TestPipeline } from '../support/pipeline.js';

/*
 * Issue 11, item 1: one bad input must fail only itself. A NUL byte that reaches Postgres fails the
 * whole statement it is in, and the workers share statements between jobs (the facts query, the
 * comment insert) and the API shares one between readers (the thread-version read). Intake now
 * refuses such values, so the poison here is queued directly, as an old API, a bug or a hand-added
 * job would.
 */
let p: TestPipeline;
const site = 'isolation';

beforeAll(async () => {
  p = await startPipeline();
  await addSite(p.db.pool, site, [p.api.origin], { holdFirstTime: false, floodSeconds: 0 });
});

afterAll(async () => {
  await p?.close();
});

function poison(i: number, extra: Partial<Submission>): Submission {
  return {
    id: mintCommentId(site, null),
    siteId: site,
    page: `page-${i % 5}`,
    pageUrl: null,
    pageTitle: null,
    parentId: null,
    author: `Poisoned ${i}`,
    email: `poisoned-${i}@example.org`,
    url: '',
    body: `Poisoned comment ${i}.`,
    honeypot: '',
    key: null,
    ip: '127.0.0.1',
    userAgent: 'test',
    referrer: '',
    receivedAt: new Date().toISOString(),
    source: 'json',
    ...extra,
  };
}

describe('one bad input fails only itself', () => {
  it('60 comments queued among 6 poisoned jobs (NUL in pageTitle or key) are all stored within seconds; the poisoned fail alone, at once', async () => {
    // Paused while the jobs are queued, so that when the worker starts they reach it together and
    // share its batches, poison included (16 jobs at a time).
    await p.api.queue.pause();
    const run = randomUUID().slice(0, 8);
    const accepted: string[] = [];
    const poisoned: string[] = [];
    for (let i = 0; i < 66; i++) {
      if (i % 11 === 5) {
        // Three reach the facts query (the page's title), three the comment insert (the idempotency key).
        const job = poison(i, poisoned.length % 2 === 0 ? { pageTitle: `Title\u0000${i}` } : { key: `key\u0000${i}` });
        await p.api.queue.add('submit', job, { jobId: job.id });
        poisoned.push(job.id);
        continue;
      }
      const res = await postJson(p.api, distinctComment(site, run, i), { origin: p.api.origin });
      expect(res.status).toBe(202);
      accepted.push(((await res.json()) as { id: string }).id);
    }
    expect([accepted.length, poisoned.length]).toEqual([60, 6]);

    const started = Date.now();
    await p.api.queue.resume();
    const { stored, at } = await waitAllStored(p.db.pool, site, accepted, 15_000);
    const t = tally(accepted, stored);
    const failed = await waitFor(
      'the poisoned jobs to fail',
      async () => {
        const f = await p.api.queue.getFailed();
        return f.length >= 6 ? f : false;
      },
      10_000,
    );
    const counts = await p.api.queue.getJobCounts('failed', 'delayed', 'wait', 'active');
    const completed = await p.api.queue.getCompleted(0, 100);
    console.log(
      `batch isolation: ${t.accepted} accepted among ${poisoned.length} poisoned, ${t.stored} stored ${seconds(at - started)} s after the worker started; ` +
        `failed ${counts.failed}, delayed ${counts.delayed}; poisoned attempts ${failed.map((j) => j.attemptsMade).join(',')}; ` +
        `first reason: ${failed[0]?.failedReason}`,
    );

    expect(t.lost).toEqual([]);
    expect(t.stored).toBe(60);
    expect(at - started).toBeLessThan(5000);
    // The poisoned ones, and only they, failed, on their first attempt, for their data.
    expect(failed.map((j) => j.id).sort()).toEqual([...poisoned].sort());
    expect(failed.map((j) => j.attemptsMade)).toEqual([1, 1, 1, 1, 1, 1]);
    for (const j of failed) expect(j.failedReason).toMatch(/SQLSTATE 22021/);
    expect(counts.delayed).toBe(0);
    // No good job was retried: each completed on the attempt it was first given.
    expect(completed.filter((j) => accepted.includes(j.id ?? '')).map((j) => j.attemptsMade)).toEqual(
      accepted.map(() => 1),
    );
    // Nothing of the poisoned reached the tables.
    const { rows } = await p.db.pool.query<{ n: number }>(
      'select count(*)::int as n from comments where id = any($1::uuid[])',
      [poisoned],
    );
    expect(rows[0]?.n).toBe(0);
  }, 60_000);

  it('a site whose stored settings no longer validate fails no comment, its own or one batched with it', async () => {
    // Written by hand in SQL (or under an older schema): the facts statement reads it with every other
    // site's comments in the same batch, and the site directory lists it with every other site.
    const broken = 'isolation-broken';
    await addSite(p.db.pool, broken, [p.api.origin], { holdFirstTime: false, floodSeconds: 0 });
    await p.db.pool.query(
      `update sites set settings = settings || '{"holdLinks": -1, "holdWords": ["zebra"]}'::jsonb where id = $1`,
      [broken],
    );
    await p.api.queue.pause();
    const run = randomUUID().slice(0, 8);
    const ids: string[] = [];
    for (let i = 0; i < 20; i++) {
      const extra = i === 4 ? { body: 'A zebra crossed the page.' } : {};
      const comment = distinctComment(i % 2 === 0 ? broken : site, run, i, extra);
      const res = await postJson(p.api, comment, { origin: p.api.origin });
      expect(res.status).toBe(202);
      ids.push(((await res.json()) as { id: string }).id);
    }
    await p.api.queue.resume();
    const mine = ids.filter((_, i) => i % 2 === 0);
    const others = ids.filter((_, i) => i % 2 === 1);
    expect(tally(mine, (await waitAllStored(p.db.pool, broken, mine, 15_000)).stored).lost).toEqual([]);
    expect(tally(others, (await waitAllStored(p.db.pool, site, others, 15_000)).stored).lost).toEqual([]);
    // The broken site's valid keys still apply (its hold word), its bad one takes the default.
    const { rows } = await p.db.pool.query<{ status: string; n: number }>(
      'select status, count(*)::int as n from comments where id = any($1::uuid[]) group by status order by status',
      [ids],
    );
    expect(rows).toEqual([
      { status: 'approved', n: 19 },
      { status: 'pending', n: 1 },
    ]);
  }, 60_000);

  it('a shared thread-version read with one bad page answers every other reader', async () => {
    const read = createThreadVersionReader(p.db.pool);
    const pages = ['page-0', 'page-1', 'page-2', 'page-3', 'page-4', 'nobody-commented-here'];
    // All in the same turn of the event loop: they share one query, the bad one in the middle.
    const answers = await Promise.allSettled([
      ...pages.slice(0, 3).map((page) => read({ siteId: site, page })),
      read({ siteId: site, page: 'page-0\u0000' }),
      ...pages.slice(3).map((page) => read({ siteId: site, page })),
    ]);
    const [bad] = answers.splice(3, 1);
    expect(bad?.status).toBe('rejected');
    expect((bad as PromiseRejectedResult).reason).toMatchObject({ code: '22021' });
    expect(answers.map((a) => a.status)).toEqual(pages.map(() => 'fulfilled'));
    const versions = answers.map((a) => (a as PromiseFulfilledResult<{ approved: number } | null>).value);
    expect(versions.slice(0, 5).every((v) => v !== null && v.approved > 0)).toBe(true);
    expect(versions[5]).toBeNull();
  });
});
