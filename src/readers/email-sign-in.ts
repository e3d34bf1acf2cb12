import { createHash, randomBytes } from 'node:crypto';
import type { Pool, Queryable } from '../store/db.js';
import { inTransaction } from '../store/moderation-actions.js';
import { createReaderSession, type NewSession } from './reader-sessions.js';
import { findReader, upsertReader, type Reader } from './reader-store.js';

/*
 * Email sign-in (issue 14): a link mailed to the address signs the reader in, with no password. Three
 * secrets, each known to one party and kept here only as sha256 (sql/0027 reader_email_sign_ins):
 * - `request`: the browser that asked keeps it and polls with it. Only that browser gets the session.
 * - the link token: minted by the mail worker (src/mail/sign-in-mail.ts) as it sends the mail, so it is
 *   in the mail and nowhere else (not in Redis, not in the table).
 * - the session token: created when the asking browser polls after the link was confirmed, and handed
 *   out once. Until then the row holds only a claim (confirmed_at, reader_id), never a usable token.
 */

/** How long a mailed link works. @defaultValue 15 minutes */
export const EMAIL_LINK_MINUTES = 15;
/** How long, after the link is confirmed, the asking browser has to collect its session. */
export const EMAIL_CLAIM_MINUTES = 15;

/** Requests per address and per network (the rate limits of POST /api/readers/email). */
export const EMAIL_LIMITS = { perAddressMinute: 1, perAddressHour: 5, perNetworkHour: 20 } as const;

const SECRET = /^[A-Za-z0-9_-]{43}$/;

const sha256 = (s: string): Buffer => createHash('sha256').update(s).digest();
const newSecret = (): string => randomBytes(32).toString('base64url');

export type RequestOutcome =
  { ok: true; id: string; request: string; expiresAt: Date } | { ok: false; retryAfter: number };

/**
 * Records a sign-in request, unless the address or network is over its limits (then how many seconds
 * to wait). Counted under a transaction-scoped lock per address and per network, so parallel requests
 * cannot all pass the same count.
 */
export async function requestEmailSignIn(
  db: Pool,
  q: { siteId: string; email: string; name: string; network: string; lang?: string },
): Promise<RequestOutcome> {
  const email = q.email.toLowerCase();
  const request = newSecret();
  return inTransaction(db, async (client) => {
    await client.query(`select pg_advisory_xact_lock(hashtext('email-sign-in:' || $1))`, [email]);
    if (q.network !== '')
      await client.query(`select pg_advisory_xact_lock(hashtext('email-sign-in-net:' || $1))`, [q.network]);
    // Each limit answers with the wait until its oldest counted request leaves the window.
    const { rows } = await client.query<{ wait: number | null }>(
      `select greatest(
         (select ceil(extract(epoch from max(created_at) + interval '1 minute' - now()))
            from reader_email_sign_ins where email = $1 and created_at > now() - interval '1 minute'
          having count(*) >= $3),
         (select ceil(extract(epoch from min(created_at) + interval '1 hour' - now()))
            from (select created_at from reader_email_sign_ins
                   where email = $1 and created_at > now() - interval '1 hour'
                   order by created_at desc limit $4) last
          having count(*) >= $4),
         (select ceil(extract(epoch from min(created_at) + interval '1 hour' - now()))
            from (select created_at from reader_email_sign_ins
                   where $2 <> '' and network = $2 and created_at > now() - interval '1 hour'
                   order by created_at desc limit $5) last
          having count(*) >= $5)
       )::int as wait`,
      [email, q.network, EMAIL_LIMITS.perAddressMinute, EMAIL_LIMITS.perAddressHour, EMAIL_LIMITS.perNetworkHour],
    );
    const wait = rows[0]?.wait;
    if (wait !== null && wait !== undefined) return { ok: false, retryAfter: Math.max(1, wait) };
    // A day of rows is what the limits need; older ones go as new ones come (no sweeper to run).
    await client.query(`delete from reader_email_sign_ins where created_at < now() - interval '1 day'`);
    const ins = await client.query<{ id: string; expires_at: Date }>(
      `insert into reader_email_sign_ins (site_id, email, name, network, request_hash, expires_at, lang)
       values ($1, $2, $3, $4, $5, now() + make_interval(mins => $6), $7) returning id, expires_at`,
      [q.siteId, email, q.name, q.network, sha256(request), EMAIL_LINK_MINUTES, q.lang ?? ''],
    );
    return { ok: true, id: String(ins.rows[0]!.id), request, expiresAt: ins.rows[0]!.expires_at };
  });
}

/** What the mail worker needs to send the link of request `id`; null when it is gone, used or expired. */
export interface SignInMail {
  email: string;
  siteName: string;
  expiresAt: Date;
  /** The widget's language when the reader asked ('' English). */
  lang: string;
}

/**
 * Mints the link token of request `id` and hands it to `send` inside the transaction that stores its
 * hash: a failed send rolls the new hash back (the retry mints another). Resolves false when there is
 * nothing to send any more (expired, confirmed, or the site gone).
 */
