import { csrfSync } from 'csrf-sync';
import type { NextFunction, Request, RequestHandler, Response } from 'express';
import { AppError } from '../errors.js';
import type { Queryable } from '../store/db.js';
import type { Actor } from '../store/moderation-actions.js';
import { loadModerator, type Moderator } from '../store/moderators.js';

/*
 * Who is signed in, and the CSRF rule for the dashboard. Every state-changing request carries the
 * session's synchroniser token, in the `_csrf` form field (plain forms) or the `X-CSRF-Token` header
 * (admin.js); the session cookie alone is never enough.
 */

const csrf = csrfSync({
  getTokenFromRequest: (req) => {
    const body = req.body as Record<string, unknown> | undefined;
    const fromBody = typeof body?._csrf === 'string' ? body._csrf : undefined;
    return fromBody ?? req.get('x-csrf-token');
  },
});

/** The session's CSRF token, created on first use. */
export function csrfTokenOf(req: Request): string {
  return csrf.generateToken(req);
}

/** Refuses POSTs without the session's CSRF token (403 CSRF_INVALID). */
export const requireCsrf: RequestHandler = (req, _res, next) => {
  if (req.method === 'GET' || req.method === 'HEAD') return next();
  if (!csrf.isRequestValid(req)) {
    return next(new AppError(403, 'CSRF_INVALID', 'This form has expired or did not come from Reply Desk. Reload the page and try again.'));
  }
  next();
};

/** Loads the signed-in moderator into res.locals.moderator (or null); a disabled account is signed out. */
export function loadSignedInModerator(db: Queryable): RequestHandler {
  return async (req, res, next) => {
    res.locals.moderator = null;
    const id = req.session.moderatorId;
    if (id !== undefined) {
      const moderator = await loadModerator(db, id);
      if (moderator && !moderator.disabled) res.locals.moderator = moderator;
      else delete req.session.moderatorId;
    }
    next();
  };
}

/** True when admin.js asked (it sends Accept: application/json); plain forms and links want HTML. */
export function wantsJson(req: Request): boolean {
  return req.accepts(['html', 'json']) === 'json';
}

/** Pages redirect a signed-out visitor to sign in; API calls get 401. */
export const requireModerator: RequestHandler = (req: Request, res: Response, next: NextFunction) => {
  if (res.locals.moderator) return next();
  if (req.method === 'GET' && !wantsJson(req)) {
    res.redirect(303, `/admin/sign-in?next=${encodeURIComponent(req.originalUrl)}`);
    return;
  }
  next(new AppError(401, 'SIGNED_OUT', 'Please sign in again.'));
};

export const requireAdmin: RequestHandler = (_req, res, next) => {
  const m = res.locals.moderator as Moderator | null;
  if (m?.role === 'admin') return next();
  next(new AppError(403, 'ADMIN_ONLY', 'Only admins can do this.'));
};

/** The signed-in moderator (requireModerator ran before). */
export function currentModerator(res: Response): Moderator {
  const m = res.locals.moderator as Moderator | null;
  if (!m) throw new AppError(401, 'SIGNED_OUT', 'Please sign in again.');
  return m;
}

/** The moderator as the store's actor: their id, email, and the sites they may act on. */
export function actorOf(m: Moderator): Actor {
  return { id: m.id, label: m.email, siteIds: m.siteIds };
}
