import type { Queue } from 'bullmq';
import { Gauge, type Registry } from 'prom-client';
import { within } from '../http/kit/within.js';

/** Job states whose sizes are reported per queue. */
const STATES = ['waiting', 'active', 'delayed', 'prioritized', 'failed', 'completed'] as const;

/**
 * Queue depth per queue and state, and the age of each queue's oldest waiting job, read from Redis at
 * scrape time. A scrape while Redis is away must still answer (with the API's own metrics): the
 * read gives up after a second, the last values stay, and `reply_desk_queue_metrics_up` says 0.
 */
export function registerQueueGauges(registry: Registry, queues: readonly Queue[], now: () => number = Date.now): void {
  const counts = new Map<string, Record<string, number>>();
  const ages = new Map<string, number>();
  // prom-client collects every metric of a scrape at once: the three gauges share one read of Redis.
  let reading: Promise<boolean> | null = null;
  const read = (): Promise<boolean> => {
    reading ??= within(
      1000,
      Promise.all(
        queues.map(async (queue) => {
          counts.set(queue.name, await queue.getJobCounts(...STATES));
          // The wait list is consumed from its far end: asc=true lists the oldest first.
          const [first] = await queue.getJobs(['waiting'], 0, 0, true);
          ages.set(queue.name, first ? Math.max(0, (now() - first.timestamp) / 1000) : 0);
        }),
      ),
    )
      .then(
        () => true,
        () => false,
      )
      .finally(() => {
        reading = null;
      });
    return reading;
  };
  new Gauge({
    name: 'reply_desk_queue_metrics_up',
    help: '1 when the last scrape read every queue from Redis, 0 when Redis did not answer.',
    registers: [registry],
    async collect() {
      this.set((await read()) ? 1 : 0);
    },
  });
  new Gauge({
    name: 'reply_desk_queue_jobs',
    help: 'Jobs per queue and state (completed and failed count the jobs still retained).',
    labelNames: ['queue', 'state'] as const,
    registers: [registry],
    async collect() {
      await read();
      for (const [queue, c] of counts) for (const state of STATES) this.set({ queue, state }, c[state] ?? 0);
    },
  });
  new Gauge({
    name: 'reply_desk_queue_oldest_waiting_seconds',
    help: 'Age of the oldest job waiting to be taken by a worker (0 when none waits).',
    labelNames: ['queue'] as const,
    registers: [registry],
    async collect() {
      await read();
      for (const [queue, age] of ages) this.set({ queue }, age);
    },
  });
}
