import { Router, type Request, type RequestHandler, type Response } from 'express';
import { renderCommentHtml } from '../../domain/render-comment.js';
import { AppError } from '../../errors.js';
import type { PreviewThrottle } from '../../flood/preview-throttle.js';
import { parseJson } from '../kit/body-parsers.js';
import type { ClientAddressReader } from '../kit/client-address.js';
import { databaseDown } from '../kit/read-errors.js';
import type { SiteDirectory } from '../kit/site-directory.js';
import { assertOriginAllowed } from '../kit/site-origin.js';
import { findEditBodyErrors } from './own-comment-routes.js';
import { toBodyText } from './comment-input.js';

export interface PreviewRoutesDeps {
  sites: SiteDirectory;
  clientAddress: ClientAddressReader;
  /** Previews per network (src/flood/preview-throttle.ts); left out, none are counted. */
  throttle?: PreviewThrottle;
}

/** Narrows a preview body to {site, text}; nothing else is read. */
export function readPreviewInput(raw: unknown): { site: string; text: string; rawText: string } {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) throw AppError.of('INVALID_BODY');
  const b = raw as Record<string, unknown>;
  if (b.site === undefined || b.site === null || b.site === '')
    throw AppError.of('REQUIRED', { status: 400, message: 'The site is missing.', field: 'site' });
  if (typeof b.site !== 'string')
    throw AppError.of('INVALID_TYPE', { message: 'The field "site" has the wrong type.', field: 'site' });
  if (b.text !== undefined && b.text !== null && typeof b.text !== 'string')
    throw AppError.of('INVALID_TYPE', { message: 'The field "text" has the wrong type.', field: 'text' });
  const rawText = typeof b.text === 'string' ? b.text : '';
  return { site: b.site.trim(), text: toBodyText(rawText), rawText };
}

const requireJson: RequestHandler = (req, _res, next) => {
  if (req.is('application/json')) return next();
  next(AppError.of('UNSUPPORTED_MEDIA_TYPE', { message: 'Send the preview as application/json.' }));
};

/**
 * POST /api/preview {site, text} → {html}: the text as it would be published, rendered by the very
 * function the worker publishes with (src/domain/render-comment.ts), so what the reader previews is
 * what readers will see. The text is checked as a comment's body is (required, the byte limit,
 * characters), with the problem reported on `text`. Nothing is stored.
 */
export function createPreviewRoutes(deps: PreviewRoutesDeps): Router {
  const router = Router();
  router.post('/api/preview', requireJson, parseJson, async (req: Request, res: Response) => {
    const input = readPreviewInput(req.body);
    const site = await deps.sites.get(input.site).catch((err: unknown) => {
      throw databaseDown(err);
    });
    if (site === null)
      throw AppError.of('UNKNOWN_SITE', {
        status: 403,
        message: 'This site does not accept comments here.',
        field: 'site',
      });
    assertOriginAllowed(req, site, 'sent');
    const errors = findEditBodyErrors(input.text, input.rawText).map((e) => ({ ...e, field: 'text' }));
    if (errors.length > 0) throw AppError.fields(errors);
    // After the input is valid: a reader fixing a typo is not counted for it. An address every reader
    // shares (loopback, a proxy nobody trusted) is not limited: it would limit them all together.
    const address = deps.clientAddress(req);
    if (deps.throttle && address.distinct && address.ip !== null) {
      const wait = await deps.throttle.consume(address.ip);
      if (wait > 0)
        throw AppError.of('RATE_LIMITED', {
          message: `Too many previews from your network just now; please try again in ${wait} second${wait === 1 ? '' : 's'}.`,
          retryAfter: wait,
        });
    }
    res.set('Cache-Control', 'no-store').json({ html: renderCommentHtml(input.text) });
  });
  return router;
}
