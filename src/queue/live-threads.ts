import type { RedisClient } from '../redis.js';
import { isUuid } from '../domain/comment-fields.js';
import { createChannelFeed, type ChannelFeed } from './live-events.js';

/*
 * Live threads for readers (issue 15, item 4). What changes a thread a reader is looking at is
 * announced here: a comment published (by the checks, a moderator, an undo, a mail link), one taken
 * down, new vote counts. Each announcement is appended to the site's thread log (a capped Redis
 * stream: the `Last-Event-ID` a reconnecting browser sends is an entry's id) and published on one
 * channel, in one script call so the log's order is the channel's; every API process relays the
 * channel to its open streams (src/http/public/live-routes.ts). Announcements carry ids, not text: the
 * relaying process reads the comment once from Postgres, so what a reader gets is what the thread
 * shows now, never a copy from before a moderator's second thought.
 */

export const threadSignalTypes = ['comment', 'vote', 'removed'] as const;
export type ThreadSignalType = (typeof threadSignalTypes)[number];

/** One announcement, as published and logged. */
export interface ThreadSignal {
  type: ThreadSignalType;
  site: string;
  /** The comment. */
  id: string;
  /** The page's identifier, when the announcer knows it (votes); else the relay looks it up. */
  page?: string;
  /** New counts, for `vote`. */
  up?: number;
  down?: number;
}

/** A signal with its place in the site's thread log: the SSE event id. */
export interface LoggedThreadSignal extends ThreadSignal {
  seq: string;
}

/** How many announcements a site's log keeps (about; trimmed lazily), and for how long after the last. */
export const THREAD_LOG_LENGTH = 2000;
export const THREAD_LOG_TTL_SECONDS = 86_400;

export function threadChannel(prefix: string): string {
  return `${prefix}:live:threads`;
}

/** The site's log; under the prefix (hash-tagged in a cluster), so it lives with the queues. */
export function threadLogKey(prefix: string, site: string): string {
  return `${prefix}:live:thread-log:${site}`;
}

// XADD then PUBLISH "<entry id> <json>" in one call: two announcements never reach the channel in
// another order than the log's, and a reader resuming from the log sees what the channel sent.
const ANNOUNCE = `
local id = redis.call('XADD', KEYS[1], 'MAXLEN', '~', ARGV[1], '*', 's', ARGV[2])
redis.call('EXPIRE', KEYS[1], ARGV[3])
redis.call('PUBLISH', ARGV[4], id .. ' ' .. ARGV[2])
return id`;

/** Sends announcements; best effort, as every follow-up of a change (src/moderation/status-changes.ts). */
export type AnnounceThread = (signals: readonly ThreadSignal[]) => Promise<void>;

export function createThreadAnnouncer(redis: RedisClient | Promise<RedisClient>, prefix: string): AnnounceThread {
  const channel = threadChannel(prefix);
  return async (signals) => {
    if (signals.length === 0) return;
    const conn = await redis;
    await Promise.all(
      signals.map((s) =>
        conn.eval(
          ANNOUNCE,
          1,
          threadLogKey(prefix, s.site),
          THREAD_LOG_LENGTH,
          JSON.stringify(toWire(s)),
          THREAD_LOG_TTL_SECONDS,
          channel,
        ),
      ),
    );
  };
}

function toWire(s: ThreadSignal): ThreadSignal {
  return {
    type: s.type,
    site: s.site,
    id: s.id,
    ...(s.page !== undefined ? { page: s.page } : {}),
    ...(s.up !== undefined ? { up: s.up, down: s.down ?? 0 } : {}),
  };
}

const SEQ = /^\d{1,20}-\d{1,20}$/;

/** Whether `v` is a thread log entry id ("1733312345678-0"): what Last-Event-ID must be. */
export function isThreadSeq(v: string): boolean {
  return SEQ.test(v);
}

/** Orders two log entry ids (-1, 0, 1), as Redis does: by time, then by sequence. */
export function compareSeq(a: string, b: string): number {
  const [am, as] = a.split('-').map(BigInt) as [bigint, bigint];
  const [bm, bs] = b.split('-').map(BigInt) as [bigint, bigint];
  return am < bm ? -1 : am > bm ? 1 : as < bs ? -1 : as > bs ? 1 : 0;
}

