import { Router, type Request, type Response } from 'express';
import { isUuid } from '../../domain/comment-fields.js';
import { AppError } from '../../errors.js';
import type { FormTokens } from '../../flood/form-token.js';
import type { SubmissionShards } from '../../queue/submission-shards.js';
import { listApprovedComments, type PublicComment } from '../../store/comments.js';
import type { Queryable } from '../../store/db.js';
import { loadThreadVersions } from '../../store/batched/thread-versions.js';
import { pageClosureAt } from '../../domain/thread-closure.js';
import { effectivePageSettings, reviewFields } from '../../domain/pages/page-settings.js';
import { DEMO_PAGE_ID, DEMO_SITE_ID, renderDemoPage } from './demo-page.js';
import type { SiteDirectory } from '../kit/site-directory.js';
import { loadSubmissionStatus } from '../public/submission-status.js';
import { pickReaderLanguage } from '../../i18n/reader-language.js';

/**
 * The demo page's Content-Security-Policy: the app's strict one plus embed.js and its API calls, all
 * from 'self'. No inline script or style, so reader HTML could still run nothing; the widget's styles
 * are a constructed stylesheet, which style-src does not govern.
 */
export const DEMO_PAGE_CSP = [
  "default-src 'none'",
  "script-src 'self'",
  "connect-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "form-action 'self'",
  "base-uri 'none'",
  "frame-ancestors 'none'",
].join('; ');

/** GET /: the demo article with its thread rendered on the server. */
export function createDemoRoutes(deps: {
  db: Queryable;
  queue: SubmissionShards;
  sites: SiteDirectory;
  formTokens?: FormTokens;
  replyMail?: boolean;
}): Router {
  const { db, queue, sites } = deps;
  const router = Router();
  router.get('/', async (req: Request, res: Response) => {
    const site = await sites.get(DEMO_SITE_ID).catch(() => null);
    if (site === null) throw AppError.of('DEMO_UNAVAILABLE');
    // The demo thread is short; one page of 500 is the whole of it (the widget pages through long ones).
    const { comments } = await listApprovedComments(db, {
      siteId: site.id,
      page: DEMO_PAGE_ID,
      after: null,
      limit: 500,
    });
    // Closed by hand, by age or outside staffed hours: the page shows why, and no form the worker would
    // refuse; pre-moderated (the page's own settings over the site's) or off hours, it says so over the form.
    const [thread] = await loadThreadVersions(db, [{ siteId: site.id, page: DEMO_PAGE_ID }]);
    const now = new Date();
    const settings = effectivePageSettings(site.settings, thread?.settings ?? {});
    const closure = pageClosureAt(thread ?? null, settings, now);
    const review = reviewFields(settings, now);
    const replyToId = typeof req.query.replytocom === 'string' ? req.query.replytocom : '';
    const replyTo: PublicComment | null = comments.find((c) => c.id === replyToId) ?? null;
    const postedId =
      typeof req.query.rd_comment === 'string' && isUuid(req.query.rd_comment) ? req.query.rd_comment : null;
    // ?lang= (kept by the form's links and its return address), else the site's language, else the browser's.
    const lang = pickReaderLanguage({
      lang: req.query.lang,
      siteLanguage: site.settings.language,
      acceptLanguage: req.get('accept-language'),
    });
    const justPosted =
      postedId === null ? null : await loadSubmissionStatus(db, queue, postedId.toLowerCase(), { lang });
    // The app's policy allows no script; this page runs one: the widget, from this origin only.
    res
      .set({ 'Cache-Control': 'no-store', 'Content-Security-Policy': DEMO_PAGE_CSP, Vary: 'Accept-Language' })
      .type('html')
      .send(
        renderDemoPage({
          site,
          comments,
          replyTo,
          justPosted,
          formToken: deps.formTokens?.sign(site.id, DEMO_PAGE_ID, new Date()),
          replyMail: deps.replyMail ?? false,
          closed: closure.closed,
          closedUntil: closure.closed && closure.reason === 'off-hours' ? closure.until : null,
          reviewed: review.reviewed,
          reviewedUntil: review.reviewedUntil === undefined ? null : new Date(review.reviewedUntil),
          timeZone: settings.staffedHours?.timeZone ?? 'UTC',
          lang,
        }),
      );
  });
  return router;
}
