import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { pathToFileURL } from 'node:url';
import { Queue, type Worker } from 'bullmq';
import { Redis } from 'ioredis';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAkismetClient } from '../../src/akismet/akismet-client.js';
import { createSmtpMailer } from '../../src/mail/mailer.js';
import { projectRoot } from '../../src/paths.js';
import { createAkismetQueue } from '../../src/queue/akismet-queue.js';
import { createEmailQueue } from '../../src/queue/email-queue.js';
import { createLivePublisher } from '../../src/queue/live-events.js';
import { createSubmissionsQueue } from '../../src/queue/submissions-queue.js';
import { createTrainingQueue } from '../../src/queue/training-queue.js';
import { createCommentEventsQueue } from '../../src/queue/comment-events-queue.js';
import { createDeskNoticesQueue } from '../../src/queue/desk-notices-queue.js';
import { createCommentWriter } from '../../src/store/batched/comment-writer.js';
import { createOutageRecovery } from '../../workers/outage-recovery.js';
import { runWorkers } from '../../workers/run-workers.js';
import { workerTable, type WorkerSpec, type WorkerTableDeps } from '../../workers/worker-table.js';
import { deleteQueueKeys, newQueuePrefix, TEST_REDIS_URL, waitFor } from '../support/harness.js';
import { createTestDatabase, type TestDatabase } from '../support/test-db.js';

// workers/worker-table.ts is the one list of what a worker process serves, and workers/run-workers.ts
// the one loop over it. The table must name every queue src/queue/ defines (a queue nobody serves
// fills Redis silently), and the loop must give each worker its row's concurrency, options and hooks.
let db: TestDatabase;
let connection: Redis;
const prefix = newQueuePrefix();
const logLines: { level: number; msg: string; jobId?: string }[] = [];
const logger = pino(
  { level: 'info' },
  new Writable({
    write(chunk: Buffer, _enc, done) {
      for (const line of chunk.toString().split('\n').filter(Boolean))
        logLines.push(JSON.parse(line) as (typeof logLines)[number]);
      done();
    },
  }),
);
const closers: (() => Promise<void> | void)[] = [];

/** The table's dependencies, real ones, with mail and Akismet set up or not. */
function tableDeps(opts: { mail: boolean; akismet: boolean; shards?: number }): WorkerTableDeps {
  const events = createCommentEventsQueue(connection, prefix);
  const training = createTrainingQueue(connection, prefix);
  const submissions = createSubmissionsQueue(connection, prefix);
  const email = opts.mail ? createEmailQueue(connection, prefix) : undefined;
  const akismet = opts.akismet ? createAkismetQueue(connection, prefix) : undefined;
  const mailer = opts.mail ? createSmtpMailer('smtp://127.0.0.1:9', 'Reply Desk <test@localhost>') : null;
  const recovery = createOutageRecovery({ db: db.pool, queue: submissions, logger });
  closers.push(
    () => recovery.close(),
    () => mailer?.close(),
  );
  const notices = createDeskNoticesQueue(connection, prefix);
  for (const q of [events, training, submissions, email, akismet, notices]) if (q) closers.push(() => q.close());
  return {
    config: {
      WORKER_CONCURRENCY: 7,
      QUEUE_PREFIX: prefix,
      SUBMISSION_SHARDS: opts.shards ?? 1,
      PUBLIC_URL: 'http://127.0.0.1:9',
      AKISMET_RECHECK_MS: 60_000,
      EMAIL_DIGEST_MINUTES: 10,
      MAIL_LINK_HOURS: 48,
      WEBHOOK_ALLOW_PRIVATE: false,
      WEBHOOK_TIMEOUT_MS: 1000,
      CHECK_HOOK_TIMEOUT_MS: 1000,
    },
    db: db.pool,
    writer: createCommentWriter(db.pool, 10),
    logger,
    publish: createLivePublisher(connection, prefix),
    queues: { events, training, email, akismet, notices },
    mailer,
    akismet: opts.akismet
      ? createAkismetClient({ key: 'test-key', url: 'http://127.0.0.1:9/1.1', timeoutMs: 100, isTest: true })
      : null,
    recovery,
  };
}

/** Every queue name src/queue/ exports (a `…_QUEUE` string constant), read from the files themselves. */
async function definedQueues(): Promise<string[]> {
  const dir = join(projectRoot, 'src/queue');
  const names: string[] = [];
  for (const file of readdirSync(dir).filter((f) => f.endsWith('.ts'))) {
    const mod = (await import(pathToFileURL(join(dir, file)).href)) as Record<string, unknown>;
    for (const [key, value] of Object.entries(mod))
      if (/_QUEUE$/.test(key) && typeof value === 'string') names.push(value);
  }
  return names.sort();
}

beforeAll(async () => {
  db = await createTestDatabase();
  connection = new Redis(TEST_REDIS_URL, { maxRetriesPerRequest: null });
});

afterAll(async () => {
  for (const close of closers.reverse()) await close();
  connection?.disconnect();
  await db?.drop();
  await deleteQueueKeys(prefix);
});

