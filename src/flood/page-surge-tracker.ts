import { createHash } from 'node:crypto';
import type { RedisClient } from '../redis.js';
import type { Logger } from 'pino';
import { normalizeText } from '../domain/normalize-text.js';
import { scorePageSurge, type PageSurgeSignal, type PageSurgeThresholds } from './page-surge-score.js';

/*
 * The counting edge of brigade detection (issue 16, item 6): RedisClient keeps, per page, decaying counts of
 * its comments, of those by first-time authors and of near-duplicate texts, plus the site's normal
 * rate, so every worker process shares them; src/flood/page-surge-score.ts decides from the counts.
 * A page under a brigade is a key with a TTL: it ends by itself a cool-down after the score last held
 * up (hysteresis: it stays while the score is at least half the threshold), whether or not comments
 * keep coming, and a sorted set per site lists the pages under one for the desk's banner.
 *
 * Counting happens in the worker, not at intake: whether an author is a first-timer is known only
 * once their history is read (loadCheckFacts). A job retried before its row was stored counts twice;
 * the counts are estimates, and one comment more or less does not make a brigade.
 */

/** The windows, as intake's surge mode has them (SURGE_WINDOW_SECONDS etc.: one set of knobs). */
export interface PageSurgeWindows {
  /** "Comments in the last minute": a decaying count over this. */
  windowMs: number;
  /** The page's and the site's normal rate: decaying counts over this, scaled to the window. */
  baselineMs: number;
  /** A brigade stays on at least this long after the score last held up. */
  cooldownMs: number;
}

/** One comment, as the tracker counts it. */
export interface PageSurgeObservation {
  siteId: string;
  pageId: number;
  /** The author has no approved comment on the site (the first-time hold's fact). */
  firstTime: boolean;
  /** Where it came from, for "the same text from different addresses": a distinct IP; null, texts are not compared. */
  address: string | null;
  body: string;
  thresholds: PageSurgeThresholds;
}

/** What the tracker says about the comment's page. */
export interface PageSurgeVerdict {
  /** The page is under a brigade now (this comment included). */
  active: boolean;
  /** This comment started it (exactly one comment per brigade does: the flag is set with NX). */
  started: boolean;
  /** When it began (ms since the epoch), while active. */
  since: number | null;
  score: number;
  signals: PageSurgeSignal[];
}

/** A page under a brigade now, for the desk's banner. */
export interface ActivePageSurge {
  siteId: string;
  pageId: number;
  since: Date;
  endsBy: Date;
}

export interface PageSurgeTracker {
  /** Counts one comment and says whether its page is under a brigade. Fails open (not active) when Redis cannot answer. */
  observe(o: PageSurgeObservation): Promise<PageSurgeVerdict>;
  /** The pages of these sites under a brigade now. */
  listActive(siteIds: readonly string[], now?: Date): Promise<ActivePageSurge[]>;
}

export interface PageSurgeTrackerDeps {
  redis: RedisClient;
  prefix: string;
  windows: PageSurgeWindows;
  logger: Logger;
  /** Readers' flags on the page's comments since `since`; asked only once the rate is half-way to the minimum. */
  countFlags?: (pageId: number, since: Date) => Promise<number>;
}

