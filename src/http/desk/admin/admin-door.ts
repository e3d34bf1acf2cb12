import { Router } from 'express';
import type { Queue } from 'bullmq';
import type { RedisClient } from '../../../redis.js';
import type { Logger } from 'pino';
import type { SubmissionShards } from '../../../queue/submission-shards.js';
import type { Pool } from '../../../store/db.js';
import type { SiteDirectory } from '../../kit/site-directory.js';
import type { RequestHandler } from 'express';
import { hasRole } from '../../../auth/site-roles.js';
import type { EmailQueue } from '../../../queue/email-queue.js';
import { auditSitesOf, currentModerator, requireAdmin } from '../moderator-session.js';
import { createInviteRoutes } from './accounts/invite-routes.js';
import { createTwoFactorResetRoutes } from './accounts/two-factor-reset-routes.js';
import { createAuditRoutes } from './audit-routes.js';
import { createFailedJobsRoutes } from './failed-jobs-routes.js';
import { createModeratorsRoutes } from './moderators-routes.js';
import { createPrivacyRoutes } from './privacy-routes.js';
import { createQueueBoard } from './queue-board.js';
import { createSiteDeleteRoutes } from './site-delete-routes.js';
import { createSignInSettingsRoutes } from './sign-in-routes.js';
import { createSiteSettingsRoutes } from './site-settings-routes.js';
import { createStaffedHoursRoutes } from './staffed-hours-routes.js';
import { createWebhookRoutes } from './webhook-routes.js';
import { createChatTargetRoutes } from './chat/chat-target-routes.js';
import { createCheckHookRoutes } from './hooks/check-hook-routes.js';
import { createSiteBacktestRoutes } from './backtest/site-backtest-routes.js';

/**
 * The admins' rooms of the desk. requireAdmin is applied here, once, on each of these paths (and
 * everything below them): a route added under one of them is admins-only without saying so, and a
 * new admin page adds its path here. A signed-in moderator who is not an admin gets 403 ADMIN_ONLY on
 * all of them, also on a path below them that no route answers (it would otherwise be a 404), except
 * the few SITE_ADMIN_PATHS and GET /audit that a role below admin is granted (below).
 */
export const ADMIN_PATHS = [
  '/audit',
  '/sites',
  '/privacy',
  '/webhooks',
  '/failed',
  '/queues',
  '/moderators',
  '/api/sites',
] as const;

export interface AdminDoorDeps {
  db: Pool;
  logger: Logger;
  /** The API's cached sites, refreshed when an admin changes a site. */
  sites: SiteDirectory;
  /** For the Failed jobs page; left out, that page answers 503. */
  submissionsQueue?: SubmissionShards;
  /** Queues the BullMQ board (/admin/queues) shows. */
  boardQueues: readonly Queue[];
  /** The queues' Redis and prefix: erasure removes a commenter's queued jobs too (privacy-routes.ts). */
  queues: { redis: RedisClient; prefix: string; submissionShards?: number };
  /** Invites' mails go through this queue; left out (no SMTP_URL), the invite page says mail is not set up. */
  emailQueue?: EmailQueue;
}

/**
 * Pages a role below admin may open (sql/0041): a site admin its own site's settings and sign-in; a
 * viewer or site admin the audit log (which then shows only their sites' events, audit-routes.ts).
 * Site creation, deletion and the list of sites stay with admins.
 */
const SITE_ADMIN_PATHS = [
  '/sites/:id',
  '/sites/:id/sign-in',
  '/sites/:id/sign-in/*rest',
  // A site admin may preview a change of the settings they may save (issue 17, item 3).
  '/sites/:id/backtest',
  '/api/sites/:id/backtest',
];

const grantSiteAdmin: RequestHandler = (req, res, next) => {
  if (hasRole(currentModerator(res), String(req.params.id), 'admin')) res.locals.grantedByRole = true;
  next();
};

const grantAuditReader: RequestHandler = (_req, res, next) => {
  if (auditSitesOf(currentModerator(res)).length > 0) res.locals.grantedByRole = true;
  next();
};

/** Mounted by the desk's door behind its session, CSRF and requireModerator (desk-door.ts). */
export function createAdminDoor(deps: AdminDoorDeps): Router {
  const router = Router();
  router.all(SITE_ADMIN_PATHS, grantSiteAdmin);
  router.get('/audit', grantAuditReader);
  router.use([...ADMIN_PATHS], requireAdmin);
  router.use(createAuditRoutes({ db: deps.db }));
  router.use(createSiteSettingsRoutes({ db: deps.db, sites: deps.sites, logger: deps.logger }));
  router.use(createSiteBacktestRoutes({ db: deps.db }));
  router.use(createStaffedHoursRoutes({ db: deps.db, sites: deps.sites, logger: deps.logger }));
  router.use(createSignInSettingsRoutes({ db: deps.db }));
  router.use(createSiteDeleteRoutes({ db: deps.db, sites: deps.sites, logger: deps.logger }));
  router.use(createPrivacyRoutes({ db: deps.db, queues: deps.queues }));
  router.use(createWebhookRoutes({ db: deps.db }));
  router.use(createChatTargetRoutes({ db: deps.db }));
  router.use(createCheckHookRoutes({ db: deps.db }));
  router.use(createFailedJobsRoutes({ queue: deps.submissionsQueue }));
  router.use('/queues', createQueueBoard(deps.boardQueues));
  // Before the accounts' own routes: /moderators/invite is not an account id.
  router.use(createInviteRoutes({ db: deps.db, emailQueue: deps.emailQueue }));
  router.use(createTwoFactorResetRoutes({ db: deps.db }));
  router.use(createModeratorsRoutes({ db: deps.db }));
  return router;
}
