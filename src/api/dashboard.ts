import { Router } from 'express';
import helmet from 'helmet';
import type { Redis } from 'ioredis';
import type { Logger } from 'pino';
import { createSessionMiddleware } from '../auth/session.js';
import { createSignInThrottle } from '../auth/sign-in-throttle.js';
import type { Pool } from '../store/db.js';
import { createModeratorRoutes, parseDashboardBody } from './moderator-routes.js';
import { loadSignedInModerator, requireCsrf } from './moderator-session.js';
import { createSignInRoutes } from './sign-in-routes.js';

export interface DashboardDeps {
  db: Pool;
  /** Sessions, sign-in throttling and live updates live here. */
  redis: Redis;
  /** Redis key prefix (QUEUE_PREFIX), so installs and test runs sharing a Redis stay apart. */
  prefix: string;
  sessionSecret: string;
  idleMinutes: number;
  /** Secure cookies: true when readers reach the service over https. */
  secureCookies: boolean;
  logger: Logger;
}

/**
 * The moderators' dashboard at /admin, with its own middleware: sessions, CSRF on every POST, and a
 * Content-Security-Policy that allows the dashboard's own script (and nothing else) to run.
 */
export function createDashboard(deps: DashboardDeps): Router {
  const router = Router();
  router.use(
    helmet.contentSecurityPolicy({
      useDefaults: false,
      directives: {
        'default-src': ["'none'"],
        'script-src': ["'self'"],
        'style-src': ["'self'"],
        'img-src': ["'self'", 'data:'],
        'connect-src': ["'self'"],
        'form-action': ["'self'"],
        'base-uri': ["'none'"],
        'frame-ancestors': ["'none'"],
      },
    }),
  );
  router.use((_req, res, next) => {
    res.set('Cache-Control', 'no-store');
    next();
  });
  router.use(...parseDashboardBody);
  router.use(
    createSessionMiddleware({
      redis: deps.redis, prefix: deps.prefix, secret: deps.sessionSecret, idleMinutes: deps.idleMinutes, secure: deps.secureCookies,
    }),
  );
  router.use(loadSignedInModerator(deps.db));
  router.use(requireCsrf);
  router.use(createSignInRoutes({ db: deps.db, throttle: createSignInThrottle(deps.redis, deps.prefix) }));
  router.use(createModeratorRoutes({ db: deps.db }));
  return router;
}
