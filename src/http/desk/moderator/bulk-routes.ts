import { randomUUID } from 'node:crypto';
import { Router, type Request, type Response } from 'express';
import type { Job } from 'bullmq';
import { isUuid } from '../../../domain/comment-fields.js';
import { isReasonedAction } from '../../../domain/decisions/decision-reasons.js';
import { AppError } from '../../../errors.js';
import type { BulkProgressAnswer, BulkStartAnswer } from '../../../http-contract/desk-contract.js';
import {
  enqueueBulkAction,
  enqueueBulkUndo,
  undoJobId,
  type BulkActionData,
  type BulkJobData,
  type BulkJobName,
  type BulkProgress,
  type BulkQueue,
  type BulkResult,
  type BulkTarget,
} from '../../../queue/bulk-queue.js';
import { countBatchChanges, countBulkFilter, isBatchUndone, loadBulkSummary } from '../../../store/bulk-batches.js';
import type { Pool } from '../../../store/db.js';
import {
  loadBatchOwners,
  loadCommentSites,
  statusActions,
  type StatusAction,
} from '../../../store/moderation-actions.js';
import { queueTabs, type QueueTab } from '../../../store/moderation-queue.js';
import type { Moderator } from '../../../store/moderators.js';
import { renderBulkPage, type BulkState, type BulkView } from './bulk-page.js';
import { readBulkDecisionReason } from './profiles/decision-input.js';
import { mayUndoBatch, readQueueFilter } from './moderator-routes.js';
import { formValue as field, formText } from '../../kit/form-values.js';
import { actorOf, csrfTokenOf, currentModerator, wantsJson } from '../moderator-session.js';

/*
 * Bulk actions: on the ticked cards or on a whole queue view, run by the workers as one BullMQ job
 * with progress, and undone as one job too. JSON contract for admin.js (typed in src/http-contract/desk-contract.ts; keep it stable):
 *   POST /admin/bulk               → 202 {jobId, batchId, total}
 *   GET  /admin/bulk/:jobId        → {state, done, total, changed, batchId, kind, action, scope, undone, undoJobId, error}
 *   POST /admin/bulk/:batchId/undo → 202 {jobId, batchId, total}
 * Without JSON, the POSTs answer 303 to the progress page, which refreshes itself while the job runs.
 *
 * Undo always runs as a job: undoBatch is one transaction (all or nothing, safe to retry), and a job
 * keeps a 100,000-comment undo off the request path; at 10,000 it takes about a second (see the
 * figures printed by tests/integration/bulk-actions.test.ts), so the page shows "done" at its first
 * refresh anyway.
 */

/** Most comments one "selection" may name; a selection comes from one queue page of ticked cards. */
const MAX_SELECTION = 1000;

/** Bulk fields read a blank or absent value as null. */
function text(req: Request, name: string): string | null {
  return formText(req, name) || null;
}

/** Ticked ids: repeated form fields (`ids=…&ids=…`) or a JSON array. */
function selectedIds(req: Request): string[] {
  const v = field(req, 'ids');
  const list = Array.isArray(v) ? v : v === undefined ? [] : [v];
  if (!list.every((id): id is string => typeof id === 'string' && isUuid(id))) {
    throw AppError.of('INVALID_IDS', { field: 'ids' });
  }
  return [...new Set(list.map((id) => id.toLowerCase()))];
}

function toState(s: string): BulkState {
  if (s === 'completed' || s === 'failed') return s;
  // delayed: waiting out a retry's backoff, which belongs to the run.
  return s === 'active' || s === 'delayed' ? 'running' : 'queued';
}

function toProgress(p: unknown): BulkProgress | null {
  if (typeof p !== 'object' || p === null) return null;
  const { done, total, changed } = p as Record<string, unknown>;
  return typeof done === 'number' && typeof total === 'number'
    ? { done, total, changed: typeof changed === 'number' ? changed : 0 }
    : null;
}

function mayAccess(m: Moderator, ownerId: number | null): boolean {
  return m.role === 'admin' || ownerId === m.id;
}

type BulkJob = Job<BulkJobData, BulkResult, BulkJobName>;

