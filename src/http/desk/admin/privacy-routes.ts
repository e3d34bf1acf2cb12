import { Router, type Request, type Response } from 'express';
import type { Pool } from '../../../store/db.js';
import { exportCommenterData, normalizeEmail, previewErasure, recordCommenterExport } from '../../../store/privacy.js';
import { listSites } from '../../../store/sites.js';
import { csrfTokenOf, currentModerator } from '../moderator-session.js';
import { queryText } from '../../kit/query-values.js';
import { describeQueuedErasure, eraseCommenter, type QueueStore } from '../../../erase-commenter.js';
import { renderPrivacyPage, type PrivacyFormValues } from './privacy-page.js';

export interface PrivacyRoutesDeps {
  db: Pool;
  /** The queues, whose jobs hold addresses too; left out, erasure covers Postgres only. */
  queues?: QueueStore;
}

function formValues(req: Request): PrivacyFormValues {
  const body = (req.body as Record<string, unknown> | undefined) ?? {};
  const text = (v: unknown) => (typeof v === 'string' ? v.trim() : '');
  return { email: normalizeEmail(text(body.email)), site: text(body.site) };
}

/**
 * Commenters' data requests at /admin/privacy: admins only (the export holds emails and IPs of every
 * site). Both actions land in the audit log with the email as a hash.
 */
export function createPrivacyRoutes(deps: PrivacyRoutesDeps): Router {
  const { db } = deps;
  const router = Router();

  const page = async (
    req: Request,
    res: Response,
    status: number,
    extra: {
      values?: PrivacyFormValues;
      error?: string;
      preview?: { comments: number; trusted: number; bans: number };
    },
  ) => {
    res
      .status(status)
      .type('html')
      .send(
        renderPrivacyPage({
          // The nav has no privacy entry; the page sits with the other admin pages.
          ctx: { moderator: currentModerator(res), csrfToken: csrfTokenOf(req), section: 'privacy' },
          sites: await listSites(db),
          values: extra.values ?? { email: '', site: '' },
          notice: queryText(req, 'notice'),
          error: extra.error ?? null,
          preview: extra.preview ?? null,
        }),
      );
  };

  /** The form's email and site, checked; null (with the page answered 422) when they are not usable. */
  const checked = async (req: Request, res: Response): Promise<PrivacyFormValues | null> => {
    const values = formValues(req);
    let error: string | null = null;
    if (!/^[^\s@]+@[^\s@]+$/.test(values.email)) error = 'Please enter the commenter’s email address.';
    else if (values.site !== '' && !(await listSites(db)).some((s) => s.id === values.site)) error = 'No such site.';
    if (error === null) return values;
    await page(req, res, 422, { values, error });
    return null;
  };

  router.get('/privacy', async (req: Request, res: Response) => {
    await page(req, res, 200, {});
  });

  router.post('/privacy/export', async (req: Request, res: Response) => {
    const values = await checked(req, res);
    if (values === null) return;
    const m = currentModerator(res);
    const site = values.site === '' ? null : values.site;
    const data = await exportCommenterData(db, values.email, site, new Date());
    await recordCommenterExport(db, values.email, site, { id: m.id, label: m.email }, data.comments.length);
    res.set('Content-Disposition', 'attachment; filename="reply-desk-commenter-data.json"');
    res.type('application/json').send(JSON.stringify(data, null, 2));
  });

  router.post('/privacy/erase', async (req: Request, res: Response) => {
    const values = await checked(req, res);
    if (values === null) return;
    const site = values.site === '' ? null : values.site;
    const body = (req.body as Record<string, unknown> | undefined) ?? {};
    if (body.confirm !== '1') {
      await page(req, res, 200, { values, preview: await previewErasure(db, values.email, site) });
      return;
    }
    const m = currentModerator(res);
    const done = await eraseCommenter(db, deps.queues ?? null, values.email, site, { id: m.id, label: m.email });
    const queued = describeQueuedErasure(done);
    if (
      done.comments + done.trusted + done.bans === 0 &&
      done.auditEventsRedacted === 0 &&
      (done.queued?.removed ?? 0) === 0 &&
      queued === null
    ) {
      res.redirect(303, `/admin/privacy?notice=${encodeURIComponent('Nothing was stored for that email.')}`);
      return;
    }
    const notice = `Erased: ${done.comments} comment(s), ${done.trusted} trusted-author entr${done.trusted === 1 ? 'y' : 'ies'}, ${done.bans} email ban(s); ${done.auditEventsRedacted} audit entr${done.auditEventsRedacted === 1 ? 'y' : 'ies'} redacted.${queued === null ? '' : ` ${queued[0]!.toUpperCase()}${queued.slice(1)}.`}`;
    res.redirect(303, `/admin/privacy?notice=${encodeURIComponent(notice)}`);
  });

  return router;
}