/** Reads one announcement; anything malformed is null (dropped), never thrown. */
export function toThreadSignal(json: string): ThreadSignal | null {
  let v: unknown;
  try {
    v = JSON.parse(json);
  } catch {
    return null;
  }
  if (typeof v !== 'object' || v === null) return null;
  const { type, site, id, page, up, down } = v as Record<string, unknown>;
  if (typeof type !== 'string' || !(threadSignalTypes as readonly string[]).includes(type)) return null;
  // A comment id, or the relay's one query for a whole batch of signals would fail on it (uuid[]).
  if (typeof site !== 'string' || typeof id !== 'string' || !isUuid(id)) return null;
  if (page !== undefined && typeof page !== 'string') return null;
  if (up !== undefined && (!Number.isInteger(up) || !Number.isInteger(down))) return null;
  return {
    type: type as ThreadSignalType,
    site,
    id,
    ...(page !== undefined ? { page } : {}),
    ...(up !== undefined ? { up: up as number, down: down as number } : {}),
  };
}

/** A channel message ("<entry id> <json>") as a logged signal, or null. */
export function toLoggedThreadSignal(message: string): LoggedThreadSignal | null {
  const space = message.indexOf(' ');
  if (space < 0) return null;
  const seq = message.slice(0, space);
  if (!isThreadSeq(seq)) return null;
  const signal = toThreadSignal(message.slice(space + 1));
  return signal === null ? null : { ...signal, seq };
}

/** What a reconnecting stream missed: the log after `after`, or `gap` when some of it was trimmed away. */
export async function readThreadLog(
  redis: RedisClient,
  prefix: string,
  site: string,
  after: string,
  limit: number,
): Promise<{ signals: LoggedThreadSignal[]; gap: boolean }> {
  const key = threadLogKey(prefix, site);
  const [entries, info] = await Promise.all([
    redis.xrange(key, `(${after}`, '+', 'COUNT', limit + 1),
    redis.xinfo('STREAM', key).catch(() => null),
  ]);
  const signals: LoggedThreadSignal[] = [];
  for (const [seq, fields] of entries.slice(0, limit)) {
    const signal = toThreadSignal(fields[1] ?? '');
    if (signal) signals.push({ ...signal, seq });
  }
  return { signals, gap: entries.length > limit || missedTrimmed(info, after) };
}

/**
 * Whether entries after `after` may have been trimmed away (MAXLEN): the log once held more than it
 * does, and its oldest kept entry (or, emptied, its newest ever) is later than `after`. Said when in
 * doubt: a needless `reset` costs one reload of the thread, a missed one a comment never shown.
 */
function missedTrimmed(info: unknown, after: string): boolean {
  const added = Number(streamField(info, 'entries-added') ?? 0);
  const length = Number(streamField(info, 'length') ?? 0);
  if (!(added > length)) return false;
  const first = Array.isArray(info) ? (info[info.indexOf('first-entry') + 1] as unknown) : null;
  const oldest = Array.isArray(first) && typeof first[0] === 'string' ? first[0] : null;
  const bound = oldest ?? streamField(info, 'last-generated-id');
  return bound !== null && isThreadSeq(bound) && compareSeq(after, bound) < 0;
}

/** A field of XINFO STREAM's flat answer, or null. */
function streamField(info: unknown, name: string): string | null {
  if (!Array.isArray(info)) return null;
  const i = info.indexOf(name);
  const v: unknown = i >= 0 ? info[i + 1] : null;
  return typeof v === 'string' ? v : typeof v === 'number' ? String(v) : null;
}

/** The log's newest entry id ('0-0' when empty): where a new stream starts. */
export async function threadLogHead(redis: RedisClient, prefix: string, site: string): Promise<string> {
  const last = await redis.xrevrange(threadLogKey(prefix, site), '+', '-', 'COUNT', 1);
  return last[0]?.[0] ?? '0-0';
}

/** What an API process runs live threads with: the announcer, its subscription, and Redis for the log. */
export interface LiveThreads {
  announce: AnnounceThread;
  feed: ChannelFeed<LoggedThreadSignal>;
  redis: RedisClient;
  prefix: string;
  /** How often open streams get a heartbeat and a closure check (tests shorten it). @defaultValue 20 s */
  heartbeatMs?: number;
}

/** The process's subscription to the thread channel (one connection, made when a reader first listens). */
export function createThreadFeed(opts: {
  connect: () => RedisClient;
  prefix: string;
  onError?: (err: Error) => void;
}): ChannelFeed<LoggedThreadSignal> {
  return createChannelFeed({
    connect: opts.connect,
    channel: threadChannel(opts.prefix),
    parse: toLoggedThreadSignal,
    onError: opts.onError,
  });
}
