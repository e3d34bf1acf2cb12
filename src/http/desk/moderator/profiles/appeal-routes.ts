import { randomUUID } from 'node:crypto';
import { Router, type Request, type Response } from 'express';
import type { Logger } from 'pino';
import { isAppealOutcome, whyNotAppealDecider } from '../../../../domain/decisions/appeal-rules.js';
import { AppError } from '../../../../errors.js';
import { createStatusChanges, type StatusChangesDeps } from '../../../../moderation/status-changes.js';
import { closeAppeal, listOpenAppeals, loadAppeal } from '../../../../store/authors/appeals.js';
import type { Pool } from '../../../../store/db.js';
import { changeStatus, inTransaction, type StatusChange } from '../../../../store/moderation-actions.js';
import { formText } from '../../../kit/form-values.js';
import { queryText } from '../../../kit/query-values.js';
import { actorOf, csrfTokenOf, currentModerator, wantsJson } from '../../moderator-session.js';
import { renderAppealsPage } from './appeals-page.js';

/**
 * The queue's Appeals tab (issue 16, item 5): open appeals of the moderator's sites, and their
 * decision by a moderator other than the one who decided (403 SAME_MODERATOR): reinstate publishes
 * the comment, uphold leaves it where it is. The appeal's row, its audit entry and (reinstate) the
 * status change commit together; what follows a status change runs after.
 */
export function createAppealRoutes(
  deps: { db: Pool; logger: Logger } & Pick<StatusChangesDeps, 'training' | 'events' | 'thread'>,
): Router {
  const { db } = deps;
  // A reinstated comment is published: learned from, announced, shown to readers, as any approval.
  const after = createStatusChanges(deps);
  const router = Router();

  router.get('/appeals', async (req: Request, res: Response) => {
    const m = currentModerator(res);
    const appeals = await listOpenAppeals(db, m.siteIds);
    if (wantsJson(req)) {
      res.json({ appeals });
      return;
    }
    res.type('html').send(
      renderAppealsPage({
        ctx: { moderator: m, csrfToken: csrfTokenOf(req), section: 'queue' },
        appeals,
        notice: queryText(req, 'notice'),
      }),
    );
  });

  router.post('/appeals/:id', async (req: Request, res: Response) => {
    const m = currentModerator(res);
    const id = Number(req.params.id);
    const outcome = formText(req, 'outcome');
    if (!isAppealOutcome(outcome))
      throw AppError.of('INVALID_ACTION', { message: 'Reinstate or uphold.', field: 'outcome' });
    const note = formText(req, 'note').slice(0, 1000);
    const actor = actorOf(m);
    const changed = await inTransaction(db, async (client): Promise<StatusChange[]> => {
      const appeal = Number.isSafeInteger(id) && id > 0 ? await loadAppeal(client, id, true) : null;
      if (appeal === null) throw AppError.of('NOT_FOUND', { message: 'No such appeal.' });
      if (!m.siteIds.includes(appeal.siteId)) throw AppError.of('FORBIDDEN');
      const why = whyNotAppealDecider(m.id, { status: appeal.status, decidedBy: appeal.decision.decidedBy });
      if (why !== null) throw AppError.of(why);
      if (!(await closeAppeal(client, { appeal, outcome, note, actor, now: new Date() })))
        throw AppError.of('APPEAL_DECIDED');
      if (outcome === 'uphold') return [];
      return changeStatus(client, {
        ids: [appeal.commentId],
        action: 'approve',
        toStatus: 'approved',
        actor,
        batchId: randomUUID(),
        detail: { appeal: appeal.id },
      });
    });
    await after.changed(changed, 'decision');
    const notice = outcome === 'reinstate' ? 'Appeal granted: the comment is published.' : 'Decision upheld.';
    if (wantsJson(req)) res.json({ appeal: id, outcome, published: changed.length > 0 });
    else res.redirect(303, `/admin/appeals?${new URLSearchParams({ notice }).toString()}`);
  });

  return router;
}
