import { Worker } from 'bullmq';
import { exitOnStartupProblem } from '../src/bin/startup.js';
import { createLogger } from '../src/logger.js';
import { BULK_QUEUE } from '../src/queue/bulk-queue.js';
import { createLivePublisher } from '../src/queue/live-events.js';
import { createMaintenanceQueue, MAINTENANCE_QUEUE, scheduleMaintenance } from '../src/queue/maintenance-queue.js';
import { createSubmissionsQueue, SUBMISSIONS_QUEUE } from '../src/queue/submissions-queue.js';
import { createWorkerMetrics, startMetricsServer } from '../src/metrics/worker-metrics.js';
import { createTrainingQueue, TRAINING_QUEUE } from '../src/queue/training-queue.js';
import { createEmailQueue, EMAIL_QUEUE, scheduleDigests } from '../src/queue/email-queue.js';
import { createWebhookQueue, WEBHOOK_QUEUE } from '../src/queue/webhook-queue.js';
import { createSmtpMailer } from '../src/mail/mailer.js';
import { createEmailProcessor } from './email-processor.js';
import { createWebhookProcessor } from './webhook-processor.js';
import { createWorkerRedis } from '../src/redis.js';
import { createCommentWriter } from '../src/store/batched/comment-writer.js';
import { createPool } from '../src/store/db.js';
import { createAkismetClient } from '../src/akismet/akismet-client.js';
import { AKISMET_QUEUE, createAkismetQueue } from '../src/queue/akismet-queue.js';
import { createAkismetProcessor } from './akismet-processor.js';
import { createBulkProcessor } from './bulk-processor.js';
import { createMaintenanceProcessor } from './maintenance-processor.js';
import { createOutageRecovery } from './outage-recovery.js';
import { createSubmissionProcessor } from './submission-processor.js';
import { createTrainingProcessor } from './training-processor.js';

// Entry file of a worker process: reads the environment, connects, and runs until SIGTERM.
const config = await exitOnStartupProblem('worker');
const logger = createLogger(config.LOG_LEVEL, 'worker');
const pool = createPool(config.DATABASE_URL, config.DB_POOL_SIZE, { statementTimeoutMs: config.DB_STATEMENT_TIMEOUT_MS });
const metrics = createWorkerMetrics({ pool });
const writer = metrics.countVerdicts(createCommentWriter(pool, config.WRITE_BATCH_SIZE));
const connection = createWorkerRedis(config.REDIS_URL);

// PUBLISH is a plain command, safe on BullMQ's shared connection (its blocking reads use their own).
const publish = createLivePublisher(connection, config.QUEUE_PREFIX);
// Comment events (webhooks, and mail notices when SMTP_URL is set): stored comments and bulk changes announce here.
const webhookQueue = createWebhookQueue(connection, config.QUEUE_PREFIX);
webhookQueue.on('error', (err) => logger.warn({ err: err.message }, 'webhook queue error'));

// Akismet (optional, AKISMET_KEY): asked by the submission processor, told of moderators' overrides by
// the training processor, and its rechecks and reports run on their own small queue.
const akismetClient = config.AKISMET_KEY
  ? createAkismetClient({
    key: config.AKISMET_KEY, url: config.AKISMET_URL, timeoutMs: config.AKISMET_TIMEOUT_MS, isTest: config.AKISMET_TEST,
    onAlert: (code, message) => logger.warn({ code, message }, 'Akismet alert'),
  })
  : null;
const akismetQueue = akismetClient ? createAkismetQueue(connection, config.QUEUE_PREFIX) : null;
const akismet = akismetClient && akismetQueue
  ? { client: akismetClient, queue: akismetQueue, recheckDelayMs: config.AKISMET_RECHECK_MS, publicUrl: config.PUBLIC_URL }
  : undefined;
