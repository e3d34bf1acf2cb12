import { Router, type Request, type Response } from 'express';
import { changePageSettings } from '../../../../domain/pages/page-settings.js';
import { parseSiteForm } from '../../../../domain/site-form.js';
import type { Site } from '../../../../domain/site-settings.js';
import { AppError, type FieldError } from '../../../../errors.js';
import { toBacktestJson } from '../../../../moderation/backtest.js';
import { patchSiteSettings, toBacktestDays, type BacktestChange } from '../../../../moderation/backtest-change.js';
import { loadBacktestCards, runBacktest } from '../../../../store/backtest/backtest-rows.js';
import type { Pool } from '../../../../store/db.js';
import { findPage } from '../../../../store/pages/page-settings-store.js';
import { loadSite } from '../../../../store/sites.js';
import { csrfTokenOf, currentModerator } from '../../moderator-session.js';
import { renderSitePage } from '../site-settings-page.js';
import { renderBacktestPanel } from '../../backtest-panel.js';

const DAY_MS = 86_400_000;

function bodyOf(req: Request): Record<string, unknown> {
  const b: unknown = req.body;
  return b !== null && typeof b === 'object' && !Array.isArray(b) ? (b as Record<string, unknown>) : {};
}

async function siteOf(db: Pool, req: Request): Promise<Site> {
  const site = await loadSite(db, String(req.params.id));
  if (!site) throw AppError.of('NOT_FOUND', { message: 'No such site.' });
  return site;
}

const daysError: FieldError = {
  field: 'backtestDays',
  code: 'INVALID_SETTING',
  message: 'Enter a whole number of days from 1 to 365.',
};

/**
 * Backtests of a site's settings (issue 17, item 3), admins and the site's admins only (admin-door.ts):
 * the settings form's "Preview changes" (POST /admin/sites/:id/backtest: the same form, as entered, with
 * what it would have done above it) and the same for tools (POST /admin/api/sites/:id/backtest, JSON:
 * `{"settings": {…patch}, "days": 30, "page": "identifier"?}`). Neither saves anything.
 */
export function createSiteBacktestRoutes(deps: { db: Pool }): Router {
  const { db } = deps;
  const router = Router();

  router.post('/sites/:id/backtest', async (req: Request, res: Response) => {
    const m = currentModerator(res);
    const site = await siteOf(db, req);
    const fields = bodyOf(req);
    const form = parseSiteForm(fields, false, site.settings);
    const daysText = typeof fields.backtestDays === 'string' ? fields.backtestDays : '';
    const days = toBacktestDays(daysText);
    const errors = [...(form.ok ? [] : form.errors), ...(days === null ? [daysError] : [])];
    const page = (preview: ReturnType<typeof renderBacktestPanel> | undefined) =>
      renderSitePage({
        ctx: { moderator: m, csrfToken: csrfTokenOf(req), section: 'sites' },
        siteId: site.id,
        values: form.values,
        errors,
        notice: null,
        preview,
        backtestDays: daysText,
      });
    if (!form.ok || days === null) {
      res.status(422).type('html').send(page(undefined));
      return;
    }
    const result = await runBacktest(db, {
      siteId: site.id,
      current: site.settings,
      change: { kind: 'site', settings: form.site.settings },
      since: new Date(Date.now() - days * DAY_MS),
    });
    const cards = await loadBacktestCards(
      db,
      site.id,
      result.sample.map((s) => s.id),
    );
    res
      .set('Cache-Control', 'no-store')
      .type('html')
      .send(page(renderBacktestPanel({ siteId: site.id, days, result, cards, saveLabel: 'Save changes' })));
  });

  router.post('/api/sites/:id/backtest', async (req: Request, res: Response) => {
    const site = await siteOf(db, req);
    const body = bodyOf(req);
    const unknown = Object.keys(body).filter((k) => !['settings', 'days', 'page'].includes(k));
    if (unknown.length > 0)
      throw AppError.fields(
        unknown.map((k) => ({
          field: k,
          code: 'UNKNOWN_SETTING',
          message: `Send settings, days and page, not "${k}".`,
        })),
      );
    const days = toBacktestDays(body.days);
    if (days === null) throw AppError.fields([{ ...daysError, field: 'days' }]);
    let change: BacktestChange;
    if (body.page !== undefined) {
      const page = typeof body.page === 'string' ? await findPage(db, site.id, body.page.slice(0, 1000)) : null;
      if (page === null) throw AppError.of('UNKNOWN_PAGE', { field: 'page' });
      const next = changePageSettings(page.settings, body.settings ?? {});
      if (!next.ok) throw AppError.fields(next.errors);
      change = { kind: 'page', pageId: page.id, settings: next.settings };
    } else {
      const next = patchSiteSettings(site.settings, body.settings ?? {});
      if (!next.ok) throw AppError.fields(next.errors);
      change = { kind: 'site', settings: next.settings };
    }
    const result = await runBacktest(db, {
      siteId: site.id,
      current: site.settings,
      change,
      since: new Date(Date.now() - days * DAY_MS),
    });
    res.set('Cache-Control', 'no-store').json({ days, ...toBacktestJson(result) });
  });

  return router;
}
