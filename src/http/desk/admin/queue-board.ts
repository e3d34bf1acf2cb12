import type { Queue } from 'bullmq';
import { createBullBoard } from '@bull-board/api';
import { BullMQAdapter } from '@bull-board/api/bullMQAdapter';
import { ExpressAdapter } from '@bull-board/express';
import { Router } from 'express';
import helmet from 'helmet';
import { shardNumbersOf } from '../../../queue/submission-shards.js';

/** Where the board lives; bull-board needs its absolute path for its links and API calls. */
export const QUEUE_BOARD_PATH = '/admin/queues';

/**
 * The BullMQ dashboard (bull-board) for admins, behind the desk's door (session, requireModerator) and the admin door (requireAdmin).
 *
 * Read-only: its buttons (retry, clean, promote) send requests without our CSRF token, so they are
 * off; retrying and discarding failed comments is done on /admin/failed, which has one.
 *
 * Its own Content-Security-Policy: the board's page is a React app whose scripts and stylesheet load
 * from 'self' (no inline script; its config is a JSON data block, which CSP does not run), but it sets
 * inline styles, so style-src allows 'unsafe-inline' here and nowhere else. Its Google web font is
 * not allowed (nothing leaves the server; the browser falls back to a system font).
 */
export function createQueueBoard(queues: readonly Queue[]): Router {
  const serverAdapter = new ExpressAdapter();
  const shards = shardNumbersOf(queues);
  serverAdapter.setBasePath(QUEUE_BOARD_PATH);
  createBullBoard({
    // bull-board tells queues apart by name, and the submission shards share theirs: shard i > 0 is
    // listed as `s<i>-submissions` (shard 0 keeps the plain name, as with one shard).
    queues: queues.map((q, i) => {
      const shard = shards[i];
      return new BullMQAdapter(q, {
        readOnlyMode: true,
        ...(shard ? { prefix: `s${shard}-`, displayName: `${q.name} (shard ${shard})` } : {}),
      });
    }),
    serverAdapter,
    options: { uiConfig: { boardTitle: 'Reply Desk queues' } },
  });
  const router = Router();
  router.use(
    helmet.contentSecurityPolicy({
      useDefaults: false,
      directives: {
        'default-src': ["'none'"],
        'script-src': ["'self'"],
        'style-src': ["'self'", "'unsafe-inline'"],
        'img-src': ["'self'", 'data:'],
        'font-src': ["'self'", 'data:'],
        'connect-src': ["'self'"],
        'form-action': ["'self'"],
        'base-uri': ["'self'"],
        'frame-ancestors': ["'none'"],
      },
    }),
    serverAdapter.getRouter() as Router,
  );
  return router;
}
