import { Router, type Request, type Response } from 'express';
import { effectivePageSettings, pageSettingKeys } from '../../../domain/pages/page-settings.js';
import { staffedStateAt } from '../../../domain/pages/staffed-hours.js';
import { AppError, type FieldError } from '../../../errors.js';
import type { Pool } from '../../../store/db.js';
import { setPageClosed } from '../../../store/pages/page-closure.js';
import { findPage, loadPage, updatePageSettings, type StoredPage } from '../../../store/pages/page-settings-store.js';
import { loadSite } from '../../../store/sites.js';
import type { Moderator } from '../../../store/moderators.js';
import { rawFormText } from '../../kit/form-values.js';
import { queryText } from '../../kit/query-values.js';
import type { SiteDirectory } from '../../kit/site-directory.js';
import { csrfTokenOf, currentModerator } from '../moderator-session.js';
import { readPageSettingsForm, renderPageSettingsPage } from './page-settings-page.js';

/** The PATCH body's keys: anything else is refused by name, not ignored. */
const PATCH_KEYS = new Set(['closed', 'settings']);

/** A page of a site the moderator moderates, by the :id of the path; 404 otherwise (403 for another's site). */
async function pageFor(db: Pool, m: Moderator, idParam: string): Promise<StoredPage> {
  const id = /^\d{1,15}$/.test(idParam) ? Number(idParam) : null;
  const page = id === null ? null : await loadPage(db, id);
  if (page === null) throw AppError.of('UNKNOWN_PAGE', { field: 'id' });
  if (!m.siteIds.includes(page.siteId)) throw AppError.of('FORBIDDEN', { field: 'site' });
  return page;
}

/** A page as its API answers it: what it overrides, and what then applies on it now. */
async function toPageAnswer(db: Pool, page: StoredPage): Promise<Record<string, unknown>> {
  const site = await loadSite(db, page.siteId);
  const effective = site === null ? null : effectivePageSettings(site.settings, page.settings);
  const staffed = effective === null ? null : staffedStateAt(effective.staffedHours, new Date());
  return {
    id: page.id,
    site: page.siteId,
    page: page.identifier,
    title: page.title,
    url: page.url,
    closed: page.closed,
    approved: page.approvedCount,
    settings: page.settings,
    effective: effective === null ? null : Object.fromEntries(pageSettingKeys.map((k) => [k, effective[k]])),
    // The site's staffed hours apply on every page: whether the desk is staffed now, and when it opens.
    staffed:
      staffed === null || staffed.staffed
        ? { staffed: true }
        : { staffed: false, outside: staffed.outside, opensAt: staffed.opensAt?.toISOString() ?? null },
  };
}

/**
 * Per-story controls (issue 16): a page's own settings, for every moderator of its site, as closing a
 * thread is. JSON at /admin/api/pages/:id (GET, PATCH with the session's CSRF token like every desk
 * write), and the form at /admin/pages/:id that the Pages list and a queue card's page link open.
 */
