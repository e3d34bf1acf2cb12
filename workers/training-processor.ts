import { UnrecoverableError, type Job } from 'bullmq';
import type { Logger } from 'pino';
import { learnAbuseDecision } from '../src/abuse/learn-abuse.js';
import { isUuid } from '../src/domain/comment-fields.js';
import { enqueueAkismetFeedback, type AkismetQueue } from '../src/queue/akismet-queue.js';
import type { TrainingJob } from '../src/queue/training-queue.js';
import { forgetCalibrationSample, recordCalibrationSample } from '../src/spam/calibration-store.js';
import { featurise } from '../src/spam/features.js';
import { scoreSpam } from '../src/spam/score-spam.js';
import type { SpamLabel } from '../src/spam/spam-model.js';
import { createSpamModels, type SpamModels } from '../src/spam/spam-models.js';
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
  /** The models a decision is scored with before it is learned (calibration); tests pass their own. */
  spamModels?: SpamModels;
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
  const spamModels = deps.spamModels ?? createSpamModels(db);
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
    const featured = label === null ? [] : featurise({ body: row.body, url: row.author_url });
    // Test, then train: the decision is scored before it is learned, so the site's calibration sample
    // is what the filter says of a comment it has not seen (src/spam/hold-calibration.ts). Written
    // first: a retry after the training committed finds the sample (or the learned example) and adds none.
    if (label === null) await forgetCalibrationSample(db, siteId, commentId);
    else {
      const score = scoreSpam(await spamModels.viewFor(siteId), featured);
      if (score.trained) await recordCalibrationSample(db, { siteId, commentId, label, pSpam: score.pSpam });
    }
    const features = featured.map((f) => f.id);
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
