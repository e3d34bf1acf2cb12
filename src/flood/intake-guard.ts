import { createHash } from 'node:crypto';
import type { RedisClient } from '../redis.js';
import type { Logger } from 'pino';
import type { SiteSettings } from '../domain/site-settings.js';
import { createBatcher } from '../store/batched/batcher.js';
import { isLocalAddress, toRateKeys } from './ip-network.js';

/*
 * Flood defence at intake, before a submission is queued: rate limits per IP, per IPv6 /64, per email
 * and per site, and the site's surge detector. Everything is counted in Redis, so every API process
 * shares the counts, by one Lua script, atomic, so two processes cannot both let the 11th comment of a
 * minute through. The submissions that reach the guard in the same turn of the event loop go to Redis
 * as one call of that script (one command and one round trip for up to MAX_ADMIT_BATCH of them): under
 * a flood the API then spends its time on requests, not on a command and a socket write per comment.
 */

/** Which limit refused a submission. */
export type RateLimitName = 'ip' | 'net' | 'email' | 'site';

export type IntakeDecision =
  { allowed: true; surge: boolean } | { allowed: false; limit: RateLimitName; retryAfterSeconds: number };

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
  /**
   * Counts one submission and says whether it may be queued, and whether its site is in surge mode.
   * Never rejects: when Redis cannot answer, the submission is admitted uncounted (fail open).
   */
  admit(q: { siteId: string; ip: string | null; email: string; settings: SiteSettings }): Promise<IntakeDecision>;
}

export interface IntakeGuardDeps {
  redis: RedisClient;
  prefix: string;
  windows: FloodWindows;
  logger: Logger;
  /**
   * How long to wait for Redis, from when a batch's script call is sent, before letting its submissions
   * through uncounted. @defaultValue 500
   */
  timeoutMs?: number;
}

const limitNames: RateLimitName[] = ['ip', 'net', 'email', 'site'];

// One call counts a batch of submissions, in order, exactly as one call per submission would.
// KEYS: 6 per submission: 1-4 the ip, /64, email and site counters; 5 the site's surge rates (hash);
//       6 its surge flag.
// ARGV: 1 window ms; 2 surge window ms; 3 baseline ms; 4 surge cool-down ms; then 6 per submission:
//       1-4 the four limits (0: not counted); 5 surge factor (0: off); 6 surge minimum.
// Returns 3 numbers per submission: allowed 0/1, retry-after ms or surge 0/1, which limit refused (1-4) or 0.
// A refused submission counts nowhere: a bot hammering from one IP must not use up the site's budget.
// Surge: `short` and `long` are exponentially decaying counts (time constants: the window and the
// baseline), so `short` ≈ submissions in the last window and `long` × window / baseline ≈ the normal
// number per window. Surge starts when short ≥ minimum and ≥ factor × normal; it stays while short is
// at least half of both (hysteresis), and ends by itself a cool-down after that stops being true (the
// flag's TTL), even if no submission comes to notice. While surging, the baseline learns nothing, so a
// long flood does not become the new normal.
const admitScript = `
local window, shortMs, longMs, cooldown = tonumber(ARGV[1]), tonumber(ARGV[2]), tonumber(ARGV[3]), ARGV[4]
local now = nil
local function admit(k, a)
  local worst, which = -1, 0
  for i = 1, 4 do
    local limit = tonumber(ARGV[a + i])
    if limit > 0 then
      local n = tonumber(redis.call('GET', KEYS[k + i]) or '0')
      if n >= limit then
        local ttl = redis.call('PTTL', KEYS[k + i])
        if ttl < 0 then ttl = window end
        if ttl > worst then worst, which = ttl, i end
      end
    end
  end
  if which > 0 then return 0, worst, which end
  for i = 1, 4 do
    if tonumber(ARGV[a + i]) > 0 and redis.call('INCR', KEYS[k + i]) == 1 then redis.call('PEXPIRE', KEYS[k + i], window) end
  end
  local factor = tonumber(ARGV[a + 5])
  if factor <= 0 then return 1, 0, 0 end
  local minimum = tonumber(ARGV[a + 6])
  if now == nil then
    local t = redis.call('TIME')
    now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
  end
  local h = redis.call('HMGET', KEYS[k + 5], 'short', 'long', 'at')
  local short, long, at = tonumber(h[1]) or 0, tonumber(h[2]) or 0, tonumber(h[3]) or now
  local dt = math.max(0, now - at)
  local surging = redis.call('EXISTS', KEYS[k + 6]) == 1
  short = short * math.exp(-dt / shortMs) + 1
  long = long * math.exp(-dt / longMs)
  if not surging then long = long + 1 end
  redis.call('HSET', KEYS[k + 5], 'short', tostring(short), 'long', tostring(long), 'at', now)
  redis.call('PEXPIRE', KEYS[k + 5], longMs * 2)
  local normal = long * shortMs / longMs
  if surging then
    if short >= minimum / 2 and short >= factor / 2 * normal then redis.call('PEXPIRE', KEYS[k + 6], cooldown) end
    return 1, 1, 0
  end
  if short >= minimum and short >= factor * normal then
    redis.call('SET', KEYS[k + 6], now, 'PX', cooldown)
    return 1, 1, 0
  end
  return 1, 0, 0
end
local out = {}
for j = 0, #KEYS / 6 - 1 do
  local allowed, value, which = admit(j * 6, 4 + j * 6)
  out[#out + 1] = allowed
  out[#out + 1] = value
  out[#out + 1] = which
end
return out
`;

