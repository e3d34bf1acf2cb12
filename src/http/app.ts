import express, { type Express } from 'express';
import helmet from 'helmet';
import type { RedisClient } from '../redis.js';
import type { Logger } from 'pino';
import { join } from 'node:path';
import { projectRoot } from '../paths.js';
import type { ApiMetrics } from '../metrics/api-metrics.js';
import type { FormTokens } from '../flood/form-token.js';
import type { IntakeGuard } from '../flood/intake-guard.js';
import { createPreviewThrottle } from '../flood/preview-throttle.js';
import type { UsedFormTokens } from '../flood/used-form-tokens.js';
import type { SubmissionShards } from '../queue/submission-shards.js';
import type { TrainingQueue } from '../queue/training-queue.js';
import type { CommentEventsQueue } from '../queue/comment-events-queue.js';
import type { LiveThreads } from '../queue/live-threads.js';
import type { Pool, Queryable } from '../store/db.js';
import { createClientAddressReader } from './kit/client-address.js';
import { createDeskDoor, type DashboardDeps } from './desk/desk-door.js';
import { createDemoRoutes } from './demo/demo-routes.js';
import { createDeskScriptRoute } from './desk/desk-script-route.js';
import { createErrorHandler, notFound } from './error-handler.js';
import { createMailDoor } from './mail/mail-door.js';
import { createHealthRoutes } from './ops/health-routes.js';
import { createPublicDoor } from './public/public-door.js';
import { createReadersDoor } from './readers/readers-door.js';
import type { EmailQueue } from '../queue/email-queue.js';
import type { EditsQueue } from '../queue/edits-queue.js';
import type { SiteDirectory } from './kit/site-directory.js';
import { precomputeHeaders } from './kit/static-headers.js';
import { createSuspensionLookup } from '../store/authors/author-suspensions.js';
import type { OnAppealOpened } from '../moderation/appeal-opened.js';

export interface AppDeps {
  db: Pool;
  /** Where public thread and count reads go (a replica, DATABASE_READ_URL); left out, `db`. */
  readDb?: Queryable;
  /** The producer connection: used for readiness only (the queue has its own reference). */
  redis: RedisClient;
  /** The submission queues, one per SUBMISSION_SHARDS (src/queue/submission-shards.ts). */
  queue: SubmissionShards;
  /**
   * People's decisions (the desk, mail links) go to the spam classifier through this queue; left out,
   * nothing is learned. The entry file makes it and closes it: the app creates no queue of its own.
   */
  training?: TrainingQueue;
  /** Comment events (webhooks, reply mails) from the desk, mail links and readers' flags; left out, none are announced. */
  events?: CommentEventsQueue;
  sites: SiteDirectory;
  logger: Logger;
  publicUrl: string;
  enqueueTimeoutMs: number;
  /** Express `trust proxy` value; '' trusts no proxy. */
  trustProxy: string;
  /** Serve the demo article at `/`. */
  demo: boolean;
  /** Rate limits and surge detection at intake (src/flood/intake-guard.ts); left out, none. */
  intakeGuard?: IntakeGuard;
  /** Signs and checks form tokens (demo form, widget); left out, no form carries one. */
  formTokens?: FormTokens;
  /** Keeps form tokens single-use (src/flood/used-form-tokens.ts); left out, a token may be reused. */
  usedFormTokens?: UsedFormTokens;
  /**
   * Mail can be sent (SMTP_URL is set), so forms offer "notify me of replies"; left out, they do not:
   * a box whose mail never comes is a promise broken.
   */
  replyMail?: boolean;
  /**
   * Mail jobs the API queues itself (readers' sign-in links); left out, email sign-in is not offered.
   * Only set when SMTP_URL is: a link whose mail never comes is a promise broken.
   */
  emailQueue?: EmailQueue;
  /**
   * Authors' edits of their own comments, checked by the edit worker (src/queue/edits-queue.ts); left
   * out, PATCH /api/comments/:id answers 503. The entry file makes it and closes it.
   */
  edits?: EditsQueue;
  /** The moderators' dashboard at /admin; left out, there is none. */
  dashboard?: Omit<
    DashboardDeps,
    'db' | 'logger' | 'sites' | 'submissionsQueue' | 'training' | 'events' | 'thread' | 'emailQueue' | 'suspensions'
  >;
  /** Request metrics and GET /metrics (src/metrics/api-metrics.ts); left out, none. */
  metrics?: ApiMetrics;
  /**
   * Readers' live threads (GET /api/live), and the announcer every change readers see goes through
   * (src/queue/live-threads.ts); left out, /api/live answers 503 and nothing is announced.
   */
  liveThreads?: LiveThreads;
  /** Told of each new appeal (src/moderation/appeal-opened.ts: chat notifications hang here); left out, nobody is. */
  onAppealOpened?: OnAppealOpened;
}

