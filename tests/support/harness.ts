import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { createServer, type Server } from 'node:http';
import { Worker, type JobsOptions } from 'bullmq';
import { Redis } from 'ioredis';
import { createApp } from '../../src/http/app.js';
import { createSiteDirectory, type SiteDirectory } from '../../src/http/kit/site-directory.js';
import type { SiteSettingsInput } from '../../src/domain/site-settings.js';
import { createLogger } from '../../src/logger.js';
import { projectRoot } from '../../src/paths.js';
import { BULK_QUEUE, createBulkQueue, type BulkQueue } from '../../src/queue/bulk-queue.js';
import { createThreadAnnouncer, createThreadFeed } from '../../src/queue/live-threads.js';
import { createLiveFeed, createLivePublisher, createSubscriberRedis } from '../../src/queue/live-events.js';
import { SUBMISSIONS_QUEUE, type SubmissionsQueue } from '../../src/queue/submissions-queue.js';
import { submissionShardPrefixes } from '../../src/queue/queue-prefix.js';
import { createSubmissionShards, type SubmissionShards } from '../../src/queue/submission-shards.js';
import { createProducerRedis, createWorkerRedis, type RedisAddress, type RedisClient } from '../../src/redis.js';
import { createCommentWriter } from '../../src/store/batched/comment-writer.js';
import { createDedicatedClient, type Pool, type Queryable } from '../../src/store/db.js';
import { insertSite } from '../../src/store/sites.js';
import { createBulkProcessor } from '../../workers/bulk-processor.js';
import { createEmailProcessor } from '../../workers/email-processor.js';
import { createWebhookProcessor } from '../../workers/webhook-processor.js';
import { createSmtpMailer, type Mailer } from '../../src/mail/mailer.js';
import { createEmailQueue, EMAIL_QUEUE, scheduleDigests, type EmailQueue } from '../../src/queue/email-queue.js';
import { createTrainingQueue } from '../../src/queue/training-queue.js';
import { createCommentEventsQueue, COMMENT_EVENTS_QUEUE } from '../../src/queue/comment-events-queue.js';
import { createSubmissionProcessor, type SubmissionProcessorDeps } from '../../workers/submission-processor.js';
import { createEditsQueue, EDITS_QUEUE, type EditsQueue } from '../../src/queue/edits-queue.js';
import { createEditProcessor } from '../../workers/edit-processor.js';
import { createFormTokens } from '../../src/flood/form-token.js';
import { createUsedFormTokens } from '../../src/flood/used-form-tokens.js';
import { createIntakeGuard, type FloodWindows } from '../../src/flood/intake-guard.js';

export const TEST_REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
const logger = createLogger(process.env.TEST_LOG_LEVEL ?? 'silent', 'test');

