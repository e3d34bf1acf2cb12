import cors from 'cors';
import { Router } from 'express';
import type { CommentEventsQueue } from '../../queue/comment-events-queue.js';
import type { Pool } from '../../store/db.js';
import type { ClientAddressReader } from '../kit/client-address.js';
import { createEmbedRoutes } from './embed-routes.js';
import { createFeedRoutes } from './feed-routes.js';
import { createFlagRoutes } from './flag-routes.js';
import { createOwnCommentRoutes, EDIT_KEY_HEADER } from './own-comment-routes.js';
import type { EditsQueue } from '../../queue/edits-queue.js';
import { createPublicRoutes, type PublicRoutesDeps } from './public-routes.js';
import { createVoteRoutes } from './vote-routes.js';
import { createWarningRoutes } from './warning-routes.js';
import { createEditKeys } from '../../readers/edit-keys.js';
import { createLiveThreadRoutes } from './live-routes.js';
import type { LiveThreads } from '../../queue/live-threads.js';
import type { PreviewThrottle } from '../../flood/preview-throttle.js';
import { createPreviewRoutes } from './preview-routes.js';
import { createAvatarRoutes } from './avatar-routes.js';
import { AVATAR_SECRET } from '../../domain/avatar-url.js';
import { createSecretLoader } from '../../store/secrets.js';

export interface PublicDoorDeps extends PublicRoutesDeps {
  db: Pool;
  /** One reader of readers' addresses for every route, so its "proxy not trusted" warning is said once. */
  clientAddress: ClientAddressReader;
  /** Comment events: a comment readers' flags sent back to the queue is announced; left out, nothing is. */
  events?: CommentEventsQueue;
  /** Whether forms offer reply notifications by mail (SMTP is configured). */
  replyMail: boolean;
  /** Authors' edits of their own comments (src/queue/edits-queue.ts); left out, PATCH answers 503. */
  edits?: EditsQueue;
  /** Readers' live threads (GET /api/live, and what flags, votes and authors change); left out, none. */
  liveThreads?: LiveThreads;
  /** Markdown previews per network (POST /api/preview); left out, none are counted. */
  previewThrottle?: PreviewThrottle;
}

/**
 * The public wing's door: readers and the widget, with no session. What it applies once, for every
 * /api route behind it, is CORS: any known site's origin may call, and every answer varies on Origin.
 * Which site's pages may write or show *this* comment (kit/site-origin.ts, assertOriginAllowed) can
 * only be decided once a route has read the site (from the body, the query, or the comment), so each
 * route asks that one helper at the point it knows the site; the door's CORS is what lets the browser
 * ask at all.
 */
export function createPublicDoor(deps: PublicDoorDeps): Router {
  const router = Router();
  // Every /api answer depends on Origin (CORS headers for a site's origin, none or a 403 for others),
  // also when cors() adds no headers: without Vary a shared cache could hand one origin's answer (or
  // the no-Origin one) to another (`public, max-age` on counts and site settings invites caching).
  router.use('/api', (_req, res, next) => {
    res.vary('Origin');
    next();
  });
  // Preflights carry no site id, so any site's origin may ask; each route then checks its own site.
  router.use(
    '/api',
    cors({
      origin: (origin, cb) => cb(null, origin !== undefined && deps.sites.isKnownOrigin(origin)),
      // PATCH and DELETE: a reader edits or deletes their own comment, signs out, erases their account.
      // PUT: a vote (PUT /api/comments/:id/vote).
      methods: ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'],
      // Authorization: a signed-in reader's bearer token (src/http/kit/reader-auth.ts); no cookies.
      // X-Edit-Key: a guest's key to delete their own comment (own-comment-routes.ts).
      allowedHeaders: ['Content-Type', 'Authorization', EDIT_KEY_HEADER],
      // The widget reads Retry-After on a 429/503 to tell the reader when to try again.
      exposedHeaders: ['Retry-After'],
      maxAge: 600,
    }),
  );
  // First: posting and reading comments is the hot path, and a router none of whose routes match
  // hands the request on only in the next turn of the event loop.
  // One avatar key for the thread and the live thread, read from app_secrets once (src/domain/avatar-url.ts).
  const avatarSecret = deps.avatarSecret ?? createSecretLoader(deps.db, AVATAR_SECRET);
  router.use(createPublicRoutes({ ...deps, avatarSecret }));
  router.use(
    createFlagRoutes({
      db: deps.db,
      sites: deps.sites,
      events: deps.events,
      thread: deps.liveThreads?.announce,
      logger: deps.logger,
      clientAddress: deps.clientAddress,
    }),
  );
  // Readers' votes (issue 15): PUT /api/comments/:id/vote, GET /api/readers/me/votes.
  router.use(
    createVoteRoutes({
      db: deps.db,
      sites: deps.sites,
      clientAddress: deps.clientAddress,
      thread: deps.liveThreads?.announce,
    }),
  );
  router.use(
    createLiveThreadRoutes({
      db: deps.db,
      sites: deps.sites,
      logger: deps.logger,
      clientAddress: deps.clientAddress,
      live: deps.liveThreads,
      publicUrl: deps.publicUrl,
      avatarSecret,
    }),
  );
  // The form's Markdown preview (issue 15): POST /api/preview, rendered as the worker will publish it.
  router.use(
    createPreviewRoutes({ sites: deps.sites, clientAddress: deps.clientAddress, throttle: deps.previewThrottle }),
  );
  // Moderators' warnings to their reader (issue 16): POST /api/warnings, POST /api/warnings/:id/seen.
  router.use(
    createWarningRoutes({ db: deps.db, sites: deps.sites, editKeys: deps.editKeys ?? createEditKeys(deps.db) }),
  );
  // Authors editing or deleting their own comment (issue 14): PATCH and DELETE /api/comments/:id.
  router.use(
    createOwnCommentRoutes({
      db: deps.db,
      sites: deps.sites,
      logger: deps.logger,
      publicUrl: deps.publicUrl,
      edits: deps.edits,
      queue: deps.queue,
      enqueueTimeoutMs: deps.enqueueTimeoutMs,
      editKeys: deps.editKeys,
      events: deps.events,
      thread: deps.liveThreads?.announce,
    }),
  );
  // The widget's scripts (embed.js, count.js) and the site settings its form follows.
  router.use(
    createEmbedRoutes({
      sites: deps.sites,
      db: deps.readDb ?? deps.db,
      logger: deps.logger,
      formTokens: deps.formTokens,
      replyMail: deps.replyMail,
    }),
  );
  // The identicons the thread's avatars name (GET /avatars/<hash>.svg).
  router.use(createAvatarRoutes());
  router.use(createFeedRoutes({ db: deps.db, sites: deps.sites, publicUrl: deps.publicUrl }));
  return router;
}
