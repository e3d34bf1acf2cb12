import type { RedisClient } from '../redis.js';
import { RateLimiterRedis, RateLimiterRes } from 'rate-limiter-flexible';
import { toRateKeys } from './ip-network.js';

/*
 * Markdown previews (POST /api/preview) per network: an IPv4 address or an IPv6 /64 (one household
 * or VM has a whole /64, so single IPv6 addresses would stop nobody). A preview stores nothing, but
 * it costs a render, which is what a flood of them would spend: the limit is far above what a person
 * clicking "Preview" reaches, and counted in Redis so every API process shares it.
 */

/** Previews one network may ask for per window. @defaultValue 60 */
export const PREVIEW_LIMIT = 60;
/** The window PREVIEW_LIMIT counts in, in seconds. @defaultValue 60 */
export const PREVIEW_WINDOW_SECONDS = 60;

export interface PreviewThrottle {
  /**
   * Spends one preview for the address; resolves to the seconds to wait, or 0 when it may go ahead.
   * Fails open: when Redis cannot answer, the preview is rendered uncounted (it changes nothing).
   */
  consume(ip: string): Promise<number>;
}

export function createPreviewThrottle(
  redis: RedisClient,
  prefix: string,
  limit: { points: number; seconds: number } = { points: PREVIEW_LIMIT, seconds: PREVIEW_WINDOW_SECONDS },
): PreviewThrottle {
  const limiter = new RateLimiterRedis({
    storeClient: redis,
    keyPrefix: `${prefix}:preview`,
    points: limit.points,
    duration: limit.seconds,
  });
  return {
    async consume(ip) {
      const keys = toRateKeys(ip);
      if (keys === null) return 0;
      try {
        await limiter.consume(keys.net64 ?? keys.ip);
        return 0;
      } catch (err) {
        if (err instanceof RateLimiterRes) return Math.max(1, Math.ceil(err.msBeforeNext / 1000));
        return 0;
      }
    },
  };
}
