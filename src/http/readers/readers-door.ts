import { Router } from 'express';
import { createEmailSignInRoutes } from './email-sign-in-routes.js';
import { createOidcRoutes } from './oidc-routes.js';
import { createReaderAccountRoutes } from './reader-account-routes.js';
import type { ReadersDoorDeps } from './readers-deps.js';

export type { ReadersDoorDeps };

/**
 * The readers' wing (issue 14): signing in, the reader's own account. Its door holds no session and
 * no cookie: a signed-in reader is whoever the `Authorization: Bearer` token names (kit/reader-auth.ts),
 * on the one site the token is bound to, and each route asks for it where it knows the site. CORS for
 * /api comes from the public door, in front of this one. The sign-in pages (/readers/…) run on this
 * service's own origin, in the popup the widget opens, and hand the token to the opener by postMessage
 * to an origin of the site's.
 */
export function createReadersDoor(deps: ReadersDoorDeps): Router {
  const router = Router();
  router.use(createReaderAccountRoutes(deps));
  router.use(createEmailSignInRoutes(deps));
  router.use(createOidcRoutes(deps));
  return router;
}
