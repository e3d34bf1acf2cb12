import { Worker, type JobsOptions } from 'bullmq';
import { createPageSurgeTracker, type PageSurgeWindows } from '../../src/flood/page-surge-tracker.js';
import { createLogger } from '../../src/logger.js';
import { createSmtpMailer, type Mailer } from '../../src/mail/mailer.js';
import { COMMENT_EVENTS_QUEUE, createCommentEventsQueue } from '../../src/queue/comment-events-queue.js';
import {
  createDeskNoticesQueue,
  DESK_NOTICES_QUEUE,
  type DeskNoticesQueue,
} from '../../src/queue/desk-notices-queue.js';
import { createLivePublisher } from '../../src/queue/live-events.js';
import { SUBMISSIONS_QUEUE } from '../../src/queue/submissions-queue.js';
import { createWorkerRedis } from '../../src/redis.js';
import { createCommentWriter } from '../../src/store/batched/comment-writer.js';
import type { Pool } from '../../src/store/db.js';
import { countRecentPageFlags } from '../../src/store/notify/desk-notice-facts.js';
import { createDeskNoticeProcessor } from '../../workers/desk-notice-processor.js';
import { createSubmissionProcessor } from '../../workers/submission-processor.js';
import { createWebhookProcessor } from '../../workers/webhook-processor.js';
import { TEST_REDIS_URL } from './harness.js';

const logger = createLogger('warn', 'test');

/**
 * The workers of issue 16's notices, as workers/worker-table.ts wires them, in this process: submissions
 * with brigade detection (windows shrunk for tests), comment events (webhooks; held comments to the desk
 * notices) and desk notices (chat posts, brigade mail when `smtpUrl` is given, page.surge webhooks).
 * Deliveries may reach loopback (the tests' receivers) and retry fast.
 */
export async function startNoticesWorkers(opts: {
  pool: Pool;
  prefix: string;
  publicUrl: string;
  windows?: Partial<PageSurgeWindows>;
  smtpUrl?: string;
  /** Chat posts' attempts and backoff. @defaultValue 4 attempts, exponential from 200 ms */
  chatOptions?: JobsOptions;
}): Promise<{ notices: DeskNoticesQueue; close(): Promise<void> }> {
  const connection = createWorkerRedis(TEST_REDIS_URL);
  const writer = createCommentWriter(opts.pool, 100);
  const events = createCommentEventsQueue(connection, opts.prefix);
  const notices = createDeskNoticesQueue(connection, opts.prefix);
  const mailer: Mailer | null =
    opts.smtpUrl === undefined ? null : createSmtpMailer(opts.smtpUrl, 'Reply Desk <desk@example.org>');
  const tracker = createPageSurgeTracker({
    redis: connection,
    prefix: opts.prefix,
    logger,
    windows: { windowMs: 60_000, baselineMs: 86_400_000, cooldownMs: 600_000, ...opts.windows },
    countFlags: (pageId, since) => countRecentPageFlags(opts.pool, pageId, since),
  });
  const shared = { connection, prefix: opts.prefix, lockDuration: 5000, stalledInterval: 5000 };
  const delivery = { attempts: 4, backoff: { type: 'exponential' as const, delay: 200 } };
  const workers = [
    new Worker(
      SUBMISSIONS_QUEUE,
      createSubmissionProcessor({
        db: opts.pool,
        writer,
        logger,
        publish: createLivePublisher(connection, opts.prefix),
        events,
        pageSurge: { tracker, notices },
      }),
      { ...shared, concurrency: 16 },
    ),
    new Worker(
      COMMENT_EVENTS_QUEUE,
      createWebhookProcessor({
        db: opts.pool,
        logger,
        queue: events,
        notices,
        allowPrivate: true,
        timeoutMs: 1000,
        deliveryOptions: delivery,
      }),
      { ...shared, concurrency: 8 },
    ),
    new Worker(
      DESK_NOTICES_QUEUE,
      createDeskNoticeProcessor({
        db: opts.pool,
        logger,
        queue: notices,
        events,
        mailer,
        publicUrl: opts.publicUrl,
        allowPrivate: true,
        timeoutMs: 1000,
        chatOptions: opts.chatOptions ?? delivery,
        deliveryOptions: delivery,
      }),
      { ...shared, concurrency: 8 },
    ),
  ];
  await Promise.all(workers.map((w) => w.waitUntilReady()));
  return {
    notices,
    async close() {
      await Promise.all(workers.map((w) => w.close()));
      await events.close();
      await notices.close();
      mailer?.close();
      await writer.drain();
      connection.disconnect();
    },
  };
}
