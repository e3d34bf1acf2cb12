import { Router } from 'express';
import helmet from 'helmet';
import type { RedisClient } from '../../redis.js';
import type { Logger } from 'pino';
import { createSessionMiddleware } from '../../auth/session.js';
import { createSignInCsrf } from '../../auth/sign-in-csrf.js';
import { createSignInThrottle } from '../../auth/sign-in-throttle.js';
import type { BulkQueue } from '../../queue/bulk-queue.js';
import type { Queue } from 'bullmq';
import type { LiveFeed } from '../../queue/live-events.js';
import type { SubmissionShards } from '../../queue/submission-shards.js';
import { createSurgeReader } from '../../flood/surge-state.js';
import { listActivePageSurges } from '../../flood/page-surge-tracker.js';
import type { TrainingQueue } from '../../queue/training-queue.js';
import type { CommentEventsQueue } from '../../queue/comment-events-queue.js';
import type { AnnounceThread } from '../../queue/live-threads.js';
import type { Pool } from '../../store/db.js';
import { createAdminDoor } from './admin/admin-door.js';
import { createBulkRoutes } from './moderator/bulk-routes.js';
import { createFeatureRoutes } from './moderator/feature-routes.js';
import { rejectControlCharacters } from './dashboard-input.js';
import { createLiveRoutes, LIVE_PATHS } from './moderator/live-routes.js';
import { createModeratorRoutes, parseDashboardBody } from './moderator/moderator-routes.js';
import { createPageTitleRoutes } from './moderator/page-title-routes.js';
import { createPageRoutes } from './moderator/page-routes.js';
import {
  limitToActingSites,
  loadSignedInModerator,
  requireCsrf,
  requireModerator,
  requireModeratorApi,
  requireTwoFactorEnrolment,
} from './moderator-session.js';
import { createSessionList } from '../../auth/session-list.js';
import type { EmailQueue } from '../../queue/email-queue.js';
import { createSecretLoader } from '../../store/secrets.js';
import { createInviteAcceptRoutes } from './invite-accept-routes.js';
import { createSessionRoutes } from './moderator/session-routes.js';
import { createTwoFactorRoutes } from './moderator/two-factor-routes.js';
import { createTwoFactorSignInRoutes } from './two-factor-sign-in-routes.js';
import { createPageSettingsRoutes } from './moderator/page-settings-routes.js';
import { createPageBacktestRoutes } from './moderator/page-backtest-routes.js';
import { createMySettingsRoutes } from './moderator/my-settings-routes.js';
import { createReaderRoutes } from './moderator/reader-routes.js';
import { createAppealRoutes } from './moderator/profiles/appeal-routes.js';
import { createProfileRoutes } from './moderator/profiles/profile-routes.js';
import type { SuspensionLookup } from '../../store/authors/author-suspensions.js';
import { createSignInRoutes } from './sign-in-routes.js';
import type { SiteDirectory } from '../kit/site-directory.js';

export interface DashboardDeps {
  db: Pool;
  /** Sessions, sign-in throttling and live updates live here. */
  redis: RedisClient;
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
  /** The submission queues (every shard), for the admins' Failed jobs page; left out, that page answers 503. */
  submissionsQueue?: SubmissionShards;
  /** Moderators' decisions train the spam classifier through this queue; left out, they do not. */
  training?: TrainingQueue;
  /** Moderators' decisions are announced (webhooks, reply mails) through this queue; left out, they are not. */
  events?: CommentEventsQueue;
  /** Readers' live threads hear of moderators' decisions through this; left out, they do not. */
  thread?: AnnounceThread;
  /** Intake's cache of running suspensions, told when the desk suspends or lifts (issue 16); left out, none. */
  suspensions?: SuspensionLookup;
  /** Queues the admins' BullMQ board (/admin/queues) shows; left out, the submissions and bulk queues. */
  boardQueues?: readonly Queue[];
  /** Invites' mails (set when SMTP_URL is); left out, admins cannot invite by mail. */
  emailQueue?: EmailQueue;
}

/**
 * The desk's door: the moderators' dashboard at /admin. Its guard is applied here, once, in this
 * order, and no route behind it repeats it; the order is the point, so each step says why it stands
 * where it does.
 */
