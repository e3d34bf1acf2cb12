import type { Queryable } from '../store/db.js';
import { holdCalibrationLimits } from './hold-calibration.js';
import type { SpamLabel } from './spam-model.js';

/** One decided comment's calibration sample (sql/0056). */
export interface CalibrationSample {
  siteId: string;
  commentId: string;
  label: SpamLabel;
  /** The filter's score of the comment before this decision was learned. */
  pSpam: number;
}

/*
 * A relabelled comment keeps the score of its first decision: by the second one the model has learned
 * it, and a score of a comment the model was trained on says how well it remembers, not how it would
 * judge a new one. For the same reason no row is added for a comment the model already holds (learned
 * while it was still untrained, so without a sample). One statement, so the check and the write see
 * the same rows; a retried job finds its row and changes nothing. The window is kept in the same round
 * trip: the delete sees the rows as they were before this one, so a site holds at most window + 1.
 */
const recordSample = `
with relabelled as (
  update spam_calibration_samples set label = $3 where comment_id = $2 and site_id = $1 returning 1
), added as (
  insert into spam_calibration_samples (site_id, comment_id, label, p_spam)
  select $1, $2, $3, $4
   where not exists (select 1 from relabelled)
     and not exists (select 1 from spam_training where model = $1 and example = $2::text)
  on conflict (comment_id) do nothing
)
delete from spam_calibration_samples where comment_id in (
  select comment_id from spam_calibration_samples where site_id = $1 order by decided_at desc, comment_id offset $5)`;

/** Records a decided comment's sample and keeps only the site's newest `window` ones. */
export async function recordCalibrationSample(
  db: Queryable,
  sample: CalibrationSample,
  window: number = holdCalibrationLimits.window,
): Promise<void> {
  await db.query({
    name: 'spam-calibration-record',
    text: recordSample,
    values: [sample.siteId, sample.commentId, sample.label, sample.pSpam, window],
  });
}

/** A decision taken back (the comment is pending or rejected again): the model forgets it, so does this. */
export async function forgetCalibrationSample(db: Queryable, siteId: string, commentId: string): Promise<void> {
  await db.query('delete from spam_calibration_samples where comment_id = $2 and site_id = $1', [siteId, commentId]);
}

/** The site's ham scores, ascending (as calibrateHold reads them). */
export async function loadRecentHamScores(db: Queryable, siteId: string): Promise<number[]> {
  const { rows } = await db.query<{ p_spam: number }>(
    `select p_spam from spam_calibration_samples where site_id = $1 and label = 'ham' order by p_spam`,
    [siteId],
  );
  return rows.map((r) => r.p_spam);
}
