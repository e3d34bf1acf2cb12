import type { Processor, WorkerOptions } from 'bullmq';
import type { Logger } from 'pino';
import type { AkismetClient } from '../src/akismet/akismet-client.js';
import type { Config } from '../src/config.js';
import type { Mailer } from '../src/mail/mailer.js';
import { AKISMET_QUEUE, type AkismetQueue } from '../src/queue/akismet-queue.js';
import { BULK_QUEUE } from '../src/queue/bulk-queue.js';
import { EDITS_QUEUE } from '../src/queue/edits-queue.js';
import { EMAIL_QUEUE, type EmailQueue } from '../src/queue/email-queue.js';
import type { AnnounceThread } from '../src/queue/live-threads.js';
import type { PublishLiveEvent } from '../src/queue/live-events.js';
import { MAINTENANCE_QUEUE } from '../src/queue/maintenance-queue.js';
import { SUBMISSIONS_QUEUE } from '../src/queue/submissions-queue.js';
import { submissionShardPrefixes } from '../src/queue/queue-prefix.js';
import { TRAINING_QUEUE, type TrainingQueue } from '../src/queue/training-queue.js';
import { COMMENT_EVENTS_QUEUE, type CommentEventsQueue } from '../src/queue/comment-events-queue.js';
import { DESK_NOTICES_QUEUE, type DeskNoticesQueue } from '../src/queue/desk-notices-queue.js';
import type { PageSurgeTracker } from '../src/flood/page-surge-tracker.js';
import type { CommentWriter } from '../src/store/batched/comment-writer.js';
import type { Pool } from '../src/store/db.js';
import { createAkismetProcessor } from './akismet-processor.js';
import { createBulkProcessor } from './bulk-processor.js';
import { createEditProcessor } from './edit-processor.js';
import { createEmailProcessor } from './email-processor.js';
import { createMaintenanceProcessor } from './maintenance-processor.js';
import type { OutageRecovery } from './outage-recovery.js';
import { createSubmissionProcessor } from './submission-processor.js';
import { createTrainingProcessor } from './training-processor.js';
import { createWebhookProcessor } from './webhook-processor.js';
import { createDeskNoticeProcessor } from './desk-notice-processor.js';
import { createExternalChecker } from '../src/hooks/external-checker.js';

/**
 * Any queue's processor. Each is typed against its own queue's file (payload, result, job names);
 * a row only hands it to BullMQ, whose Worker takes the same `any` defaults.
 */
export type AnyProcessor = Processor<any, any, any>;

/**
 * One row per queue a worker process serves. The loop that turns rows into BullMQ workers
 * (workers/run-workers.ts) adds what every row shares: the connection, the prefix, and the lock and
 * stall timing from WORKER_LOCK_MS.
 */
export interface WorkerSpec {
  /** The queue's name, the constant its file in src/queue/ exports. */
  queue: string;
  /** The queue's prefix when it is not QUEUE_PREFIX: a submission shard's (src/queue/submission-shards.ts). */
  prefix?: string;
  /** How logs name it: `<label> job failed`, `<label> worker error`. */
  label: string;
  /** Builds the processor; called once, by the loop, when the worker is created. */
  processor: () => AnyProcessor;
  /** Jobs at once in this process; the comment on each row says why that many. */
  concurrency: number;
  /** Options beyond the shared ones, each with its reason. */
  options?: Pick<WorkerOptions, 'maxStalledCount'>;
  /** Log each failed attempt (warn). Off where the processor already logs its own failures. */
  logFailures: boolean;
  /** Also told of each failed attempt (after the log line). */
  onFailed?: (err: Error) => void;
  /**
   * Counted in reply_desk_jobs_total (src/metrics/worker-metrics.ts). The email, webhook and Akismet
   * workers never were; counting them too would change what /metrics reports, so not in this table's step.
   */
  counted: boolean;
}