const worker = new Worker(SUBMISSIONS_QUEUE, createSubmissionProcessor({ db: pool, writer, logger, publish, events: webhookQueue, akismet }), {
  connection,
  prefix: config.QUEUE_PREFIX,
  concurrency: config.WORKER_CONCURRENCY,
  lockDuration: config.WORKER_LOCK_MS,
  // BullMQ finds a dead worker's jobs in two passes one stalledInterval apart; tie it to the lock so
  // WORKER_LOCK_MS really bounds how late they come back (about twice it, not a fixed minute).
  stalledInterval: config.WORKER_LOCK_MS,
  // A killed worker's jobs come back after the lock expires; being killed twice is no reason to give a
  // reader's comment up, so allow several stalls before BullMQ fails the job.
  maxStalledCount: 10,
});
// After a Postgres outage, retries start when it answers again rather than when the backoff says
// (workers/outage-recovery.ts): recovery in about a second instead of up to half the outage.
const submissionsQueue = createSubmissionsQueue(connection, config.QUEUE_PREFIX);
submissionsQueue.on('error', (err) => logger.warn({ err: err.message }, 'submissions queue error'));
const recovery = createOutageRecovery({ db: pool, queue: submissionsQueue, logger });
worker.on('failed', (job, err) => {
  logger.warn({ jobId: job?.id, attempt: job?.attemptsMade, err: err.message }, 'submission job failed');
  recovery.noteFailure(err);
});
worker.on('error', (err) => logger.error({ err: err.message }, 'worker error'));

// Moderators' bulk actions and undos: few and long, so two at a time. A job cut off by a kill or a
// shutdown timeout comes back after the lock expires and resumes from its last committed chunk.
const trainingQueue = createTrainingQueue(connection, config.QUEUE_PREFIX);
trainingQueue.on('error', (err) => logger.warn({ err: err.message }, 'training queue error'));
const bulkWorker = new Worker(BULK_QUEUE, createBulkProcessor({ db: pool, logger, training: trainingQueue, events: webhookQueue }), {
  connection,
  prefix: config.QUEUE_PREFIX,
  concurrency: 2,
  lockDuration: config.WORKER_LOCK_MS,
  stalledInterval: config.WORKER_LOCK_MS,
  maxStalledCount: 10,
});
bulkWorker.on('failed', (job, err) => {
  logger.warn({ jobId: job?.id, attempt: job?.attemptsMade, err: err.message }, 'bulk job failed');
});
bulkWorker.on('error', (err) => logger.error({ err: err.message }, 'bulk worker error'));

// Moderators' decisions teaching the spam classifier: each job takes a model's row lock, so more
// concurrency would only queue in Postgres.
const trainingWorker = new Worker(TRAINING_QUEUE, createTrainingProcessor({ db: pool, logger, akismet: akismetQueue ?? undefined }), {
  connection,
  prefix: config.QUEUE_PREFIX,
  concurrency: 2,
  lockDuration: config.WORKER_LOCK_MS,
  stalledInterval: config.WORKER_LOCK_MS,
});
trainingWorker.on('failed', (job, err) => {
  logger.warn({ jobId: job?.id, attempt: job?.attemptsMade, err: err.message }, 'training job failed');
});
trainingWorker.on('error', (err) => logger.error({ err: err.message }, 'training worker error'));

// Scheduled upkeep (IP retention, hourly). Every worker upserts the same scheduler (idempotent); each
// run is taken by one worker.
const maintenanceQueue = createMaintenanceQueue(connection, config.QUEUE_PREFIX);
maintenanceQueue.on('error', (err) => logger.warn({ err: err.message }, 'maintenance queue error'));
await scheduleMaintenance(maintenanceQueue);
const maintenanceWorker = new Worker(MAINTENANCE_QUEUE, createMaintenanceProcessor({ db: pool, logger }), {
  connection,
  prefix: config.QUEUE_PREFIX,
  concurrency: 1,
  lockDuration: config.WORKER_LOCK_MS,
  stalledInterval: config.WORKER_LOCK_MS,
});
maintenanceWorker.on('failed', (job, err) => logger.warn({ jobId: job?.id, attempt: job?.attemptsMade, err: err.message }, 'maintenance job failed'));
maintenanceWorker.on('error', (err) => logger.error({ err: err.message }, 'maintenance worker error'));
// Mail, when SMTP_URL is set: held-comment digests (swept every 30 s) and reply notices.
const mailer = config.SMTP_URL === undefined ? null : createSmtpMailer(config.SMTP_URL, config.MAIL_FROM);
const emailQueue = mailer === null ? undefined : createEmailQueue(connection, config.QUEUE_PREFIX);
emailQueue?.on('error', (err) => logger.warn({ err: err.message }, 'email queue error'));
if (emailQueue) await scheduleDigests(emailQueue);
const emailWorker = mailer === null ? null : new Worker(EMAIL_QUEUE, createEmailProcessor({
  db: pool, logger, mailer, publicUrl: config.PUBLIC_URL, digestIntervalMs: config.EMAIL_DIGEST_MINUTES * 60_000, linkTtlSeconds: config.MAIL_LINK_HOURS * 3600,
}), { connection, prefix: config.QUEUE_PREFIX, concurrency: 4, lockDuration: config.WORKER_LOCK_MS, stalledInterval: config.WORKER_LOCK_MS });
emailWorker?.on('failed', (job, err) => logger.warn({ jobId: job?.id, attempt: job?.attemptsMade, err: err.message }, 'email job failed'));
emailWorker?.on('error', (err) => logger.error({ err: err.message }, 'email worker error'));

