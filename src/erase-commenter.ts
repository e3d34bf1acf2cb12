import type { RedisClient } from './redis.js';
import { eraseQueuedJobs, type QueuedJobErasure } from './queue/erase-queued-jobs.js';
import type { Pool } from './store/db.js';
import { eraseCommenterData, type ErasureCounts, type PrivacyActor } from './store/privacy.js';

/** Where the queues live, for erasing what their jobs hold. */
export interface QueueStore {
  redis: RedisClient;
  /** QUEUE_PREFIX. */
  prefix: string;
  /** SUBMISSION_SHARDS: the other shards' submission queues are erased too. @defaultValue 1 */
  submissionShards?: number;
}

export interface CommenterErasure extends ErasureCounts {
  /** What was erased from the queues; null when no queue store was given. */
  queued: QueuedJobErasure | null;
  /** Why the queues could not be erased (Redis unreachable): Postgres was erased, run it again. */
  queuedError: string | null;
}

/**
 * Erases a commenter's data everywhere: the queues, Postgres, then the queues again. The first pass
 * removes waiting submissions, which would otherwise store the address again after the erasure; the
 * second removes what jobs running during the first left behind when they finished.
 */
export async function eraseCommenter(
  pool: Pool,
  queues: QueueStore | null,
  email: string,
  siteId: string | null,
  actor: PrivacyActor,
): Promise<CommenterErasure> {
  const sweep = async (): Promise<QueuedJobErasure | string | null> => {
    if (queues === null) return null;
    return eraseQueuedJobs(queues.redis, queues.prefix, email, siteId, queues.submissionShards).catch(
      (err: Error) => `Redis: ${err.message}`,
    );
  };
  const first = await sweep();
  const counts = await eraseCommenterData(pool, email, siteId, actor);
  const second = await sweep();
  const error = [first, second].find((r): r is string => typeof r === 'string') ?? null;
  const done = [first, second].filter((r): r is QueuedJobErasure => typeof r === 'object' && r !== null);
  const queued =
    done.length === 0
      ? null
      : {
          removed: done.reduce((n, r) => n + r.removed, 0),
          streamEntries: done.reduce((n, r) => n + r.streamEntries, 0),
          // Only the last pass says what is still running.
          inProgress: typeof second === 'object' && second !== null ? second.inProgress : 0,
        };
  return { ...counts, queued, queuedError: error };
}

/** The queues' part of an erasure, as one line for the CLI and the dashboard; null when there is nothing to say. */
export function describeQueuedErasure(r: CommenterErasure): string | null {
  if (r.queuedError !== null)
    return `queued jobs not erased (${r.queuedError}); run the erasure again once Redis is reachable`;
  if (r.queued === null) return null;
  const q = r.queued;
  const running = q.inProgress > 0 ? `; ${q.inProgress} still running: run the erasure again in a minute` : '';
  return `queued jobs: ${q.removed} removed, ${q.streamEntries} queue event(s) deleted${running}`;
}