/** Polls until `check` returns a value other than undefined/false, or fails after `timeoutMs`. */
export async function waitFor<T>(
  what: string,
  check: () => Promise<T | undefined | false> | T | undefined | false,
  timeoutMs = 20_000,
  everyMs = 50,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const v = await check();
      if (v !== undefined && v !== false) return v;
    } catch (err) {
      last = err;
    }
    if (Date.now() > deadline)
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}${last ? `: ${String(last)}` : ''}`);
    await new Promise((r) => setTimeout(r, everyMs));
  }
}

/** An API listening on port 0 in this process, talking to real Postgres and Redis. */
export interface TestApi {
  url: string;
  origin: string;
  /** Shard 0's submissions queue: the only one unless `submissionShards` was given. */
  queue: SubmissionsQueue;
  /** Every submission shard (SUBMISSION_SHARDS), as the app has them. */
  shards: SubmissionShards;
  bulkQueue: BulkQueue;
  /** Authors' edits (PATCH /api/comments/:id). */
  edits: EditsQueue;
  sites: SiteDirectory;
  redis: RedisClient;
  close(): Promise<void>;
}

/**
 * Flood defence and form tokens are off unless a test asks: most suites post many comments from
 * 127.0.0.1 at once, which is exactly what the limits and surge mode exist to stop.
 */
export async function startApi(opts: {
  pool: Pool;
  /** Public thread and count reads (a replica, or src/store/replica/read-router.ts); left out, `pool`. */
  readDb?: Queryable;
  /** A URL, or a Sentinel set (src/redis.ts). */
  redisUrl?: RedisAddress;
  prefix: string;
  /** SUBMISSION_SHARDS. @defaultValue 1 */
  submissionShards?: number;
  enqueueTimeoutMs?: number;
  /** Intake waits for this many replicas to hold each submission (REDIS_WAIT_REPLICAS). */
  waitReplicas?: { replicas: number; timeoutMs: number };
  trustProxy?: string;
  /** Rate limits and surge mode at intake, with these windows (defaults: production's). */
  flood?: Partial<FloodWindows>;
  /** Sign and check form tokens with this secret. */
  formTokenSecret?: string;
  /** Forms offer reply notifications (as when SMTP_URL is set). */
  replyMail?: boolean;
  /**
   * Give the app the mail queue (as src/bin/api.ts does when SMTP_URL is set), so email sign-in is
   * offered; a worker started with the same prefix and `notifications.smtpUrl` sends its mails.
   */
  emailQueue?: boolean;
  /** The site directory LISTENs for site changes (as src/bin/api.ts does); off, tests call `sites.refresh()`. */
  siteChanges?: { reconnectMs?: number };
  /** Live threads' heartbeat and closure check. @defaultValue 20 s, as in production */
  liveHeartbeatMs?: number;
}): Promise<TestApi> {
  const redis = createProducerRedis(opts.redisUrl ?? TEST_REDIS_URL);
  const shards = createSubmissionShards(redis, opts.prefix, opts.submissionShards ?? 1, {
    waitReplicas: opts.waitReplicas,
  });
  const queue = shards.all()[0]!;
  const bulkQueue = createBulkQueue(redis, opts.prefix);
  // As src/bin/api.ts: the entry makes every queue the app uses, and closes them.
  const training = createTrainingQueue(redis, opts.prefix);
  const events = createCommentEventsQueue(redis, opts.prefix);
  const edits = createEditsQueue(redis, opts.prefix);
  const emailQueue = opts.emailQueue ? createEmailQueue(redis, opts.prefix) : undefined;
  const sites = createSiteDirectory(opts.pool, {
    refreshMs: 60_000,
    missRefreshMs: 0,
    listenClient: opts.siteChanges
      ? () => createDedicatedClient(opts.pool.options.connectionString ?? '', 'reply-desk site changes')
      : undefined,
    reconnectMs: opts.siteChanges?.reconnectMs,
  });
  const liveFeed = createLiveFeed({
    connect: () => createSubscriberRedis(opts.redisUrl ?? TEST_REDIS_URL),
    prefix: opts.prefix,
  });
  // Readers' live threads, as src/bin/api.ts; the heartbeat (and closure check) quicker for tests.
  const liveThreads = {
    announce: createThreadAnnouncer(redis, opts.prefix),
    feed: createThreadFeed({
      connect: () => createSubscriberRedis(opts.redisUrl ?? TEST_REDIS_URL),
      prefix: opts.prefix,
    }),
    redis,
    prefix: opts.prefix,
    heartbeatMs: opts.liveHeartbeatMs ?? 20_000,
  };
  // Listen first: the app needs its own address as its public URL.
  const server: Server = createServer();
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const app = createApp({
    db: opts.pool,
    readDb: opts.readDb,
    redis,
    queue: shards,
    training,
    events,
    edits,
    sites,
    logger,
    publicUrl: url,
    enqueueTimeoutMs: opts.enqueueTimeoutMs ?? 2000,
    trustProxy: opts.trustProxy ?? '',
    demo: true,
    formTokens: opts.formTokenSecret === undefined ? undefined : createFormTokens(opts.formTokenSecret),
    usedFormTokens:
      opts.formTokenSecret === undefined ? undefined : createUsedFormTokens({ redis, prefix: opts.prefix, logger }),
    replyMail: opts.replyMail,
    emailQueue,
    intakeGuard:
      opts.flood === undefined
        ? undefined
        : createIntakeGuard({
            redis,
            prefix: opts.prefix,
            logger,
            windows: {
              rateWindowMs: 60_000,
              surgeWindowMs: 60_000,
              surgeBaselineMs: 86_400_000,
              surgeCooldownMs: 600_000,
              ...opts.flood,
            },
          }),
    dashboard: {
      redis,
      prefix: opts.prefix,
      sessionSecret: 'test-session-secret-at-least-32-characters',
      idleMinutes: 30,
      secureCookies: false,
      liveFeed,
      bulkQueue,
    },
    liveThreads,
  });
  server.on('request', app);
  return {
    url,
    origin: url,
    queue,
    shards,
    bulkQueue,
    edits,
    sites,
    redis,
    async close() {
      server.closeAllConnections();
      server.close();
      await sites.close();
      await liveFeed.close();
      await liveThreads.feed.close();
      await shards.close().catch(() => {});
      await bulkQueue.close().catch(() => {});
      await training.close().catch(() => {});
      await events.close().catch(() => {});
      await edits.close().catch(() => {});
      await emailQueue?.close().catch(() => {});
      redis.disconnect();
    },
  };
}

/** Options of the comment-events workers (webhooks, mail) in {@link startWorker}; off unless given. */
export interface NotificationOptions {
  /** Webhook deliveries to loopback (the tests' receivers). @defaultValue true */
  allowPrivate?: boolean;
  /** One attempt's limit. @defaultValue 1000 */
  timeoutMs?: number;
  /** Attempts and backoff of deliveries (fast in tests). @defaultValue 3 attempts, exponential from 200 ms */
  deliveryOptions?: JobsOptions;
  /** Mail through this SMTP server; left out, no mail worker. */
  smtpUrl?: string;
  /** Links in mails. */
  publicUrl?: string;
  digestIntervalMs?: number;
  /** How often due digests are looked for. @defaultValue 200 */
  digestSweepMs?: number;
  linkTtlSeconds?: number;
}

/**
 * BullMQ workers in this process running the real processors (submissions and bulk actions, as
 * workers/main.ts). With `notifications`, also the comment-events (webhook) worker, and the mail worker
 * when it names an SMTP server; without, stored comments announce nothing (other tests stay fast).
 */
export async function startWorker(opts: {
  pool: Pool;
  redisUrl?: RedisAddress;
  prefix: string;
  /**
   * SUBMISSION_SHARDS: one submissions worker per shard, as workers/main.ts, but each with the whole
   * `concurrency` (the worker table splits WORKER_CONCURRENCY between them). @defaultValue 1
   */
  submissionShards?: number;
  concurrency?: number;
  bulkChunkSize?: number;
  notifications?: NotificationOptions;
  /** Ask Akismet (a fake server in tests) from the submission processor. */
  akismet?: SubmissionProcessorDeps['akismet'];
  /** Ask the sites' external check hooks (src/hooks/external-checker.ts). */
  externalCheck?: SubmissionProcessorDeps['externalCheck'];
}): Promise<{ close(): Promise<void> }> {
  const connection = createWorkerRedis(opts.redisUrl ?? TEST_REDIS_URL);
  const writer = createCommentWriter(opts.pool, 100);
  const n = opts.notifications;
  const events = n ? createCommentEventsQueue(connection, opts.prefix) : undefined;
  // Readers' live threads, as workers/main.ts: one script call per announcement, on the same connection.
  const thread = createThreadAnnouncer(connection, opts.prefix);
  // What the submission and edit processors are both given, as in the worker table.
  const checkDeps = {
    db: opts.pool,
    logger,
    publish: createLivePublisher(connection, opts.prefix),
    events,
    thread,
    akismet: opts.akismet,
    externalCheck: opts.externalCheck,
  };
  const workerTiming = { lockDuration: 5000, stalledInterval: 5000 };
  const submissionWorkers = submissionShardPrefixes(opts.prefix, opts.submissionShards ?? 1).map(
    (shardPrefix) =>
      new Worker(SUBMISSIONS_QUEUE, createSubmissionProcessor({ ...checkDeps, writer }), {
        connection,
        prefix: shardPrefix,
        concurrency: opts.concurrency ?? 16,
        ...workerTiming,
      }),
  );
  const bulkWorker = new Worker(
    BULK_QUEUE,
    createBulkProcessor({ db: opts.pool, logger, chunkSize: opts.bulkChunkSize, events, thread }),
    {
      connection,
      prefix: opts.prefix,
      concurrency: 2,
      ...workerTiming,
    },
  );
  const extra: { waitUntilReady(): Promise<unknown>; close(): Promise<void> }[] = [];
  // Authors' edits of their own comments, as the worker table's row.
  extra.push(
    new Worker(EDITS_QUEUE, createEditProcessor(checkDeps), {
      connection,
      prefix: opts.prefix,
      concurrency: 4,
      ...workerTiming,
    }),
  );
  const queues: { close(): Promise<void> }[] = [];
  let mailer: Mailer | null = null;
  if (n && events) {
    queues.push(events);
    let emailQueue: EmailQueue | undefined;
    if (n.smtpUrl !== undefined) {
      mailer = createSmtpMailer(n.smtpUrl, 'Reply Desk <desk@example.org>');
      emailQueue = createEmailQueue(connection, opts.prefix);
      queues.push(emailQueue);
      await scheduleDigests(emailQueue, n.digestSweepMs ?? 200);
      extra.push(
        new Worker(
          EMAIL_QUEUE,
          createEmailProcessor({
            db: opts.pool,
            logger,
            mailer,
            publicUrl: n.publicUrl ?? 'http://localhost',
            digestIntervalMs: n.digestIntervalMs,
            linkTtlSeconds: n.linkTtlSeconds,
          }),
          { connection, prefix: opts.prefix, concurrency: 4, ...workerTiming },
        ),
      );
    }
    extra.push(
      new Worker(
        COMMENT_EVENTS_QUEUE,
        createWebhookProcessor({
          db: opts.pool,
          logger,
          queue: events,
          email: emailQueue,
          allowPrivate: n.allowPrivate ?? true,
          timeoutMs: n.timeoutMs ?? 1000,
          deliveryOptions: n.deliveryOptions ?? { attempts: 3, backoff: { type: 'exponential', delay: 200 } },
        }),
        { connection, prefix: opts.prefix, concurrency: 8, ...workerTiming },
      ),
    );
  }
  const all = [...submissionWorkers, bulkWorker, ...extra];
  await Promise.all(all.map((w) => w.waitUntilReady()));
  return {
    async close() {
      await Promise.all(all.map((w) => w.close()));
      await Promise.all(queues.map((q) => q.close()));
      mailer?.close();
      await writer.drain();
      connection.disconnect();
    },
  };
}

/**
 * A worker as its own OS process (the real entry file, run from source through tsx), for tests that
 * kill it. Resolves once it reports ready.
 */
export async function spawnWorker(env: Record<string, string>): Promise<ChildProcess> {
  const child = spawn(process.execPath, ['--import', 'tsx', join(projectRoot, 'workers/main.ts')], {
    cwd: projectRoot,
    env: { ...process.env, LOG_LEVEL: 'warn', WORKER_LOCK_MS: '2000', ...env },
    stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
  });
  let output = '';
  child.stdout?.on('data', (d: Buffer) => (output += d.toString()));
  child.stderr?.on('data', (d: Buffer) => (output += d.toString()));
  await new Promise<void>((resolve, reject) => {
    child.on('message', (m) => m === 'ready' && resolve());
    child.on('exit', (code) => reject(new Error(`worker exited with ${code} before ready:\n${output}`)));
  });
  return child;
}

/** Stops a child process and waits for it to be gone. */
export async function stopProcess(child: ChildProcess, signal: NodeJS.Signals = 'SIGTERM'): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = once(child, 'exit');
  child.kill(signal);
  await exited;
}

export function newQueuePrefix(): string {
  return `rd-test-${randomUUID()}`;
}

/** Removes every Redis key under a test's queue prefix. */
export async function deleteQueueKeys(prefix: string, redisUrl = TEST_REDIS_URL): Promise<void> {
  const redis = new Redis(redisUrl, { maxRetriesPerRequest: 1 });
  try {
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}:*`, 'COUNT', 1000);
      cursor = next;
      if (keys.length > 0) await redis.del(...keys);
    } while (cursor !== '0');
  } finally {
    redis.disconnect();
  }
}

/** Creates a site whose origin is the test API, with settings over the defaults. */
export async function addSite(
  pool: Pool,
  id: string,
  origins: string[],
  settings: SiteSettingsInput = {},
): Promise<void> {
  await insertSite(pool, { id, name: `Site ${id}`, allowedOrigins: origins, settings });
}

/** POSTs JSON to the API. */
export function postJson(api: { url: string }, body: unknown, headers: Record<string, string> = {}): Promise<Response> {
  return fetch(`${api.url}/api/comments`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify(body),
  });
}

/** Waits until the comment is stored and returns its row. */
export async function waitForStored(
  pool: Pool,
  id: string,
  timeoutMs = 20_000,
): Promise<{
  status: string;
  verdict: { reasons: { code: string; rule: string }[] };
  body_html: string;
  depth: number;
  parent_id: string | null;
}> {
  return waitFor(
    `comment ${id} to be stored`,
    async () => {
      const { rows } = await pool.query(
        'select status, verdict, body_html, depth, parent_id from comments where id = $1',
        [id],
      );
      return rows[0];
    },
    timeoutMs,
  );
}
