import { startEventStream } from '../kit/event-stream.js';
import { Router, type Request, type Response } from 'express';
import type { Logger } from 'pino';
import { fieldLimits } from '../../domain/field-limits.js';
import type { Site } from '../../domain/site-settings.js';
import { AppError } from '../../errors.js';
import { toRateKeys } from '../../flood/ip-network.js';
import { compareSeq, isThreadSeq, readThreadLog, threadLogHead, type LiveThreads } from '../../queue/live-threads.js';
import type { Queryable } from '../../store/db.js';
import type { ClientAddressReader } from '../kit/client-address.js';
import { oneQueryString } from '../kit/query-values.js';
import { databaseDown } from '../kit/read-errors.js';
import type { SiteDirectory } from '../kit/site-directory.js';
import { assertOriginAllowed } from '../kit/site-origin.js';
import {
  closedEventData,
  createLiveThreadHub,
  sseChunk,
  type LiveStream,
  type LiveThreadEvent,
} from './live-thread-hub.js';

export interface LiveThreadRoutesDeps {
  db: Queryable;
  sites: SiteDirectory;
  logger: Logger;
  clientAddress: ClientAddressReader;
  /** The channel's feed and Redis for the log a reconnecting stream replays; left out, 503 LIVE_UNAVAILABLE. */
  live?: LiveThreads;
  /** Where this service answers: the avatar URLs of the comments streamed. */
  publicUrl: string;
  /** The avatars' HMAC key (src/domain/avatar-url.ts). */
  avatarSecret: () => Promise<string>;
  /** Open live threads per network (an IPv4 address or an IPv6 /64). @defaultValue 10 */
  maxPerNetwork?: number;
  /** Open live threads per API process. @defaultValue 20,000 */
  maxStreams?: number;
}

/** How much of the log a reconnecting stream replays; past that it is told to reload (`reset`). */
const MAX_REPLAY = 500;

/**
 * GET /api/live?site=…&page=… — a reader's live thread (issue 15, item 4): server-sent events for one
 * page, `comment` (a newly published comment, as the thread lists it), `vote` ({id, up, down}),
 * `removed` ({id}) and `closed` ({reason}), each with the thread log's entry id as its SSE id, so a
 * browser that reconnects with `Last-Event-ID` gets what it missed (or `reset`: reload the thread).
 * `ready` says the stream is open and where it starts. Capped per network and per process.
 */
