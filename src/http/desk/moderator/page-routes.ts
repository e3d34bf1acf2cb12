import { Router, type Request, type Response } from 'express';
import { AppError } from '../../../errors.js';
import type { Pool } from '../../../store/db.js';
import { setPageClosed } from '../../../store/pages/page-closure.js';
import { listSitePages, pageListViews, type PageListView } from '../../../store/pages/page-list.js';
import { rawFormText as bodyText } from '../../kit/form-values.js';
import { queryText } from '../../kit/query-values.js';
import { csrfTokenOf, currentModerator, wantsJson } from '../moderator-session.js';
import { backTo } from './moderator-routes.js';
import { renderPagesPage } from './pages-page.js';

/**
 * A site's pages at /admin/pages (search, most active now, closed) and closing or reopening a thread,
 * from that list or a queue card's page. For every moderator, on the sites they moderate: closing a
 * thread is a moderation decision, like holding a comment.
 */
export function createPageRoutes(deps: { db: Pool }): Router {
  const { db } = deps;
  const router = Router();

  router.get('/pages', async (req: Request, res: Response) => {
    const m = currentModerator(res);
    const asked = queryText(req, 'site');
    const siteId = asked !== null && m.siteIds.includes(asked) ? asked : (m.siteIds[0] ?? null);
    if (asked !== null && asked !== siteId) throw AppError.of('FORBIDDEN', { field: 'site' });
    const view = (queryText(req, 'view') ?? 'active') as PageListView;
    const search = queryText(req, 'q');
    const pages =
      siteId === null
        ? []
        : await listSitePages(db, {
            siteId,
            view: pageListViews.includes(view) ? view : 'active',
            search: search === null ? null : search.slice(0, 1000),
            now: new Date(),
          });
    res.type('html').send(
      renderPagesPage({
        ctx: { moderator: m, csrfToken: csrfTokenOf(req), section: 'pages' },
        siteIds: m.siteIds,
        siteId,
        view: pageListViews.includes(view) ? view : 'active',
        search,
        pages,
        notice: queryText(req, 'notice'),
      }),
    );
  });

  for (const [path, closed] of [
    ['/pages/close', true],
    ['/pages/open', false],
  ] as const) {
    router.post(path, async (req: Request, res: Response) => {
      const m = currentModerator(res);
      const siteId = bodyText(req, 'site');
      if (!m.siteIds.includes(siteId)) throw AppError.of('FORBIDDEN', { field: 'site' });
      const identifier = bodyText(req, 'page');
      const change =
        identifier === '' || identifier.length > 1000
          ? null
          : await setPageClosed(db, { siteId, identifier, closed, actor: { id: m.id, label: m.email } });
      if (change === null) throw AppError.of('UNKNOWN_PAGE', { field: 'page' });
      if (wantsJson(req)) {
        res.json({ site: siteId, page: identifier, closed, changed: change.changed });
        return;
      }
      res.redirect(
        303,
        backTo(
          req,
          closed
            ? `Comments on ${identifier} are closed: readers see “Comments are closed.” Reopen it from Pages.`
            : `Comments on ${identifier} are open again.`,
        ),
      );
    });
  }

  return router;
}
