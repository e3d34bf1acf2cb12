import { Worker } from 'bullmq';
import { SUBMISSIONS_QUEUE } from '../src/queue/submissions-queue.js';
import { createWorkerRedis } from '../src/redis.js';

// The pipeline's baseline: a BullMQ worker with the real worker's options that does nothing per job.
const connection = createWorkerRedis(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379');
const lockMs = Number(process.env.WORKER_LOCK_MS ?? 30_000);
const worker = new Worker(SUBMISSIONS_QUEUE, async () => ({ status: 'approved', alreadyStored: false }), {
  connection,
  prefix: process.env.QUEUE_PREFIX!,
  concurrency: Number(process.env.WORKER_CONCURRENCY ?? 32),
  lockDuration: lockMs,
  stalledInterval: lockMs,
  maxStalledCount: 10,
});
await worker.waitUntilReady();
process.send?.('ready');
process.on('SIGTERM', () => {
  void worker.close().then(() => process.exit(0));
});
