import type { Request } from 'express';
import { findDecisionReason, type DecisionReason } from '../../../../domain/decisions/decision-reasons.js';
import type { BulkReason } from '../../../../queue/bulk-queue.js';
import { AppError } from '../../../../errors.js';
import type { Queryable } from '../../../../store/db.js';
import { loadSite } from '../../../../store/sites.js';
import { formText } from '../../../kit/form-values.js';

/** The form's reason code and note, checked as far as they go without a site: null when none was given. */
function reasonFields(req: Request): { code: string; note: string } | null {
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
  if (note.length > 1000)
    throw AppError.of('TOO_LONG', { status: 422, message: 'A note is at most 1,000 characters.', field: 'note' });
  return { code, note };
}

/** The reason of `code` on the site's list, read fresh (an admin may have just changed it), and the site's name. */
async function siteReason(
  db: Queryable,
  siteId: string,
  code: string,
): Promise<{ reason: DecisionReason | null; siteName: string }> {
  const site = await loadSite(db, siteId);
  return {
    reason: site === null ? null : findDecisionReason(site.settings.decisionReasons, code),
    siteName: site?.name ?? siteId,
  };
}

/**
 * The reason (a code of the site's list) and the optional note a reject or spam carries; null when the
 * moderator gave none. A code not on the list is refused, not dropped: the commenter would otherwise be
 * told nothing the moderator meant to say.
 */
export async function readDecisionReason(
  db: Queryable,
  req: Request,
  siteId: string,
): Promise<{ reason: DecisionReason; note: string } | null> {
  const fields = reasonFields(req);
  if (fields === null) return null;
  const { reason } = await siteReason(db, siteId, fields.code);
  if (reason === null) throw AppError.of('UNKNOWN_DECISION_REASON', { field: 'reason' });
  return { reason, note: fields.note };
}

/**
 * A bulk reject or spam's reason: the code must be on the list of every site the action may touch
 * (the bulk form offers only the codes they share), and is resolved per site now. Null when none.
 */
export async function readBulkDecisionReason(
  db: Queryable,
  req: Request,
  siteIds: readonly string[],
): Promise<BulkReason | null> {
  const fields = reasonFields(req);
  if (fields === null) return null;
  const bySite: Record<string, DecisionReason> = {};
  for (const siteId of siteIds) {
    const { reason, siteName } = await siteReason(db, siteId, fields.code);
    if (reason === null)
      throw AppError.of('UNKNOWN_DECISION_REASON', {
        message: `The reason is not on the list of ${siteName}: pick one every site in this action has.`,
        field: 'reason',
      });
    bySite[siteId] = reason;
  }
  return { ...fields, bySite };
}
