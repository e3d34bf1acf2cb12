import { randomUUID } from 'node:crypto';
import { Worker } from 'bullmq';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BulkView } from '../../src/http/desk/moderator/bulk-page.js';
import { runPrivacyCommand } from '../../src/cli/privacy-commands.js';
import { createEmailQueue, EMAIL_QUEUE } from '../../src/queue/email-queue.js';
import { createWorkerRedis } from '../../src/redis.js';
import { addModerator, DashboardClient } from '../support/dashboard-client.js';
import {
  addSite,
  deleteQueueKeys,
  newQueuePrefix,
  postJson,
  startApi,
  startWorker,
  TEST_REDIS_URL,
  waitFor,
  waitForStored,
  type TestApi,
} from '../support/harness.js';
import { createTestDatabase, type TestDatabase } from '../support/test-db.js';

/*
 * Issue 11 item 12: erasing a commenter left their email in a bulk action's audit entry (the filter a
 * moderator searched with) and in Redis (finished and failed submission jobs, a failed mail job's
 * error, the queues' event streams). After an erasure, nothing in Postgres (any text or JSON column
 * of any table) and nothing under the test's Redis prefix (any key, any type) may hold the address.
 */

let db: TestDatabase;
let api: TestApi;
let worker: { close(): Promise<void> };
let redis: Redis;
const prefix = newQueuePrefix();

/** Every (table.column, rows) of text-like columns in Postgres whose value mentions `needle`. */
async function postgresMentions(needle: string): Promise<string[]> {
  const { rows: columns } = await db.pool.query<{ table_name: string; column_name: string }>(
    `select table_name, column_name from information_schema.columns
      where table_schema = 'public' and data_type in ('text', 'character varying', 'jsonb', 'json', 'ARRAY')
      order by table_name, column_name`,
  );
  expect(columns.length).toBeGreaterThan(20);
  const found: string[] = [];
  for (const c of columns) {
    const { rows } = await db.pool.query<{ n: number }>(
      `select count(*)::int as n from "${c.table_name}" where strpos(lower("${c.column_name}"::text), $1) > 0`,
      [needle],
    );
    if (rows[0]!.n > 0) found.push(`${c.table_name}.${c.column_name}: ${rows[0]!.n}`);
  }
  return found;
}

