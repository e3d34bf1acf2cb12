import { Worker } from 'bullmq';
import { exitOnStartupProblem } from '../src/bin/startup.js';
import { createLogger } from '../src/logger.js';
import { BULK_QUEUE } from '../src/queue/bulk-queue.js';
import { createLivePublisher } from '../src/queue/live-events.js';
import { createMaintenanceQueue, MAINTENANCE_QUEUE, scheduleMaintenance } from '../src/queue/maintenance-queue.js';
import { SUBMISSIONS_QUEUE } from '../src/queue/submissions-queue.js';
import { createTrainingQueue, TRAINING_QUEUE } from '../src/queue/training-queue.js';
import { createWorkerRedis } from '../src/redis.js';
import { createCommentWriter } from '../src/store/comment-writer.js';
import { createPool } from '../src/store/db.js';
import { createBulkProcessor } from './bulk-processor.js';
import { createMaintenanceProcessor } from './maintenance-processor.js';
import { createSubmissionProcessor } from './submission-processor.js';
import { createTrainingProcessor } from './training-processor.js';

// Entry file of a worker process: reads the environment, connects, and runs until SIGTERM.
const config = await exitOnStartupProblem('worker');
const logger = createLogger(config.LOG_LEVEL, 'worker');
const pool = createPool(config.DATABASE_URL, config.DB_POOL_SIZE);
const writer = createCommentWriter(pool, config.WRITE_BATCH_SIZE);
const connection = createWorkerRedis(config.REDIS_URL);

// PUBLISH is a plain command, safe on BullMQ's shared connection (its blocking reads use their own).
const publish = createLivePublisher(connection, config.QUEUE_PREFIX);

const worker = new Worker(SUBMISSIONS_QUEUE, createSubmissionProcessor({ db: pool, writer, logger, publish }), {
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
worker.on('failed', (job, err) => {
  logger.warn({ jobId: job?.id, attempt: job?.attemptsMade, err: err.message }, 'submission job failed');
});
worker.on('error', (err) => logger.error({ err: err.message }, 'worker error'));

// Moderators' bulk actions and undos: few and long, so two at a time. A job cut off by a kill or a
// shutdown timeout comes back after the lock expires and resumes from its last committed chunk.
const trainingQueue = createTrainingQueue(connection, config.QUEUE_PREFIX);
const bulkWorker = new Worker(BULK_QUEUE, createBulkProcessor({ db: pool, logger, training: trainingQueue }), {
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
const trainingWorker = new Worker(TRAINING_QUEUE, createTrainingProcessor({ db: pool, logger }), {
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
await Promise.all([worker.waitUntilReady(), bulkWorker.waitUntilReady(), trainingWorker.waitUntilReady(), maintenanceWorker.waitUntilReady()]);
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
  await Promise.all([worker.close(), bulkWorker.close(), trainingWorker.close(), maintenanceWorker.close()]);
  await trainingQueue.close();
  await maintenanceQueue.close();
  await writer.drain();
  await pool.end();
  connection.disconnect();
  logger.info('worker stopped');
  process.exit(0);
}
process.on('SIGTERM', () => void shutdown('SIGTERM'));
process.on('SIGINT', () => void shutdown('SIGINT'));
