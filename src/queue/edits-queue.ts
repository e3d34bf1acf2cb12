import { createHash } from 'node:crypto';
import { Queue, type JobsOptions } from 'bullmq';
import type { RedisClient } from '../redis.js';
import { z } from 'zod';
import { RETRY_JITTER } from './retry-jitter.js';

/**
 * Authors' edits of their own comments (issue 14, PATCH /api/comments/:id): the API checks who asks
 * and the edit window, then queues the new text here; the edit worker (workers/edit-processor.ts) runs
 * the checks again and stores the outcome, as the submissions queue does for new comments.
 */
export const EDITS_QUEUE = 'edits';

/**
 * One edit as the API queues it and the worker reads it (parsed again there: a queue is a trust
 * boundary too). Who edited is only recorded: the API has already decided they may.
 */
export const editJobSchema = z.object({
  /** The edit's id (see toEditId); also the job's id and comment_edits.edit_id. */
  editId: z.string().min(1).max(100),
  commentId: z.uuid(),
  siteId: z.string().min(1),
  /** The new text, trimmed and checked at intake as a new comment's body is. */
  body: z.string(),
  /** The signed-in reader who edited; null: a guest with the comment's edit key. */
  readerId: z.number().int().positive().nullable(),
  /** When the API took the edit: the checks' clock, and the order edits of one comment apply in. */
  requestedAt: z.iso.datetime({ offset: true }),
});

export type EditJob = z.infer<typeof editJobSchema>;

/** What a processed edit job returns (kept briefly in Redis; the truth is comment_edits). */
export interface EditResult {
  outcome: 'applied' | 'held' | 'spam' | 'refused' | 'superseded' | 'gone';
  alreadyStored: boolean;
}

export type EditsQueue = Queue<EditJob, EditResult, 'edit'>;

/**
 * As submissions (src/queue/submissions-queue.ts): retried with backoff for as long as Postgres may be
 * away (15 attempts from 1 s, jittered: 2.3–4.5 hours), so an author's edit is not lost to an outage. Completed
 * jobs are kept an hour: a retried PATCH with the same text finds its job and queues nothing new.
 * Failed ones are kept a month (at most 10,000) for admins to look at.
 */
export const editJobOptions: JobsOptions = {
  attempts: 15,
  backoff: { type: 'exponential', delay: 1000, jitter: RETRY_JITTER },
  removeOnComplete: { age: 3600, count: 10_000 },
  removeOnFail: { age: 30 * 86_400, count: 10_000 },
};

export function createEditsQueue(connection: RedisClient, prefix: string): EditsQueue {
  return new Queue<EditJob, EditResult, 'edit'>(EDITS_QUEUE, { connection, prefix, defaultJobOptions: editJobOptions });
}

/**
 * The id of "this text replacing that text of this comment": the same edit sent twice (a retried
 * PATCH, a double click) is one job and one history row; a different text, or the same text after
 * another edit changed the comment, is a new edit. Prefixed so BullMQ never reads it as a number.
 */
export function toEditId(commentId: string, currentBody: string, newBody: string): string {
  const digest = createHash('sha256')
    .update(`${commentId.toLowerCase()}\u0000${currentBody}\u0000${newBody}`)
    .digest('base64url');
  return `edit-${digest.slice(0, 32)}`;
}

/** Queues an edit; the job id is the edit id, so queueing the same edit again adds nothing. */
export async function enqueueEdit(queue: EditsQueue, job: EditJob): Promise<void> {
  await queue.add('edit', job, { jobId: job.editId });
}
