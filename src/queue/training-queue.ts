import { Queue, type JobsOptions } from 'bullmq';
import type { RedisClient } from '../redis.js';
import type { StatusChange } from '../store/moderation-actions.js';
import { RETRY_JITTER } from './retry-jitter.js';

/** The queue from moderators' decisions to the spam classifier: one job per comment whose status a person changed. */
export const TRAINING_QUEUE = 'spam-training';

/**
 * Which comment to learn from. No label: the processor reads the comment's status when it runs and
 * learns that (approved → ham, spam → spam, pending or rejected → forget), so jobs of quick changes
 * (spam, then undo, then approve) can run in any order and the last status still wins.
 */
export interface TrainingJob {
  commentId: string;
  siteId: string;
}

export type TrainingQueue = Queue<TrainingJob, unknown, 'train'>;

/**
 * Learning is worth retrying through a Postgres outage, but not for hours: 8 attempts from 1 s.
 * Finished jobs are dropped at once (the model is the record); failed ones kept a week to inspect.
 */
export const trainingJobOptions: JobsOptions = {
  attempts: 8,
  backoff: { type: 'exponential', delay: 1000, jitter: RETRY_JITTER },
  removeOnComplete: true,
  removeOnFail: { age: 7 * 86_400, count: 10_000 },
};

export function createTrainingQueue(connection: RedisClient, prefix: string): TrainingQueue {
  return new Queue<TrainingJob, unknown, 'train'>(TRAINING_QUEUE, {
    connection,
    prefix,
    defaultJobOptions: trainingJobOptions,
  });
}

/**
 * Queues learning for the comments a moderator action changed. Call it after `changeStatus` (single
 * actions, bulk actions, undo) has committed. Changes to `deleted` are skipped: deleting says nothing
 * about spam, and the model keeps what it learned from the comment before.
 */
export async function enqueueTrainingForChanges(queue: TrainingQueue, changes: readonly StatusChange[]): Promise<void> {
  const jobs = changes
    .filter((c) => c.toStatus !== 'deleted')
    .map((c) => ({ name: 'train' as const, data: { commentId: c.id, siteId: c.siteId } }));
  if (jobs.length > 0) await queue.addBulk(jobs);
}
