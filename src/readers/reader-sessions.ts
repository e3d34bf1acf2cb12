import { createHash, randomBytes } from 'node:crypto';
import type { Queryable } from '../store/db.js';
import { readerColumns, toReader, type Reader } from './reader-store.js';

/*
 * A reader's session is a bearer token the widget keeps in the host page's own storage and sends as
 * `Authorization: Bearer …` (no cookie: third-party cookies are blocked in most browsers, and the
 * widget runs on the host's origin while the API runs on ours). The token is 32 random bytes; the
 * table keeps only its sha256, so the token is revocable (delete the row) and a leaked table signs
 * nobody in. A session belongs to one reader, and a reader to one site: the token is bound to it.
 */

/** How long a session lasts from sign-in. @defaultValue 30 days */
export const READER_SESSION_DAYS = 30;

const PREFIX = 'rdr_';
const TOKEN = /^rdr_[A-Za-z0-9_-]{43}$/;

export function hashReaderToken(token: string): Buffer {
  return createHash('sha256').update(token).digest();
}

/** Whether a string has the shape of a reader token (checked before any query). */
export function looksLikeReaderToken(token: string): boolean {
  return TOKEN.test(token);
}

export interface NewSession {
  token: string;
  expiresAt: Date;
}

export async function createReaderSession(
  db: Queryable,
  readerId: number,
  opts: { userAgent?: string; days?: number } = {},
): Promise<NewSession> {
  const token = PREFIX + randomBytes(32).toString('base64url');
  const { rows } = await db.query<{ expires_at: Date }>(
    `insert into reader_sessions (token_hash, reader_id, expires_at, user_agent)
     values ($1, $2, now() + make_interval(days => $3), $4) returning expires_at`,
    [hashReaderToken(token), readerId, opts.days ?? READER_SESSION_DAYS, (opts.userAgent ?? '').slice(0, 500)],
  );
  return { token, expiresAt: rows[0]!.expires_at };
}

/**
 * The reader a token signs in, on `siteId`; null when the token is unknown, expired, revoked or
 * another site's. Marks the session used at most once a minute (a write per request would cost a
 * commit on every comment posted).
 */
export async function findReaderBySession(db: Queryable, token: string, siteId: string): Promise<Reader | null> {
  if (!looksLikeReaderToken(token)) return null;
  const { rows } = await db.query<Parameters<typeof toReader>[0]>({
    name: 'find-reader-by-session',
    text: `with s as (
             update reader_sessions set last_used_at = now()
              where token_hash = $1 and expires_at > now() and last_used_at < now() - interval '1 minute'
           )
           select ${readerColumns('r')} from reader_sessions rs join readers r on r.id = rs.reader_id
            where rs.token_hash = $1 and rs.expires_at > now() and r.site_id = $2`,
    values: [hashReaderToken(token), siteId],
  });
  return rows[0] ? toReader(rows[0]) : null;
}

/** Signs one browser out. */
export async function revokeReaderSession(db: Queryable, token: string): Promise<void> {
  await db.query('delete from reader_sessions where token_hash = $1', [hashReaderToken(token)]);
}

/** Signs a reader out everywhere. */
export async function revokeAllReaderSessions(db: Queryable, readerId: number): Promise<number> {
  const { rowCount } = await db.query('delete from reader_sessions where reader_id = $1', [readerId]);
  return rowCount ?? 0;
}