/** What the rows' processors are built from: everything comes from the entry file, nothing is made here. */
export interface WorkerTableDeps {
  config: Pick<
    Config,
    | 'WORKER_CONCURRENCY'
    | 'QUEUE_PREFIX'
    | 'SUBMISSION_SHARDS'
    | 'PUBLIC_URL'
    | 'AKISMET_RECHECK_MS'
    | 'EMAIL_DIGEST_MINUTES'
    | 'MAIL_LINK_HOURS'
    | 'WEBHOOK_ALLOW_PRIVATE'
    | 'WEBHOOK_TIMEOUT_MS'
    | 'CHECK_HOOK_TIMEOUT_MS'
  >;
  db: Pool;
  writer: CommentWriter;
  logger: Logger;
  publish: PublishLiveEvent;
  /** Readers' live threads (src/queue/live-threads.ts): what the workers publish or take down. */
  thread?: AnnounceThread;
  /** Queues the processors add jobs to (comment events, training, mail, Akismet, desk notices). */
  queues: {
    events: CommentEventsQueue;
    training: TrainingQueue;
    email?: EmailQueue;
    akismet?: AkismetQueue;
    notices: DeskNoticesQueue;
  };
  /** Brigades on one story (src/flood/page-surge-tracker.ts); left out, none is detected. */
  pageSurge?: PageSurgeTracker;
  /** Mail (SMTP_URL): without it there is no email worker. */
  mailer: Mailer | null;
  /** Akismet (AKISMET_KEY): without it there is no Akismet worker and nobody asks Akismet. */
  akismet: AkismetClient | null;
  recovery: OutageRecovery;
}

