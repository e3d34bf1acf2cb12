import type { Request } from 'express';
import type { Site } from '../../domain/site-settings.js';
import { AppError } from '../../errors.js';

/**
 * Browsers send Origin on every cross-origin request (and on same-origin POSTs): a site's comments are
 * written and shown only from its own pages. A request without Origin is not from a web page and gains
 * nothing by lying; "null" (sandboxed frames, file:, Referrer-Policy no-referrer) is refused like any
 * foreign origin.
 */
export function assertOriginAllowed(req: Request, site: Site, what: 'sent' | 'shown'): void {
  const origin = req.get('origin');
  if (origin !== undefined && !site.allowedOrigins.includes(origin)) {
    throw AppError.of('ORIGIN_NOT_ALLOWED', {
      message: `Comments for this site cannot be ${what} ${what === 'sent' ? 'from' : 'on'} this page.`,
    });
  }
}