/** Left without a queue (an app built without workers), every bulk route answers 503. */
export function createBulkRoutes(deps: { db: Pool; bulkQueue: BulkQueue | undefined }): Router {
  const { db } = deps;
  const router = Router();
  if (deps.bulkQueue === undefined) {
    router.use('/bulk', () => {
      throw AppError.of('BULK_UNAVAILABLE');
    });
    return router;
  }
  const bulkQueue = deps.bulkQueue;

  async function enqueue<T>(work: () => Promise<T>): Promise<T> {
    try {
      return await work();
    } catch (err) {
      throw AppError.of('QUEUE_UNAVAILABLE', {
        message: 'Bulk actions are unavailable for a moment. Please try again.',
        detail: (err as Error).message,
        retryAfter: 5,
      });
    }
  }

  /** Undo state of a finished bulk action: undone already, or an undo job under way. */
  async function undoStateOf(batchId: string): Promise<{ undone: boolean; undoJobId: string | null }> {
    const [undone, undoJob] = await Promise.all([isBatchUndone(db, batchId), bulkQueue.getJob(undoJobId(batchId))]);
    return { undone, undoJobId: undoJob?.id ?? null };
  }

  async function viewOfJob(job: BulkJob): Promise<BulkView> {
    const state = toState(await job.getState());
    const p = toProgress(job.progress);
    const base = {
      jobId: job.id ?? '',
      state,
      done: p?.done ?? 0,
      total: p?.total ?? job.data.total ?? 0,
      changed: p?.changed ?? 0,
      error: state === 'failed' ? job.failedReason || 'unknown error' : null,
      undone: false,
      undoJobId: null,
    };
    if (job.name === 'undo') {
      const d = job.data as Extract<BulkJobData, { undoes: string }>;
      return { ...base, kind: 'undo', batchId: d.undoes, action: null, scope: null };
    }
    const d = job.data as BulkActionData;
    const view: BulkView = {
      ...base,
      kind: 'bulk',
      batchId: d.batchId,
      action: d.action,
      scope: 'ids' in d.target ? 'selection' : 'filter',
    };
    return state === 'completed' || state === 'failed' ? { ...view, ...(await undoStateOf(d.batchId)) } : view;
  }

  /** A bulk action whose job has aged out of Redis: the audit log's summary still tells the result. */
  async function viewOfSummary(m: Moderator, batchId: string): Promise<BulkView | null> {
    const s = await loadBulkSummary(db, batchId);
    if (s === null) return null;
    if (!mayAccess(m, s.actorId)) throw AppError.of('NOT_YOURS', { message: "This bulk action is someone else's." });
    const changed = s.detail.count ?? 0;
    const action = statusActions.includes(s.detail.action as StatusAction) ? (s.detail.action as StatusAction) : null;
    return {
      jobId: batchId,
      kind: 'bulk',
      state: s.detail.partial ? 'failed' : 'completed',
      done: s.detail.total ?? changed,
      total: s.detail.total ?? changed,
      changed,
      batchId,
      action,
      scope: s.detail.scope === 'selection' ? 'selection' : 'filter',
      error: s.detail.partial ? 'stopped early' : null,
      ...(await undoStateOf(batchId)),
    };
  }

  router.post('/bulk', async (req: Request, res: Response) => {
    const m = currentModerator(res);
    const action = text(req, 'action') as StatusAction | null;
    if (action === null || !statusActions.includes(action)) throw AppError.of('INVALID_ACTION', { field: 'action' });
    const scope = text(req, 'scope');
    let target: BulkTarget;
    let total: number;
    let scopeSites: string[];
    if (scope === 'selection') {
      const ids = selectedIds(req);
      if (ids.length === 0) throw AppError.of('NOTHING_SELECTED', { field: 'ids' });
      if (ids.length > MAX_SELECTION)
        throw AppError.of('TOO_MANY', {
          message: `Select at most ${MAX_SELECTION} comments, or act on the whole view.`,
          field: 'ids',
        });
      const sites = await loadCommentSites(db, ids);
      if (sites.size < ids.length)
        throw AppError.of('NOT_FOUND', { message: 'Some of the selected comments no longer exist.', field: 'ids' });
      // All or nothing: one foreign id refuses the whole request rather than quietly doing the rest.
      if ([...sites.values()].some((s) => !m.siteIds.includes(s))) {
        throw AppError.of('FORBIDDEN', {
          message: 'The selection includes comments on a site you do not moderate.',
          field: 'ids',
        });
      }
      target = { ids };
      total = ids.length;
      scopeSites = [...new Set(sites.values())];
    } else if (scope === 'filter') {
      // Exactly the view the moderator saw: a tab or site that is not theirs is refused, never widened
      // to "all sites" the way the queue page falls back for a stale link.
      const tab = text(req, 'filter_tab') ?? 'pending';
      if (!queueTabs.includes(tab as QueueTab)) throw AppError.of('INVALID_FILTER', { field: 'filter_tab' });
      const site = text(req, 'filter_site');
      if (site !== null && !m.siteIds.includes(site)) throw AppError.of('FORBIDDEN', { field: 'filter_site' });
      const filter = readQueueFilter((n) => text(req, `filter_${n}`), m.siteIds);
      const counted = await countBulkFilter(db, filter);
      if (counted.total === 0)
        throw AppError.of('NOTHING_SELECTED', { message: 'There is nothing in this view to act on.' });
      target = { filter, until: counted.until };
      total = counted.total;
      scopeSites = filter.site !== null ? [filter.site] : m.siteIds;
    } else {
      throw AppError.of('INVALID_SCOPE', { field: 'scope' });
    }
    // Approve, delete and the rest carry no reason: the form's select is ignored, as on a card.
    const reason = isReasonedAction(action) ? await readBulkDecisionReason(db, req, scopeSites) : null;
    const batchId = randomUUID();
    const jobId = await enqueue(() =>
      enqueueBulkAction(bulkQueue, {
        batchId,
        action,
        actor: actorOf(m),
        target,
        total,
        ...(reason !== null ? { reason } : {}),
      }),
    );
    if (wantsJson(req)) {
      res.status(202).json({ jobId, batchId, total } satisfies BulkStartAnswer);
      return;
    }
    res.redirect(303, `/admin/bulk/${encodeURIComponent(jobId)}`);
  });

  router.get('/bulk/:jobId', async (req: Request, res: Response) => {
    const m = currentModerator(res);
    const jobId = String(req.params.jobId);
    const plain = jobId.startsWith('undo-') ? jobId.slice(5) : jobId;
    if (!isUuid(plain)) throw AppError.of('NOT_FOUND', { message: 'No such bulk action.' });
    const job = (await bulkQueue.getJob(jobId)) as BulkJob | undefined;
    let view: BulkView | null;
    if (job) {
      if (!mayAccess(m, job.data.actor.id))
        throw AppError.of('NOT_YOURS', { message: "This bulk action is someone else's." });
      view = await viewOfJob(job);
    } else {
      view = jobId === plain ? await viewOfSummary(m, plain) : null;
    }
    if (view === null)
      throw AppError.of('NOT_FOUND', { message: 'No such bulk action (finished ones are kept for a day).' });
    if (wantsJson(req)) {
      res.json(view satisfies BulkProgressAnswer);
      return;
    }
    res.type('html').send(renderBulkPage({ moderator: m, csrfToken: csrfTokenOf(req), section: 'bulk' }, view));
  });

  router.post('/bulk/:batchId/undo', async (req: Request, res: Response) => {
    const m = currentModerator(res);
    const batchId = String(req.params.batchId);
    if (!isUuid(batchId)) throw AppError.of('NOT_FOUND', { message: 'No such bulk action.' });
    const summary = await loadBulkSummary(db, batchId);
    if (summary === null) {
      // No summary yet: still running (undoing half a batch while the rest lands would not undo it),
      // or failed before it could write one, in which case its job says what was done.
      const job = (await bulkQueue.getJob(batchId)) as BulkJob | undefined;
      if (!job || job.name !== 'bulk') throw AppError.of('NOT_FOUND', { message: 'No such bulk action.' });
      if (!mayAccess(m, job.data.actor.id))
        throw AppError.of('NOT_YOURS', { message: 'Only its moderator or an admin can undo this bulk action.' });
      if ((await job.getState()) !== 'failed') throw AppError.of('BULK_RUNNING');
    } else if (!mayAccess(m, summary.actorId)) {
      throw AppError.of('NOT_YOURS', { message: 'Only its moderator or an admin can undo this bulk action.' });
    } else {
      // Its own moderator, but taken off one of its sites since: not theirs to undo any more.
      const owners = await loadBatchOwners(db, batchId);
      if (owners !== null && !mayUndoBatch(m, owners))
        throw AppError.of('NOT_YOURS', { message: 'This bulk action touched a site you no longer moderate.' });
    }
    // Two clicks on Undo find the same job; after it has aged out, an undone batch stays undone. An
    // undo that gave up (Postgres away through all its retries) is tried again.
    const existing = (await bulkQueue.getJob(undoJobId(batchId))) as BulkJob | undefined;
    if (existing && (await existing.getState()) === 'failed') await enqueue(() => existing.retry('failed'));
    let jobId = existing?.id;
    if (jobId === undefined && (await isBatchUndone(db, batchId))) {
      throw AppError.of('ALREADY_UNDONE');
    }
    const total = await countBatchChanges(db, batchId);
    jobId ??= await enqueue(() => enqueueBulkUndo(bulkQueue, { undoes: batchId, actor: actorOf(m), total }));
    if (wantsJson(req)) {
      res.status(202).json({ jobId, batchId, total } satisfies BulkStartAnswer);
      return;
    }
    res.redirect(303, `/admin/bulk/${encodeURIComponent(jobId)}`);
  });

  return router;
}