/** Every queue this process serves, in the order the workers start; optional services only when set up. */
export function workerTable(deps: WorkerTableDeps): WorkerSpec[] {
  const { config, db, logger, queues, mailer, akismet: akismetClient } = deps;
  const akismet =
    akismetClient && queues.akismet
      ? {
          client: akismetClient,
          queue: queues.akismet,
          recheckDelayMs: config.AKISMET_RECHECK_MS,
          publicUrl: config.PUBLIC_URL,
        }
      : undefined;
  // Sites' check hooks: always on, each site decides by setting one (or not); the SSRF guard is the webhooks'.
  const externalCheck = createExternalChecker(db, {
    allowPrivate: config.WEBHOOK_ALLOW_PRIVATE,
    defaultTimeoutMs: config.CHECK_HOOK_TIMEOUT_MS,
  });
  // One worker per submission shard (SUBMISSION_SHARDS; every process consumes every shard). They split
  // WORKER_CONCURRENCY rather than each taking all of it: the setting stays "jobs one process runs at
  // once", which is what DB_POOL_SIZE and the writer's batches are sized for, and ids spread evenly
  // over the shards, so each gets an even share of the work. Rounded up (7 over 3 is 3 each), so no
  // shard gets none and the sum exceeds the setting by less than one job per shard.
  const prefixes = submissionShardPrefixes(config.QUEUE_PREFIX, config.SUBMISSION_SHARDS);
  const perShard = Math.max(1, Math.ceil(config.WORKER_CONCURRENCY / prefixes.length));
  const submissionRows = prefixes.map((prefix, shard): WorkerSpec => ({
    // Readers' comments, one shard's: checked and stored, its share of WORKER_CONCURRENCY at once.
    queue: SUBMISSIONS_QUEUE,
    ...(shard === 0 ? {} : { prefix }),
    label: shard === 0 ? 'submission' : `submission (shard ${shard})`,
    processor: () =>
      createSubmissionProcessor({
        db,
        writer: deps.writer,
        logger,
        publish: deps.publish,
        thread: deps.thread,
        events: queues.events,
        akismet,
        pageSurge: deps.pageSurge ? { tracker: deps.pageSurge, notices: queues.notices } : undefined,
        externalCheck,
      }),
    concurrency: perShard,
    // A killed worker's jobs come back after the lock expires; being killed twice is no reason to give a
    // reader's comment up, so allow several stalls before BullMQ fails the job.
    options: { maxStalledCount: 10 },
    logFailures: true,
    // After a Postgres outage, retries start when it answers again rather than when the backoff says
    // (workers/outage-recovery.ts): recovery in about a second instead of up to half the outage.
    onFailed: (err) => deps.recovery.noteFailure(err),
    counted: true,
  }));
  const table: WorkerSpec[] = [
    ...submissionRows,
    {
      // Authors' edits of their own comments: the submission checks again, one short transaction each;
      // rare next to new comments, so a few at a time.
      queue: EDITS_QUEUE,
      label: 'edit',
      processor: () =>
        createEditProcessor({
          db,
          logger,
          publish: deps.publish,
          thread: deps.thread,
          events: queues.events,
          akismet,
          externalCheck,
        }),
      concurrency: 4,
      // As for submissions: an author's edit is not given up because its worker was killed twice.
      options: { maxStalledCount: 10 },
      logFailures: true,
      counted: false,
    },
    {
      // Moderators' bulk actions and undos: few and long, so two at a time. A job cut off by a kill or a
      // shutdown timeout comes back after the lock expires and resumes from its last committed chunk.
      queue: BULK_QUEUE,
      label: 'bulk',
      processor: () =>
        createBulkProcessor({ db, logger, training: queues.training, events: queues.events, thread: deps.thread }),
      concurrency: 2,
      // As for submissions: a moderator's batch is not given up because its worker was killed twice.
      options: { maxStalledCount: 10 },
      logFailures: true,
      counted: true,
    },
    {
      // Moderators' decisions teaching the spam classifier: each job takes a model's row lock, so more
      // concurrency would only queue in Postgres.
      queue: TRAINING_QUEUE,
      label: 'training',
      processor: () => createTrainingProcessor({ db, logger, akismet: queues.akismet }),
      concurrency: 2,
      logFailures: true,
      counted: true,
    },
    {
      // Scheduled upkeep (IP retention, hourly): one run at a time is all there is.
      queue: MAINTENANCE_QUEUE,
      label: 'maintenance',
      processor: () => createMaintenanceProcessor({ db, logger }),
      concurrency: 1,
      logFailures: true,
      counted: true,
    },
  ];
  if (mailer !== null) {
    table.push({
      // Mail: held-comment digests (swept every 30 s) and reply notices; a few SMTP sessions at once.
      queue: EMAIL_QUEUE,
      label: 'email',
      processor: () =>
        createEmailProcessor({
          db,
          logger,
          mailer,
          publicUrl: config.PUBLIC_URL,
          digestIntervalMs: config.EMAIL_DIGEST_MINUTES * 60_000,
          linkTtlSeconds: config.MAIL_LINK_HOURS * 3600,
        }),
      concurrency: 4,
      logFailures: true,
      counted: false,
    });
  }
  table.push({
    // Comment events: fan-out and deliveries. Deliveries wait on receivers (up to WEBHOOK_TIMEOUT_MS
    // each), so many run at once; a slow receiver must not hold up the others.
    queue: COMMENT_EVENTS_QUEUE,
    label: 'webhook',
    processor: () =>
      createWebhookProcessor({
        db,
        logger,
        queue: queues.events,
        email: queues.email,
        notices: queues.notices,
        allowPrivate: config.WEBHOOK_ALLOW_PRIVATE,
        timeoutMs: config.WEBHOOK_TIMEOUT_MS,
      }),
    concurrency: 16,
    // A receiver that is down fails deliveries by the hundred; the processor logs each one with its
    // subscription and attempt ('webhook delivery failed'), so a second line per failure adds nothing.
    logFailures: false,
    counted: false,
  });
  table.push({
    // Desk notices (issue 16): brigades, held comments waiting, appeals; fan-outs and chat posts, which
    // wait on Slack, Teams or Mattermost (up to WEBHOOK_TIMEOUT_MS each), so several at once.
    queue: DESK_NOTICES_QUEUE,
    label: 'desk notice',
    processor: () =>
      createDeskNoticeProcessor({
        db,
        logger,
        queue: queues.notices,
        events: queues.events,
        mailer,
        publicUrl: config.PUBLIC_URL,
        allowPrivate: config.WEBHOOK_ALLOW_PRIVATE,
        timeoutMs: config.WEBHOOK_TIMEOUT_MS,
      }),
    concurrency: 8,
    // The processor logs each failed chat post with its target and attempt ('chat notice failed').
    logFailures: false,
    counted: false,
  });
  if (akismetClient !== null) {
    table.push({
      // A few at a time: each job is one HTTP call to Akismet, which rate-limits eager clients.
      queue: AKISMET_QUEUE,
      label: 'Akismet',
      processor: () => createAkismetProcessor({ db, client: akismetClient, logger, publicUrl: config.PUBLIC_URL }),
      concurrency: 4,
      logFailures: true,
      counted: false,
    });
  }
  return table;
}
