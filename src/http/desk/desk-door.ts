import { Router } from 'express';
import helmet from 'helmet';
import type { Redis } from 'ioredis';
import type { Logger } from 'pino';
import { createSessionMiddleware } from '../../auth/session.js';
import { createSignInCsrf } from '../../auth/sign-in-csrf.js';
import { createSignInThrottle } from '../../auth/sign-in-throttle.js';
import type { BulkQueue } from '../../queue/bulk-queue.js';
import type { Queue } from 'bullmq';
import type { LiveFeed } from '../../queue/live-events.js';
import type { SubmissionsQueue } from '../../queue/submissions-queue.js';
import { createSurgeReader } from '../../flood/surge-state.js';
import type { TrainingQueue } from '../../queue/training-queue.js';
import type { WebhookQueue } from '../../queue/webhook-queue.js';
import type { Pool } from '../../store/db.js';
import { createAuditRoutes } from './admin/audit-routes.js';
import { createBulkRoutes } from './moderator/bulk-routes.js';
import { createFailedJobsRoutes } from './admin/failed-jobs-routes.js';
import { rejectControlCharacters } from './dashboard-input.js';
import { createQueueBoard } from './admin/queue-board.js';
import { createLiveRoutes } from './moderator/live-routes.js';
import { createModeratorRoutes, parseDashboardBody } from './moderator/moderator-routes.js';
import { createPageTitleRoutes } from './moderator/page-title-routes.js';
import { loadSignedInModerator, requireCsrf } from './moderator-session.js';
import { createPrivacyRoutes } from './admin/privacy-routes.js';
import { createMySettingsRoutes } from './moderator/my-settings-routes.js';
import { createWebhookRoutes } from './admin/webhook-routes.js';
import { createSignInRoutes } from './sign-in-routes.js';
import type { SiteDirectory } from '../kit/site-directory.js';
import { createSiteSettingsRoutes } from './admin/site-settings-routes.js';

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
  /** The API's cached sites, refreshed when an admin changes a site. */
  sites: SiteDirectory;
  /** The process's live-queue subscription (GET /admin/live); left out, live updates answer 503. */
  liveFeed?: LiveFeed;
  /** The bulk-actions queue (POST /admin/bulk); left out, bulk actions answer 503. */
  bulkQueue?: BulkQueue;
  /** The submissions queue, for the admins' Failed jobs page; left out, that page answers 503. */
  submissionsQueue?: SubmissionsQueue;
  /** Moderators' decisions train the spam classifier through this queue; left out, they do not. */
  training?: TrainingQueue;
  /** Moderators' decisions are announced (webhooks, reply mails) through this queue; left out, they are not. */
  events?: WebhookQueue;
  /** Queues the admins' BullMQ board (/admin/queues) shows; left out, the submissions and bulk queues. */
  boardQueues?: readonly Queue[];
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
  router.use(rejectControlCharacters);
  router.use(
    createSessionMiddleware({
      redis: deps.redis, prefix: deps.prefix, secret: deps.sessionSecret, idleMinutes: deps.idleMinutes, secure: deps.secureCookies,
    }),
  );
  router.use(loadSignedInModerator(deps.db));
  router.use(requireCsrf);
  router.use(createSignInRoutes({
    db: deps.db, throttle: createSignInThrottle(deps.redis, deps.prefix), csrf: createSignInCsrf({ secret: deps.sessionSecret, secure: deps.secureCookies }),
  }));
  router.use(createLiveRoutes({ db: deps.db, feed: deps.liveFeed }));
  router.use(createModeratorRoutes({
    db: deps.db, training: deps.training, logger: deps.logger, events: deps.events,
    surge: createSurgeReader(deps.redis, deps.prefix),
  }));
  router.use(createPageTitleRoutes({ db: deps.db }));
  router.use(createBulkRoutes({ db: deps.db, bulkQueue: deps.bulkQueue }));
  router.use(createAuditRoutes({ db: deps.db }));
  router.use(createSiteSettingsRoutes({ db: deps.db, sites: deps.sites, logger: deps.logger }));
  router.use(createPrivacyRoutes({ db: deps.db }));
  router.use(createWebhookRoutes({ db: deps.db }));
  router.use(createMySettingsRoutes({ db: deps.db }));
  router.use(createFailedJobsRoutes({ queue: deps.submissionsQueue }));
  router.use('/queues', createQueueBoard(deps.boardQueues ?? [deps.submissionsQueue, deps.bulkQueue].filter((q): q is NonNullable<typeof q> => q !== undefined)));
  return router;
}
