import type { Request } from 'express';
import { findDecisionReason, type DecisionReason } from '../../../../domain/decisions/decision-reasons.js';
import { AppError } from '../../../../errors.js';
import type { Queryable } from '../../../../store/db.js';
import { loadSite } from '../../../../store/sites.js';
import { formText } from '../../../kit/form-values.js';

/**
 * The reason (a code of the site's list, read fresh: an admin may have just changed it) and the
 * optional note a reject or spam carries; null when the moderator gave none. A code not on the list
 * is refused, not dropped: the commenter would otherwise be told nothing the moderator meant to say.
 */
export async function readDecisionReason(
  db: Queryable,
  req: Request,
  siteId: string,
): Promise<{ reason: DecisionReason; note: string } | null> {
  const code = formText(req, 'reason');
  const note = formText(req, 'note');
  if (code === '') {
    if (note !== '')
      throw AppError.of('UNKNOWN_DECISION_REASON', {
        message: 'A note goes with a reason: pick one.',
        field: 'reason',
      });
    return null;
  }
  const site = await loadSite(db, siteId);
  const reason = site === null ? null : findDecisionReason(site.settings.decisionReasons, code);
  if (reason === null) throw AppError.of('UNKNOWN_DECISION_REASON', { field: 'reason' });
  if (note.length > 1000)
    throw AppError.of('TOO_LONG', { status: 422, message: 'A note is at most 1,000 characters.', field: 'note' });
  return { reason, note };
}
