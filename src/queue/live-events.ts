import { connectRedis, type RedisAddress, type RedisClient } from '../redis.js';

/*
 * Live queue updates: workers announce newly held comments on a Redis pub/sub channel, and every API
 * process relays them to its open dashboards (GET /admin/live). Pub/sub, not a stream: an event is only
 * a hint to fetch a card, and a dashboard that missed one still finds the comment on its next load.
 */

/** The channel for one install (or one test run): named from the queue prefix so they stay apart. */
export function liveChannel(prefix: string): string {
  return `${prefix}:live:comments`;
}

/** A comment that now waits in a moderator's queue. */
export interface LiveCommentEvent {
  id: string;
  siteId: string;
  /** Which queue it landed in. */
  status: 'pending' | 'spam';
}

/** Sends one event; best effort (see createLivePublisher). */
export type PublishLiveEvent = (event: LiveCommentEvent) => Promise<void>;

/**
 * Publishes on a connection the caller owns. PUBLISH is an ordinary command, so any connection not
 * in subscriber mode will do, including the worker's BullMQ connection.
 */
export function createLivePublisher(redis: RedisClient, prefix: string): PublishLiveEvent {
  const channel = liveChannel(prefix);
  return async (event) => {
    await redis.publish(channel, JSON.stringify({ id: event.id, siteId: event.siteId, status: event.status }));
  };
}

/** Reads a message off the channel; anything malformed is dropped (null), never thrown. */
export function toLiveCommentEvent(message: string): LiveCommentEvent | null {
  let v: unknown;
  try {
    v = JSON.parse(message);
  } catch {
    return null;
  }
  if (typeof v !== 'object' || v === null) return null;
  const { id, siteId, status } = v as Record<string, unknown>;
  if (typeof id !== 'string' || typeof siteId !== 'string' || (status !== 'pending' && status !== 'spam')) return null;
  return { id, siteId, status };
}

/** One process's subscription to the desk's channel, shared by all of its open streams. */
export type LiveFeed = ChannelFeed<LiveCommentEvent>;

/**
 * A subscriber connection for the feed: it waits for Redis rather than failing commands (a stream may
 * open while Redis is away), and ioredis resubscribes by itself after a reconnect.
 */
export function createSubscriberRedis(address: RedisAddress): RedisClient {
  const redis = connectRedis(address, { maxRetriesPerRequest: null, lazyConnect: false });
  redis.on('error', () => {}); // reconnects by itself; a stream just stays quiet meanwhile
  return redis;
}

/**
 * The process's one subscriber, fanned out to listeners. The connection is made lazily, on the first
 * listener, so API processes nobody watches never hold one; once made it stays until close().
 */
export function createLiveFeed(opts: {
  connect: () => RedisClient;
  prefix: string;
  onError?: (err: Error) => void;
}): LiveFeed {
  return createChannelFeed({ ...opts, channel: liveChannel(opts.prefix), parse: toLiveCommentEvent });
}

/** A feed of one pub/sub channel's messages, parsed; what the desk's live queue and readers' live threads share. */
export interface ChannelFeed<T> {
  /**
   * Adds a listener (the first one opens the connection); returns the function that removes it.
   * `onClose` runs when the feed closes (shutdown), so open streams can end instead of holding it up.
   */
  listen(listener: (event: T) => void, onClose?: () => void): () => void;
  /** Resolves once the channel is subscribed, so events published from then on arrive. */
  ready(): Promise<void>;
  close(): Promise<void>;
}

/**
 * One lazily opened subscriber connection on `channel`, fanned out to listeners; a message `parse`
 * turns into null (malformed) is dropped, and a listener that throws is reported and skipped.
 */
export function createChannelFeed<T>(opts: {
  connect: () => RedisClient;
  channel: string;
  parse: (message: string) => T | null;
  onError?: (err: Error) => void;
}): ChannelFeed<T> {
  const { channel } = opts;
  const listeners = new Set<(event: T) => void>();
  const closers = new Map<(event: T) => void, () => void>();
  let redis: RedisClient | null = null;
  let subscribed: Promise<void> | null = null;
  let closed = false;

  function connection(): RedisClient {
    if (redis) return redis;
    const conn = opts.connect();
    conn.on('message', (ch: string, message: string) => {
      if (ch !== channel) return;
      const event = opts.parse(message);
      if (event === null) return;
      for (const l of [...listeners]) {
        try {
          l(event);
        } catch (err) {
          opts.onError?.(err as Error);
        }
      }
    });
    redis = conn;
    return conn;
  }

  function open(): Promise<void> {
    if (closed) return Promise.reject(new Error('the live feed is closed'));
    // A failed subscribe is forgotten so the next stream tries again on the same connection.
    subscribed ??= connection()
      .subscribe(channel)
      .then(
        () => undefined,
        (err: Error) => {
          subscribed = null;
          opts.onError?.(err);
          throw err;
        },
      );
    return subscribed;
  }

  return {
    listen(listener, onClose) {
      listeners.add(listener);
      if (onClose) closers.set(listener, onClose);
      void open().catch(() => {});
      return () => {
        listeners.delete(listener);
        closers.delete(listener);
      };
    },
    ready() {
      return open();
    },
    async close() {
      closed = true;
      const ending = [...closers.values()];
      listeners.clear();
      closers.clear();
      for (const end of ending) end();
      const conn = redis;
      redis = null;
      if (conn) await conn.quit().catch(() => conn.disconnect());
    },
  };
}
