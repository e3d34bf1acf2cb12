import { Router, type Request } from 'express';
import type { Job } from 'bullmq';
import { AppError } from '../../../errors.js';
import type { SubmissionShards } from '../../../queue/submission-shards.js';
import { renderFailedJobsPage, type FailedJobView } from './failed-jobs-page.js';
import { csrfTokenOf } from '../moderator-session.js';

/*
 * The dead-letter view of the submissions queue, for admins: GET /admin/failed lists failed jobs,
 * POST /admin/failed/:id/retry puts one back (attempts reset), POST /admin/failed/:id/discard deletes
 * it. Admins only: payloads carry readers' emails and IPs of every site. A failed job never blocks
 * the queue (BullMQ moves it aside); this page is how a person sees and settles it. With several
 * submission shards (SUBMISSION_SHARDS) the page is one list over all of them, newest first.
 */

/** Jobs listed on one page; the rest are counted. */
const PAGE_SIZE = 100;

/** Job ids are comment UUIDs, but a hand-added job can have any id: allow BullMQ's usual characters only. */
function jobIdOf(req: Request): string {
  const id = req.params.id;
  if (typeof id !== 'string' || !/^[A-Za-z0-9:._-]{1,200}$/.test(id))
    throw AppError.of('NOT_FOUND', { message: 'There is no such job.' });
  return id;
}

function str(v: unknown): string | null {
  return typeof v === 'string' ? v : null;
}

/** What the page shows of a job; the payload is untrusted (that may be why it failed). */
export function toFailedJobView(
  job: Pick<Job, 'id' | 'data' | 'failedReason' | 'attemptsMade' | 'finishedOn'>,
): FailedJobView {
  const data = typeof job.data === 'object' && job.data !== null ? (job.data as Record<string, unknown>) : {};
  const body = str(data.body);
  let raw: string;
  try {
    raw = JSON.stringify(job.data) ?? String(job.data);
  } catch {
    raw = String(job.data);
  }
  return {
    id: job.id ?? '',
    failedReason: job.failedReason ?? '',
    attemptsMade: job.attemptsMade,
    failedAt: job.finishedOn ? new Date(job.finishedOn) : null,
    site: str(data.siteId),
    page: str(data.page),
    author: str(data.author),
    email: str(data.email),
    excerpt: (body ?? raw).slice(0, 200),
  };
}

/** Left without the queue (an app built without one), the page answers 503. */
export function createFailedJobsRoutes(deps: { queue: SubmissionShards | undefined }): Router {
  const router = Router();
  const queueOrFail = (): SubmissionShards => {
    if (deps.queue === undefined)
      throw AppError.of('QUEUE_UNAVAILABLE', { message: 'The queue is not available on this server.' });
    return deps.queue;
  };
  const failedJob = async (req: Request): Promise<Job> => {
    const shards = queueOrFail();
    const id = jobIdOf(req);
    // A comment's job is on its id's shard; a hand-added job (any id) may be on another, so the others
    // are asked only when that one does not have it.
    const home = shards.forId(id);
    let job = await home.getJob(id);
    for (const q of shards.all()) if (!job && q !== home) job = await q.getJob(id);
    if (!job || !(await job.isFailed()))
      throw AppError.of('NOT_FOUND', {
        message: 'There is no such failed job (it may have been retried or discarded already).',
      });
    return job;
  };

  router.get('/failed', async (req, res) => {
    const queues = queueOrFail().all();
    // Each shard's newest page, merged: the newest PAGE_SIZE of all of them are among those.
    const [pages, counts] = await Promise.all([
      Promise.all(queues.map((q) => q.getFailed(0, PAGE_SIZE - 1))),
      Promise.all(queues.map((q) => q.getFailedCount())),
    ]);
    const total = counts.reduce((a, b) => a + b, 0);
    const jobs = pages
      .flat()
      .filter((j): j is NonNullable<typeof j> => Boolean(j))
      .sort((a, b) => (b.finishedOn ?? 0) - (a.finishedOn ?? 0))
      .slice(0, PAGE_SIZE);
    const notice = typeof req.query.done === 'string' ? req.query.done : undefined;
    res
      .type('html')
      .send(
        renderFailedJobsPage(
          { moderator: res.locals.moderator ?? null, csrfToken: csrfTokenOf(req), section: 'failed' },
          jobs.map(toFailedJobView),
          total,
          notice,
        ),
      );
  });

  router.post('/failed/:id/retry', async (req, res) => {
    const job = await failedJob(req);
    // Fresh attempts: the job failed for good, so its old count would leave it none.
    await job.retry('failed', { resetAttemptsMade: true, resetAttemptsStarted: true });
    res.redirect(303, '/admin/failed?done=retried');
  });

  router.post('/failed/:id/discard', async (req, res) => {
    const job = await failedJob(req);
    await job.remove();
    res.redirect(303, '/admin/failed?done=discarded');
  });
  return router;
}
