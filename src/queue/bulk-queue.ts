import { Queue, type JobsOptions } from 'bullmq';
import type { RedisClient } from '../redis.js';
import type { DecisionReason } from '../domain/decisions/decision-reasons.js';
import type { Actor, StatusAction } from '../store/moderation-actions.js';
import type { QueueFilter } from '../store/moderation-queue.js';
import { RETRY_JITTER } from './retry-jitter.js';

/** The queue for moderators' bulk actions and their undos; one job per action, run by the workers. */
export const BULK_QUEUE = 'moderation-bulk';

/**
 * What a bulk action works on: the ids a moderator ticked, or every comment a queue view shows.
 * `until` bounds a filter to comments received by the moment the moderator clicked, so "approve all
 * 3,412" does not also approve the spam wave that arrives while the job runs.
 */
export type BulkTarget = { ids: string[] } | { filter: QueueFilter; until: string };

/** A bulk status change (job name `bulk`). The batch id is the job id and tags every audit event. */
export interface BulkActionData {
  batchId: string;
  action: StatusAction;
  /** Who clicked; the job acts within `actor.siteIds` only. */
  actor: Actor;
  target: BulkTarget;
  /** Comments in scope when the moderator clicked; counted by the processor when left out. */
  total?: number;
  /** A reject or spam's reason for the commenters (issue 16's statement of reasons); left out, none. */
  reason?: BulkReason;
  /**
   * Where a retried job picks up: written after every chunk, so a retry neither redoes nor recounts
   * the chunks an earlier attempt committed. Owned by the processor.
   */
  resume?: BulkResumePoint;
}

/**
 * The reason a bulk reject or spam carries: one code, resolved when the moderator clicked against the
 * list of every site in scope, so each comment's decision names its own site's label and rule even if
 * an admin edits a list while the job runs (as a single decision keeps what the moderator saw).
 */
export interface BulkReason {
  code: string;
  /** To the commenters; '' for none. */
  note: string;
  bySite: Record<string, DecisionReason>;
}

/** Undo of a bulk action (job name `undo`, job id `undo-<batchId>`). */
export interface BulkUndoData {
  /** The bulk action's batch id. */
  undoes: string;
  actor: Actor;
  /** Comments the bulk action changed. */
  total?: number;
}

export interface BulkResumePoint {
  /** Filter target: the last (received_at, id) done. Selection target: ids done so far. */
  after: { receivedAt: string; id: string } | { index: number } | null;
  done: number;
  changed: number;
}

/** Reported through job.updateProgress after every chunk; the progress page reads it. */
export interface BulkProgress {
  /** Comments looked at so far (reaches `total`). */
  done: number;
  total: number;
  /** Of those, how many this job changed (the rest were already in the target status, or moved on). */
  changed: number;
}

/** What a finished job returns. */
export interface BulkResult {
  total: number;
  changed: number;
  /** For an undo: the undo's own batch id in the audit log. */
  undoBatchId?: string;
}

export type BulkJobName = 'bulk' | 'undo';
export type BulkJobData = BulkActionData | BulkUndoData;
export type BulkQueue = Queue<BulkJobData, BulkResult, BulkJobName>;

/**
 * Retries cover Postgres or Redis going away mid-job: every chunk commits on its own and the resume
 * point is saved after it, so a retry continues where the last attempt stopped. Finished jobs stay a
 * day so the progress page (and its Undo button) still reads after a coffee break; failed ones a
 * month, for inspection. After that the audit log still answers (see src/http/desk/moderator/bulk-routes.ts).
 */
export const bulkJobOptions: JobsOptions = {
  attempts: 8,
  backoff: { type: 'exponential', delay: 2000, jitter: RETRY_JITTER },
  // Counts bound Redis memory whatever the rate of clicks; the audit log keeps the history.
  removeOnComplete: { age: 86_400, count: 1000 },
  removeOnFail: { age: 30 * 86_400, count: 1000 },
};

export function createBulkQueue(connection: RedisClient, prefix: string): BulkQueue {
  return new Queue<BulkJobData, BulkResult, BulkJobName>(BULK_QUEUE, {
    connection,
    prefix,
    defaultJobOptions: bulkJobOptions,
  });
}

/** The job id of a bulk action's undo: one per batch, so two clicks on Undo queue it once. */
export function undoJobId(batchId: string): string {
  return `undo-${batchId}`;
}

/** Queues a bulk action under its batch id. */
export async function enqueueBulkAction(queue: BulkQueue, data: BulkActionData): Promise<string> {
  const job = await queue.add('bulk', data, { jobId: data.batchId });
  return job.id ?? data.batchId;
}

/** Queues the undo of a bulk action; queueing it again while it exists returns the same job. */
export async function enqueueBulkUndo(queue: BulkQueue, data: BulkUndoData): Promise<string> {
  const id = undoJobId(data.undoes);
  const job = await queue.add('undo', data, { jobId: id });
  return job.id ?? id;
}