/** Every key under the prefix whose name or content (whatever its type) mentions `needle`. */
async function redisMentions(needle: string): Promise<string[]> {
  const found: string[] = [];
  let cursor = '0';
  do {
    const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}:*`, 'COUNT', 1000);
    cursor = next;
    for (const key of keys) {
      const type = await redis.type(key);
      let content: unknown;
      if (type === 'string') content = await redis.get(key);
      else if (type === 'hash') content = await redis.hgetall(key);
      else if (type === 'list') content = await redis.lrange(key, 0, -1);
      else if (type === 'set') content = await redis.smembers(key);
      else if (type === 'zset') content = await redis.zrange(key, 0, -1);
      else if (type === 'stream') content = await redis.xrange(key, '-', '+');
      if (`${key}\n${JSON.stringify(content)}`.toLowerCase().includes(needle)) found.push(`${key} (${type})`);
    }
  } while (cursor !== '0');
  return found;
}

beforeAll(async () => {
  db = await createTestDatabase();
  api = await startApi({ pool: db.pool, prefix });
  worker = await startWorker({ pool: db.pool, prefix });
  redis = new Redis(TEST_REDIS_URL, { maxRetriesPerRequest: 1 });
  await addSite(db.pool, 'news', [api.origin]);
  await addModerator(db.pool, 'admin@desk.example', 'admin');
});

afterAll(async () => {
  await worker?.close();
  await api?.close();
  redis?.disconnect();
  await db?.drop();
  await deleteQueueKeys(prefix);
});

describe('erasing a commenter reaches the audit log and the queues', () => {
  it('leaves the address nowhere in Postgres or Redis, and the bulk action still reads', async () => {
    const email = 'carol.erase@example.org';
    // Two comments (finished submission jobs keep an hour, with the email in their data).
    const ids: string[] = [];
    for (const body of ['First from Carol', 'Second from Carol']) {
      const res = await postJson(
        api,
        { site: 'news', page: 'p1', author: 'Carol', email: 'Carol.Erase@Example.org', body },
        { origin: api.origin },
      );
      expect(res.status).toBe(202);
      ids.push(((await res.json()) as { id: string }).id);
    }
    for (const id of ids) await waitForStored(db.pool, id);
    // A submission that failed for good (its site was removed meanwhile): kept a month, data and all.
    const done = await api.queue.getJob(ids[0]!);
    const failedId = randomUUID();
    await api.queue.add(
      'submit',
      { ...done!.data, id: failedId, siteId: 'gone-site' },
      { jobId: failedId, attempts: 1 },
    );
    await waitFor('the failed submission', async () => (await api.queue.getJobState(failedId)) === 'failed');

    // A moderator searched for the address and rejected everything it found.
    const admin = new DashboardClient(api.url);
    await admin.signIn('admin@desk.example');
    const started = await admin.post(
      '/admin/bulk',
      { action: 'reject', scope: 'filter', filter_tab: 'pending', filter_q: email.toUpperCase() },
      { json: true },
    );
    expect(started.status).toBe(202);
    const { jobId, batchId } = (await started.json()) as { jobId: string; batchId: string };
    await waitFor('the bulk action', async () => {
      const v = (await (await admin.get(`/admin/bulk/${jobId}`, { accept: 'application/json' })).json()) as BulkView;
      return v.state === 'completed' ? v : undefined;
    });

    // A reply mail the SMTP server refused: nodemailer's error names the recipient, and BullMQ keeps
    // it as the failed job's reason and stack, and in the queue's event stream.
    const emailQueue = createEmailQueue(api.redis, prefix);
    const connection = createWorkerRedis(TEST_REDIS_URL);
    const smtpRefusal = new Worker(
      EMAIL_QUEUE,
      async () => {
        throw new Error(
          `Can't send mail - all recipients were rejected: 550 5.1.1 <${email}>: Recipient address rejected`,
        );
      },
      { connection, prefix },
    );
    const mailJob = await emailQueue.add('reply', { commentId: ids[1]! }, { attempts: 1 });
    await waitFor('the failed mail', async () => (await emailQueue.getJobState(mailJob.id!)) === 'failed');
    await smtpRefusal.close();
    connection.disconnect();
    await emailQueue.close();

    // Before: the address is all over both (so the search below can find what it looks for).
    expect((await postgresMentions(email)).join(' ')).toMatch(/comments\.author_email.*moderation_events\.detail/);
    expect((await redisMentions(email)).join(' ')).toMatch(/:submissions:.*|:email:|:moderation-bulk:/);

    const erased = await admin.post('/admin/privacy/erase', { email, site: '', confirm: '1' });
    expect(erased.status).toBe(303);
    const notice = decodeURIComponent(erased.headers.get('location') ?? '');
    expect(notice).toMatch(/Erased: 2 comment\(s\)/);
    expect(notice).toMatch(/Queued jobs: [4-9] removed, \d+ queue event\(s\) deleted\./);

    expect(await postgresMentions(email)).toEqual([]);
    expect(await redisMentions(email)).toEqual([]);

    // The bulk action's summary keeps what it did, with the address replaced; its page still answers.
    const summary = await db.pool.query(
      `select detail from moderation_events where batch_id = $1 and action = 'bulk'`,
      [batchId],
    );
    expect(summary.rows[0].detail).toMatchObject({
      action: 'reject',
      scope: 'filter',
      count: expect.any(Number),
      filter: { q: '[erased]' },
    });
    const view = (await (await admin.get(`/admin/bulk/${jobId}`, { accept: 'application/json' })).json()) as BulkView;
    expect(view).toMatchObject({ state: 'completed', action: 'reject', batchId });
  }, 60_000);

  it("from the CLI, with --site, leaves other sites' jobs alone", async () => {
    await addSite(db.pool, 'other', [api.origin]);
    const email = 'dave.site@example.org';
    const posted: Record<string, string> = {};
    for (const site of ['news', 'other']) {
      const res = await postJson(
        api,
        { site, page: 'p2', author: 'Dave', email, body: `Dave on ${site}` },
        { origin: api.origin },
      );
      posted[site] = ((await res.json()) as { id: string }).id;
      await waitForStored(db.pool, posted[site]);
    }
    const lines: string[] = [];
    const code = await runPrivacyCommand(
      db.pool,
      ['erase', email, '--site', 'news', '--yes'],
      (l) => lines.push(l),
      new Date(),
      { redis: api.redis, prefix },
    );
    expect(code).toBe(0);
    expect(lines[1]).toMatch(/^queued jobs: 1 removed, \d+ queue event\(s\) deleted$/);
    expect(await api.queue.getJob(posted.news!)).toBeUndefined();
    expect((await api.queue.getJob(posted.other!))?.data.email).toBe(email);
  }, 60_000);
});
