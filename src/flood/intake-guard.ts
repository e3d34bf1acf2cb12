import { createHash } from 'node:crypto';
import type { Redis } from 'ioredis';
import type { Logger } from 'pino';
import type { SiteSettings } from '../domain/site-settings.js';
import { isLocalAddress, toRateKeys } from './ip-network.js';

/*
 * Flood defence at intake, before a submission is queued: rate limits per IP, per IPv6 /64, per email
 * and per site, and the site's surge detector. Everything is counted in Redis, so every API process
 * shares the counts, by one Lua script: one round trip per submission, atomic, so two processes cannot
 * both let the 11th comment of a minute through.
 */

/** Which limit refused a submission. */
export type RateLimitName = 'ip' | 'net' | 'email' | 'site';

export type IntakeDecision =
  | { allowed: true; surge: boolean }
  | { allowed: false; limit: RateLimitName; retryAfterSeconds: number };

/** Time spans of the limits and the surge detector (config: tests shrink them). */
export interface FloodWindows {
  /** The rate limits' window; the site settings give counts per this window. @defaultValue 60 s */
  rateWindowMs: number;
  /** Surge mode's short window: "comments in the last minute" is an exponentially decaying count over this. */
  surgeWindowMs: number;
  /** Surge mode's baseline: the site's normal rate, a decaying count over this, scaled to the short window. */
  surgeBaselineMs: number;
  /** Surge mode stays on at least this long after the rate last looked like a surge. */
  surgeCooldownMs: number;
}

export interface IntakeGuard {
  /** Counts one submission and says whether it may be queued, and whether its site is in surge mode. */
  admit(q: { siteId: string; ip: string | null; email: string; settings: SiteSettings }): Promise<IntakeDecision>;
}

export interface IntakeGuardDeps {
  redis: Redis;
  prefix: string;
  windows: FloodWindows;
  logger: Logger;
  /** How long to wait for Redis before letting the submission through uncounted. @defaultValue 500 */
  timeoutMs?: number;
}

const limitNames: RateLimitName[] = ['ip', 'net', 'email', 'site'];

// KEYS: 1-4 the ip, /64, email and site counters; 5 the site's surge rates (hash); 6 its surge flag.
// ARGV: 1 window ms; 2-5 the four limits (0: not counted); 6 surge window ms; 7 baseline ms;
//       8 surge factor (0: off); 9 surge minimum; 10 surge cool-down ms.
// Returns {allowed 0/1, retry-after ms or surge 0/1, which limit refused (1-4) or 0}.
// A refused submission counts nowhere: a bot hammering from one IP must not use up the site's budget.
// Surge: `short` and `long` are exponentially decaying counts (time constants: the window and the
// baseline), so `short` ≈ submissions in the last window and `long` × window / baseline ≈ the normal
// number per window. Surge starts when short ≥ minimum and ≥ factor × normal; it stays while short is
// at least half of both (hysteresis), and ends by itself a cool-down after that stops being true (the
// flag's TTL), even if no submission comes to notice. While surging, the baseline learns nothing, so a
// long flood does not become the new normal.
const admitScript = `
local window = tonumber(ARGV[1])
local worst, which = -1, 0
for i = 1, 4 do
  local limit = tonumber(ARGV[i + 1])
  if limit > 0 then
    local n = tonumber(redis.call('GET', KEYS[i]) or '0')
    if n >= limit then
      local ttl = redis.call('PTTL', KEYS[i])
      if ttl < 0 then ttl = window end
      if ttl > worst then worst, which = ttl, i end
    end
  end
end
if which > 0 then return {0, worst, which} end
for i = 1, 4 do
  if tonumber(ARGV[i + 1]) > 0 and redis.call('INCR', KEYS[i]) == 1 then redis.call('PEXPIRE', KEYS[i], window) end
end
local factor = tonumber(ARGV[8])
if factor <= 0 then return {1, 0, 0} end
local shortMs, longMs, minimum = tonumber(ARGV[6]), tonumber(ARGV[7]), tonumber(ARGV[9])
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local h = redis.call('HMGET', KEYS[5], 'short', 'long', 'at')
local short, long, at = tonumber(h[1]) or 0, tonumber(h[2]) or 0, tonumber(h[3]) or now
local dt = math.max(0, now - at)
local surging = redis.call('EXISTS', KEYS[6]) == 1
short = short * math.exp(-dt / shortMs) + 1
long = long * math.exp(-dt / longMs)
if not surging then long = long + 1 end
redis.call('HSET', KEYS[5], 'short', tostring(short), 'long', tostring(long), 'at', now)
redis.call('PEXPIRE', KEYS[5], longMs * 2)
local normal = long * shortMs / longMs
if surging then
  if short >= minimum / 2 and short >= factor / 2 * normal then redis.call('PEXPIRE', KEYS[6], ARGV[10]) end
  return {1, 1, 0}
end
if short >= minimum and short >= factor * normal then
  redis.call('SET', KEYS[6], now, 'PX', ARGV[10])
  return {1, 1, 0}
end
return {1, 0, 0}
`;

