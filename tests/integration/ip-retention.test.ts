import { randomUUID } from 'node:crypto';
import { Worker, type Job } from 'bullmq';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../../src/logger.js';
import {
  createMaintenanceQueue,
  MAINTENANCE_QUEUE,
  scheduleMaintenance,
  type AnonymiseIpsData,
  type AnonymiseIpsResult,
  type MaintenanceJobName,
} from '../../src/queue/maintenance-queue.js';
import { createWorkerRedis } from '../../src/redis.js';
import { createMaintenanceProcessor } from '../../workers/maintenance-processor.js';
import { addSite, deleteQueueKeys, newQueuePrefix, TEST_REDIS_URL, waitFor } from '../support/harness.js';
import { createTestDatabase, type TestDatabase } from '../support/test-db.js';

let db: TestDatabase;
const prefix = newQueuePrefix();
const logger = createLogger('silent', 'test');
const now = new Date('2026-06-01T12:00:00Z');
const daysAgo = (d: number) => new Date(now.getTime() - d * 86_400_000);
const job = { id: 'test' } as Job<AnonymiseIpsData, AnonymiseIpsResult, MaintenanceJobName>;

async function addComment(site: string, ip: string | null, at: Date, userAgent = 'Mozilla/5.0 (X11)'): Promise<string> {
  const id = randomUUID();
  const page = await db.pool.query<{ id: number }>(
    `insert into pages (site_id, identifier) values ($1, 'p') on conflict (site_id, identifier) do update set identifier = excluded.identifier returning id`,
    [site],
  );
  await db.pool.query(
    `insert into comments (id, site_id, page_id, body, body_html, status, verdict, content_hash, ip, user_agent, referrer, received_at)
     values ($1::uuid, $2, $3, 'x', '<p>x</p>', 'approved', '{"status":"approved","score":0,"reasons":[]}', sha256(convert_to($1::text, 'UTF8')), $4, $5, 'https://blog.example/p', $6)`,
    [id, site, page.rows[0]!.id, ip, userAgent, at],
  );
  return id;
}

async function row(id: string): Promise<{ ip: string | null; user_agent: string; referrer: string }> {
  return (await db.pool.query('select abbrev(ip) as ip, user_agent, referrer from comments where id = $1', [id]))
    .rows[0];
}

beforeAll(async () => {
  db = await createTestDatabase();
  await addSite(db.pool, 'month', []);
  await addSite(db.pool, 'forever', [], { ipRetentionDays: 0 });
  await addSite(db.pool, 'week', [], { ipRetentionDays: 7 });
});

afterAll(async () => {
  await db?.drop();
  await deleteQueueKeys(prefix);
});

describe('IP retention job', () => {
  it('truncates addresses and clears user agents past each site’s window, once', async () => {
    const oldV4 = await addComment('month', '203.0.113.77', daysAgo(40));
    const oldV6 = await addComment('month', '2001:db8:85a3:1234:5678::1', daysAgo(31));
    const oldNoIp = await addComment('month', null, daysAgo(45));
    const recent = await addComment('month', '198.51.100.9', daysAgo(10));
    const kept = await addComment('forever', '192.0.2.1', daysAgo(4000));
    const weekOld = await addComment('week', '192.0.2.200', daysAgo(8));

    const run = createMaintenanceProcessor({ db: db.pool, logger, now: () => now, batchSize: 2 });
    const first = await run(job);
    expect(first).toEqual({ bySite: { month: 3, week: 1 }, total: 4, deliveriesPruned: 0 });
    expect(await row(oldV4)).toEqual({ ip: '203.0.113.0/24', user_agent: '', referrer: 'https://blog.example/p' });
    expect(await row(oldV6)).toEqual({ ip: '2001:db8:85a3::/48', user_agent: '', referrer: 'https://blog.example/p' });
    expect(await row(oldNoIp)).toMatchObject({ ip: null, user_agent: '' });
    expect(await row(recent)).toMatchObject({ ip: '198.51.100.9', user_agent: 'Mozilla/5.0 (X11)' });
    expect(await row(kept)).toMatchObject({ ip: '192.0.2.1', user_agent: 'Mozilla/5.0 (X11)' });
    expect(await row(weekOld)).toMatchObject({ ip: '192.0.2.0/24', user_agent: '' });

    // Idempotent: nothing left to do, nothing logged.
    expect(await run(job)).toEqual({ bySite: {}, total: 0, deliveriesPruned: 0 });
    const events = await db.pool.query(
      `select site_id, actor, detail->>'comments' as n from moderation_events where action = 'anonymise_ips' order by site_id`,
    );
    expect(events.rows).toEqual([
      { site_id: 'month', actor: 'worker', n: '3' },
      { site_id: 'week', actor: 'worker', n: '1' },
    ]);
  });

  it('deletes webhook delivery-log rows older than the log window, oldest first, in batches', async () => {
    const sub = await db.pool.query<{ id: number }>(
      `insert into webhook_subscriptions (site_id, url, events, secret) values ('month', 'https://hooks.example/in', '{comment.created}', 's') returning id`,
    );
    const attempt = (daysOld: number) =>
      db.pool.query(
        `insert into webhook_deliveries (subscription_id, event_id, event_type, attempt, result, duration_ms, created_at)
       values ($1, gen_random_uuid(), 'comment.created', 1, 'delivered', 5, $2)`,
        [sub.rows[0]!.id, daysAgo(daysOld)],
      );
    for (const d of [90, 45, 31, 29, 1]) await attempt(d);
    const run = createMaintenanceProcessor({ db: db.pool, logger, now: () => now, batchSize: 2 });
    expect((await run(job)).deliveriesPruned).toBe(3);
    const left = await db.pool.query<{ days: number }>(
      `select round(extract(epoch from ($1::timestamptz - created_at)) / 86400)::int as days from webhook_deliveries order by id`,
      [now],
    );
    expect(left.rows.map((r) => r.days)).toEqual([29, 1]);
    // With a 7-day window the 29-day row goes too.
    expect(
      (await createMaintenanceProcessor({ db: db.pool, logger, now: () => now, deliveryLogDays: 7 })(job))
        .deliveriesPruned,
    ).toBe(1);
  });

  it('runs on its own from the repeatable schedule', async () => {
    const connection = createWorkerRedis(TEST_REDIS_URL);
    const queue = createMaintenanceQueue(connection, prefix);
    // Every worker schedules on start; the scheduler stays one.
    await scheduleMaintenance(queue, 300);
    await scheduleMaintenance(queue, 300);
    expect(await queue.getJobSchedulersCount()).toBe(1);
    const late = await addComment('month', '203.0.113.5', daysAgo(90));
    const results: AnonymiseIpsResult[] = [];
    const worker = new Worker(MAINTENANCE_QUEUE, createMaintenanceProcessor({ db: db.pool, logger }), {
      connection,
      prefix,
      concurrency: 1,
    });
    worker.on('completed', (_j, r: AnonymiseIpsResult) => results.push(r));
    try {
      await waitFor('a scheduled run', () => results.length >= 2, 15_000);
      expect(results[0]!.bySite.month).toBeGreaterThanOrEqual(1);
      expect(results[1]).toEqual({ bySite: {}, total: 0, deliveriesPruned: 0 });
      expect(await row(late)).toMatchObject({ ip: '203.0.113.0/24' });
    } finally {
      await worker.close();
      await queue.close();
      connection.disconnect();
    }
  });
});
