import { Router, type Request, type Response } from 'express';
import { AppError } from '../../../../errors.js';
import { readCheckHookInput } from '../../../../hooks/check-hook-input.js';
import { clearCheckHook, loadCheckHook, setCheckHook, type CheckHook } from '../../../../hooks/check-hook-store.js';
import type { Pool } from '../../../../store/db.js';
import { loadSite } from '../../../../store/sites.js';
import { newWebhookSecret } from '../../../../webhooks/webhook-signature.js';
import { queryText } from '../../../kit/query-values.js';
import { actorOf, csrfTokenOf, currentModerator } from '../../moderator-session.js';
import { renderCheckHookPage, type CheckHookFormValues } from './check-hook-page.js';

const valuesOf = (hook: CheckHook | null): CheckHookFormValues => ({
  url: hook?.url ?? '',
  timeoutMs: hook?.timeoutMs === null || hook === null ? '' : String(hook.timeoutMs),
});

/**
 * A site's external check hook (issue 17, item 5), admins only: the page at /admin/sites/:id/check-hook
 * (under /sites, admin-door.ts), session and CSRF as every desk form. Setting and clearing are audited
 * (src/hooks/check-hook-store.ts), never with the secret.
 */
export function createCheckHookRoutes(deps: { db: Pool }): Router {
  const { db } = deps;
  const router = Router();

  const siteOf = async (req: Request): Promise<{ id: string; name: string }> => {
    const site = await loadSite(db, String(req.params.id));
    if (site === null) throw AppError.of('NOT_FOUND', { message: 'No such site.' });
    return site;
  };
  const pathOf = (siteId: string): string => `/admin/sites/${encodeURIComponent(siteId)}/check-hook`;

  const page = async (
    req: Request,
    res: Response,
    site: { id: string; name: string },
    values: CheckHookFormValues | null,
    error: string | null,
    status = 200,
  ): Promise<void> => {
    const hook = await loadCheckHook(db, site.id);
    res
      .status(status)
      // The page shows the signing secret: no cache keeps it.
      .set('Cache-Control', 'no-store')
      .type('html')
      .send(
        renderCheckHookPage({
          ctx: { moderator: currentModerator(res), csrfToken: csrfTokenOf(req), section: 'sites' },
          siteId: site.id,
          siteName: site.name,
          hook,
          values: values ?? valuesOf(hook),
          notice: queryText(req, 'notice'),
          error,
        }),
      );
  };

  router.get('/sites/:id/check-hook', async (req: Request, res: Response) => {
    await page(req, res, await siteOf(req), null, null);
  });

  router.post('/sites/:id/check-hook', async (req: Request, res: Response) => {
    const site = await siteOf(req);
    const raw = (req.body as Record<string, unknown> | undefined) ?? {};
    const read = readCheckHookInput({ url: raw.url, timeoutMs: raw.timeoutMs });
    if (!read.ok) {
      const text = (v: unknown): string => (typeof v === 'string' ? v : '');
      return page(req, res, site, { url: text(raw.url), timeoutMs: text(raw.timeoutMs) }, read.problem.message, 422);
    }
    const { secretChanged } = await setCheckHook(
      db,
      { siteId: site.id, ...read.hook, newSecret: newWebhookSecret(), replaceSecret: raw.newSecret === '1' },
      actorOf(currentModerator(res)),
    );
    const notice = secretChanged
      ? 'External check saved, with a new signing secret: give it to the hook (below).'
      : 'External check saved; the signing secret is unchanged.';
    res.redirect(303, `${pathOf(site.id)}?notice=${encodeURIComponent(notice)}`);
  });

  router.post('/sites/:id/check-hook/clear', async (req: Request, res: Response) => {
    const site = await siteOf(req);
    const cleared = await clearCheckHook(db, site.id, actorOf(currentModerator(res)));
    const notice = cleared ? 'External check cleared.' : 'There was no external check.';
    res.redirect(303, `${pathOf(site.id)}?notice=${encodeURIComponent(notice)}`);
  });

  return router;
}
