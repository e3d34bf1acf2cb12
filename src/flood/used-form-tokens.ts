import type { RedisClient } from '../redis.js';
import type { Logger } from 'pino';
import { FORM_TOKEN_MAX_AGE_MS, formTokenId } from './form-token.js';

/*
 * Form tokens are single-use: a bot that harvested one token would otherwise post any number of
 * comments with it, each looking like a person's. The first comment to use a token claims its id in
 * Redis, for as long as the token stays good (after that it is refused as expired anyway), so the
 * record cleans itself up and every API process shares it.
 */

export interface UsedFormTokens {
  /**
   * Claims `token` for the comment `commentId`: true for its first use, and for a retry of that same
   * comment (same id: an idempotent retry after a lost answer); false when another comment used it.
   * Never rejects: when Redis cannot answer, the use counts as the first (fail open; the enqueue right
   * after is the judge of whether Redis can take comments).
   */
  claim(q: { token: string; commentId: string; renderedAt: Date; now: Date }): Promise<boolean>;
}

// One call, atomic: two processes cannot both see a token as unused. KEYS[1] the token's record;
// ARGV 1 the comment id, 2 its lifetime (ms). Returns 1 when this comment holds the claim.
const claimScript = `
if redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2], 'NX') then return 1 end
if redis.call('GET', KEYS[1]) == ARGV[1] then return 1 end
return 0
`;

type ClaimCommand = (key: string, commentId: string, ttlMs: number) => Promise<number>;

export function createUsedFormTokens(deps: {
  redis: RedisClient;
  prefix: string;
  logger: Logger;
  timeoutMs?: number;
}): UsedFormTokens {
  const { redis, prefix, logger } = deps;
  const timeoutMs = deps.timeoutMs ?? 500;
  if (!('replyDeskClaimFormToken' in redis))
    redis.defineCommand('replyDeskClaimFormToken', { numberOfKeys: 1, lua: claimScript });
  const claimCommand = (redis as unknown as { replyDeskClaimFormToken: ClaimCommand }).replyDeskClaimFormToken.bind(
    redis,
  );
  return {
    async claim({ token, commentId, renderedAt, now }) {
      // Until the token expires; at least a second, for a render time a little in the future (clock skew).
      const ttlMs = Math.max(
        1000,
        Math.min(FORM_TOKEN_MAX_AGE_MS, renderedAt.getTime() + FORM_TOKEN_MAX_AGE_MS - now.getTime()),
      );
      let timer: NodeJS.Timeout | undefined;
      try {
        const won = await Promise.race([
          claimCommand(`${prefix}:form-token:used:${formTokenId(token)}`, commentId, ttlMs),
          new Promise<never>((_, reject) => {
            timer = setTimeout(() => reject(new Error(`Redis did not answer within ${timeoutMs} ms`)), timeoutMs);
          }),
        ]);
        return won === 1;
      } catch (err) {
        logger.warn({ err: (err as Error).message }, 'used form tokens unavailable; token counted as unused');
        return true;
      } finally {
        clearTimeout(timer);
      }
    },
  };
}
