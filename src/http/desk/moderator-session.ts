import { csrfSync } from 'csrf-sync';
import type { NextFunction, Request, RequestHandler, Response } from 'express';
import { AppError } from '../../errors.js';
import type { Queryable } from '../../store/db.js';
import type { Actor } from '../../store/moderation-actions.js';
import { loadModerator, type Moderator } from '../../store/moderators.js';
import { hasRole, roleOn, sitesWithRole, type SiteRole } from '../../auth/site-roles.js';

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

/**
 * Refuses a signed-in moderator's POSTs without the session's CSRF token (403 CSRF_INVALID). The
 * sign-in form is checked by its own route, against the token in its cookie: before sign-in there is
 * no session to hold one. A signed-out POST carries no authority to forge, and every route but sign-in
 * refuses it as signed out (401), which is what admin.js needs to hear.
 */
export const requireCsrf: RequestHandler = (req, res, next) => {
  if (req.method === 'GET' || req.method === 'HEAD') return next();
  if (req.method === 'POST' && req.path === '/sign-in') return next();
  if (!res.locals.moderator) return next();
  if (!csrf.isRequestValid(req)) {
    return next(AppError.of('CSRF_INVALID'));
  }
  next();
};

/** Whether a session still signs this moderator in: the account exists, is enabled, and its password is the one signed in with. */
export function sessionSignsIn(moderator: Moderator | null, generation: number | undefined): moderator is Moderator {
  return moderator !== null && !moderator.disabled && moderator.sessionGeneration === (generation ?? 0);
}

/**
 * Loads the signed-in moderator into res.locals.moderator (or null). A disabled account, or a session
 * from before the password last changed, is signed out: the stored session is destroyed and the request
 * goes on with a fresh one, which is stored only if this request signs in.
 */
export function loadSignedInModerator(db: Queryable): RequestHandler {
  return async (req, res, next) => {
    res.locals.moderator = null;
    const id = req.session.moderatorId;
    if (id !== undefined) {
      const moderator = await loadModerator(db, id);
      if (sessionSignsIn(moderator, req.session.generation)) res.locals.moderator = moderator;
      else
        await new Promise<void>((resolve, reject) => req.session.regenerate((err) => (err ? reject(err) : resolve())));
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
  next(AppError.of('SIGNED_OUT'));
};

/** For routes admin.js fetches and no one visits as a page (the live stream, its cards): signed out is a 401, never a redirect. */
export const requireModeratorApi: RequestHandler = (_req, res, next) => {
  if (res.locals.moderator) return next();
  next(AppError.of('SIGNED_OUT'));
};

/**
 * Admins only, unless the admin door granted this request to a role below (`res.locals.grantedByRole`:
 * a site admin on their own site's settings, a viewer or site admin reading their sites' audit log).
 */
export const requireAdmin: RequestHandler = (_req, res, next) => {
  const m = res.locals.moderator as Moderator | null;
  if (m?.role === 'admin' || (m && res.locals.grantedByRole === true)) return next();
  next(AppError.of('ADMIN_ONLY'));
};

/** The sites whose audit log the account reads: every site for an admin, else those it is a viewer or site admin of. */
export function auditSitesOf(m: Moderator): string[] {
  return m.siteIds.filter((s) => {
    const role = roleOn(m, s);
    return role === 'viewer' || role === 'admin';
  });
}

/**
 * One's own account (My settings, two-factor, sessions, sign-out): open whatever one's roles are, and
 * while enrolment is required (a viewer changes their own password; a new account sets up two-factor).
 */
const OWN_ACCOUNT_PATHS = /^\/(?:me(?:\/.*)?|sign-out)$/;
const ENROLMENT_PATHS = /^\/(?:me\/two-factor(?:\/.*)?|sign-out)$/;

/**
 * Every request that changes something sees only the sites where the account may act (moderator or
 * site admin, sql/0041): the routes' own "is this one of your sites" checks then refuse a viewer's
 * site with 403 FORBIDDEN, in one place rather than in each route. An account that is a viewer
 * everywhere hears 403 VIEWER_READ_ONLY before any route, except on its own account's paths.
 */
export const limitToActingSites: RequestHandler = (req, res, next) => {
  if (req.method === 'GET' || req.method === 'HEAD' || OWN_ACCOUNT_PATHS.test(req.path)) return next();
  const m = currentModerator(res);
  const acting = sitesWithRole(m, m.siteIds, 'moderator');
  if (acting.length === 0) return next(AppError.of('VIEWER_READ_ONLY'));
  res.locals.moderator = { ...m, siteIds: acting } satisfies Moderator;
  next();
};

/**
 * A site of the account requires two-factor sign-in (`requireTwoFactor`) and it has none: until it
 * enrols, a page visit is sent to the enrolment page and anything else is 403 TWO_FACTOR_REQUIRED.
 * Checked on every request (the moderator is loaded per request), so turning the setting on reaches
 * accounts already signed in at their next click.
 */
export const requireTwoFactorEnrolment: RequestHandler = (req, res, next) => {
  const m = currentModerator(res);
  if (!m.twoFactorRequired || m.twoFactor || ENROLMENT_PATHS.test(req.path)) return next();
  if (req.method === 'GET' && !wantsJson(req)) {
    res.redirect(303, '/admin/me/two-factor');
    return;
  }
  next(AppError.of('TWO_FACTOR_REQUIRED'));
};

/**
 * The role check for a route that acts on one site: the signed-in account, if its role on `siteId` is
 * `need` or above; else 403 — VIEWER_READ_ONLY for a viewer there, ADMIN_ONLY when a site admin was
 * needed, FORBIDDEN for a site that is not theirs. Routes call it with the site of what they change:
 * `const m = requireRole(res, comment.siteId, 'moderator')`.
 */
export function requireRole(res: Response, siteId: string, need: SiteRole): Moderator {
  const m = currentModerator(res);
  if (hasRole(m, siteId, need)) return m;
  const role = roleOn(m, siteId);
  if (role === 'viewer') throw AppError.of('VIEWER_READ_ONLY', { field: 'site' });
  if (role !== null && need === 'admin')
    throw AppError.of('ADMIN_ONLY', { message: 'Only this site’s admins can do this.' });
  throw AppError.of('FORBIDDEN', { field: 'site' });
}

/** The signed-in moderator (requireModerator ran before). */
export function currentModerator(res: Response): Moderator {
  const m = res.locals.moderator as Moderator | null;
  if (!m) throw AppError.of('SIGNED_OUT');
  return m;
}

/** The moderator as the store's actor: their id, email, and the sites they may act on. */
export function actorOf(m: Moderator): Actor {
  return { id: m.id, label: m.email, siteIds: m.siteIds };
}
