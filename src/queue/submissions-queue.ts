import { Queue, type JobsOptions } from 'bullmq';
import { Cluster, type Redis } from 'ioredis';
import type { RedisClient } from '../redis.js';
import type { Submission } from '../domain/submission.js';
import { createBatcher, type Batcher } from '../store/batched/batcher.js';
import { RETRY_JITTER } from './retry-jitter.js';

/** The queue between the API and the workers: one job per reader submission, its id the comment id. */
export const SUBMISSIONS_QUEUE = 'submissions';

export type SubmissionsQueue = Queue<Submission, SubmitResult, 'submit'>;

/** What a processed job returns (kept briefly in Redis; the truth is the comments row). */
export interface SubmitResult {
  status: string;
  alreadyStored: boolean;
}

/**
 * Retries cover Postgres being away for a while: exponential from 1 s, 15 attempts, so the last retry
 * comes at most some 4.5 hours after the first failure (14 waits of 1 s … 8,192 s, 16,383 s in all; each
 * wait jittered between half and all of its delay, src/queue/retry-jitter.ts, so jobs that failed together
 * do not come back together, which makes it 2.3–4.5 hours). Bad input never retries (the processor throws
 * UnrecoverableError). Completed jobs are kept an hour so a retried POST with the same idempotency key
 * finds its job; failed ones are kept (a month, at most 100,000) for admins to inspect and retry on
 * /admin/failed.
 */
export const submitJobOptions: JobsOptions = {
  attempts: 15,
  backoff: { type: 'exponential', delay: 1000, jitter: RETRY_JITTER },
  removeOnComplete: { age: 3600, count: 50_000 },
  // Bounded as well as aged: a flood of poison jobs must not fill Redis (which then refuses every
  // new comment under noeviction). 100,000 failed jobs are some 100 MB at most.
  removeOnFail: { age: 30 * 86_400, count: 100_000 },
};

/**
 * Replicas that must hold each batch of submissions before intake answers (REDIS_WAIT_REPLICAS): RedisClient
 * replicates asynchronously, so a master that dies right after taking a job may take it with it when
 * its replica is promoted (Sentinel, Cluster). WAIT on the connection that wrote the batch returns once
 * that many replicas have every write it made so far.
 */
export interface ReplicaWait {
  replicas: number;
  timeoutMs: number;
}
interface QueueReplicaWait extends ReplicaWait {
  connection: RedisClient;
  /** A key of the queue: on a cluster, its slot's master is the node that took the jobs. */
  key: string;
  slot?: number;
}
const replicaWaits = new WeakMap<SubmissionsQueue, QueueReplicaWait>();

export function createSubmissionsQueue(
  connection: RedisClient,
  prefix: string,
  opts: { waitReplicas?: ReplicaWait } = {},
): SubmissionsQueue {
  const queue = new Queue<Submission, SubmitResult, 'submit'>(SUBMISSIONS_QUEUE, {
    connection,
    prefix,
    defaultJobOptions: submitJobOptions,
  });
  // BullMQ wraps this very connection for the queue's commands (it duplicates only blocking ones), so a
  // WAIT sent on it covers the jobs the queue wrote.
  if (opts.waitReplicas && opts.waitReplicas.replicas > 0)
    replicaWaits.set(queue, { ...opts.waitReplicas, connection, key: `${prefix}:${SUBMISSIONS_QUEUE}:wait` });
  return queue;
}

export class ReplicationTimeoutError extends Error {
  constructor(wanted: number, acked: number, ms: number) {
    super(`${acked} of ${wanted} Redis replicas acknowledged the submission within ${ms} ms`);
    this.name = 'ReplicationTimeoutError';
  }
}

/**
 * WAIT on the queue's own connection (the one addBulk wrote on); throws when too few replicas answer.
 * A master with fewer replicas than asked for (the one left after a failover, until its old master
 * comes back as a replica) is enough when every replica it has acknowledged: no failover can promote a
 * replica it does not have, and refusing every comment until then would turn a failover into an outage.
 */