export function createLiveThreadRoutes(deps: LiveThreadRoutesDeps): Router {
  const router = Router();
  const live = deps.live;
  const maxPerNetwork = deps.maxPerNetwork ?? 10;
  const maxStreams = deps.maxStreams ?? 20_000;
  const hub = live
    ? createLiveThreadHub({
        db: deps.db,
        sites: deps.sites,
        feed: live.feed,
        logger: deps.logger,
        heartbeatMs: live.heartbeatMs ?? 20_000,
        publicUrl: deps.publicUrl,
        avatarSecret: deps.avatarSecret,
      })
    : null;
  const perNetwork = new Map<string, number>();

  router.get('/api/live', async (req: Request, res: Response) => {
    const siteId = oneQueryString(req, 'site', true) as string;
    const page = oneQueryString(req, 'page', true, fieldLimits.page) as string;
    // EventSource sends the header on a reconnect; `lastEventId` is for clients that cannot set it.
    const resumeFrom = req.get('last-event-id') ?? oneQueryString(req, 'lastEventId', false, 45);
    if (resumeFrom !== null && resumeFrom !== undefined && !isThreadSeq(resumeFrom))
      throw AppError.of('INVALID_CURSOR', {
        message: 'Last-Event-ID is not one of this stream’s ids.',
        field: 'lastEventId',
      });
    let site: Site | null;
    try {
      site = await deps.sites.get(siteId);
    } catch (err) {
      throw databaseDown(err);
    }
    if (site === null) throw AppError.of('UNKNOWN_SITE', { status: 404, field: 'site' });
    assertOriginAllowed(req, site, 'shown');
    if (!live || !hub) throw AppError.of('LIVE_UNAVAILABLE');
    if (hub.size() >= maxStreams)
      throw AppError.of('LIVE_UNAVAILABLE', { message: 'Live updates are busy; try again shortly.', retryAfter: 30 });
    // Counted per network only where the address tells readers apart: behind an untrusted proxy every
    // reader has the proxy's address, and one cap for all of them would shut everyone out.
    const address = deps.clientAddress(req);
    const keys = address.distinct ? toRateKeys(address.ip) : null;
    const network = keys ? (keys.net64 ?? keys.ip) : null;
    if (network !== null && (perNetwork.get(network) ?? 0) >= maxPerNetwork)
      throw AppError.of('TOO_MANY_STREAMS', { retryAfter: 30 });

    // Nothing is written (a heartbeat included) before the stream's own headers are sent.
    let streaming = false;
    const stream: LiveStream = {
      site: site.id,
      page,
      lastSeq: '0-0',
      pending: [],
      closedSent: false,
      write: (chunk) => {
        if (streaming && !res.writableEnded) res.write(chunk);
      },
      end: () => {
        if (!res.writableEnded) res.end();
      },
    };
    // Listening first, then reading where the log stands: what is announced in between waits in
    // `pending` and is sent after the replay, each event once (by its id).
    hub.add(stream);
    if (network !== null) perNetwork.set(network, (perNetwork.get(network) ?? 0) + 1);
    let removed = false;
    const remove = (): void => {
      if (removed) return;
      removed = true;
      hub.remove(stream);
      if (network === null) return;
      const n = (perNetwork.get(network) ?? 1) - 1;
      if (n <= 0) perNetwork.delete(network);
      else perNetwork.set(network, n);
    };
    // The response's close (the browser went away, or the stream ended), also while it is being set
    // up: a reader who leaves at once takes nothing with them.
    res.on('close', remove);
    const replay: LiveThreadEvent[] = [];
    // Where the stream starts: after the reader's last event, or (a new stream) after the log's newest
    // entry, read once listening, so what arrives meanwhile is in `pending` and sent, not lost.
    let floor: string;
    let closed;
    try {
      await live.feed.ready();
      if (resumeFrom) {
        const log = await readThreadLog(live.redis, live.prefix, site.id, resumeFrom, MAX_REPLAY);
        if (log.gap) {
          replay.push({ seq: null, name: 'reset', data: {} });
          floor = await threadLogHead(live.redis, live.prefix, site.id);
        } else {
          floor = resumeFrom;
          for (const r of await hub.resolve(log.signals)) if (r.page === null || r.page === page) replay.push(r.event);
        }
      } else floor = await threadLogHead(live.redis, live.prefix, site.id);
      closed = await hub.closure(site, page);
    } catch (err) {
      remove();
      deps.logger.warn({ err: (err as Error).message }, 'live thread not opened');
      throw AppError.of('LIVE_UNAVAILABLE', { message: 'Live updates are briefly unavailable.', retryAfter: 5 });
    }
    if (removed) return;
    startEventStream(res);
    streaming = true;
    if (resumeFrom) stream.lastSeq = resumeFrom;
    for (const event of replay) {
      if (event.seq !== null) stream.lastSeq = event.seq;
      res.write(sseChunk(event));
    }
    hub.caughtUp(stream);
    if (compareSeq(stream.lastSeq, floor) < 0) stream.lastSeq = floor;
    res.write(sseChunk({ seq: stream.lastSeq, name: 'ready', data: { closed: closed.closed } }));
    // The hub's closure check may have told this stream already while it was being set up (it is
    // listening from the start): `closed` goes once either way.
    if (closed.closed && !stream.closedSent) {
      stream.closedSent = true;
      res.write(sseChunk({ seq: null, name: 'closed', data: closedEventData(closed) }));
    }
  });

  return router;
}
