import { Router, type Request, type Response } from 'express';
import type { Logger } from 'pino';
import { newSiteFormValues, parseSiteForm, toSiteFormValues } from '../../../domain/site-form.js';
import { AppError } from '../../../errors.js';
import type { Pool } from '../../../store/db.js';
import { createSite, saveSite } from '../../../store/site-updates.js';
import { listSites, loadSite } from '../../../store/sites.js';
import { actorOf, csrfTokenOf, currentModerator } from '../moderator-session.js';
import { queryText } from '../../kit/query-values.js';
import type { SiteDirectory } from '../../kit/site-directory.js';
import { renderSitePage, renderSitesPage } from './site-settings-page.js';

export interface SiteSettingsRoutesDeps {
  db: Pool;
  /** The API's cached sites, refreshed after every change so intake follows it at once. */
  sites: SiteDirectory;
  logger: Logger;
}

function formFields(req: Request): Record<string, unknown> {
  return (req.body as Record<string, unknown> | undefined) ?? {};
}

/** Sites and their settings at /admin/sites: admins only. Every saved change lands in the audit log. */
export function createSiteSettingsRoutes(deps: SiteSettingsRoutesDeps): Router {
  const { db, sites, logger } = deps;
  const router = Router();

  // The database is the authority and the change is committed; a failed refresh only means intake
  // follows on its next timed refresh, so it is logged, not shown to the admin as a failed save.
  const refreshSites = async (): Promise<void> => {
    await sites
      .refresh()
      .catch((err: unknown) => logger.warn({ err }, 'site cache refresh after a settings change failed'));
  };

  router.get('/sites', async (req: Request, res: Response) => {
    const m = currentModerator(res);
    res.type('html').send(
      renderSitesPage({
        ctx: { moderator: m, csrfToken: csrfTokenOf(req), section: 'sites' },
        sites: await listSites(db),
        notice: queryText(req, 'notice'),
        newSite: { values: newSiteFormValues(), errors: [] },
      }),
    );
  });

  router.post('/sites', async (req: Request, res: Response) => {
    const m = currentModerator(res);
    const form = parseSiteForm(formFields(req), true);
    let errors = form.ok ? [] : form.errors;
    if (form.ok) {
      if (await createSite(db, form.site, actorOf(m))) {
        await refreshSites();
        res.redirect(
          303,
          `/admin/sites/${encodeURIComponent(form.site.id)}?notice=${encodeURIComponent('Site created.')}`,
        );
        return;
      }
      errors = [{ field: 'id', code: 'SITE_EXISTS', message: 'A site with this id exists already.' }];
    }
    res
      .status(422)
      .type('html')
      .send(
        renderSitesPage({
          ctx: { moderator: m, csrfToken: csrfTokenOf(req), section: 'sites' },
          sites: await listSites(db),
          notice: null,
          newSite: { values: form.values, errors },
        }),
      );
  });

  router.get('/sites/:id', async (req: Request, res: Response) => {
    const m = currentModerator(res);
    const site = await loadSite(db, String(req.params.id));
    if (!site) throw AppError.of('NOT_FOUND', { message: 'No such site.' });
    res.type('html').send(
      renderSitePage({
        ctx: { moderator: m, csrfToken: csrfTokenOf(req), section: 'sites' },
        siteId: site.id,
        values: toSiteFormValues(site),
        errors: [],
        notice: queryText(req, 'notice'),
      }),
    );
  });

  router.post('/sites/:id', async (req: Request, res: Response) => {
    const m = currentModerator(res);
    const id = String(req.params.id);
    const current = await loadSite(db, id);
    if (!current) throw AppError.of('NOT_FOUND', { message: 'No such site.' });
    const form = parseSiteForm(formFields(req), false, current.settings);
    if (!form.ok) {
      res
        .status(422)
        .type('html')
        .send(
          renderSitePage({
            ctx: { moderator: m, csrfToken: csrfTokenOf(req), section: 'sites' },
            siteId: id,
            values: form.values,
            errors: form.errors,
            notice: null,
          }),
        );
      return;
    }
    const saved = await saveSite(db, id, form.site, actorOf(m));
    if (saved === null) throw AppError.of('NOT_FOUND', { message: 'No such site.' });
    if (saved.changed.length > 0) await refreshSites();
    const notice = saved.changed.length > 0 ? `Saved: ${saved.changed.join(', ')}.` : 'Nothing changed.';
    res.redirect(303, `/admin/sites/${encodeURIComponent(id)}?notice=${encodeURIComponent(notice)}`);
  });

  return router;
}
