import { createHash } from 'node:crypto';
import { Router, type Request, type Response } from 'express';
import { listFeedComments, loadFeedPage, renderAtomFeed } from '../../export/atom-feed.js';
import { AppError } from '../../errors.js';
import type { Queryable } from '../../store/db.js';
import { fieldLimits } from '../../domain/field-limits.js';
import { checkText, oneQueryString } from '../kit/query-values.js';
import { toReadError } from '../kit/read-errors.js';
import type { SiteDirectory } from '../kit/site-directory.js';

export interface FeedRoutesDeps {
  db: Queryable;
  sites: SiteDirectory;
  publicUrl: string;
}

/**
 * If-None-Match evaluated as an origin server must (RFC 9110 13.1.2, weak comparison), also when the
 * request says `Cache-Control: no-cache`: that asks caches to revalidate, which is what this answers
 * (Express' req.fresh treats it as "never fresh", and fetch() adds it to every conditional request).
 */
function matchesEtag(req: Request, etag: string): boolean {
  const header = req.get('if-none-match');
  if (header === undefined) return false;
  if (header.trim() === '*') return true;
  return header.split(',').some((t) => t.trim().replace(/^W\//, '') === etag);
}

/** Sends a feed with a strong ETag of its bytes; a matching If-None-Match gets 304 and no body. */
function sendFeed(req: Request, res: Response, xml: string): void {
  const etag = `"${createHash('sha256').update(xml).digest('base64url').slice(0, 27)}"`;
  res.set({
    'Content-Type': 'application/atom+xml; charset=utf-8',
    // Feed readers poll; a minute of caching takes most of that load off without hiding new comments long.
    'Cache-Control': 'public, max-age=60',
    ETag: etag,
  });
  if (matchesEtag(req, etag)) {
    res.status(304).end();
    return;
  }
  res.send(xml);
}

/**
 * Public Atom feeds of approved comments, newest first: a site's (`/feeds/:site/comments.atom`) and a
 * page's (`/feeds/:site/pages/:page.atom`, or `comments.atom?page=` for identifiers that are URLs).
 */
export function createFeedRoutes(deps: FeedRoutesDeps): Router {
  const { db, sites, publicUrl } = deps;
  const router = Router();

  const feed = async (req: Request, res: Response, pageIdentifier: string | null): Promise<void> => {
    const siteId = checkText(String(req.params.site), 'site', 200);
    let site;
    try {
      site = await sites.get(siteId);
    } catch (err) {
      throw toReadError(err);
    }
    if (site === null) throw AppError.of('UNKNOWN_SITE', { status: 404, field: 'site' });
    const base = `${publicUrl}/feeds/${encodeURIComponent(site.id)}`;
    try {
      if (pageIdentifier === null) {
        const comments = await listFeedComments(db, site.id, null);
        sendFeed(
          req,
          res,
          renderAtomFeed({
            selfUrl: `${base}/comments.atom`,
            title: `Comments on ${site.name}`,
            alternateUrl: site.allowedOrigins[0] ?? null,
            fallbackUpdated: new Date(0),
            comments,
          }),
        );
        return;
      }
      const page = await loadFeedPage(db, site.id, pageIdentifier);
      // Nobody has commented there yet: an empty feed (as the thread API answers an empty list), so a
      // reader can subscribe to a new article before its first comment. Same bytes every time, so
      // its ETag holds until the first comment is published.
      if (page === null) {
        sendFeed(
          req,
          res,
          renderAtomFeed({
            selfUrl: `${base}/pages/${encodeURIComponent(pageIdentifier)}.atom`,
            title: `Comments on ${pageIdentifier}`,
            alternateUrl: null,
            fallbackUpdated: new Date(0),
            comments: [],
          }),
        );
        return;
      }
      const comments = await listFeedComments(db, site.id, page.id);
      sendFeed(
        req,
        res,
        renderAtomFeed({
          selfUrl: `${base}/pages/${encodeURIComponent(page.identifier)}.atom`,
          title: `Comments on ${page.title ?? page.identifier}`,
          alternateUrl: page.url,
          fallbackUpdated: page.createdAt,
          comments,
        }),
      );
    } catch (err) {
      throw toReadError(err, 'page');
    }
  };

  router.get('/feeds/:site/comments.atom', async (req: Request, res: Response) => {
    if (req.query.page === '') throw AppError.of('INVALID_TYPE', { message: 'Give "page" once.', field: 'page' });
    await feed(req, res, oneQueryString(req, 'page', false, fieldLimits.page));
  });
  router.get('/feeds/:site/pages/:page.atom', async (req: Request, res: Response) => {
    await feed(req, res, checkText(String(req.params.page), 'page', fieldLimits.page));
  });
  return router;
}
