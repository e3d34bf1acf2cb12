import { Redis } from 'ioredis';

/**
 * Redis for the API side: commands fail at once while disconnected (no offline queue), so a request
 * is answered 503 instead of hanging until Redis comes back.
 */
export function createProducerRedis(url: string): Redis {
  const redis = new Redis(url, { enableOfflineQueue: false, maxRetriesPerRequest: 1, connectTimeout: 3000 });
  redis.on('error', () => {}); // reconnects by itself; readiness and 503s report the outage
  return redis;
}

/** Redis for workers: BullMQ's blocking commands need retries without a per-request limit. */
export function createWorkerRedis(url: string): Redis {
  const redis = new Redis(url, { maxRetriesPerRequest: null });
  redis.on('error', () => {});
  return redis;
}
