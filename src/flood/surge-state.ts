import type { RedisClient } from '../redis.js';
import { surgeFlagKey } from './intake-guard.js';

/** A site in surge mode: since when, and when it ends unless the flood goes on. */
export interface SurgeState {
  siteId: string;
  since: Date;
  endsBy: Date;
}

export interface SurgeReader {
  /** The given sites that are in surge mode now (one round trip). */
  list(siteIds: readonly string[], now?: Date): Promise<SurgeState[]>;
}

/** Reads the surge flags the intake guard keeps (src/flood/intake-guard.ts), for the dashboard's banner. */
export function createSurgeReader(redis: RedisClient, prefix: string): SurgeReader {
  return {
    async list(siteIds, now = new Date()) {
      if (siteIds.length === 0) return [];
      const pipeline = redis.pipeline();
      for (const id of siteIds) pipeline.get(surgeFlagKey(prefix, id)).pttl(surgeFlagKey(prefix, id));
      const results = (await pipeline.exec()) ?? [];
      const states: SurgeState[] = [];
      siteIds.forEach((siteId, i) => {
        const since = results[i * 2]?.[1];
        const ttl = Number(results[i * 2 + 1]?.[1]);
        if (typeof since !== 'string' || !(ttl > 0)) return;
        states.push({ siteId, since: new Date(Number(since)), endsBy: new Date(now.getTime() + ttl) });
      });
      return states;
    },
  };
}
