import express, { Router, type Request, type Response } from 'express';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Logger } from 'pino';
import { AppError } from '../../errors.js';
import type { FormTokens } from '../../flood/form-token.js';
import { fieldLimits } from '../../domain/field-limits.js';
import { closureFields, pageClosureAt, type ThreadClosure } from '../../domain/thread-closure.js';
import { effectivePageSettings, reviewFields } from '../../domain/pages/page-settings.js';
import type { SiteSettings } from '../../domain/site-settings.js';
import type { Queryable } from '../../store/db.js';
import { loadSignInMethods, type SignInMethods } from '../../readers/sign-in-methods.js';
import { loadThreadVersions } from '../../store/batched/thread-versions.js';
import { projectRoot } from '../../paths.js';
import { checkText, oneQueryString } from '../kit/query-values.js';
import { toReadError } from '../kit/read-errors.js';
import type { SiteDirectory } from '../kit/site-directory.js';
import { assertOriginAllowed } from '../kit/site-origin.js';

/** Where scripts/build-widget.mjs puts the built scripts and their manifest (`npm run build`). */
export const DEFAULT_WIDGET_DIR = join(projectRoot, 'dist', 'widget');

/**
 * The flag endpoint the widget's Report button posts `{reason, key}` to (`{id}` = comment id),
 * relative to the API (src/http/public/flag-routes.ts). Null would hide the Report button.
 */
export const FLAG_URL_TEMPLATE: string | null = 'api/comments/{id}/flag';

export interface EmbedRoutesDeps {
  sites: SiteDirectory;
  /** Where `?page=`'s closed state is read (the read replica, if any); left out, it is not said. */
  db?: Queryable;
  logger: Logger;
  /** @defaultValue {@link DEFAULT_WIDGET_DIR} */
  widgetDir?: string;
  /** Signs the form token handed to the widget with `?page=`; left out, none is handed out. */
  formTokens?: FormTokens;
  /** Whether the form offers reply notifications by mail (SMTP is configured). */
  replyMail: boolean;
}

interface WidgetManifest {
  embed: string;
  count: string;
}

/** The built files: the two entries, and the parts embed.js imports (widget/reader/, widget/conversation/). */
const hashedName = /^[a-z][a-z0-9-]*\.[A-Z0-9]+\.js$/;
/** How long browsers may keep /embed.js's redirect: a new build reaches readers within this. */
const ENTRY_MAX_AGE_S = 300;

/**
 * The widget's scripts and what only the widget needs from the API:
 * - `/embed.js` and `/count.js`, the stable names pages embed, redirect (cached for minutes) to the
 *   content-hashed files, which are cached for a year and never change;
 * - `/api/sites/:id/public`, the settings the reply form must follow.
 */