export function createDeskDoor(deps: DashboardDeps): Router {
  const router = Router();
  // 1. Headers for every desk answer, signed in or not: a Content-Security-Policy that lets the
  //    dashboard's own script (and nothing else) run, and no caching of pages that show reader data.
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
  // 2. Bodies, before anything reads one: CSRF (step 4) finds its token in the form body.
  router.use(...parseDashboardBody);
  router.use(rejectControlCharacters);
  // 3. Who is signed in: the session, then the moderator it names (null when signed out, disabled,
  //    or from before a password change).
  router.use(
    createSessionMiddleware({
      redis: deps.redis,
      prefix: deps.prefix,
      secret: deps.sessionSecret,
      idleMinutes: deps.idleMinutes,
      secure: deps.secureCookies,
    }),
  );
  router.use(loadSignedInModerator(deps.db));
  // 4. CSRF on every signed-in POST (sign-in checks its own cookie token: there is no session yet).
  router.use(requireCsrf);
  // 5. Open to everyone: sign-in (its password step, its code step for two-factor accounts, and an
  //    invite's set-password form) and sign-out, which must be reachable signed out. All three forms
  //    live under /admin/sign-in, where the sign-in form's CSRF cookie goes.
  const signIn = {
    db: deps.db,
    throttle: createSignInThrottle(deps.redis, deps.prefix),
    csrf: createSignInCsrf({ secret: deps.sessionSecret, secure: deps.secureCookies }),
    sessions: createSessionList(deps.redis, deps.prefix),
  };
  // The key TOTP secrets are sealed under (src/auth/two-factor-secret.ts), read on first use.
  const twoFactorKey = createSecretLoader(deps.db, 'two-factor-key');
  router.use(createSignInRoutes(signIn));
  router.use(createTwoFactorSignInRoutes({ ...signIn, twoFactorKey }));
  router.use(createInviteAcceptRoutes(signIn));
  // 6. The guard, once. admin.js's own fetches (the live stream and its cards) hear 401 when signed
  //    out, so the script can say "sign in again"; everything else, pages and forms, goes through
  //    requireModerator: a page visit is redirected to sign in, an API call (Accept: JSON) gets 401.
  router.get([...LIVE_PATHS], requireModeratorApi);
  router.use(requireModerator);
  // 6b. Where a site requires two-factor, an account without it may only enrol (and sign out) first;
  //     then every request that changes something sees only the sites where its role may act (a
  //     viewer acts nowhere: 403 VIEWER_READ_ONLY), so the routes' site checks refuse the rest.
  router.use(requireTwoFactorEnrolment);
  router.use(limitToActingSites);
  // 7. The moderators' rooms. Paths are disjoint, so their order is free.
  router.use(createLiveRoutes({ db: deps.db, feed: deps.liveFeed }));
  router.use(
    createModeratorRoutes({
      db: deps.db,
      training: deps.training,
      logger: deps.logger,
      events: deps.events,
      thread: deps.thread,
      surge: createSurgeReader(deps.redis, deps.prefix),
      pageSurges: (siteIds) => listActivePageSurges(deps.redis, deps.prefix, siteIds),
    }),
  );
  router.use(createFeatureRoutes({ db: deps.db }));
  router.use(createPageTitleRoutes({ db: deps.db }));
  router.use(createPageRoutes({ db: deps.db }));
  router.use(createPageSettingsRoutes({ db: deps.db, sites: deps.sites }));
  router.use(createPageBacktestRoutes({ db: deps.db }));
  router.use(createBulkRoutes({ db: deps.db, bulkQueue: deps.bulkQueue }));
  router.use(createMySettingsRoutes({ db: deps.db }));
  router.use(createTwoFactorRoutes({ db: deps.db, twoFactorKey }));
  router.use(createSessionRoutes({ db: deps.db, sessions: signIn.sessions }));
  router.use(createReaderRoutes({ db: deps.db, logger: deps.logger, events: deps.events }));
  router.use(createProfileRoutes({ db: deps.db, suspensions: deps.suspensions }));
  router.use(
    createAppealRoutes({
      db: deps.db,
      logger: deps.logger,
      training: deps.training,
      events: deps.events,
      thread: deps.thread,
    }),
  );
  // 8. The admins' rooms, behind requireAdmin on their own paths (admin/admin-door.ts).
  router.use(
    createAdminDoor({
      db: deps.db,
      logger: deps.logger,
      sites: deps.sites,
      submissionsQueue: deps.submissionsQueue,
      queues: { redis: deps.redis, prefix: deps.prefix, submissionShards: deps.submissionsQueue?.count },
      emailQueue: deps.emailQueue,
      boardQueues:
        deps.boardQueues ??
        [...(deps.submissionsQueue?.all() ?? []), deps.bulkQueue].filter(
          (q): q is NonNullable<typeof q> => q !== undefined,
        ),
    }),
  );
  return router;
}