// KEYS: 1 the page's rates (hash), 2 the site's rates (hash), 3 the addresses that sent this text (set),
//       4 the page's brigade flag.
// ARGV: 1 window ms, 2 baseline ms, 3 first-time 0/1, 4 address ('' : texts not compared).
// Returns strings: recent, page normal, site normal, first-time, duplicates, flag (since ms or '').
// While a brigade is on, the page's and site's baselines learn nothing, so a long one never becomes normal.
const observeScript = `
local shortMs, longMs = tonumber(ARGV[1]), tonumber(ARGV[2])
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local flag = redis.call('GET', KEYS[4])
local h = redis.call('HMGET', KEYS[1], 'short', 'long', 'first', 'dup', 'at')
local short, long, first, dup = tonumber(h[1]) or 0, tonumber(h[2]) or 0, tonumber(h[3]) or 0, tonumber(h[4]) or 0
local dt = math.max(0, now - (tonumber(h[5]) or now))
local fade = math.exp(-dt / shortMs)
short, first, dup = short * fade + 1, first * fade, dup * fade
long = long * math.exp(-dt / longMs)
if not flag then long = long + 1 end
if ARGV[3] == '1' then first = first + 1 end
if ARGV[4] ~= '' then
  redis.call('SADD', KEYS[3], ARGV[4])
  redis.call('PEXPIRE', KEYS[3], shortMs * 2)
  if redis.call('SCARD', KEYS[3]) > 1 then dup = dup + 1 end
end
redis.call('HSET', KEYS[1], 'short', tostring(short), 'long', tostring(long), 'first', tostring(first), 'dup', tostring(dup), 'at', now)
redis.call('PEXPIRE', KEYS[1], longMs * 2)
local s = redis.call('HMGET', KEYS[2], 'long', 'at')
local siteLong = (tonumber(s[1]) or 0) * math.exp(-math.max(0, now - (tonumber(s[2]) or now)) / longMs)
if not flag then siteLong = siteLong + 1 end
redis.call('HSET', KEYS[2], 'long', tostring(siteLong), 'at', now)
redis.call('PEXPIRE', KEYS[2], longMs * 2)
local scale = shortMs / longMs
return { tostring(short), tostring(long * scale), tostring(siteLong * scale), tostring(first), tostring(dup), flag or '' }
`;

type ObserveCommand = (...args: (string | number)[]) => Promise<string[]>;

/** Texts shorter than this (normalised) are not compared: honest readers say "thank you" alike. */
const MIN_TEXT_LENGTH = 12;

/** The fingerprint near-duplicates share: normalised text without digits (no "…again 2", "…again 3"), or null when too short. */
export function textFingerprint(body: string): string | null {
  const text = normalizeText(body).replace(/\d+/g, ' ').replace(/\s+/g, ' ').trim();
  if (text.length < MIN_TEXT_LENGTH) return null;
  return createHash('sha256').update(text).digest('base64url').slice(0, 22);
}

const hashed = (value: string): string => createHash('sha256').update(value).digest('base64url').slice(0, 22);

export function pageSurgeKeys(prefix: string, siteId: string, pageId: number) {
  const page = `${prefix}:brigade:${siteId}:${pageId}`;
  return {
    rates: `${page}:rates`,
    text: (fingerprint: string) => `${page}:text:${fingerprint}`,
    flag: `${page}:on`,
    siteRates: `${prefix}:brigade:${siteId}:rates`,
    active: pageSurgeListKey(prefix, siteId),
  };
}

/** A site's list of pages under a brigade (a sorted set: page id → when it ends, ms). */
export function pageSurgeListKey(prefix: string, siteId: string): string {
  return `${prefix}:brigade:${siteId}:pages`;
}

