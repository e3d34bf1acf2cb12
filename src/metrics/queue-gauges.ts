import type { Queue } from 'bullmq';
import { Gauge, type Registry } from 'prom-client';
import { within } from '../http/kit/within.js';
import { shardNumbersOf } from '../queue/submission-shards.js';

/** Job states whose sizes are reported per queue. */
const STATES = ['waiting', 'active', 'delayed', 'prioritized', 'failed', 'completed'] as const;

/**
 * Queue depth per queue and state, and the age of each queue's oldest waiting job, read from Redis at
 * scrape time. Queues of one name in the list are one queue's shards (src/queue/submission-shards.ts):
 * summed under the name, and per shard in reply_desk_queue_shard_jobs. A scrape while Redis is away
 * must still answer (with the API's own metrics): the read gives up after a second, the last values
 * stay, and `reply_desk_queue_metrics_up` says 0.
 */
export function registerQueueGauges(registry: Registry, queues: readonly Queue[], now: () => number = Date.now): void {
  // Per queue in the list, so shards of one queue (same name, SUBMISSION_SHARDS) are read apart and summed
  // under their name: `queue="submissions"` means all of them, as it did with one.
  const counts: (Record<string, number> | undefined)[] = [];
  const ages: (number | undefined)[] = [];
  const shards = shardNumbersOf(queues);
  // prom-client collects every metric of a scrape at once: the gauges share one read of Redis.
  let reading: Promise<boolean> | null = null;
  const read = (): Promise<boolean> => {
    reading ??= within(
      1000,
      Promise.all(
        queues.map(async (queue, i) => {
          counts[i] = await queue.getJobCounts(...STATES);
          // The wait list is consumed from its far end: asc=true lists the oldest first.
          const [first] = await queue.getJobs(['waiting'], 0, 0, true);
          ages[i] = first ? Math.max(0, (now() - first.timestamp) / 1000) : 0;
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
      const sums = new Map<string, Record<string, number>>();
      queues.forEach((q, i) => {
        const c = counts[i];
        if (c === undefined) return;
        const sum = sums.get(q.name) ?? {};
        for (const state of STATES) sum[state] = (sum[state] ?? 0) + (c[state] ?? 0);
        sums.set(q.name, sum);
      });
      for (const [queue, c] of sums) for (const state of STATES) this.set({ queue, state }, c[state] ?? 0);
    },
  });
  if (shards.some((s) => s !== null)) {
    new Gauge({
      name: 'reply_desk_queue_shard_jobs',
      help: 'Jobs per shard of a sharded queue (SUBMISSION_SHARDS) and state; reply_desk_queue_jobs has their sum.',
      labelNames: ['queue', 'shard', 'state'] as const,
      registers: [registry],
      async collect() {
        await read();
        queues.forEach((q, i) => {
          const c = counts[i];
          const shard = shards[i];
          if (c === undefined || shard === null || shard === undefined) return;
          for (const state of STATES) this.set({ queue: q.name, shard: String(shard), state }, c[state] ?? 0);
        });
      },
    });
  }
  new Gauge({
    name: 'reply_desk_queue_oldest_waiting_seconds',
    help: 'Age of the oldest job waiting to be taken by a worker (0 when none waits).',
    labelNames: ['queue'] as const,
    registers: [registry],
    async collect() {
      await read();
      // A sharded queue's oldest waiting job is the oldest of any shard's.
      const oldest = new Map<string, number>();
      queues.forEach((q, i) => {
        const age = ages[i];
        if (age !== undefined) oldest.set(q.name, Math.max(oldest.get(q.name) ?? 0, age));
      });
      for (const [queue, age] of oldest) this.set({ queue }, age);
    },
  });
}
