import { Queue, type JobsOptions } from 'bullmq';
import type { RedisClient } from '../redis.js';
import { RETRY_JITTER } from './retry-jitter.js';

/**
 * Akismet's follow-up work, off the submission path: rechecks of comments held while Akismet could
 * not answer, and submit-spam / submit-ham when a moderator overrides a verdict.
 */
export const AKISMET_QUEUE = 'akismet';

/** Which comment; the processor reads everything else from Postgres when it runs. */
export interface AkismetJob {
  commentId: string;
}

export type AkismetJobName = 'recheck' | 'feedback';
export type AkismetQueue = Queue<AkismetJob, unknown, AkismetJobName>;

/**
 * Recheck attempts; with a first delay of AKISMET_RECHECK_MS (60 s) and doubling, the last comes about 34 hours
 * after the first at most (11 waits of 60 s … 17 h; jittered, 17–34 hours).
 */
export const RECHECK_ATTEMPTS = 12;

/**
 * A recheck is delayed by `firstDelayMs` and retried with exponential backoff from the same delay for
 * as long as Akismet gives no answer. After the last attempt the job fails and the comment simply stays
 * held for a moderator: it is never published or dropped for want of an answer. The job id is derived
 * from the comment, so a retried submission job queues one recheck, not two.
 */
export function recheckJobOptions(commentId: string, firstDelayMs: number): JobsOptions {
  return {
    jobId: `recheck-${commentId}`,
    delay: firstDelayMs,
    attempts: RECHECK_ATTEMPTS,
    backoff: { type: 'exponential', delay: firstDelayMs, jitter: RETRY_JITTER },
    removeOnComplete: true,
    removeOnFail: { age: 30 * 86_400 },
  };
}

/** Feedback is worth a few tries over an hour or so; after that, Akismet misses one example. */
export const feedbackJobOptions: JobsOptions = {
  attempts: 8,
  backoff: { type: 'exponential', delay: 30_000, jitter: RETRY_JITTER },
  removeOnComplete: true,
  removeOnFail: { age: 7 * 86_400 },
};

export function createAkismetQueue(connection: RedisClient, prefix: string): AkismetQueue {
  return new Queue<AkismetJob, unknown, AkismetJobName>(AKISMET_QUEUE, { connection, prefix });
}

/** Queues the recheck of a comment held because Akismet could not answer. */
export async function enqueueAkismetRecheck(
  queue: AkismetQueue,
  commentId: string,
  firstDelayMs: number,
): Promise<void> {
  await queue.add('recheck', { commentId }, recheckJobOptions(commentId, firstDelayMs));
}

/** Queues feedback for comments whose status a moderator changed (the processor decides whether to send). */
export async function enqueueAkismetFeedback(queue: AkismetQueue, commentIds: readonly string[]): Promise<void> {
  if (commentIds.length === 0) return;
  await queue.addBulk(
    commentIds.map((commentId) => ({ name: 'feedback' as const, data: { commentId }, opts: feedbackJobOptions })),
  );
}
