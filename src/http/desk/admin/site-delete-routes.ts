import { Router, type Request, type Response } from 'express';
import type { Logger } from 'pino';
import { AppError } from '../../../errors.js';
import type { Pool } from '../../../store/db.js';
import { countSiteContents, deleteSite } from '../../../store/site-updates.js';
import { rawFormText as bodyText } from '../../kit/form-values.js';
import type { SiteDirectory } from '../../kit/site-directory.js';
import { csrfTokenOf, currentModerator, wantsJson } from '../moderator-session.js';
import { renderSiteDeletePage } from './site-delete-page.js';

/**
 * Deleting a site at /admin/sites/:id/delete (admins only: behind the admin door's /sites). The page
 * says what goes and that it cannot be undone; the form is accepted only with the site id typed in.
 */
export function createSiteDeleteRoutes(deps: { db: Pool; sites: SiteDirectory; logger: Logger }): Router {
  const { db, sites, logger } = deps;
  const router = Router();

  router.get('/sites/:id/delete', async (req: Request, res: Response) => {
    const m = currentModerator(res);
    const siteId = String(req.params.id);
    const contents = await countSiteContents(db, siteId);
    if (contents === null) throw AppError.of('NOT_FOUND', { message: 'No such site.' });
    res.type('html').send(
      renderSiteDeletePage({
        ctx: { moderator: m, csrfToken: csrfTokenOf(req), section: 'sites' },
        siteId,
        contents,
        mismatch: false,
      }),
    );
  });

  router.post('/sites/:id/delete', async (req: Request, res: Response) => {
    const m = currentModerator(res);
    const siteId = String(req.params.id);
    const contents = await countSiteContents(db, siteId);
    if (contents === null) throw AppError.of('NOT_FOUND', { message: 'No such site.' });
    // The typed id, exactly (spaces around it forgiven): a slip of the mouse must not delete a site.
    if (bodyText(req, 'confirm').trim() !== siteId) {
      if (wantsJson(req)) throw AppError.of('CONFIRMATION_MISMATCH', { field: 'confirm' });
      res
        .status(422)
        .type('html')
        .send(
          renderSiteDeletePage({
            ctx: { moderator: m, csrfToken: csrfTokenOf(req), section: 'sites' },
            siteId,
            contents,
            mismatch: true,
          }),
        );
      return;
    }
    const deleted = await deleteSite(db, siteId, { id: m.id, label: m.email });
    if (deleted === null) throw AppError.of('NOT_FOUND', { message: 'No such site.' });
    // This API forgets the site now (its widget, forms and CORS stop at once); other processes on
    // their next refresh. A failed refresh is logged: the deletion has committed all the same.
    await sites
      .refresh()
      .catch((err: unknown) => logger.warn({ err }, 'site cache refresh after a site delete failed'));
    if (wantsJson(req)) {
      res.json({ deleted: siteId, ...deleted });
      return;
    }
    const notice = `Site ${siteId} was deleted with its ${deleted.comments} comment(s) and ${deleted.pages} page(s).`;
    res.redirect(303, `/admin/sites?notice=${encodeURIComponent(notice)}`);
  });

  return router;
}