function toTrustProxy(value: string): boolean | string | string[] {
  if (value === '' || value === 'false') return false;
  if (value === 'true') return true;
  return value
    .split(',')
    .map((v) => v.trim())
    .filter(Boolean);
}

/** Builds the HTTP app; the caller decides where it listens. */
export function createApp(deps: AppDeps): Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('trust proxy', toTrustProxy(deps.trustProxy));
  // Helmet's headers here depend on nothing in the request: set from a list made once (static-headers.ts).
  app.use(
    precomputeHeaders(
      helmet({
        contentSecurityPolicy: {
          useDefaults: false,
          // Our pages carry no script at all, and reader HTML can never load anything from elsewhere.
          directives: {
            'default-src': ["'none'"],
            'style-src': ["'self'"],
            'img-src': ["'self'", 'data:'],
            'form-action': ["'self'"],
            'base-uri': ["'none'"],
            'frame-ancestors': ["'none'"],
          },
        },
        // The JSON API is read cross-origin by the widget (CORS decides who may).
        crossOriginResourcePolicy: { policy: 'cross-origin' },
        // Not "no-referrer": under it browsers send "Origin: null" even on a same-origin form post, and
        // the demo form's post would be refused as coming from a foreign origin.
        referrerPolicy: { policy: 'strict-origin-when-cross-origin' },
      }),
    ),
  );

  // First, so every answer is counted, including errors, 404s and the CORS refusals of the public door.
  if (deps.metrics) app.use(deps.metrics.http);
  // The wings, each behind its door. Their paths are disjoint; the public one comes first because
  // every comment posted goes through it, and a router that matches nothing hands a request on only
  // in the next turn of the event loop (setImmediate): a post must not pay such turns for the others.
  // One reader of readers' addresses for every route, so its "proxy not trusted" warning is said once.
  const clientAddress = createClientAddressReader(deps.logger);
  // Previews are counted on the producer connection, under the queues' prefix (as sign-in tries are).
  const previewThrottle = createPreviewThrottle(deps.redis, deps.queue.prefix);
  // Running suspensions (issue 16), read by intake and told by the desk when it changes one.
  const suspensions = createSuspensionLookup(deps.db, {
    onError: (err) => deps.logger.warn({ err }, 'suspensions not read; the comment goes through'),
  });
  app.use(
    createPublicDoor({ ...deps, clientAddress, replyMail: deps.replyMail ?? false, previewThrottle, suspensions }),
  );
  // Readers' sign-in and accounts (/api/readers/…, /readers/… pages): no session, the bearer token decides.
  app.use(
    createReadersDoor({
      db: deps.db,
      sites: deps.sites,
      logger: deps.logger,
      publicUrl: deps.publicUrl,
      clientAddress,
      emailQueue: deps.emailQueue,
      queues: { redis: deps.redis, prefix: deps.queue.prefix, submissionShards: deps.queue.count },
    }),
  );
  if (deps.metrics) app.use(deps.metrics.routes);
  app.use(createHealthRoutes({ db: deps.db, redis: deps.redis }));
  // Links in notice mails (one-click moderation, unsubscribe): no session, the signed token decides.
  if (deps.dashboard) {
    app.use(
      createMailDoor({
        db: deps.db,
        events: deps.events,
        training: deps.training,
        logger: deps.logger,
        thread: deps.liveThreads?.announce,
        publicUrl: deps.publicUrl,
        onAppealOpened: deps.onAppealOpened,
      }),
    );
  }
  app.use(createDeskScriptRoute({ logger: deps.logger })); // /assets/admin.js, built from widget/desk/
  app.use('/assets', express.static(join(projectRoot, 'public'), { maxAge: '1h', index: false }));
  if (deps.dashboard)
    app.use(
      '/admin',
      createDeskDoor({
        ...deps.dashboard,
        db: deps.db,
        logger: deps.logger,
        sites: deps.sites,
        submissionsQueue: deps.queue,
        training: deps.training,
        events: deps.events,
        thread: deps.liveThreads?.announce,
        emailQueue: deps.emailQueue,
        suspensions,
      }),
    );
  if (deps.demo) app.use(createDemoRoutes(deps));
  app.use(notFound);
  app.use(createErrorHandler(deps.logger));
  return app;
}
