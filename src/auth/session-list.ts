import { createHash } from 'node:crypto';
import type { RedisClient } from '../redis.js';
import { sessionKeyPrefix } from './session.js';

/*
 * A moderator's own list of sessions ("where am I signed in?"). Sessions live in Redis under their id
 * (src/auth/session.ts); this keeps, per account, a set of the ids it signed in with, and reads each
 * session back from its own key, so an expired or signed-out session drops out of the list by itself
 * (its key is gone) and is pruned from the set as it is read. The list shows a session by a short
 * hash of its id, never the id: the id is the cookie's secret.
 *
 * Ending sessions does not rest on this set: "sign out everywhere" moves the account's session
 * generation on (sql/0018), which ends every session on its next request whether or not it is in the
 * set; the set only lets the list name them and lets one be ended alone.
 */

/**
 * How long the set of an account's session ids outlives its last sign-in. A session used for longer
 * without a new sign-in drops out of the list (never out of "sign out everywhere", which does not
 * need the list). @defaultValue 30 days
 */
const LIST_SECONDS = 30 * 86_400;

export interface SessionInfo {
  /** A short hash of the session id: names it in the list and in the "end this session" form. */
  handle: string;
  signedInAt: Date | null;
  userAgent: string;
  ip: string;
  current: boolean;
}

export interface SessionList {
  /** Remembers that `sid` signed in as the account (at sign-in). */
  add(moderatorId: number, sid: string): Promise<void>;
  /** The account's live sessions under `generation`, newest first; `currentSid` is marked. */
  list(moderatorId: number, generation: number, currentSid: string): Promise<SessionInfo[]>;
  /** Ends the session named by `handle` (not the current one); false when there is none such. */
  end(moderatorId: number, handle: string, currentSid: string): Promise<boolean>;
  /** Deletes every other session's key at once (the generation already ends them; this frees Redis). */
  endOthers(moderatorId: number, currentSid: string): Promise<number>;
}

/** The handle of a session id: 16 hex characters of its sha256. */
export function sessionHandle(sid: string): string {
  return createHash('sha256').update(sid).digest('hex').slice(0, 16);
}

interface StoredSession {
  moderatorId?: number;
  generation?: number;
  signedInAt?: number;
  userAgent?: string;
  ip?: string;
}

export function createSessionList(redis: RedisClient, prefix: string): SessionList {
  const setKey = (id: number) => `${prefix}:moderator-sessions:${String(id)}`;
  const sessionKey = (sid: string) => `${sessionKeyPrefix(prefix)}${sid}`;

  /** The account's session ids with their stored sessions; ids whose session is gone or another account's are pruned. */
  async function read(moderatorId: number): Promise<{ sid: string; s: StoredSession }[]> {
    const sids = await redis.smembers(setKey(moderatorId));
    if (sids.length === 0) return [];
    const values = await redis.mget(sids.map(sessionKey));
    const live: { sid: string; s: StoredSession }[] = [];
    const gone: string[] = [];
    sids.forEach((sid, i) => {
      let s: StoredSession | null = null;
      try {
        s = values[i] ? (JSON.parse(values[i]) as StoredSession) : null;
      } catch {
        s = null;
      }
      if (s !== null && s.moderatorId === moderatorId) live.push({ sid, s });
      else gone.push(sid);
    });
    if (gone.length > 0) await redis.srem(setKey(moderatorId), ...gone);
    return live;
  }

  return {
    async add(moderatorId, sid) {
      // Renewed at each sign-in: an account that signs in no more leaves no set behind for long.
      await redis.multi().sadd(setKey(moderatorId), sid).expire(setKey(moderatorId), LIST_SECONDS).exec();
    },
    async list(moderatorId, generation, currentSid) {
      return (await read(moderatorId))
        .filter(({ s }) => (s.generation ?? 0) === generation)
        .map(({ sid, s }) => ({
          handle: sessionHandle(sid),
          signedInAt: typeof s.signedInAt === 'number' ? new Date(s.signedInAt) : null,
          userAgent: s.userAgent ?? '',
          ip: s.ip ?? '',
          current: sid === currentSid,
        }))
        .sort((a, b) => (b.signedInAt?.getTime() ?? 0) - (a.signedInAt?.getTime() ?? 0));
    },
    async end(moderatorId, handle, currentSid) {
      const found = (await read(moderatorId)).find(({ sid }) => sessionHandle(sid) === handle && sid !== currentSid);
      if (!found) return false;
      await redis.del(sessionKey(found.sid));
      await redis.srem(setKey(moderatorId), found.sid);
      return true;
    },
    async endOthers(moderatorId, currentSid) {
      const others = (await read(moderatorId)).filter(({ sid }) => sid !== currentSid).map(({ sid }) => sid);
      if (others.length === 0) return 0;
      await redis.del(...others.map(sessionKey));
      await redis.srem(setKey(moderatorId), ...others);
      return others.length;
    },
  };
}
