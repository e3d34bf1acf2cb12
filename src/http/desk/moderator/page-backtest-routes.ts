import { Router, type Request, type Response } from 'express';
import { changePageSettings } from '../../../domain/pages/page-settings.js';
import { AppError } from '../../../errors.js';
import { toBacktestDays } from '../../../moderation/backtest-change.js';
import { loadBacktestCards, runBacktest } from '../../../store/backtest/backtest-rows.js';
import type { Pool } from '../../../store/db.js';
import { loadPage } from '../../../store/pages/page-settings-store.js';
import { loadSite } from '../../../store/sites.js';
import { rawFormText } from '../../kit/form-values.js';
import { renderBacktestPanel } from '../backtest-panel.js';
import { csrfTokenOf, currentModerator } from '../moderator-session.js';
import { readPageSettingsForm, renderPageSettingsPage } from './page-settings-page.js';

/**
 * A page's "Preview changes" (issue 17, item 3): POST /admin/pages/:id/backtest takes the page's
 * settings form, as its "Save" would, and answers the form as entered with what those overrides
 * (merged over the site's settings) would have done to the page's comments of the last days. For every
 * moderator of the page's site, as saving is; it saves nothing.
 */
export function createPageBacktestRoutes(deps: { db: Pool }): Router {
  const { db } = deps;
  const router = Router();

  router.post('/pages/:id/backtest', async (req: Request, res: Response) => {
    const m = currentModerator(res);
    const idParam = String(req.params.id);
    const page = /^\d{1,15}$/.test(idParam) ? await loadPage(db, Number(idParam)) : null;
    if (page === null) throw AppError.of('UNKNOWN_PAGE', { field: 'id' });
    if (!m.siteIds.includes(page.siteId)) throw AppError.of('FORBIDDEN', { field: 'site' });
    const site = await loadSite(db, page.siteId);
    if (site === null) throw AppError.of('UNKNOWN_PAGE', { field: 'id' });
    const form = readPageSettingsForm((name) => rawFormText(req, name));
    const daysText = rawFormText(req, 'backtestDays');
    const days = toBacktestDays(daysText);
    const next = form.errors.length > 0 ? null : changePageSettings(page.settings, form.change.settings);
    const errors = [
      ...form.errors,
      ...(next !== null && !next.ok ? next.errors : []),
      ...(days === null
        ? [{ field: 'backtestDays', code: 'INVALID_SETTING', message: 'Enter a whole number of days from 1 to 365.' }]
        : []),
    ];
    const render = (preview: ReturnType<typeof renderBacktestPanel> | undefined) =>
      renderPageSettingsPage({
        ctx: { moderator: m, csrfToken: csrfTokenOf(req), section: 'pages' },
        page,
        site,
        values: form.values,
        errors,
        notice: null,
        preview,
        backtestDays: daysText,
      });
    if (next === null || !next.ok || days === null) {
      res.status(422).type('html').send(render(undefined));
      return;
    }
    const result = await runBacktest(db, {
      siteId: site.id,
      current: site.settings,
      change: { kind: 'page', pageId: page.id, settings: next.settings },
      since: new Date(Date.now() - days * 86_400_000),
    });
    const cards = await loadBacktestCards(
      db,
      site.id,
      result.sample.map((s) => s.id),
    );
    res
      .set('Cache-Control', 'no-store')
      .type('html')
      .send(render(renderBacktestPanel({ siteId: site.id, days, result, cards, saveLabel: 'Save page settings' })));
  });

  return router;
}
