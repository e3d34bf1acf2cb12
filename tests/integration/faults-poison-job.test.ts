import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mintCommentId, type Submission } from '../../src/domain/submission.js';
import { createPool, type Pool } from '../../src/store/db.js';
import { addModerator, DashboardClient } from '../support/dashboard-client.js';
import { distinctComment, seconds, tally, waitAllStored } from '../support/fault-load.js';
import {
  addSite,
  deleteQueueKeys,
  newQueuePrefix,
  postJson,
  startApi,
  startWorker,
  waitFor,
  type TestApi,
} from '../support/harness.js';
import { startPrivatePostgres, type PrivatePostgres } from '../support/private-postgres.js';

// A job that can never succeed (a payload no submission looks like, a comment for a site that does
// not exist) must fail at once into the failed set, must not hold up the comments queued behind it,
// and must be visible to admins, who can retry it once the cause is fixed, or discard it.

const COMMENTS = 200;

let pg: PrivatePostgres;
let pool: Pool;
let api: TestApi;
let worker: { close(): Promise<void> };
const prefix = newQueuePrefix();
const site = 'poison';

beforeAll(async () => {
  pg = await startPrivatePostgres();
  pool = createPool(pg.url, 10);
  api = await startApi({ pool, prefix });
  await addSite(pool, site, [api.origin], { holdFirstTime: false, floodSeconds: 0 });
  await addModerator(pool, 'admin@example.org', 'admin');
  await addModerator(pool, 'mod@example.org', 'moderator', [site]);
  worker = await startWorker({ pool, prefix });
});

afterAll(async () => {
  await worker?.close();
  await api?.close();
  await pool?.end();
  await pg?.destroy();
  await deleteQueueKeys(prefix);
});

function submission(siteId: string, extra: Partial<Submission> = {}): Submission {
  return {
    id: mintCommentId(siteId, null),
    siteId,
    page: 'late',
    pageUrl: null,
    pageTitle: null,
    parentId: null,
    author: 'Late Reader',
    email: 'late-reader@example.org',
    url: '',
    body: 'Written before the site existed.',
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

describe('poison jobs', () => {
  it('fail at once into a dead-letter list admins can see, retry and discard, without blocking the comments behind them', async () => {
    // Hand-added, as a bug or a bad deploy would: a payload that is not a submission (with markup, to
    // prove the page escapes it), and a valid one for a site that does not exist yet.
    await api.queue.add(
      'submit',
      { hello: '<script>alert(1)</script>', email: 'poison@example.org' } as unknown as Submission,
      { jobId: 'poison-garbage' },
    );
    const orphan = submission('late-site', { body: '<img src=x onerror=alert(1)> needs its site' });
    await api.queue.add('submit', orphan, { jobId: orphan.id });

    const run = randomUUID().slice(0, 8);
    const started = Date.now();
    const accepted: string[] = [];
    let next = 0;
    await Promise.all(
      Array.from({ length: 10 }, async () => {
        for (let i = next++; i < COMMENTS; i = next++) {
          const res = await postJson(api, distinctComment(site, run, i), { origin: api.origin });
          if (res.status === 202) accepted.push(((await res.json()) as { id: string }).id);
        }
      }),
    );
    const { stored, at } = await waitAllStored(pool, site, accepted, 20_000);
    const t = tally(accepted, stored);
    const failedJobs = await waitFor(
      'both poison jobs to fail',
      async () => {
        const f = await api.queue.getFailed();
        return f.length >= 2 ? f : false;
      },
      10_000,
    );
    const attempts = Object.fromEntries(failedJobs.map((j) => [j.id, j.attemptsMade]));

    // The admins' page shows them, escaped; a moderator may not see it, nor a signed-out visitor.
    const admin = new DashboardClient(api.url);
    await admin.signIn('admin@example.org');
    const pageHtml = await admin.page('/admin/failed');
    const moderator = new DashboardClient(api.url);
    await moderator.signIn('mod@example.org');
    const modStatus = (await moderator.get('/admin/failed')).status;
    const anonymous = await new DashboardClient(api.url).get('/admin/failed');

    // Retry without the CSRF token is refused; with it, after the site is created, the orphan is stored.
    const noCsrf = await admin.post(`/admin/failed/${orphan.id}/retry`, {}, { csrf: false });
    await addSite(pool, 'late-site', [api.origin], { holdFirstTime: false, floodSeconds: 0 });
    const retry = await admin.post(`/admin/failed/${orphan.id}/retry`, {});
    const retriedAt = Date.now();
    const orphanRow = await waitFor(
      'the retried comment to be stored',
      async () => {
        const { rows } = await pool.query<{ status: string }>('select status from comments where id = $1', [orphan.id]);
        return rows[0];
      },
      10_000,
    );
    const retryMs = Date.now() - retriedAt;
    const discard = await admin.post('/admin/failed/poison-garbage/discard', {});
    const afterPage = await admin.page('/admin/failed');
    const gone = await api.queue.getJob('poison-garbage');

    // The BullMQ board: admins only, read-only, with its own CSP.
    const board = await admin.get('/admin/queues');
    const boardCsp = board.headers.get('content-security-policy') ?? '';
    const boardApi = await admin.get('/admin/queues/api/queues?activeQueue=submissions&status=failed&page=1', {
      accept: 'application/json',
    });
    const boardAsModerator = (await moderator.get('/admin/queues')).status;

    console.log(
      `poison jobs: 2 hand-added (attempts ${JSON.stringify(attempts)}); accepted ${t.accepted}, stored ${t.stored}, duplicates ${t.duplicates}, ` +
        `lost ${t.lost.length}, all stored ${seconds(at - started)} s after the first post; /admin/failed admin 200, moderator ${modStatus}, ` +
        `signed out ${anonymous.status}; retry without CSRF ${noCsrf.status}; retried orphan stored as ${orphanRow.status} in ${seconds(retryMs)} s; discard ${discard.status}`,
    );

    expect(t.lost).toEqual([]);
    expect(t.duplicates).toBe(0);
    expect(t.stored).toBe(COMMENTS);
    expect(failedJobs.map((j) => j.id).sort()).toEqual(['poison-garbage', orphan.id].sort());
    expect(Object.values(attempts)).toEqual([1, 1]);
    expect(pageHtml).toContain('poison-garbage');
    expect(pageHtml).toContain(orphan.id);
    expect(pageHtml).toContain('invalid submission payload');
    expect(pageHtml).toContain('site late-site no longer exists');
    expect(pageHtml).toContain('late-reader@example.org');
    expect(pageHtml).toContain('&lt;img src=x onerror=alert(1)&gt;');
    expect(pageHtml).not.toContain('<script>alert');
    expect(pageHtml).not.toContain('<img src=x');
    expect(modStatus).toBe(403);
    expect(anonymous.status).toBe(303);
    expect(noCsrf.status).toBe(403);
    expect(retry.status).toBe(303);
    expect(orphanRow.status).toBe('approved');
    expect(discard.status).toBe(303);
    expect(gone).toBeUndefined();
    expect(afterPage).toContain('No failed jobs.');
    expect(board.status).toBe(200);
    expect(boardCsp).toContain("style-src 'self' 'unsafe-inline'");
    expect(boardCsp).toContain("script-src 'self'");
    expect(boardCsp).not.toMatch(/script-src[^;]*unsafe-inline/);
    expect(boardApi.status).toBe(200);
    expect(boardAsModerator).toBe(403);
  }, 60_000);
});