export function createPageSettingsRoutes(deps: {
  db: Pool;
  /**
   * The API's cached sites: they know whether a site has a page overriding `guests` (sql/0060), so a
   * change of a page's `guests` reloads them before the answer, and this process's intake follows it at
   * once (the others on the NOTIFY). Left out, only the NOTIFY.
   */
  sites?: SiteDirectory;
}): Router {
  const { db, sites } = deps;
  const router = Router();

  /** Applies a validated change: the settings first (all or nothing), then the closure. */
  async function apply(
    m: Moderator,
    page: StoredPage,
    change: { settings?: unknown; closed?: boolean },
  ): Promise<{ page: StoredPage; errors: FieldError[]; changed: string[] }> {
    const actor = { id: m.id, label: m.email };
    let current = page;
    const changed: string[] = [];
    if (change.settings !== undefined) {
      const result = await updatePageSettings(db, { pageId: page.id, change: change.settings, actor });
      if (result === null) throw AppError.of('UNKNOWN_PAGE', { field: 'id' });
      if (!result.ok) return { page, errors: result.errors, changed };
      current = result.page;
      changed.push(...result.changed);
      // The change is committed either way; a failed reload only means the NOTIFY or the timer brings it.
      if (result.changed.includes('guests')) await sites?.refresh().catch(() => {});
    }
    if (change.closed !== undefined) {
      const closure = await setPageClosed(db, {
        siteId: page.siteId,
        identifier: page.identifier,
        closed: change.closed,
        actor,
      });
      if (closure === null) throw AppError.of('UNKNOWN_PAGE', { field: 'id' });
      if (closure.changed) changed.push('closed');
      current = { ...current, closed: change.closed };
    }
    return { page: current, errors: [], changed };
  }

  router.get('/api/pages/:id', async (req: Request, res: Response) => {
    const page = await pageFor(db, currentModerator(res), String(req.params.id));
    res.json(await toPageAnswer(db, page));
  });

  router.patch('/api/pages/:id', async (req: Request, res: Response) => {
    const m = currentModerator(res);
    const page = await pageFor(db, m, String(req.params.id));
    const body: unknown = req.body;
    if (body === null || typeof body !== 'object' || Array.isArray(body)) throw AppError.of('INVALID_BODY');
    const fields = body as Record<string, unknown>;
    const errors: FieldError[] = Object.keys(fields)
      .filter((k) => !PATCH_KEYS.has(k))
      .map((k) => ({ field: k, code: 'UNKNOWN_SETTING', message: `Send "closed" and/or "settings", not "${k}".` }));
    if (fields.closed !== undefined && typeof fields.closed !== 'boolean')
      errors.push({ field: 'closed', code: 'INVALID_SETTING', message: 'closed is true or false.' });
    if (errors.length > 0) throw AppError.fields(errors);
    const done = await apply(m, page, {
      settings: fields.settings,
      closed: fields.closed as boolean | undefined,
    });
    if (done.errors.length > 0) throw AppError.fields(done.errors);
    res.json({ ...(await toPageAnswer(db, done.page)), changed: done.changed });
  });

  // A queue card knows its page by site and identifier: this finds the page's settings from there.
  router.get('/pages/settings', async (req: Request, res: Response) => {
    const m = currentModerator(res);
    const siteId = queryText(req, 'site') ?? '';
    if (!m.siteIds.includes(siteId)) throw AppError.of('FORBIDDEN', { field: 'site' });
    const page = await findPage(db, siteId, (queryText(req, 'page') ?? '').slice(0, 1000));
    if (page === null) throw AppError.of('UNKNOWN_PAGE', { field: 'page' });
    res.redirect(303, `/admin/pages/${page.id}`);
  });

  router.get('/pages/:id', async (req: Request, res: Response, next) => {
    if (!/^\d+$/.test(String(req.params.id))) return next();
    const m = currentModerator(res);
    const page = await pageFor(db, m, String(req.params.id));
    res.type('html').send(
      renderPageSettingsPage({
        ctx: { moderator: m, csrfToken: csrfTokenOf(req), section: 'pages' },
        page,
        site: await loadSite(db, page.siteId),
        values: null,
        errors: [],
        notice: queryText(req, 'notice'),
      }),
    );
  });

  router.post('/pages/:id', async (req: Request, res: Response, next) => {
    if (!/^\d+$/.test(String(req.params.id))) return next();
    const m = currentModerator(res);
    const page = await pageFor(db, m, String(req.params.id));
    const form = readPageSettingsForm((name) => rawFormText(req, name));
    const done = form.errors.length > 0 ? null : await apply(m, page, form.change);
    const errors = done === null ? form.errors : done.errors;
    if (errors.length > 0) {
      res
        .status(422)
        .type('html')
        .send(
          renderPageSettingsPage({
            ctx: { moderator: m, csrfToken: csrfTokenOf(req), section: 'pages' },
            page,
            site: await loadSite(db, page.siteId),
            values: form.values,
            errors,
            notice: null,
          }),
        );
      return;
    }
    const notice = done && done.changed.length > 0 ? `Saved: ${done.changed.join(', ')}.` : 'Nothing changed.';
    res.redirect(303, `/admin/pages/${page.id}?notice=${encodeURIComponent(notice)}`);
  });

  return router;
}