async function waitForReplicas(wait: QueueReplicaWait): Promise<void> {
  const node = await writingNode(wait);
  const acked = Number(await node.call('WAIT', String(wait.replicas), String(wait.timeoutMs)));
  if (acked >= wait.replicas) return;
  const info = await node.info('replication');
  const connected = Number(/connected_slaves:(\d+)/.exec(info)?.[1] ?? 'NaN');
  if (Number.isInteger(connected) && acked >= connected) return;
  throw new ReplicationTimeoutError(wait.replicas, acked, wait.timeoutMs);
}

/**
 * The connection WAIT must go on. On one server (or Sentinel's master), the queue's own. On a cluster,
 * a command without keys goes to any node, so WAIT is sent to the master of the queue's slot, on the
 * very connection the cluster client wrote the jobs through (one per node). The slot map follows a
 * failover (MOVED updates it), so after one this is the promoted replica.
 */
async function writingNode(wait: QueueReplicaWait): Promise<Redis> {
  const c = wait.connection;
  if (!(c instanceof Cluster)) return c;
  wait.slot ??= Number(await c.call('CLUSTER', 'KEYSLOT', wait.key));
  const owner = c.slots[wait.slot]?.[0];
  const node = c.nodes('master').find((n) => `${n.options.host}:${n.options.port}` === owner);
  if (node === undefined) throw new ReplicationTimeoutError(wait.replicas, 0, 0);
  return node;
}

/** Thrown when Redis did not take the job in time. */
export class EnqueueTimeoutError extends Error {
  constructor(ms: number) {
    super(`Redis did not accept the job within ${ms} ms`);
    this.name = 'EnqueueTimeoutError';
  }
}

// Submissions that arrive in the same turn of the event loop go to Redis as one addBulk (one pipelined
// round trip) instead of one add each: under a flood of replies the API then spends its time on
// requests, not on socket writes. Each request still waits until Redis has its own job, and one timer
// per batch, not per submission, bounds that wait.
interface PendingEnqueue {
  submission: Submission;
  timeoutMs: number;
}
const enqueueBatchers = new WeakMap<SubmissionsQueue, Batcher<PendingEnqueue, void>>();
const MAX_ENQUEUE_BATCH = 100;

function enqueueBatcher(queue: SubmissionsQueue): Batcher<PendingEnqueue, void> {
  let batcher = enqueueBatchers.get(queue);
  if (!batcher) {
    batcher = createBatcher(async (items: PendingEnqueue[]) => {
      // The batch is sent at once (no flush waits for another), so its wait starts with each item's.
      const timeoutMs = Math.min(...items.map((i) => i.timeoutMs));
      let timer: NodeJS.Timeout | undefined;
      try {
        await Promise.race([
          queue.addBulk(
            items.map(({ submission: s }) => ({ name: 'submit' as const, data: s, opts: { jobId: s.id } })),
          ),
          new Promise<never>((_, reject) => {
            timer = setTimeout(() => reject(new EnqueueTimeoutError(timeoutMs)), timeoutMs);
          }),
        ]);
      } finally {
        clearTimeout(timer);
      }
      // Only then is a comment safe from a failover: the whole batch waits once, together.
      const wait = replicaWaits.get(queue);
      if (wait) await waitForReplicas(wait);
      return items.map(() => undefined);
    }, MAX_ENQUEUE_BATCH);
    enqueueBatchers.set(queue, batcher);
  }
  return batcher;
}

/**
 * Queues a submission, resolving once Redis has stored the job; rejects with EnqueueTimeoutError when
 * Redis has not within `timeoutMs` (the job may still be stored later). The job id is the comment id,
 * so the same submission queued twice (an idempotent retry) stays one job.
 */
export function enqueueSubmission(queue: SubmissionsQueue, submission: Submission, timeoutMs: number): Promise<void> {
  return enqueueBatcher(queue).add({ submission, timeoutMs });
}

/** Where a submission not yet in Postgres stands in the queue; null when the queue does not know it. */
export async function loadQueuedState(queue: SubmissionsQueue, id: string): Promise<'queued' | 'failed' | null> {
  const state = await queue.getJobState(id);
  if (state === 'unknown' || state === 'completed') return null;
  return state === 'failed' ? 'failed' : 'queued';
}