describe('the worker table', () => {
  it('serves every queue src/queue/ defines, each once, when mail and Akismet are set up', async () => {
    const defined = await definedQueues();
    expect(defined).toEqual(
      expect.arrayContaining([
        'submissions',
        'moderation-bulk',
        'spam-training',
        'maintenance',
        'email',
        'webhooks',
        'akismet',
        'edits',
        'desk-notices',
      ]),
    );
    const served = workerTable(tableDeps({ mail: true, akismet: true })).map((s) => s.queue);
    expect([...served].sort()).toEqual(defined);
    expect(new Set(served).size).toBe(served.length);
  });

  it('leaves out the email worker without SMTP_URL and the Akismet worker without AKISMET_KEY', async () => {
    const served = workerTable(tableDeps({ mail: false, akismet: false })).map((s) => s.queue);
    expect([...served].sort()).toEqual((await definedQueues()).filter((q) => q !== 'email' && q !== 'akismet'));
  });

  it('the loop gives each worker its row: queue, concurrency, shared lock timing, its own options', async () => {
    const table = workerTable(tableDeps({ mail: true, akismet: true }));
    const watched: string[] = [];
    const running = runWorkers(table, {
      connection,
      prefix,
      lockMs: 4321,
      logger,
      metrics: { watch: (w) => void watched.push(w.name) },
    });
    try {
      await running.ready();
      const byQueue = new Map(running.workers.map((w) => [w.name, w] as const));
      expect([...byQueue.keys()]).toEqual(table.map((s) => s.queue));
      const expected: Record<string, { concurrency: number; maxStalledCount: number }> = {
        submissions: { concurrency: 7, maxStalledCount: 10 },
        'moderation-bulk': { concurrency: 2, maxStalledCount: 10 },
        'spam-training': { concurrency: 2, maxStalledCount: 1 },
        maintenance: { concurrency: 1, maxStalledCount: 1 },
        email: { concurrency: 4, maxStalledCount: 1 },
        webhooks: { concurrency: 16, maxStalledCount: 1 },
        akismet: { concurrency: 4, maxStalledCount: 1 },
        edits: { concurrency: 4, maxStalledCount: 10 },
        'desk-notices': { concurrency: 8, maxStalledCount: 1 },
      };
      for (const [queue, want] of Object.entries(expected)) {
        const w = byQueue.get(queue)!;
        expect({ queue, concurrency: w.concurrency, maxStalledCount: w.opts.maxStalledCount }).toEqual({
          queue,
          ...want,
        });
        expect({ lock: w.opts.lockDuration, stalled: w.opts.stalledInterval, prefix: w.opts.prefix }).toEqual({
          lock: 4321,
          stalled: 4321,
          prefix,
        });
        expect(w.isRunning()).toBe(true);
      }
      // The same four as before the table: the others were never counted.
      expect(watched).toEqual(['submissions', 'moderation-bulk', 'spam-training', 'maintenance']);
    } finally {
      await running.close();
    }
    expect(running.workers.map((w: Worker) => w.isRunning())).toEqual(running.workers.map(() => false));
  });

  it('with SUBMISSION_SHARDS=3 one submissions worker serves each shard, splitting WORKER_CONCURRENCY', async () => {
    const table = workerTable(tableDeps({ mail: false, akismet: false, shards: 3 }));
    const rows = table.filter((s) => s.queue === 'submissions');
    // Shard 0 keeps QUEUE_PREFIX (no prefix of its own); 7 jobs at once split as 3 + 3 + 3.
    expect(rows.map((r) => [r.prefix, r.label, r.concurrency])).toEqual([
      [undefined, 'submission', 3],
      [`${prefix}-s1`, 'submission (shard 1)', 3],
      [`${prefix}-s2`, 'submission (shard 2)', 3],
    ]);
    const running = runWorkers(rows, { connection, prefix, lockMs: 4321, logger });
    try {
      await running.ready();
      expect(running.workers.map((w) => [w.name, w.opts.prefix])).toEqual([
        ['submissions', prefix],
        ['submissions', `${prefix}-s1`],
        ['submissions', `${prefix}-s2`],
      ]);
    } finally {
      await running.close();
    }
  });

  it("the loop logs a failed attempt under the row's label and hands it to onFailed, unless the row logs its own", async () => {
    const noted: string[] = [];
    const failing = (queue: string, label: string, logFailures: boolean): WorkerSpec => ({
      queue,
      label,
      concurrency: 1,
      logFailures,
      counted: false,
      processor: () => async () => {
        throw new Error(`${label} broke`);
      },
      onFailed: (err) => void noted.push(err.message),
    });
    const running = runWorkers([failing('test-loud', 'loud', true), failing('test-quiet', 'quiet', false)], {
      connection,
      prefix,
      lockMs: 5000,
      logger,
    });
    const loud = new Queue('test-loud', { connection, prefix });
    const quiet = new Queue('test-quiet', { connection, prefix });
    try {
      await running.ready();
      await loud.add('x', {}, { jobId: 'loud-1' });
      await quiet.add('x', {}, { jobId: 'quiet-1' });
      await waitFor('both failures noted', () => noted.length === 2);
      expect(noted.sort()).toEqual(['loud broke', 'quiet broke']);
      expect(logLines.filter((l) => /job failed$/.test(l.msg)).map((l) => [l.msg, l.jobId, l.level])).toEqual([
        ['loud job failed', 'loud-1', 40],
      ]);
    } finally {
      await running.close();
      await loud.close();
      await quiet.close();
    }
  });
});
