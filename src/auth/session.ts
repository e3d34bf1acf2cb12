import RedisStore from 'connect-redis';
import session from 'express-session';
import type { RequestHandler } from 'express';
import type { RedisClient } from '../redis.js';

declare module 'express-session' {
  interface SessionData {
    moderatorId?: number;
    /** The moderator's session generation at sign-in; a password change moves it on (sql/0018). */
    generation?: number;
    /** When this session signed in (ms), for the account's list of sessions. */
    signedInAt?: number;
    /** The browser and address it signed in from, for that list (never shown to anyone else). */
    userAgent?: string;
    ip?: string;
    /**
     * The password was right and the account has two-factor: the code is still to come (within
     * TWO_FACTOR_PENDING_MS). Not signed in until then: `moderatorId` stays unset.
     */
    pendingTwoFactor?: { moderatorId: number; generation: number; at: number; next: string };
  }
}

/** The key prefix connect-redis stores sessions under; the list of one's sessions reads the same keys. */
export function sessionKeyPrefix(prefix: string): string {
  return `${prefix}:session:`;
}

export const SESSION_COOKIE = 'rd_session';

/**
 * Moderators' sessions, kept server-side in Redis so any API process can serve any request. The cookie
 * is HttpOnly, SameSite=Lax (links from email notices still arrive signed in; cross-site posts do not
 * carry it) and Secure when the service is reached over https. `rolling` renews it on every request,
 * so a session ends after `idleMinutes` without one. Nothing is stored for a visitor who has not
 * signed in (`saveUninitialized: false`, and nothing writes to their session: the sign-in form's CSRF
 * token lives in a signed cookie), so anonymous requests cost Redis nothing.
 */
export function createSessionMiddleware(opts: {
  redis: RedisClient;
  prefix: string;
  secret: string;
  idleMinutes: number;
  secure: boolean;
}): RequestHandler {
  return session({
    name: SESSION_COOKIE,
    store: new RedisStore({ client: opts.redis, prefix: sessionKeyPrefix(opts.prefix), ttl: opts.idleMinutes * 60 }),
    secret: opts.secret,
    resave: false,
    saveUninitialized: false,
    rolling: true,
    proxy: undefined, // follows Express' trust proxy
    cookie: { httpOnly: true, sameSite: 'lax', secure: opts.secure, path: '/admin', maxAge: opts.idleMinutes * 60_000 },
  });
}
