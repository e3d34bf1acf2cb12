import { UnrecoverableError, type Job } from 'bullmq';
import type { Logger } from 'pino';
import { isUuid } from '../src/domain/comment-fields.js';
import type { CommentStatus } from '../src/moderation/verdict.js';
import type {
  BulkActionData,
  BulkJobData,
  BulkJobName,
  BulkProgress,
  BulkResult,
  BulkResumePoint,
  BulkUndoData,
} from '../src/queue/bulk-queue.js';
import { countBatchChanges, countFilterUntil, listFilterChunk, recordBulkSummary } from '../src/store/bulk-batches.js';
import type { Pool, Queryable } from '../src/store/db.js';
import { createStatusChanges } from '../src/moderation/status-changes.js';
import type { AnnounceThread } from '../src/queue/live-threads.js';
import type { TrainingQueue } from '../src/queue/training-queue.js';
import type { CommentEventsQueue } from '../src/queue/comment-events-queue.js';
import { isReasonedAction } from '../src/domain/decisions/decision-reasons.js';
import { recordDecision } from '../src/store/authors/comment-decisions.js';
import { changeStatus, inTransaction, statusActions, statusAfter, undoBatch } from '../src/store/moderation-actions.js';
import type { QueueTab } from '../src/store/moderation-queue.js';

export interface BulkProcessorDeps {
  db: Pool;
  logger: Logger;
  /** Teaches the spam filter from every changed comment (as single actions do); left out, nothing is learned. */
  training?: TrainingQueue;
  /** Announces every changed comment (webhooks, reply mails), as single actions do; left out, nothing is announced. */
  events?: CommentEventsQueue;
  /** Readers' live threads: comments this publishes or takes down; left out, nobody is told. */
  thread?: AnnounceThread;
  /** Comments per statement; each chunk commits on its own. @defaultValue 500 */
  chunkSize?: number;
}

/**
 * The status a comment must still have for a filter bulk to touch it. Ids are picked and changed in
 * two statements; a comment someone rejected in between has left the view and must not be approved.
 */
const tabStatus: Record<QueueTab, CommentStatus> = {
  pending: 'pending',
  reported: 'pending',
  spam: 'spam',
  approved: 'approved',
  rejected: 'rejected',
};

function checkActionData(d: BulkActionData): void {
  const ok =
    isUuid(d.batchId) &&
    statusActions.includes(d.action) &&
    Array.isArray(d.actor?.siteIds) &&
    ('ids' in d.target
      ? Array.isArray(d.target.ids)
      : typeof d.target.until === 'string' && d.target.filter !== undefined) &&
    (d.reason === undefined ||
      (typeof d.reason.code === 'string' && typeof d.reason.note === 'string' && typeof d.reason.bySite === 'object'));
  if (!ok) throw new UnrecoverableError('invalid bulk payload');
}

/** The audit summary of a batch: who, the action, scope, count, and the exact view it covered. */
async function writeSummary(db: Queryable, d: BulkActionData, detail: object): Promise<void> {
  const siteId = 'filter' in d.target ? d.target.filter.site : null;
  await recordBulkSummary(db, { batchId: d.batchId, actorId: d.actor.id, actor: d.actor.label, siteId, detail });
}

function summaryDetail(d: BulkActionData, p: BulkResumePoint, total: number): Record<string, unknown> {
  const detail: Record<string, unknown> = {
    action: d.action,
    scope: 'ids' in d.target ? 'selection' : 'filter',
    count: p.changed,
    total,
  };
  if (d.reason !== undefined) detail.reason = d.reason.code;
  if ('filter' in d.target) {
    const { tab, site, page, reason, q } = d.target.filter;
    detail.filter = { tab, site, page, reason, q, until: d.target.until };
  }
  return detail;
}

/**
 * Runs moderators' bulk actions and their undos. A bulk action goes chunk by chunk, each chunk one
 * changeStatus statement (status and audit rows commit together) under the job's one batch id, so a
 * single undo reverts all of it. After each chunk the resume point is saved and progress reported;
 * a retried job continues from there, and changeStatus skips comments already in the target status,
 * so a chunk redone after a crash between commit and save changes nothing twice.
 */