type AdmitCommand = (...args: (string | number)[]) => Promise<[number, number, number]>;

/** The Redis key of a site's surge flag; its value is when surge mode began (ms), its TTL when it ends. */
export function surgeFlagKey(prefix: string, siteId: string): string {
  return `${prefix}:flood:surge:${siteId}`;
}

const hashed = (value: string): string => createHash('sha256').update(value).digest('base64url').slice(0, 22);

export function createIntakeGuard(deps: IntakeGuardDeps): IntakeGuard {
  const { redis, prefix, windows, logger } = deps;
  const timeoutMs = deps.timeoutMs ?? 500;
  if (!('replyDeskAdmit' in redis)) redis.defineCommand('replyDeskAdmit', { numberOfKeys: 6, lua: admitScript });
  const admitCommand = (redis as unknown as { replyDeskAdmit: AdmitCommand }).replyDeskAdmit.bind(redis);
  let warnedLocal = false;

  return {
    async admit({ siteId, ip, email, settings }) {
      const rate = toRateKeys(ip);
      // Behind a proxy that is not trusted (TRUST_PROXY unset), every reader has the proxy's loopback
      // address: limiting it would throttle all readers together, so local addresses are not counted
      // per IP (the email, site and surge limits still are).
      const local = rate !== null && isLocalAddress(rate.ip);
      if (local && !warnedLocal) {
        warnedLocal = true;
        logger.warn({ ip }, 'submissions come from a local address: per-IP rate limits are off for it; behind a proxy, set TRUST_PROXY');
      }
      const base = `${prefix}:flood:${siteId}`;
      // Emails are hashed: the counters need no readable address.
      const keys = [
        `${base}:ip:${rate?.ip ?? '-'}`, `${base}:net:${rate?.net64 ?? '-'}`, `${base}:email:${hashed(email)}`, `${base}:site`,
        `${base}:rates`, surgeFlagKey(prefix, siteId),
      ];
      const limits = [
        rate === null || local ? 0 : settings.rateLimitIp,
        rate?.net64 == null || local ? 0 : settings.rateLimitNet,
        email === '' ? 0 : settings.rateLimitEmail,
        settings.rateLimitSite,
      ];
      let timer: NodeJS.Timeout | undefined;
      try {
        const [allowed, value, which] = await Promise.race([
          admitCommand(...keys, windows.rateWindowMs, ...limits, windows.surgeWindowMs, windows.surgeBaselineMs,
            settings.surgeFactor, settings.surgeMinimum, windows.surgeCooldownMs),
          new Promise<never>((_, reject) => {
            timer = setTimeout(() => reject(new Error(`Redis did not answer within ${timeoutMs} ms`)), timeoutMs);
          }),
        ]);
        if (allowed === 1) return { allowed: true, surge: value === 1 };
        return { allowed: false, limit: limitNames[which - 1] ?? 'site', retryAfterSeconds: Math.max(1, Math.ceil(value / 1000)) };
      } catch (err) {
        // Fail open: the enqueue right after is the judge of whether Redis can take comments (503). A
        // reader's comment is never refused because the counters could not be read.
        logger.warn({ err: (err as Error).message, siteId }, 'flood counters unavailable; submission admitted uncounted');
        return { allowed: true, surge: false };
      } finally {
        clearTimeout(timer);
      }
    },
  };
}
