import { Worker } from 'bullmq';
import type { RedisClient } from '../src/redis.js';
import type { Logger } from 'pino';
import type { WatchedWorker } from '../src/metrics/worker-metrics.js';
import type { WorkerSpec } from './worker-table.js';

export interface RunningWorkers {
  /** One per row of the table, in its order. */
  workers: Worker[];
  /** Resolves when every worker's connection is ready to take jobs. */
  ready(): Promise<void>;
  /** Stops taking jobs and waits for the active ones (all workers at once). */
  close(): Promise<void>;
}

/**
 * The one loop that turns the table (workers/worker-table.ts) into BullMQ workers, each with the same
 * shared options and the same hooks: a failed attempt is logged (unless the row says its processor does)
 * and passed to the row's onFailed, a worker error is logged, and counted rows are watched by metrics.
 */
export function runWorkers(
  specs: readonly WorkerSpec[],
  opts: {
    connection: RedisClient;
    prefix: string;
    /** WORKER_LOCK_MS: how long a job's lock lasts without renewal. */
    lockMs: number;
    logger: Logger;
    metrics?: { watch(worker: WatchedWorker): void };
  },
): RunningWorkers {
  const { connection, prefix, lockMs, logger } = opts;
  const workers = specs.map((spec) => {
    const worker = new Worker(spec.queue, spec.processor(), {
      connection,
      prefix: spec.prefix ?? prefix,
      concurrency: spec.concurrency,
      lockDuration: lockMs,
      // BullMQ finds a dead worker's jobs in two passes one stalledInterval apart; tie it to the lock so
      // WORKER_LOCK_MS really bounds how late they come back (about twice it, not a fixed minute).
      stalledInterval: lockMs,
      ...spec.options,
    });
    if (spec.logFailures || spec.onFailed) {
      worker.on('failed', (job, err) => {
        if (spec.logFailures)
          logger.warn({ jobId: job?.id, attempt: job?.attemptsMade, err: err.message }, `${spec.label} job failed`);
        spec.onFailed?.(err);
      });
    }
    worker.on('error', (err) => logger.error({ err: err.message }, `${spec.label} worker error`));
    if (spec.counted) opts.metrics?.watch(worker);
    return worker;
  });
  return {
    workers,
    async ready() {
      await Promise.all(workers.map((w) => w.waitUntilReady()));
    },
    async close() {
      await Promise.all(workers.map((w) => w.close()));
    },
  };
}
