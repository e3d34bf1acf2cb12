import { Router, type Request, type Response } from 'express';
import { isUuid } from '../../../domain/comment-fields.js';
import { AppError } from '../../../errors.js';
import { setFeatured } from '../../../store/conversation/featured.js';
import type { Pool } from '../../../store/db.js';
import { loadCommentSites } from '../../../store/moderation-actions.js';
import { actorOf, currentModerator, wantsJson } from '../moderator-session.js';
import { backTo } from './moderator-routes.js';
import type { FeatureAnswer } from '../../../http-contract/desk-contract.js';

/**
 * Editors' picks (issue 15): a moderator features a published comment of a site they moderate, or
 * takes it out of the picks (which is also the undo of featuring). The widget's strip and the thread
 * follow through the thread's version (sql/0036), so no cache needs telling.
 */
export function createFeatureRoutes(deps: { db: Pool }): Router {
  const { db } = deps;
  const router = Router();
  for (const [path, featured] of [
    ['/comments/:id/feature', true],
    ['/comments/:id/unfeature', false],
  ] as const) {
    router.post(path, async (req: Request, res: Response) => {
      const m = currentModerator(res);
      const id = String(req.params.id);
      if (!isUuid(id)) throw AppError.of('NOT_FOUND', { message: 'No such comment.' });
      const site = (await loadCommentSites(db, [id])).get(id);
      if (site === undefined) throw AppError.of('NOT_FOUND', { message: 'No such comment.' });
      if (!m.siteIds.includes(site))
        throw AppError.of('FORBIDDEN', { message: 'This comment belongs to a site you do not moderate.' });
      const result = await setFeatured(db, { id, featured, actor: actorOf(m) });
      if (result.outcome === 'not_found') throw AppError.of('NOT_FOUND', { message: 'No such comment.' });
      if (result.outcome === 'not_published') throw AppError.of('NOT_PUBLISHED');
      if (wantsJson(req)) {
        res.json({
          id,
          featured,
          featuredAt: result.featuredAt?.toISOString() ?? null,
          changed: result.outcome === 'changed',
        } satisfies FeatureAnswer);
        return;
      }
      res.redirect(303, backTo(req, featured ? "Added to the editors' picks." : "Taken out of the editors' picks."));
    });
  }
  return router;
}
