import { UnrecoverableError, type Job } from 'bullmq';
import type { Logger } from 'pino';
import { learnAbuseDecision } from '../src/abuse/learn-abuse.js';
import { isUuid } from '../src/domain/comment-fields.js';
import { enqueueAkismetFeedback, type AkismetQueue } from '../src/queue/akismet-queue.js';
import type { TrainingJob } from '../src/queue/training-queue.js';
import { featurise } from '../src/spam/features.js';
import type { SpamLabel } from '../src/spam/spam-model.js';
import { trainSpamModel, type TrainingResult } from '../src/spam/spam-store.js';
import type { Pool } from '../src/store/db.js';

export interface TrainingProcessorDeps {
  db: Pool;
  logger: Logger;
  /**
   * Akismet's queue (AKISMET_KEY set): every decision learned here is also offered to Akismet, which
   * is told when it overrides what the checks said (submit-spam / submit-ham). Left out, never.
   */
  akismet?: AkismetQueue;
}

/** What a comment's status now teaches the model: undefined means leave it as it is (deleted). */
function labelOf(status: string): SpamLabel | null | undefined {
  if (status === 'approved') return 'ham';
  if (status === 'spam') return 'spam';
  if (status === 'deleted') return undefined;
  return null;
}

/**
 * Learns one moderator decision into the site's model from the comment's status and text as they are
 * now (see TrainingJob). Idempotent: a retried or repeated job finds the example already learned.
 */
export function createTrainingProcessor(deps: TrainingProcessorDeps) {
  const { db, logger } = deps;
  return async function processTraining(job: Job<TrainingJob>): Promise<TrainingResult | null> {
    const { commentId, siteId } = job.data ?? ({} as Partial<TrainingJob>);
    if (typeof commentId !== 'string' || !isUuid(commentId) || typeof siteId !== 'string') {
      throw new UnrecoverableError('invalid training payload');
    }
    const { rows } = await db.query<{ status: string; body: string; author_url: string }>(
      'select status, body, author_url from comments where id = $1 and site_id = $2',
      [commentId, siteId],
    );
    const row = rows[0];
    if (!row) return null;
    const label = labelOf(row.status);
    if (label === undefined) return null;
    const features = label === null ? [] : featurise({ body: row.body, url: row.author_url }).map((f) => f.id);
    const result = await trainSpamModel(db, siteId, [{ example: commentId, label, features }]);
    logger.debug({ commentId, siteId, label, ...result }, 'spam model trained');
    // The abuse filter learns the same decision (a reject's reason says whether it was abuse).
    const abuse = await learnAbuseDecision(db, commentId, siteId);
    logger.debug({ commentId, siteId, ...abuse }, 'abuse model trained');
    // After learning, so a failure to queue retries this (idempotent) job rather than losing the report.
    if (deps.akismet && label !== null) await enqueueAkismetFeedback(deps.akismet, [commentId]);
    return result;
  };
}
