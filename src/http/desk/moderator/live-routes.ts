import { startEventStream } from '../../kit/event-stream.js';
import { Router, type Request, type Response } from 'express';
import { isUuid } from '../../../domain/comment-fields.js';
import { AppError } from '../../../errors.js';
import type { LiveCommentEvent, LiveFeed } from '../../../queue/live-events.js';
import type { Queryable } from '../../../store/db.js';
import { loadQueueCard, queueTabs, type QueueTab } from '../../../store/moderation-queue.js';
import { loadModerator, type Moderator } from '../../../store/moderators.js';
import { loadSite } from '../../../store/sites.js';
import { csrfTokenOf, sessionSignsIn } from '../moderator-session.js';
import type { DeskLiveEventName, DeskLiveEvents } from '../../../http-contract/desk-contract.js';
import { renderCard } from './queue-page.js';
import { asRoleAllows } from '../read-only-view.js';

/** How often an idle stream sends a comment line, so proxies and browsers keep it open. */
export const HEARTBEAT_MS = 20_000;

/**
 * The live routes' paths. Both answer 401 when signed out, never a redirect to sign in: they are
 * fetched by admin.js, never visited as pages; the desk's door (desk-door.ts) guards them so.
 */
export const LIVE_PATHS = ['/live', '/cards/:id'] as const;

function sseEvent<E extends DeskLiveEventName>(event: E, data: DeskLiveEvents[E]): string {
  return `event: ${event}\ndata: ${JSON.stringify(data)}\n\n`;
}

/**
 * The live queue: GET /admin/live streams newly held comments on the moderator's sites as server-sent
 * events; GET /admin/cards/:id renders one card for admin.js to insert.
 */
export function createLiveRoutes(deps: { db: Queryable; feed: LiveFeed | undefined; heartbeatMs?: number }): Router {
  const { db, feed } = deps;
  const heartbeatMs = deps.heartbeatMs ?? HEARTBEAT_MS;
  const router = Router();

  router.get(LIVE_PATHS[0], async (req: Request, res: Response) => {
    if (!feed) throw AppError.of('LIVE_UNAVAILABLE');
    let moderator = res.locals.moderator as Moderator;
    startEventStream(res);

    let open = true;
    const end = (): void => {
      if (!open) return;
      open = false;
      res.end();
    };
    // Signing out (here or on another API process) destroys the session in Redis, and a password
    // change moves the account's generation on: the stream asks the session store before every event
    // it sends and at every heartbeat, and ends once the session no longer signs this moderator in.
    const sessionId = req.sessionID;
    const store = req.sessionStore;
    const generation = req.session.generation;
    const stillSignedIn = (): Promise<boolean | null> =>
      new Promise((resolve) => {
        store.get(sessionId, (err, s) => {
          if (err)
            resolve(null); // Redis away: no events arrive either; decide at the next one
          else resolve(s?.moderatorId === moderator.id && s.generation === generation);
        });
      });
    const send = (event: LiveCommentEvent): void => {
      // Filtered per stream: one shared subscription carries every site's events.
      if (!open || !moderator.siteIds.includes(event.siteId)) return;
      void stillSignedIn().then((signedIn) => {
        if (signedIn === false) end();
        else if (signedIn === true && open) res.write(sseEvent('comment', event));
      });
    };
    const stop = feed.listen(send, () => res.end());
    const heartbeat = setInterval(() => {
      res.write(': heartbeat\n\n');
      void stillSignedIn().then((signedIn) => signedIn === false && end());
      // A moderator disabled, moved off a site or given a new password while watching stops seeing it within a beat.
      void loadModerator(db, moderator.id).then(
        (m) => {
          if (!open) return;
          if (!sessionSignsIn(m, generation)) end();
          else moderator = m;
        },
        () => {}, // Postgres away: keep the last known sites; the stream itself needs no database
      );
    }, heartbeatMs);
    // The response's close, not the request's: it fires when the browser goes away or we end the stream.
    res.on('close', () => {
      open = false;
      clearInterval(heartbeat);
      stop();
    });
    // "ready" says the subscription is live: events published from now on reach this stream.
    feed.ready().then(
      () => open && res.write(sseEvent('ready', { sites: moderator.siteIds })),
      () => {}, // Redis away: the stream stays quiet and the subscription comes back with Redis
    );
  });

  router.get(LIVE_PATHS[1], async (req: Request, res: Response) => {
    const m = res.locals.moderator as Moderator;
    const id = String(req.params.id);
    const tabParam = typeof req.query.tab === 'string' ? req.query.tab : '';
    const tab: QueueTab = queueTabs.includes(tabParam as QueueTab) ? (tabParam as QueueTab) : 'pending';
    const card = isUuid(id) ? await loadQueueCard(db, id, m.siteIds) : null;
    // Only a card that still belongs in the asking tab: another moderator may have acted on it already.
    const tabStatus = tab === 'reported' ? 'pending' : tab;
    if (card === null || card.status !== tabStatus)
      throw AppError.of('NOT_FOUND', { message: 'This comment is no longer in this queue.' });
    const site = await loadSite(db, card.siteId);
    res
      .type('html')
      .send(asRoleAllows(m, card.siteId, renderCard(card, tab, csrfTokenOf(req), site?.settings ?? null)).value);
  });

  return router;
}