// Comment events: fan-out and deliveries. Deliveries wait on receivers (up to WEBHOOK_TIMEOUT_MS
// each), so many run at once; a slow receiver must not hold up the others.
const webhookWorker = new Worker(WEBHOOK_QUEUE, createWebhookProcessor({
  db: pool, logger, queue: webhookQueue, email: emailQueue, allowPrivate: config.WEBHOOK_ALLOW_PRIVATE, timeoutMs: config.WEBHOOK_TIMEOUT_MS,
}), { connection, prefix: config.QUEUE_PREFIX, concurrency: 16, lockDuration: config.WORKER_LOCK_MS, stalledInterval: config.WORKER_LOCK_MS });
webhookWorker.on('error', (err) => logger.error({ err: err.message }, 'webhook worker error'));
// A few at a time: each job is one HTTP call to Akismet, which rate-limits eager clients.
const akismetWorker = akismetClient
  ? new Worker(AKISMET_QUEUE, createAkismetProcessor({ db: pool, client: akismetClient, logger, publicUrl: config.PUBLIC_URL }), {
    connection, prefix: config.QUEUE_PREFIX, concurrency: 4, lockDuration: config.WORKER_LOCK_MS, stalledInterval: config.WORKER_LOCK_MS,
  })
  : null;
akismetWorker?.on('failed', (job, err) => logger.warn({ jobId: job?.id, attempt: job?.attemptsMade, err: err.message }, 'Akismet job failed'));
akismetWorker?.on('error', (err) => logger.error({ err: err.message }, 'Akismet worker error'));
await Promise.all([akismetWorker?.waitUntilReady(), worker.waitUntilReady(), bulkWorker.waitUntilReady(), trainingWorker.waitUntilReady(), maintenanceWorker.waitUntilReady(), webhookWorker.waitUntilReady(), emailWorker?.waitUntilReady()]);
for (const w of [worker, bulkWorker, trainingWorker, maintenanceWorker]) metrics.watch(w);
// Off by default: Prometheus scrapes each worker on a port of its own (see README, Operations).
const metricsServer = config.METRICS_PORT === undefined
  ? null
  : await startMetricsServer({ registry: metrics.registry, port: config.METRICS_PORT, host: config.METRICS_HOST, token: config.METRICS_TOKEN });
logger.info({ queue: SUBMISSIONS_QUEUE, prefix: config.QUEUE_PREFIX, concurrency: config.WORKER_CONCURRENCY }, 'worker ready');
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
  await Promise.all([akismetWorker?.close(), worker.close(), bulkWorker.close(), trainingWorker.close(), maintenanceWorker.close(), webhookWorker.close(), emailWorker?.close()]);
  await webhookQueue.close();
  await emailQueue?.close();
  mailer?.close();
  recovery.close();
  metricsServer?.close();
  await trainingQueue.close();
  await akismetQueue?.close();
  await maintenanceQueue.close();
  await submissionsQueue.close();
  await writer.drain();
  await pool.end();
  connection.disconnect();
  logger.info('worker stopped');
  process.exit(0);
}
process.on('SIGTERM', () => void shutdown('SIGTERM'));
process.on('SIGINT', () => void shutdown('SIGINT'));
