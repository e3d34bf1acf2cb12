import { Worker } from 'bullmq';
import { exitOnStartupProblem } from '../src/bin/startup.js';
import { createLogger } from '../src/logger.js';
import { SUBMISSIONS_QUEUE } from '../src/queue/submissions-queue.js';
import { createWorkerRedis } from '../src/redis.js';
import { createCommentWriter } from '../src/store/comment-writer.js';
import { createPool } from '../src/store/db.js';
import { createSubmissionProcessor } from './submission-processor.js';

// Entry file of a worker process: reads the environment, connects, and runs until SIGTERM.
const config = await exitOnStartupProblem('worker');
const logger = createLogger(config.LOG_LEVEL, 'worker');
const pool = createPool(config.DATABASE_URL, config.DB_POOL_SIZE);
const writer = createCommentWriter(pool, config.WRITE_BATCH_SIZE);
const connection = createWorkerRedis(config.REDIS_URL);

const worker = new Worker(SUBMISSIONS_QUEUE, createSubmissionProcessor({ db: pool, writer, logger }), {
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
await worker.waitUntilReady();
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
  await worker.close();
  await writer.drain();
  await pool.end();
  connection.disconnect();
  logger.info('worker stopped');
  process.exit(0);
}
process.on('SIGTERM', () => void shutdown('SIGTERM'));
process.on('SIGINT', () => void shutdown('SIGINT'));