export function createPageSurgeTracker(deps: PageSurgeTrackerDeps): PageSurgeTracker {
  const { redis, prefix, windows, logger } = deps;
  if (!('replyDeskPageSurge' in redis))
    redis.defineCommand('replyDeskPageSurge', { numberOfKeys: 4, lua: observeScript });
  const observeCommand = (redis as unknown as { replyDeskPageSurge: ObserveCommand }).replyDeskPageSurge.bind(redis);
  const quiet: PageSurgeVerdict = { active: false, started: false, since: null, score: 0, signals: [] };

  async function observe(o: PageSurgeObservation): Promise<PageSurgeVerdict> {
    const keys = pageSurgeKeys(prefix, o.siteId, o.pageId);
    const fingerprint = textFingerprint(o.body);
    const out = await observeCommand(
      keys.rates,
      keys.siteRates,
      keys.text(fingerprint ?? '-'),
      keys.flag,
      windows.windowMs,
      windows.baselineMs,
      o.firstTime ? '1' : '0',
      fingerprint === null || o.address === null ? '' : hashed(o.address),
    );
    const n = (i: number): number => Number(out[i] ?? 0);
    const counts = { recent: n(0), pageNormal: n(1), siteNormal: n(2), firstTime: n(3), duplicates: n(4), flags: 0 };
    const flagValue = out[5] ?? '';
    const on = flagValue !== '';
    const { minimum, threshold } = o.thresholds;
    // Flags cost a query: asked only when the rate could matter.
    if (deps.countFlags && counts.recent >= minimum / 2)
      counts.flags = await deps.countFlags(o.pageId, new Date(Date.now() - windows.windowMs));
    const scored = scorePageSurge(counts, o.thresholds);
    const endsBy = Date.now() + windows.cooldownMs;
    if (on) {
      // Half of both thresholds keeps it on: a brigade that slows a little is still one.
      const holds = threshold > 0 && scorePageSurge(counts, { minimum: minimum / 2, threshold: threshold / 2 }).surge;
      if (holds)
        await redis.multi().pexpire(keys.flag, windows.cooldownMs).zadd(keys.active, endsBy, String(o.pageId)).exec();
      return { active: true, started: false, since: Number(flagValue), score: scored.score, signals: scored.signals };
    }
    if (!scored.surge) return { ...quiet, score: scored.score, signals: scored.signals };
    const since = Date.now();
    const set = await redis.set(keys.flag, String(since), 'PX', windows.cooldownMs, 'NX');
    if (set === null) {
      // Another worker started it a moment ago: on, but not ours to announce.
      const other = Number(await redis.get(keys.flag)) || since;
      return { active: true, started: false, since: other, score: scored.score, signals: scored.signals };
    }
    await redis.zadd(keys.active, endsBy, String(o.pageId));
    return { active: true, started: true, since, score: scored.score, signals: scored.signals };
  }

  return {
    async observe(o) {
      try {
        return await observe(o);
      } catch (err) {
        // Fail open: a brigade detector that cannot count must not hold the whole page.
        logger.warn(
          { err: (err as Error).message, siteId: o.siteId, pageId: o.pageId },
          'brigade counters unavailable',
        );
        return quiet;
      }
    },
    listActive: (siteIds, now) => listActivePageSurges(redis, prefix, siteIds, now),
  };
}

/** The pages of these sites under a brigade now (one round trip, and one more when there are any). */
export async function listActivePageSurges(
  redis: RedisClient,
  prefix: string,
  siteIds: readonly string[],
  now = new Date(),
): Promise<ActivePageSurge[]> {
  if (siteIds.length === 0) return [];
  const listed = redis.pipeline();
  for (const id of siteIds) {
    const key = pageSurgeListKey(prefix, id);
    listed.zremrangebyscore(key, '-inf', now.getTime()).zrangebyscore(key, now.getTime(), '+inf', 'WITHSCORES');
  }
  const results = (await listed.exec()) ?? [];
  const found: { siteId: string; pageId: number; endsBy: number }[] = [];
  siteIds.forEach((siteId, i) => {
    const pairs = (results[i * 2 + 1]?.[1] as string[] | undefined) ?? [];
    for (let j = 0; j + 1 < pairs.length; j += 2)
      found.push({ siteId, pageId: Number(pairs[j]), endsBy: Number(pairs[j + 1]) });
  });
  if (found.length === 0) return [];
  // The flag is the truth (its TTL is the end); the set only lists where to look.
  const flags = redis.pipeline();
  for (const f of found) flags.get(pageSurgeKeys(prefix, f.siteId, f.pageId).flag);
  const values = (await flags.exec()) ?? [];
  return found.flatMap((f, i) => {
    const since = values[i]?.[1];
    return typeof since === 'string'
      ? [{ siteId: f.siteId, pageId: f.pageId, since: new Date(Number(since)), endsBy: new Date(f.endsBy) }]
      : [];
  });
}