type AdmitCommand = (numberOfKeys: number, ...args: (string | number)[]) => Promise<number[]>;

/** Most submissions one script call counts; more in the same turn go out in further calls at once. */
const MAX_ADMIT_BATCH = 100;

/** One submission's part of a script call: its 6 keys and its 6 arguments. */
interface AdmitEntry {
  keys: string[];
  args: number[];
  siteId: string;
}

/** The Redis key of a site's surge flag; its value is when surge mode began (ms), its TTL when it ends. */
export function surgeFlagKey(prefix: string, siteId: string): string {
  return `${prefix}:flood:surge:${siteId}`;
}

const hashed = (value: string): string => createHash('sha256').update(value).digest('base64url').slice(0, 22);

export function createIntakeGuard(deps: IntakeGuardDeps): IntakeGuard {
  const { redis, prefix, windows, logger } = deps;
  const timeoutMs = deps.timeoutMs ?? 500;
  // The number of keys is given per call (6 per submission in the batch).
  if (!('replyDeskAdmitBatch' in redis)) redis.defineCommand('replyDeskAdmitBatch', { lua: admitScript });
  const admitCommand = (redis as unknown as { replyDeskAdmitBatch: AdmitCommand }).replyDeskAdmitBatch.bind(redis);
  const windowArgs = [windows.rateWindowMs, windows.surgeWindowMs, windows.surgeBaselineMs, windows.surgeCooldownMs];
  let warnedLocal = false;

  const batcher = createBatcher(async (entries: AdmitEntry[]): Promise<IntakeDecision[]> => {
    const keys: string[] = [];
    const args: number[] = [...windowArgs];
    for (const e of entries) {
      keys.push(...e.keys);
      args.push(...e.args);
    }
    // One timer for the whole call: the wait is the call's, not each submission's.
    let timer: NodeJS.Timeout | undefined;
    try {
      const out = await Promise.race([
        admitCommand(keys.length, ...keys, ...args),
        new Promise<never>((_, reject) => {
          timer = setTimeout(() => reject(new Error(`Redis did not answer within ${timeoutMs} ms`)), timeoutMs);
        }),
      ]);
      return entries.map((_, i): IntakeDecision => {
        const allowed = out[i * 3],
          value = out[i * 3 + 1] ?? 0,
          which = out[i * 3 + 2] ?? 0;
        if (allowed === 1) return { allowed: true, surge: value === 1 };
        return {
          allowed: false,
          limit: limitNames[which - 1] ?? 'site',
          retryAfterSeconds: Math.max(1, Math.ceil(value / 1000)),
        };
      });
    } catch (err) {
      // Fail open: the enqueue right after is the judge of whether Redis can take comments (503). A
      // reader's comment is never refused because the counters could not be read.
      logger.warn(
        {
          err: (err as Error).message,
          siteIds: [...new Set(entries.map((e) => e.siteId))],
          submissions: entries.length,
        },
        'flood counters unavailable; submissions admitted uncounted',
      );
      return entries.map(() => ({ allowed: true, surge: false }));
    } finally {
      clearTimeout(timer);
    }
  }, MAX_ADMIT_BATCH);

  return {
    admit({ siteId, ip, email, settings }) {
      const rate = toRateKeys(ip);
      // Behind a proxy that is not trusted (TRUST_PROXY unset), every reader has the proxy's loopback
      // address: limiting it would throttle all readers together, so local addresses are not counted
      // per IP (the email, site and surge limits still are).
      const local = rate !== null && isLocalAddress(rate.ip);
      if (local && !warnedLocal) {
        warnedLocal = true;
        logger.warn(
          { ip },
          'submissions come from a local address: per-IP rate limits are off for it; behind a proxy, set TRUST_PROXY',
        );
      }
      const base = `${prefix}:flood:${siteId}`;
      return batcher.add({
        siteId,
        // Emails are hashed: the counters need no readable address.
        keys: [
          `${base}:ip:${rate?.ip ?? '-'}`,
          `${base}:net:${rate?.net64 ?? '-'}`,
          `${base}:email:${hashed(email)}`,
          `${base}:site`,
          `${base}:rates`,
          surgeFlagKey(prefix, siteId),
        ],
        args: [
          rate === null || local ? 0 : settings.rateLimitIp,
          rate?.net64 == null || local ? 0 : settings.rateLimitNet,
          email === '' ? 0 : settings.rateLimitEmail,
          settings.rateLimitSite,
          settings.surgeFactor,
          settings.surgeMinimum,
        ],
      });
    },
  };
}
