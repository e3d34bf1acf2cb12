import { exitOnStartupProblem } from '../src/bin/startup.js';
import { createLogger } from '../src/logger.js';
import { createThreadAnnouncer } from '../src/queue/live-threads.js';
import { createLivePublisher } from '../src/queue/live-events.js';
import { createMaintenanceQueue, scheduleMaintenance } from '../src/queue/maintenance-queue.js';
import { createSubmissionShards } from '../src/queue/submission-shards.js';
import { SUBMISSIONS_QUEUE } from '../src/queue/submissions-queue.js';
import { createWorkerMetrics, startMetricsServer } from '../src/metrics/worker-metrics.js';
import { createTrainingQueue } from '../src/queue/training-queue.js';
import { createEmailQueue, scheduleDigests } from '../src/queue/email-queue.js';
import { createCommentEventsQueue } from '../src/queue/comment-events-queue.js';
import { createDeskNoticesQueue } from '../src/queue/desk-notices-queue.js';
import { createPageSurgeTracker } from '../src/flood/page-surge-tracker.js';
import { countRecentPageFlags } from '../src/store/notify/desk-notice-facts.js';
import { createSmtpMailer } from '../src/mail/mailer.js';
import { createWorkerRedis, redisAddressOf } from '../src/redis.js';
import { createCommentWriter } from '../src/store/batched/comment-writer.js';
import { createPool } from '../src/store/db.js';
import { createAkismetClient } from '../src/akismet/akismet-client.js';
import { createAkismetQueue } from '../src/queue/akismet-queue.js';
import { createOutageRecovery } from './outage-recovery.js';
import { runWorkers } from './run-workers.js';
import { workerTable } from './worker-table.js';

// Entry file of a worker process: reads the environment, connects, opens the queues the processors
// add to, starts one BullMQ worker per row of workers/worker-table.ts, and runs until SIGTERM.
const config = await exitOnStartupProblem('worker');
const logger = createLogger(config.LOG_LEVEL, 'worker');
const pool = createPool(
  config.DATABASE_URL,
  config.DB_POOL_SIZE,
  { statementTimeoutMs: config.DB_STATEMENT_TIMEOUT_MS },
  { preparedStatements: config.DB_PREPARED_STATEMENTS },
);
const metrics = createWorkerMetrics({ pool });
const writer = metrics.countVerdicts(createCommentWriter(pool, config.WRITE_BATCH_SIZE));
const connection = createWorkerRedis(redisAddressOf(config));

// PUBLISH is a plain command, safe on BullMQ's shared connection (its blocking reads use their own).
const publish = createLivePublisher(connection, config.QUEUE_PREFIX);
// Readers' live threads hear of comments published and taken down on the same connection (a script call).
const thread = createThreadAnnouncer(connection, config.QUEUE_PREFIX);

// The queues this process adds jobs to (or schedules on): each logs its connection errors (an 'error'
// event nobody listens to would end the process) and is closed on shutdown, after the workers.
const openQueues: { close(): Promise<void> }[] = [];
function opened<Q extends { on(event: 'error', listener: (err: Error) => void): unknown; close(): Promise<void> }>(
  queue: Q,
  label: string,
): Q {
  queue.on('error', (err) => logger.warn({ err: err.message }, `${label} queue error`));
  openQueues.push(queue);
  return queue;
}
// Comment events (webhooks, and mail notices when SMTP_URL is set): stored comments and bulk changes announce here.
const eventsQueue = opened(createCommentEventsQueue(connection, config.QUEUE_PREFIX), 'webhook');
// Moderators' decisions, for the spam classifier (the bulk worker adds to it).
const trainingQueue = opened(createTrainingQueue(connection, config.QUEUE_PREFIX), 'training');
// The outage recovery promotes delayed submissions, on every shard (workers/outage-recovery.ts).
const submissions = createSubmissionShards(connection, config.QUEUE_PREFIX, config.SUBMISSION_SHARDS);
submissions.all().forEach((q, shard) => opened(q, shard === 0 ? 'submissions' : `submissions (shard ${shard})`));
// Scheduled upkeep (IP retention, hourly). Every worker upserts the same scheduler (idempotent); each
// run is taken by one worker.
const maintenanceQueue = opened(createMaintenanceQueue(connection, config.QUEUE_PREFIX), 'maintenance');
await scheduleMaintenance(maintenanceQueue);

