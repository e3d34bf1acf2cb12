import { UnrecoverableError, type Job } from 'bullmq';
import type { Logger } from 'pino';
import { blogOf } from '../src/akismet/akismet-blog.js';
import type { AkismetClient, AkismetComment } from '../src/akismet/akismet-client.js';
import {
  applyRecheck,
  loadAkismetSubject,
  markAkismetSubmitted,
  recordRecheckGaveUp,
  saveAkismetCheck,
  type AkismetSubject,
} from '../src/akismet/akismet-store.js';
import { isUuid } from '../src/domain/comment-fields.js';
import { AKISMET_UNAVAILABLE, recheckVerdict } from '../src/moderation/rules/akismet-rule.js';
import type { AkismetJob } from '../src/queue/akismet-queue.js';
import type { Queryable } from '../src/store/db.js';

export interface AkismetProcessorDeps {
  db: Queryable;
  client: AkismetClient;
  logger: Logger;
  /** The service's address: Akismet's `blog` when a comment's page URL is unknown. */
  publicUrl: string;
}

export type AkismetJobResult =
  | { outcome: 'applied' | 'moderated'; status: string | null; result: string }
  | { outcome: 'skipped'; why: string }
  | { outcome: 'submitted'; label: 'spam' | 'ham' };

/** What the checks said about a comment, as a label: Akismet's own answer when it gave one. */
function labelSaid(s: AkismetSubject): 'spam' | 'ham' | null {
  if (s.result === 'spam' || s.result === 'discard') return 'spam';
  if (s.result === 'ham') return 'ham';
  if (s.verdict.status === 'spam') return 'spam';
  return s.verdict.status === 'approved' || s.verdict.status === 'pending' ? 'ham' : null;
}

/**
 * Runs the Akismet queue's two jobs:
 * - `recheck`: asks Akismet again about a comment held because it could not answer. No answer again
 *   throws, so BullMQ retries with backoff; after the last attempt the comment stays held. An answer is
 *   applied only while the comment is still pending and untouched by a moderator (compare-and-set in
 *   applyRecheck), and the outcome is recorded in the audit log as a 'recheck' by 'akismet'.
 * - `feedback`: after a moderator changed a comment's status, tells Akismet when that overrides what
 *   the checks said (approved what was spam → submit-ham; marked spam what was let through or held →
 *   submit-spam), once per label, and again when an undo reverses it.
 */
export function createAkismetProcessor(deps: AkismetProcessorDeps) {
  const { db, client, logger, publicUrl } = deps;
  const toComment = (s: AkismetSubject, extra: Partial<AkismetComment> = {}): AkismetComment => ({
    ...s.comment,
    blog: blogOf(s.comment.permalink, publicUrl),
    ...extra,
  });

  async function recheck(job: Job<AkismetJob>, commentId: string): Promise<AkismetJobResult> {
    const subject = await loadAkismetSubject(db, commentId);
    // Queued before the comment's row was written (so a crash between the two cannot lose it): not
    // there yet means try again later.
    if (subject === null) throw new Error(`comment ${commentId} is not stored yet`);
    if (subject.status !== 'pending' || !subject.verdict.reasons.some((r) => r.code === AKISMET_UNAVAILABLE)) {
      return { outcome: 'skipped', why: 'no longer held for Akismet' };
    }
    const check = await client.commentCheck(toComment(subject, { recheckReason: 'recheck_queue' }));
    if (check.result === 'unavailable') {
      const last = job.attemptsMade + 1 >= (job.opts.attempts ?? 1);
      if (last) await recordRecheckGaveUp(db, commentId, check.detail);
      logger.warn(
        { commentId, attempt: job.attemptsMade + 1, detail: check.detail, last },
        'Akismet recheck got no answer',
      );
      throw new Error(`Akismet gave no answer: ${check.detail}`);
    }
    await saveAkismetCheck(db, {
      commentId,
      permalink: subject.comment.permalink,
      commentType: subject.comment.commentType,
      lang: subject.comment.lang,
      result: check.result,
      detail: check.detail,
    });
    const verdict = recheckVerdict(subject.verdict, check);
    const r = await applyRecheck(db, { commentId, verdict, result: check.result, detail: check.detail });
    logger.info({ commentId, result: check.result, applied: r.applied, status: r.status }, 'Akismet recheck');
    return { outcome: r.applied ? 'applied' : 'moderated', status: r.status, result: check.result };
  }

  async function feedback(commentId: string): Promise<AkismetJobResult> {
    const subject = await loadAkismetSubject(db, commentId);
    if (subject === null || subject.result === null)
      return { outcome: 'skipped', why: 'Akismet never saw this comment' };
    const now = subject.status === 'approved' ? 'ham' : subject.status === 'spam' ? 'spam' : null;
    if (now === null) return { outcome: 'skipped', why: `status ${subject.status} says nothing about spam` };
    const said = labelSaid(subject);
    // An override is reported once; agreeing again after an undo corrects an earlier report.
    const send = now !== said ? subject.submitted !== now : subject.submitted !== null && subject.submitted !== now;
    if (!send) return { outcome: 'skipped', why: 'nothing to correct' };
    await client.submit(now, toComment(subject));
    await markAkismetSubmitted(db, commentId, now);
    logger.info({ commentId, label: now }, 'Akismet told of a moderator override');
    return { outcome: 'submitted', label: now };
  }

  return async function processAkismetJob(job: Job<AkismetJob>): Promise<AkismetJobResult> {
    const commentId = job.data?.commentId;
    if (typeof commentId !== 'string' || !isUuid(commentId))
      throw new UnrecoverableError('invalid Akismet job payload');
    if (job.name === 'recheck') return recheck(job, commentId);
    if (job.name === 'feedback') return feedback(commentId);
    throw new UnrecoverableError(`unknown Akismet job ${String(job.name)}`);
  };
}