export async function mintSignInLink(
  db: Pool,
  id: string,
  send: (mail: SignInMail, linkToken: string) => Promise<void>,
): Promise<boolean> {
  return inTransaction(db, async (client) => {
    const { rows } = await client.query<{ email: string; site_name: string; expires_at: Date; lang: string }>(
      `select r.email, s.name as site_name, r.expires_at, r.lang from reader_email_sign_ins r join sites s on s.id = r.site_id
        where r.id = $1 and r.confirmed_at is null and r.expires_at > now() for update of r`,
      [id],
    );
    const row = rows[0];
    if (!row) return false;
    const token = newSecret();
    await client.query('update reader_email_sign_ins set link_hash = $2 where id = $1', [id, sha256(token)]);
    await send({ email: row.email, siteName: row.site_name, expiresAt: row.expires_at, lang: row.lang }, token);
    return true;
  });
}

/** `lang`: the language the sign-in was asked in (its page speaks it); '' when the link names no request. */
export type LinkState =
  | { ok: true; siteId: string; siteName: string; lang: string }
  | { ok: false; reason: 'unknown' | 'used' | 'expired'; lang: string };

/** What a link token stands for, without spending it (the confirm page's GET). */
export async function inspectSignInLink(db: Queryable, token: string): Promise<LinkState> {
  if (!SECRET.test(token)) return { ok: false, reason: 'unknown', lang: '' };
  const { rows } = await db.query<{
    site_id: string;
    site_name: string;
    used: boolean;
    expired: boolean;
    lang: string;
  }>(
    `select r.site_id, s.name as site_name, r.confirmed_at is not null as used, r.expires_at <= now() as expired, r.lang
       from reader_email_sign_ins r join sites s on s.id = r.site_id where r.link_hash = $1`,
    [sha256(token)],
  );
  const row = rows[0];
  if (!row) return { ok: false, reason: 'unknown', lang: '' };
  if (row.used) return { ok: false, reason: 'used', lang: row.lang };
  if (row.expired) return { ok: false, reason: 'expired', lang: row.lang };
  return { ok: true, siteId: row.site_id, siteName: row.site_name, lang: row.lang };
}

export type ConfirmOutcome =
  | { ok: true; siteName: string; reader: Reader; lang: string }
  | { ok: false; reason: 'unknown' | 'used' | 'expired'; lang: string };

/**
 * Spends a link: the reader `email:<address>` is found or made (the address is verified: they opened
 * the mail), and the request is marked confirmed for the asking browser to collect. Single use.
 */
export async function confirmSignInLink(db: Pool, token: string): Promise<ConfirmOutcome> {
  if (!SECRET.test(token)) return { ok: false, reason: 'unknown', lang: '' };
  return inTransaction(db, async (client) => {
    const { rows } = await client.query<{
      id: string;
      site_id: string;
      site_name: string;
      email: string;
      name: string;
      used: boolean;
      expired: boolean;
      lang: string;
    }>(
      `select r.id, r.site_id, s.name as site_name, r.email, r.name, r.confirmed_at is not null as used,
              r.expires_at <= now() as expired, r.lang
         from reader_email_sign_ins r join sites s on s.id = r.site_id where r.link_hash = $1 for update of r`,
      [sha256(token)],
    );
    const row = rows[0];
    if (!row) return { ok: false, reason: 'unknown', lang: '' };
    if (row.used) return { ok: false, reason: 'used', lang: row.lang };
    if (row.expired) return { ok: false, reason: 'expired', lang: row.lang };
    const reader = await upsertReader(client, {
      siteId: row.site_id,
      via: 'email',
      identity: `email:${row.email}`,
      name: row.name,
      email: row.email,
    });
    await client.query('update reader_email_sign_ins set confirmed_at = now(), reader_id = $2 where id = $1', [
      row.id,
      reader.id,
    ]);
    return { ok: true, siteName: row.site_name, reader, lang: row.lang };
  });
}

export type PollOutcome =
  | { status: 'pending' }
  | { status: 'signed-in'; session: NewSession; reader: Reader }
  | { status: 'expired' }
  | { status: 'collected' };

/** Whether a string has the shape of a request secret (checked before any query). */
export function looksLikeSignInRequest(s: string): boolean {
  return SECRET.test(s);
}

/**
 * The asking browser's poll: pending until the link is confirmed, then the session, created and handed
 * out once (the claim is spent in the same transaction that creates it).
 */
export async function pollEmailSignIn(
  db: Pool,
  q: { siteId: string; request: string; userAgent?: string },
): Promise<PollOutcome> {
  if (!SECRET.test(q.request)) return { status: 'expired' };
  return inTransaction(db, async (client) => {
    const { rows } = await client.query<{
      id: string;
      reader_id: string | null;
      confirmed: boolean;
      handed: boolean;
      link_open: boolean;
      claim_open: boolean;
    }>(
      `select id, reader_id, confirmed_at is not null as confirmed, handed_at is not null as handed,
              expires_at > now() as link_open,
              coalesce(confirmed_at > now() - make_interval(mins => $3), false) as claim_open
         from reader_email_sign_ins where request_hash = $1 and site_id = $2 for update`,
      [sha256(q.request), q.siteId, EMAIL_CLAIM_MINUTES],
    );
    const row = rows[0];
    if (!row) return { status: 'expired' };
    if (row.handed) return { status: 'collected' };
    if (!row.confirmed) return row.link_open ? { status: 'pending' } : { status: 'expired' };
    if (!row.claim_open || row.reader_id === null) return { status: 'expired' };
    const reader = await findReader(client, Number(row.reader_id));
    if (reader === null) return { status: 'expired' };
    await client.query('update reader_email_sign_ins set handed_at = now() where id = $1', [row.id]);
    const session = await createReaderSession(client, reader.id, { userAgent: q.userAgent });
    return { status: 'signed-in', session, reader };
  });
}
