import type { RedisClient } from '../redis.js';
import { submissionShardPrefixes } from './queue-prefix.js';
import { createSubmissionsQueue, type ReplicaWait, type SubmissionsQueue } from './submissions-queue.js';

/*
 * Submissions spread over SUBMISSION_SHARDS queues (issue 18, item 1). On Redis Cluster every key of one
 * queue must share a slot, so one queue is one master's work however many masters there are; with N
 * shards, each its own hash tag (src/queue/queue-prefix.ts, shardPrefix), intake's writes and the
 * workers' reads go to up to N masters. A comment's shard is a pure function of its id, so whoever
 * holds only the id (the status endpoint, an idempotent retry, the admins' failed-jobs page, erasure)
 * asks one queue, not all of them. One shard (the default) is today's single queue, keys and all.
 */

/**
 * The shard of the job whose id is `id`, among `count`: FNV-1a of the lower-cased id, mixed by
 * MurmurHash3's finaliser so every bit counts before the modulo. Stable across processes and releases:
 * changing it would send lookups of queued comments to the wrong queue, so it must never change.
 */
export function shardFor(id: string, count: number): number {
  if (count <= 1) return 0;
  let h = 0x811c9dc5;
  const s = id.toLowerCase();
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return (h >>> 0) % count;
}

/** The N submissions queues, passed where one queue was. */
export interface SubmissionShards {
  /** QUEUE_PREFIX: shard 0's prefix, and the one every other key of ours (counters, sessions) lives under. */
  readonly prefix: string;
  /** SUBMISSION_SHARDS. */
  readonly count: number;
  /** Every shard's queue, shard 0 first (the order of {@link submissionShardPrefixes}). */
  all(): readonly SubmissionsQueue[];
  /** The queue the job with this id (a comment id) is on. */
  forId(id: string): SubmissionsQueue;
  /** Promotes every shard's delayed jobs (workers/outage-recovery.ts: retries after a Postgres outage). */
  promoteJobs(opts?: { count?: number }): Promise<void>;
  close(): Promise<void>;
}

/**
 * Opens one submissions queue per shard on `connection` (on a cluster the client routes each shard's
 * commands to its slot's master). Each queue has its own enqueue batch and, with `waitReplicas`, its
 * own WAIT on its own master: a batch is one shard's jobs, so the WAIT covers them.
 */
export function createSubmissionShards(
  connection: RedisClient,
  prefix: string,
  count = 1,
  opts: { waitReplicas?: ReplicaWait } = {},
): SubmissionShards {
  const queues = submissionShardPrefixes(prefix, count).map((p) => createSubmissionsQueue(connection, p, opts));
  return {
    prefix,
    count: queues.length,
    all: () => queues,
    forId: (id) => queues[shardFor(id, queues.length)]!,
    async promoteJobs(o) {
      await Promise.all(queues.map((q) => q.promoteJobs(o)));
    },
    async close() {
      await Promise.all(queues.map((q) => q.close()));
    },
  };
}

/**
 * For a list of queues where shards share a name (the submission shards, listed shard 0 first as
 * {@link SubmissionShards.all} gives them), each queue's shard number, or null when its name is the
 * only one of its kind: what the queue board and the queue metrics label a shard by.
 */
export function shardNumbersOf(queues: readonly { name: string }[]): (number | null)[] {
  const total = new Map<string, number>();
  for (const q of queues) total.set(q.name, (total.get(q.name) ?? 0) + 1);
  const seen = new Map<string, number>();
  return queues.map((q) => {
    const n = seen.get(q.name) ?? 0;
    seen.set(q.name, n + 1);
    return (total.get(q.name) ?? 0) > 1 ? n : null;
  });
}
