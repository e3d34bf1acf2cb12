import { effectivePageSettings } from '../../domain/pages/page-settings.js';
import { createHash } from 'node:crypto';
import { Router, type Request, type Response } from 'express';
import { isUuid } from '../../domain/comment-fields.js';
import { fieldLimits } from '../../domain/field-limits.js';
import type { VoteValue } from '../../domain/vote-score.js';
import { AppError } from '../../errors.js';
import type { Pool } from '../../store/db.js';
import { castVote, listVotesOnPage, loadVotable } from '../../store/conversation/votes.js';
import { parseJson } from '../kit/body-parsers.js';
import type { ClientAddressReader } from '../kit/client-address.js';
import { createNetworkKeys } from '../kit/network-key.js';
import { oneQueryString } from '../kit/query-values.js';
import { databaseDown } from '../kit/read-errors.js';
import { readReader, requireReader } from '../kit/reader-auth.js';
import type { AnnounceThread } from '../../queue/live-threads.js';
import type { SiteDirectory } from '../kit/site-directory.js';
import { assertOriginAllowed } from '../kit/site-origin.js';

export interface VoteRoutesDeps {
  db: Pool;
  sites: SiteDirectory;
  /** Reads the reader's address (src/http/kit/client-address.ts); left out, Express' req.ip. */
  clientAddress?: ClientAddressReader;
  /** Readers' live threads get the new counts; left out, they see them on their next read. */
  thread?: AnnounceThread;
}

/** The widget's browser key is a random token: at least 16 characters, at most 200. */
const KEY_PATTERN = /^[A-Za-z0-9_-]{16,200}$/;

/** Narrows the body to {value, key}; nothing else is read. */
export function readVoteInput(body: unknown): { value: VoteValue; key: string | null } {
  const b = typeof body === 'object' && body !== null && !Array.isArray(body) ? (body as Record<string, unknown>) : {};
  if (b.value !== 1 && b.value !== -1 && b.value !== 0) throw AppError.of('INVALID_VOTE', { field: 'value' });
  if (b.key !== undefined && b.key !== null && (typeof b.key !== 'string' || !KEY_PATTERN.test(b.key)))
    throw AppError.of('INVALID_KEY', { field: 'key' });
  return { value: b.value, key: typeof b.key === 'string' ? b.key : null };
}

/** A guest voter is their browser key, hashed: the key itself is never stored. */
const guestVoter = (key: string): string => `g:${createHash('sha256').update(key).digest('hex')}`;

/**
 * Readers' votes (issue 15): PUT /api/comments/:id/vote {value, key?} → {up, down, mine}, and
 * GET /api/readers/me/votes?site&page → {votes: {id: 1 | -1}} for a signed-in reader's own marks.
 * Guests keep their own marks in the widget; their votes need the site's `guestVotes` and a browser key.
 */
export function createVoteRoutes(deps: VoteRoutesDeps): Router {
  const { db, sites } = deps;
  const router = Router();
  const networkOf = createNetworkKeys(db);

  router.put(
    '/api/comments/:id/vote',
    (req, _res, next) => {
      if (req.is('application/json')) return next();
      next(AppError.of('UNSUPPORTED_MEDIA_TYPE', { message: 'Send the vote as application/json.' }));
    },
    parseJson,
    async (req: Request, res: Response) => {
      const input = readVoteInput(req.body);
      const id = String(req.params.id).toLowerCase();
      if (!isUuid(id)) throw AppError.of('NOT_FOUND', { message: 'No such comment.', field: 'id' });
      let comment;
      try {
        comment = await loadVotable(db, id);
      } catch (err) {
        throw databaseDown(err, 'Votes');
      }
      const site =
        comment === null
          ? null
          : await sites.get(comment.siteId).catch((err: unknown) => {
              throw databaseDown(err, 'Votes');
            });
      if (comment === null || site === null || comment.status !== 'approved')
        throw AppError.of('NOT_FOUND', { message: 'No such comment.', field: 'id' });
      assertOriginAllowed(req, site, 'sent');
      const { guestVotes } = site.settings;
      const { votes } = effectivePageSettings(site.settings, comment.pageSettings);
      if (votes === 'off') throw AppError.of('VOTES_OFF');
      if (input.value === -1 && votes !== 'updown')
        throw AppError.of('VOTES_OFF', { message: 'Only up votes are counted on this site.', field: 'value' });
      const reader = await readReader(db, req, site.id);
      if (reader === null && !guestVotes)
        throw AppError.of('SIGN_IN_REQUIRED', { message: 'Please sign in to vote on this site.' });
      if (reader === null && input.key === null)
        throw AppError.of('INVALID_KEY', { message: 'A guest vote needs the browser key.', field: 'key' });
      const address = deps.clientAddress?.(req) ?? { ip: req.ip ?? null, distinct: true };
      let network;
      try {
        network = await networkOf(address.ip);
      } catch (err) {
        throw databaseDown(err, 'Votes');
      }
      // Nobody lifts their own comment: a reader by identity; a guest by the network it was sent from,
      // as long as the comment still keeps its address (IP retention truncates it after the site's days).
      const own =
        reader !== null
          ? comment.readerId === reader.id
          : comment.readerId === null && comment.ip !== null && (await networkOf(comment.ip)) === network;
      if (own) throw AppError.of('OWN_COMMENT');
      let result;
      try {
        result = await castVote(db, {
          commentId: id,
          voter: reader !== null ? `r:${reader.id}` : guestVoter(input.key as string),
          readerId: reader?.id ?? null,
          network,
          value: input.value,
        });
      } catch (err) {
        throw databaseDown(err, 'Votes');
      }
      if (result.outcome === 'network_used') throw AppError.of('ALREADY_VOTED');
      if (result.outcome === 'rate_limited') {
        const wait = result.retryAfterSeconds;
        throw AppError.of('RATE_LIMITED', {
          message: `Too many votes just now; please try again in ${wait} second${wait === 1 ? '' : 's'}.`,
          retryAfter: wait,
        });
      }
      // Removed between the read above and the vote's lock.
      if (result.outcome !== 'voted') throw AppError.of('NOT_FOUND', { message: 'No such comment.', field: 'id' });
      // Best effort: the counts are on the row, and every reader sees them on their next read anyway.
      void deps
        .thread?.([{ type: 'vote', site: comment.siteId, id, page: comment.page, up: result.up, down: result.down }])
        .catch(() => {});
      res.set('Cache-Control', 'no-store').json({ up: result.up, down: result.down, mine: result.mine });
    },
  );

  router.get('/api/readers/me/votes', async (req: Request, res: Response) => {
    const siteId = oneQueryString(req, 'site', true) as string;
    const page = oneQueryString(req, 'page', true, fieldLimits.page) as string;
    const site = await sites.get(siteId).catch((err: unknown) => {
      throw databaseDown(err, 'Votes');
    });
    if (site === null) throw AppError.of('UNKNOWN_SITE', { status: 404, field: 'site' });
    assertOriginAllowed(req, site, 'shown');
    const reader = await requireReader(db, req, site.id);
    let votes;
    try {
      votes = await listVotesOnPage(db, { siteId: site.id, page, voter: `r:${reader.id}` });
    } catch (err) {
      throw databaseDown(err, 'Votes');
    }
    res.set('Cache-Control', 'no-store').json({ votes });
  });

  return router;
}
