import { loadStandingDecision } from '../store/authors/comment-decisions.js';
import type { Pool } from '../store/db.js';
import type { TrainingResult } from '../spam/spam-store.js';
import { featuriseAbuse } from './abuse-features.js';
import { trainAbuseModel } from './abuse-store.js';
import { findLexiconWords } from './lexicon.js';
import { toModelLabel, type AbuseLabel } from './score-abuse.js';

/** The decision reason (src/domain/decisions/decision-reasons.ts) whose rejects teach the abuse filter. */
export const ABUSIVE_REASON = 'abusive';

/**
 * What a comment's state teaches the abuse model. Approved: ok (a moderator published it). Rejected or
 * spam with the standing reason `abusive`: abuse. Any other state (held again after an undo, rejected
 * as off-topic or spam): forget, since it says nothing either way and an earlier lesson no longer
 * stands. Deleted: leave what was learned, as the spam filter does. Pure.
 */
export function abuseLabelOf(status: string, standingReason: string | null): AbuseLabel | null | undefined {
  if (status === 'approved') return 'ok';
  if (status === 'deleted') return undefined;
  if ((status === 'rejected' || status === 'spam') && standingReason === ABUSIVE_REASON) return 'abuse';
  return null;
}

/**
 * Learns one moderator decision into the site's abuse model from the comment as it is now (the
 * training job's contract: the last state wins, whatever order jobs run in). Idempotent. Null when the
 * comment is gone or deleted.
 */
export async function learnAbuseDecision(db: Pool, commentId: string, siteId: string): Promise<TrainingResult | null> {
  const { rows } = await db.query<{ status: string; body: string; author_url: string }>(
    'select status, body, author_url from comments where id = $1 and site_id = $2',
    [commentId, siteId],
  );
  const row = rows[0];
  if (!row) return null;
  const decision =
    row.status === 'rejected' || row.status === 'spam' ? await loadStandingDecision(db, commentId) : null;
  const label = abuseLabelOf(row.status, decision?.reason.code ?? null);
  if (label === undefined) return null;
  const features =
    label === null
      ? []
      : featuriseAbuse({ body: row.body, url: row.author_url }, findLexiconWords(row.body)).map((f) => f.id);
  return trainAbuseModel(db, siteId, [
    { example: commentId, label: label === null ? null : toModelLabel(label), features },
  ]);
}
