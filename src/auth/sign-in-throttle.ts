import type { Redis } from 'ioredis';
import { RateLimiterRedis, RateLimiterRes } from 'rate-limiter-flexible';

/**
 * Failed sign-ins, counted in Redis so every API process sees them: 5 per account and 20 per IP in 15
 * minutes, after which that account or IP waits out the window. A success clears the account's count.
 */
export interface SignInThrottle {
  /** Seconds to wait before trying again, or 0 when a try is allowed. */
  retryAfter(email: string, ip: string): Promise<number>;
  recordFailure(email: string, ip: string): Promise<void>;
  recordSuccess(email: string): Promise<void>;
}

const WINDOW_SECONDS = 15 * 60;

export function createSignInThrottle(redis: Redis, prefix: string, limits = { perAccount: 5, perIp: 20 }): SignInThrottle {
  const byAccount = new RateLimiterRedis({ storeClient: redis, keyPrefix: `${prefix}:signin:account`, points: limits.perAccount, duration: WINDOW_SECONDS });
  const byIp = new RateLimiterRedis({ storeClient: redis, keyPrefix: `${prefix}:signin:ip`, points: limits.perIp, duration: WINDOW_SECONDS });
  const key = (email: string): string => email.trim().toLowerCase();
  const wait = (res: RateLimiterRes | null, max: number): number =>
    res !== null && res.consumedPoints >= max ? Math.max(1, Math.ceil(res.msBeforeNext / 1000)) : 0;
  return {
    async retryAfter(email, ip) {
      const [a, i] = await Promise.all([byAccount.get(key(email)), byIp.get(ip)]);
      return Math.max(wait(a, limits.perAccount), wait(i, limits.perIp));
    },
    async recordFailure(email, ip) {
      // consume() rejects once the points are spent; that is the point of counting, not an error.
      await Promise.all([byAccount.consume(key(email)).catch(() => {}), byIp.consume(ip).catch(() => {})]);
    },
    async recordSuccess(email) {
      await byAccount.delete(key(email));
    },
  };
}
