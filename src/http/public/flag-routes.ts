import { createHash } from 'node:crypto';
import { Router, type Request, type Response } from 'express';
import { isUuid } from '../../domain/comment-fields.js';
import type { Site } from '../../domain/site-settings.js';
import { AppError } from '../../errors.js';
import type { CommentEventsQueue } from '../../queue/comment-events-queue.js';
import type { Pool } from '../../store/db.js';
import { flagComment, flagReasons, loadFlaggable, type FlagReason } from '../../store/flags.js';
import { parseJson } from '../kit/body-parsers.js';
import type { ClientAddressReader } from '../kit/client-address.js';
import { createNetworkKeys } from '../kit/network-key.js';
import { databaseDown } from '../kit/read-errors.js';
import type { SiteDirectory } from '../kit/site-directory.js';
import type { Logger } from 'pino';
import { createStatusChanges } from '../../moderation/status-changes.js';
import type { AnnounceThread } from '../../queue/live-threads.js';

export interface FlagRoutesDeps {
  db: Pool;
  sites: SiteDirectory;
  /** Comment events: a comment the flags sent back to the queue is announced (comment.held); left out, nothing is. */
  events?: CommentEventsQueue;
  /** Readers' live threads: a comment flags take down leaves them; left out, nobody is told. */
  thread?: AnnounceThread;
  /** Where a comment event that could not be queued is logged. */
  logger: Logger;
  /** Reads the reader's address (src/http/kit/client-address.ts); left out, Express' req.ip as it is, taken as distinct. */
  clientAddress?: ClientAddressReader;
}

/** The widget's browser key is a random token; anything longer is not one. */
const MAX_KEY = 200;

/**
 * Who flagged, without keeping who they are: a hash of the IP and the widget's browser key. One flag
 * per reader per comment; neither the IP nor the key is stored in the clear.
 */
export function toReporter(ip: string, key: string): string {
  return createHash('sha256').update(`${ip}\n${key}`).digest('hex');
}

/** Narrows the body to {reason, key}; nothing else is read. */
export function readFlagInput(body: unknown): { reason: FlagReason; key: string } {
  const b = typeof body === 'object' && body !== null && !Array.isArray(body) ? (body as Record<string, unknown>) : {};
  if (typeof b.reason !== 'string' || !flagReasons.includes(b.reason as FlagReason)) {
    throw AppError.of('INVALID_REASON', { message: `Choose a reason: ${flagReasons.join(', ')}.`, field: 'reason' });
  }
  if (b.key !== undefined && b.key !== null && (typeof b.key !== 'string' || b.key.length > MAX_KEY)) {
    throw AppError.of('INVALID_KEY', { field: 'key' });
  }
  return { reason: b.reason as FlagReason, key: typeof b.key === 'string' ? b.key : '' };
}

/** Readers' flags: POST /api/comments/:id/flag. */
export function createFlagRoutes(deps: FlagRoutesDeps): Router {
  const { db, sites } = deps;
  const router = Router();
  const after = createStatusChanges({ logger: deps.logger, events: deps.events, thread: deps.thread });
  const networkOf = createNetworkKeys(db);

  router.post(
    '/api/comments/:id/flag',
    (req, _res, next) => {
      if (req.is('application/json')) return next();
      next(AppError.of('UNSUPPORTED_MEDIA_TYPE', { message: 'Send the flag as application/json.' }));
    },
    parseJson,
    async (req: Request, res: Response) => {
      const input = readFlagInput(req.body);
      const id = String(req.params.id).toLowerCase();
      if (!isUuid(id)) throw AppError.of('NOT_FOUND', { message: 'No such comment.', field: 'id' });
      let comment;
      let site: Site | null;
      try {
        comment = await loadFlaggable(db, id);
        site = comment === null ? null : await sites.get(comment.siteId);
      } catch (err) {
        throw databaseDown(err, 'Flags');
      }
      if (comment === null || site === null)
        throw AppError.of('NOT_FOUND', { message: 'No such comment.', field: 'id' });
      // As for posting a comment: browsers always send Origin cross-origin, and only the comment's own
      // site's pages may flag it.
      const origin = req.get('origin');
      if (origin !== undefined && !site.allowedOrigins.includes(origin)) {
        throw AppError.of('ORIGIN_NOT_ALLOWED', {
          message: 'Comments for this site cannot be flagged from this page.',
        });
      }
      const address = deps.clientAddress?.(req) ?? { ip: req.ip ?? null, distinct: true };
      let result;
      try {
        const network = await networkOf(address.ip);
        result = await flagComment(db, {
          id,
          reason: input.reason,
          reporter: toReporter(address.ip ?? '', input.key),
          network,
          // A shared address (every reader behind an untrusted proxy) is one network already; limiting it
          // would silence all of them together.
          rateLimited: address.distinct,
          threshold: site.settings.flagThreshold,
        });
      } catch (err) {
        throw databaseDown(err, 'Flags');
      }
      if (result.outcome === 'not_published')
        throw AppError.of('NOT_FOUND', { message: 'No such comment.', field: 'id' });
      if (result.outcome === 'rate_limited') {
        const wait = result.retryAfterSeconds;
        throw AppError.of('RATE_LIMITED', {
          message: `Too many flags from your network just now; please try again in ${wait} second${wait === 1 ? '' : 's'}.`,
          retryAfter: wait,
        });
      }
      if (result.outcome === 'reported') {
        // After the commit; the reader's flag stands whatever Redis says, so this never fails the request.
        await after.changed([{ id, siteId: comment.siteId, fromStatus: 'approved', toStatus: 'pending' }], 'flags');
      }
      // The same answer for a first and a repeat flag: a reader cannot tell whether others flagged too.
      res.status(202).set('Cache-Control', 'no-store').json({ flagged: true });
    },
  );

  return router;
}