export function createEmbedRoutes(deps: EmbedRoutesDeps): Router {
  const widgetDir = deps.widgetDir ?? DEFAULT_WIDGET_DIR;
  const router = Router();
  let warned = false;

  async function loadManifest(): Promise<WidgetManifest | null> {
    try {
      const parsed = JSON.parse(await readFile(join(widgetDir, 'manifest.json'), 'utf8')) as Partial<WidgetManifest>;
      return typeof parsed.embed === 'string' &&
        typeof parsed.count === 'string' &&
        hashedName.test(parsed.embed) &&
        hashedName.test(parsed.count)
        ? { embed: parsed.embed, count: parsed.count }
        : null;
    } catch {
      return null;
    }
  }

  const entry = (which: keyof WidgetManifest) => async (_req: Request, res: Response) => {
    const manifest = await loadManifest();
    if (manifest === null) {
      // Not an error page: a page embedding us keeps its own content (and the demo its no-JS form);
      // the operator learns why from the log and the reader's console.
      if (!warned) deps.logger.warn({ widgetDir }, 'the widget is not built: run npm run build');
      warned = true;
      res
        .set('Cache-Control', 'no-store')
        .type('text/javascript')
        .send('console.warn("Reply Desk: the comment widget is not built on this server (npm run build).");\n');
      return;
    }
    // Relative, so the service also works behind a proxy that mounts it under a path.
    res.set({ 'Cache-Control': `public, max-age=${ENTRY_MAX_AGE_S}`, 'Access-Control-Allow-Origin': '*' });
    res.redirect(302, `widget/${manifest[which]}`);
  };
  router.get('/embed.js', entry('embed'));
  router.get('/count.js', entry('count'));

  router.use('/widget', (req, res, next) => (hashedName.test(req.path.slice(1)) ? next() : next('router')));
  router.use(
    '/widget',
    express.static(widgetDir, {
      immutable: true,
      maxAge: '365d',
      index: false,
      setHeaders(res) {
        // Scripts load without CORS; this lets a page that adds crossorigin (for Subresource Integrity) too.
        res.setHeader('Access-Control-Allow-Origin', '*');
        res.setHeader('Content-Type', 'text/javascript; charset=utf-8');
      },
    }),
  );

  router.get('/api/sites/:id/public', async (req: Request, res: Response) => {
    const id = checkText(String(req.params.id), 'site', 200);
    const page = oneQueryString(req, 'page', false, fieldLimits.page);
    let site;
    try {
      site = await deps.sites.get(id);
    } catch (err) {
      throw toReadError(err);
    }
    if (site === null) throw AppError.of('UNKNOWN_SITE', { status: 404, field: 'site' });
    assertOriginAllowed(req, site, 'shown');
    // Only what the form and the thread need: never the origins, word lists or moderation rules.
    const { requireName, requireEmail, maxDepth } = site.settings;
    // With ?page=, the widget's signed form token for that page comes along (render time = now), and
    // whether that page still takes comments, so the answer is the reader's own and never cached;
    // without it, the settings are cacheable as before.
    // With the page, its own settings (issue 16) decide what the form says: guests, votes, whether
    // comments are reviewed first, and the closure (by hand, by age, outside staffed hours).
    let closure: ThreadClosure | undefined;
    let settings: SiteSettings = site.settings;
    let pageState: ReturnType<typeof reviewFields> | undefined;
    if (page !== null && deps.db) {
      try {
        const [thread] = await loadThreadVersions(deps.db, [{ siteId: site.id, page }]);
        settings = effectivePageSettings(site.settings, thread?.settings ?? {});
        const now = new Date();
        closure = pageClosureAt(thread ?? null, settings, now);
        pageState = reviewFields(settings, now);
      } catch (err) {
        throw toReadError(err, 'page');
      }
    }
    // Which sign-in buttons the widget shows (issue 14): asked for in the settings and set up.
    let signIn: SignInMethods | undefined;
    if (deps.db) {
      try {
        signIn = await loadSignInMethods(deps.db, site, deps.replyMail);
      } catch (err) {
        throw toReadError(err);
      }
    }
    const formToken = page !== null && deps.formTokens ? deps.formTokens.sign(site.id, page, new Date()) : undefined;
    res.set('Cache-Control', page === null ? 'public, max-age=60' : 'no-store').json({
      id: site.id,
      name: site.name,
      requireName,
      requireEmail,
      maxDepth,
      flagUrl: FLAG_URL_TEMPLATE,
      replyMail: deps.replyMail,
      guests: settings.guests,
      editWindowMinutes: site.settings.editWindowMinutes,
      // The conversation (issue 15): whether and how readers vote, and the thread's default order.
      votes: settings.votes,
      guestVotes: site.settings.guestVotes,
      defaultSort: site.settings.defaultSort,
      ...pageState,
      // The widget's language on a page that names none ('auto': English, as before).
      language: site.settings.language,
      ...(signIn === undefined ? {} : { signIn }),
      ...(formToken === undefined ? {} : { formToken }),
      ...(closure === undefined ? {} : closureFields(closure)),
    });
  });

  return router;
}
