import type { FieldError } from '../../errors.js';
import { loadQueuedState, type SubmissionsQueue } from '../../queue/submissions-queue.js';
import { loadStoredOutcome } from '../../store/comments.js';
import type { Queryable } from '../../store/db.js';

/** What the author of a submission may learn about it. Never another commenter's email or IP. */
export interface SubmissionStatus {
  id: string;
  /** queued: not checked yet; published: public; held: waiting for a moderator; rejected: refused. */
  status: 'queued' | 'published' | 'held' | 'rejected';
  page?: string;
  /** The rendered comment, so the author sees it in place while it waits. */
  html?: string;
  /** The name the author gave ('' for none), shown over that preview. */
  author?: string;
  /** Why it was refused, per field where there is one. */
  errors?: FieldError[];
}

/**
 * Postgres first (the truth once checked), then the queue. Spam is reported as "held": telling a
 * spammer which rule caught them helps only the spammer. A job that failed for good is "held" too: it
 * waits in the failed set for a person, it is not lost.
 */
export async function loadSubmissionStatus(
  db: Queryable,
  queue: SubmissionsQueue,
  id: string,
): Promise<SubmissionStatus | null> {
  const stored = await loadStoredOutcome(db, id);
  if (stored) {
    switch (stored.status) {
      case 'approved':
        return { id, status: 'published', page: stored.page, html: stored.html, author: stored.author };
      case 'pending':
      case 'spam':
        return { id, status: 'held', page: stored.page, html: stored.html, author: stored.author };
      case 'rejected':
        return {
          id,
          status: 'rejected',
          page: stored.page,
          errors: stored.reasons
            .filter((r) => r.action === 'reject')
            .map((r) => ({ field: r.field ?? '', code: r.code, message: r.message })),
        };
    }
  }
  const queued = await loadQueuedState(queue, id);
  if (queued === null) return null;
  return { id, status: queued === 'failed' ? 'held' : 'queued' };
}
