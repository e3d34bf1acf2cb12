import type { RedisClient } from '../redis.js';
import { RateLimiterRedis, RateLimiterRes } from 'rate-limiter-flexible';
import { toRateKeys } from '../flood/ip-network.js';

/**
 * Sign-in tries, counted in Redis so every API process sees them, in 15-minute windows:
 * - 5 per account from one network (an IPv4 address, or an IPv6 /64: one household or VM has a whole
 *   /64, so single IPv6 addresses would stop nobody). This is the lock-out a guesser meets, and it
 *   locks out only their own network: the account's owner signs in from theirs.
 * - 20 per network over all accounts (one address guessing many accounts).
 * - 100 per account from everywhere: the cap on a distributed guess, high enough that no single
 *   network can reach it (it spends at most 5 of it).
 * A try is spent *before* the password is checked, atomically (one Redis call per counter): 150
 * parallel guesses get at most 5 checks, where reading the counts first and counting failures
 * afterwards let every one of them through the read. Each counter is spent only once the narrower one
 * allowed the try, so tries refused for one network never count against the account as a whole.
 */
export interface SignInThrottle {
  /** Spends one try; resolves to the seconds to wait before trying again, or 0 when the try may go ahead. */
  consume(email: string, ip: string): Promise<number>;
  /** A correct password: the account's count from this network starts afresh, and the try is given back. */
  recordSuccess(email: string, ip: string): Promise<void>;
}

export interface SignInLimits {
  perAccountAndNetwork: number;
  perNetwork: number;
  perAccount: number;
}

const WINDOW_SECONDS = 15 * 60;
export const DEFAULT_SIGN_IN_LIMITS: SignInLimits = { perAccountAndNetwork: 5, perNetwork: 20, perAccount: 100 };

/** The network an address is counted under: its /64 for IPv6, the address for IPv4. */
export function signInNetwork(ip: string): string {
  const keys = toRateKeys(ip);
  return keys === null ? 'unknown' : (keys.net64 ?? keys.ip);
}

function waitSeconds(res: RateLimiterRes): number {
  return Math.max(1, Math.ceil(res.msBeforeNext / 1000));
}

export function createSignInThrottle(
  redis: RedisClient,
  prefix: string,
  limits: SignInLimits = DEFAULT_SIGN_IN_LIMITS,
): SignInThrottle {
  const limiter = (name: string, points: number): RateLimiterRedis =>
    new RateLimiterRedis({
      storeClient: redis,
      keyPrefix: `${prefix}:signin:${name}`,
      points,
      duration: WINDOW_SECONDS,
    });
  const byAccountAndNetwork = limiter('account-net', limits.perAccountAndNetwork);
  const byNetwork = limiter('net', limits.perNetwork);
  const byAccount = limiter('account', limits.perAccount);
  const account = (email: string): string => email.trim().toLowerCase();

  /** 0 when the point was spent within the limit, else the wait; Redis errors are thrown, not counted. */
  async function spend(l: RateLimiterRedis, key: string): Promise<number> {
    try {
      await l.consume(key);
      return 0;
    } catch (err) {
      if (err instanceof RateLimiterRes) return waitSeconds(err);
      throw err;
    }
  }

  return {
    async consume(email, ip) {
      const net = signInNetwork(ip);
      const steps: [RateLimiterRedis, string][] = [
        [byAccountAndNetwork, `${net}|${account(email)}`],
        [byNetwork, net],
        [byAccount, account(email)],
      ];
      for (const [l, key] of steps) {
        const wait = await spend(l, key);
        if (wait > 0) return wait;
      }
      return 0;
    },
    async recordSuccess(email, ip) {
      const net = signInNetwork(ip);
      await Promise.all([
        byAccountAndNetwork.delete(`${net}|${account(email)}`),
        byNetwork.reward(net, 1),
        byAccount.reward(account(email), 1),
      ]);
    },
  };
}
