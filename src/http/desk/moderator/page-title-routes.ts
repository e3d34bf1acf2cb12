import { Router, type Request, type Response } from 'express';
import { checkPageTitle } from '../../../domain/page-title.js';
import { AppError } from '../../../errors.js';
import type { Pool } from '../../../store/db.js';
import { setPageTitle } from '../../../store/pages/page-titles.js';
import { rawFormText as bodyText } from '../../kit/form-values.js';
import { currentModerator, wantsJson } from '../moderator-session.js';
import { backTo } from './moderator-routes.js';

/**
 * A moderator confirms (or corrects) a page's title from a queue card. Until then the title a
 * submission carried is only a suggestion, which no mail, feed or webhook shows (sql/0016).
 */
export function createPageTitleRoutes(deps: { db: Pool }): Router {
  const router = Router();
  router.post('/pages/title', async (req: Request, res: Response) => {
    const m = currentModerator(res);
    const siteId = bodyText(req, 'site');
    if (!m.siteIds.includes(siteId)) throw AppError.of('FORBIDDEN', { field: 'site' });
    const checked = checkPageTitle(bodyText(req, 'title'));
    if (!checked.ok) throw AppError.of(checked.code, { status: 422, message: checked.message, field: 'title' });
    const identifier = bodyText(req, 'page');
    if (
      identifier === '' ||
      identifier.length > 1000 ||
      !(await setPageTitle(deps.db, { siteId, identifier, title: checked.title, actor: { id: m.id, label: m.email } }))
    ) {
      throw AppError.of('UNKNOWN_PAGE', { field: 'page' });
    }
    if (wantsJson(req)) res.json({ site: siteId, page: identifier, title: checked.title });
    else res.redirect(303, backTo(req, `The page title is now “${checked.title}”.`));
  });
  return router;
}
