import { Redis } from 'ioredis';

/**
 * Redis for the API side: commands fail at once while disconnected (no offline queue), so a request
 * is answered 503 instead of hanging until Redis comes back. A command unanswered for 5 s (a stalled
 * server or network) fails too; nothing on this connection blocks on purpose (no BRPOP, no
 * subscriptions), and the enqueue itself gives up earlier (ENQUEUE_TIMEOUT_MS).
 */
export function createProducerRedis(url: string): Redis {
  const redis = new Redis(url, {
    enableOfflineQueue: false,
    maxRetriesPerRequest: 1,
    connectTimeout: 3000,
    commandTimeout: 5000,
  });
  redis.on('error', () => {}); // reconnects by itself; readiness and 503s report the outage
  return redis;
}

/**
 * Redis for workers: BullMQ's blocking commands need retries without a per-request limit. No
 * commandTimeout here: BullMQ duplicates this connection for its blocking reads (BZPOPMIN waits
 * seconds on purpose), which a command timeout would cut off; a connect timeout is safe.
 */
export function createWorkerRedis(url: string): Redis {
  const redis = new Redis(url, { maxRetriesPerRequest: null, connectTimeout: 5000 });
  redis.on('error', () => {});
  return redis;
}