export function createBulkProcessor(deps: BulkProcessorDeps) {
  const { db, logger } = deps;
  // Learning and announcing follow each committed chunk (src/moderation/status-changes.ts); a Redis
  // hiccup there is logged and must not fail (and so redo) the bulk.
  const after = createStatusChanges({ logger, training: deps.training, events: deps.events, thread: deps.thread });
  const chunkSize = deps.chunkSize ?? 500;

  /**
   * One chunk's status change (status and audit rows in one statement). With a reason, each changed
   * comment's decision (its statement of reasons, sent from its comment event) commits with it, in one
   * transaction, so a crash leaves no decision without its change or the reverse; a redone chunk changes
   * nothing (changeStatus skips comments already moved) and so records no decision twice.
   */
  async function changeChunk(d: BulkActionData, ids: string[], onlyFrom: CommentStatus[] | undefined) {
    const change = {
      ids,
      action: d.action,
      toStatus: statusAfter[d.action],
      actor: d.actor,
      batchId: d.batchId,
      onlyFrom,
    };
    const reason = d.reason;
    const action = d.action;
    if (reason === undefined || !isReasonedAction(action))
      return changeStatus(db, { ...change, detail: { bulk: true } });
    return inTransaction(db, async (client) => {
      const changed = await changeStatus(client, {
        ...change,
        detail: { bulk: true, reason: reason.code, ...(reason.note !== '' ? { note: reason.note } : {}) },
      });
      for (const c of changed) {
        const siteReason = reason.bySite[c.siteId];
        // The route resolved every site in scope; a comment elsewhere cannot be in the chunk.
        if (siteReason === undefined) throw new UnrecoverableError(`bulk reason has no entry for site ${c.siteId}`);
        await recordDecision(client, {
          commentId: c.id,
          siteId: c.siteId,
          batchId: d.batchId,
          action,
          reason: siteReason,
          note: reason.note,
          actor: d.actor,
        });
      }
      return changed;
    });
  }

  async function runAction(job: Job<BulkJobData, BulkResult, BulkJobName>, d: BulkActionData): Promise<BulkResult> {
    checkActionData(d);
    const total =
      d.total ??
      ('ids' in d.target ? d.target.ids.length : await countFilterUntil(db, d.target.filter, d.target.until));
    const point: BulkResumePoint = d.resume ?? { after: null, done: 0, changed: 0 };
    const progress = (): BulkProgress => ({ done: Math.min(point.done, total), total, changed: point.changed });
    await job.updateProgress(progress());

    for (;;) {
      let ids: string[];
      let next: BulkResumePoint['after'];
      let onlyFrom: CommentStatus[] | undefined;
      if ('ids' in d.target) {
        const from = point.after !== null && 'index' in point.after ? point.after.index : 0;
        ids = d.target.ids.slice(from, from + chunkSize);
        next = { index: from + ids.length };
      } else {
        const after = point.after !== null && 'id' in point.after ? point.after : null;
        const rows = await listFilterChunk(db, d.target.filter, d.target.until, after, chunkSize);
        ids = rows.map((r) => r.id);
        const last = rows[rows.length - 1];
        next = last ?? after;
        onlyFrom = [tabStatus[d.target.filter.tab]];
      }
      if (ids.length === 0) break;
      // detail.bulk marks these rows as part of a bulk batch: "u" (undo last) waits for the batch's
      // summary row, written when the job ends, instead of undoing half of a running bulk.
      const changed = await changeChunk(d, ids, onlyFrom);
      await after.changed(changed, 'decision');
      point.after = next;
      point.done += ids.length;
      point.changed += changed.length;
      await job.updateData({ ...d, total, resume: point });
      await job.updateProgress(progress());
      if (ids.length < chunkSize) break;
    }

    // The audit log is the exact count: a chunk committed just before a crash, and redone as a no-op
    // by the retry, is missing from `point.changed` but not from the batch's events.
    point.changed = await countBatchChanges(db, d.batchId);
    await writeSummary(db, d, summaryDetail(d, point, total));
    point.done = total;
    await job.updateProgress(progress());
    logger.info({ batchId: d.batchId, action: d.action, total, changed: point.changed }, 'bulk action done');
    return { total, changed: point.changed };
  }

  async function runUndo(job: Job<BulkJobData, BulkResult, BulkJobName>, d: BulkUndoData): Promise<BulkResult> {
    if (!isUuid(d.undoes) || !Array.isArray(d.actor?.siteIds))
      throw new UnrecoverableError('invalid bulk undo payload');
    const total = d.total ?? 0;
    await job.updateProgress({ done: 0, total, changed: 0 } satisfies BulkProgress);
    // One transaction (undoBatch): all of the batch comes back or none, and a second undo finds the
    // first and does nothing, so a retry after a crash is safe.
    const { batchId, restored } = await undoBatch(db, d.undoes, d.actor);
    await after.changed(restored, 'decision');
    await job.updateProgress({ done: total, total, changed: restored.length } satisfies BulkProgress);
    logger.info({ undoes: d.undoes, total, restored: restored.length }, 'bulk undo done');
    return { total, changed: restored.length, undoBatchId: batchId };
  }

  return async function processBulk(job: Job<BulkJobData, BulkResult, BulkJobName>): Promise<BulkResult> {
    if (job.name === 'undo') return runUndo(job, job.data as BulkUndoData);
    if (job.name !== 'bulk') throw new UnrecoverableError(`unknown bulk job ${job.name}`);
    const d = job.data as BulkActionData;
    try {
      return await runAction(job, d);
    } catch (err) {
      // On the last attempt, sum up what was done so the partial batch can still be undone.
      const last = err instanceof UnrecoverableError || job.attemptsMade + 1 >= (job.opts.attempts ?? 1);
      const latest = job.data as BulkActionData; // updateData replaced it after each chunk
      if (last && latest.resume !== undefined) {
        const detail = { ...summaryDetail(latest, latest.resume, latest.total ?? 0), partial: true };
        await writeSummary(db, latest, detail).catch(() => {});
      }
      throw err;
    }
  };
}