// Mail, when SMTP_URL is set: held-comment digests (swept every 30 s) and reply notices.
const mailer = config.SMTP_URL === undefined ? null : createSmtpMailer(config.SMTP_URL, config.MAIL_FROM);
const emailQueue = mailer === null ? undefined : opened(createEmailQueue(connection, config.QUEUE_PREFIX), 'email');
if (emailQueue) await scheduleDigests(emailQueue);

// Akismet (optional, AKISMET_KEY): asked by the submission processor, told of moderators' overrides by
// the training processor, and its rechecks and reports run on their own small queue.
const akismet = config.AKISMET_KEY
  ? createAkismetClient({
      key: config.AKISMET_KEY,
      url: config.AKISMET_URL,
      timeoutMs: config.AKISMET_TIMEOUT_MS,
      isTest: config.AKISMET_TEST,
      onAlert: (code, message) => logger.warn({ code, message }, 'Akismet alert'),
    })
  : null;
const akismetQueue = akismet ? opened(createAkismetQueue(connection, config.QUEUE_PREFIX), 'Akismet') : undefined;

// Desk notices (issue 16): brigades, held comments waiting and appeals, to mail, chat targets and webhooks.
const noticesQueue = opened(createDeskNoticesQueue(connection, config.QUEUE_PREFIX), 'desk notices');
// Brigades on one story, counted in Redis on the worker connection with intake's surge windows.
const pageSurge = createPageSurgeTracker({
  redis: connection,
  prefix: config.QUEUE_PREFIX,
  logger,
  windows: {
    windowMs: config.SURGE_WINDOW_SECONDS * 1000,
    baselineMs: config.SURGE_BASELINE_SECONDS * 1000,
    cooldownMs: config.SURGE_COOLDOWN_SECONDS * 1000,
  },
  countFlags: (pageId, since) => countRecentPageFlags(pool, pageId, since),
});

const recovery = createOutageRecovery({ db: pool, queue: submissions, logger });
const workers = runWorkers(
  workerTable({
    config,
    db: pool,
    writer,
    logger,
    publish,
    thread,
    mailer,
    akismet,
    recovery,
    pageSurge,
    queues: {
      events: eventsQueue,
      training: trainingQueue,
      email: emailQueue,
      akismet: akismetQueue,
      notices: noticesQueue,
    },
  }),
  { connection, prefix: config.QUEUE_PREFIX, lockMs: config.WORKER_LOCK_MS, logger, metrics },
);
await workers.ready();
// Off by default: Prometheus scrapes each worker on a port of its own (see README, Operations).
const metricsServer =
  config.METRICS_PORT === undefined
    ? null
    : await startMetricsServer({
        registry: metrics.registry,
        port: config.METRICS_PORT,
        host: config.METRICS_HOST,
        token: config.METRICS_TOKEN,
      });
logger.info(
  {
    queue: SUBMISSIONS_QUEUE,
    prefix: config.QUEUE_PREFIX,
    shards: config.SUBMISSION_SHARDS,
    concurrency: config.WORKER_CONCURRENCY,
  },
  'worker ready',
);
if (process.send) process.send('ready');

let stopping = false;
async function shutdown(signal: string): Promise<void> {
  if (stopping) return;
  stopping = true;
  logger.info({ signal }, 'worker stopping: finishing in-flight jobs');
  const force = setTimeout(() => {
    logger.error('in-flight jobs did not finish in time; exiting (their jobs will be retried)');
    process.exit(1);
  }, config.SHUTDOWN_TIMEOUT_MS);
  force.unref();
  // close() stops taking jobs and waits for active ones, whose writes the writer then flushes.
  await workers.close();
  recovery.close();
  mailer?.close();
  metricsServer?.close();
  for (const queue of openQueues) await queue.close();
  await writer.drain();
  await pool.end();
  connection.disconnect();
  logger.info('worker stopped');
  process.exit(0);
}
process.on('SIGTERM', () => void shutdown('SIGTERM'));
process.on('SIGINT', () => void shutdown('SIGINT'));
