import type { Queryable } from '../store/db.js';

/**
 * Readers with an identity (sql/0025): one row per verified person per site. Every sign-in method ends
 * in `upsertReader` (who they are) and then `createReaderSession` (src/readers/reader-sessions.ts).
 */

export type SignInVia = 'sso' | 'email' | 'oidc';

/** A reader as routes and the widget see them. */
export interface Reader {
  id: number;
  siteId: string;
  via: SignInVia;
  name: string;
  /** Verified by whoever vouched for the identity; '' when none. Never shown publicly. */
  email: string;
  url: string;
  avatar: string;
  /** A moderator trusts them: their comments skip the hold rules. */
  trusted: boolean;
  /** Reply mails for their comments (per comment they may still turn one off). */
  notifyReplies: boolean;
  /** Their verified email is a moderator's of this site who shows the Staff badge. */
  staff: boolean;
  createdAt: Date;
}

/** What a sign-in method vouches for. */
export interface VerifiedIdentity {
  siteId: string;
  via: SignInVia;
  /** `sso:<sub>`, `email:<address>`, `oidc:<provider id>:<sub>`: unique within the site. */
  identity: string;
  name: string;
  /** Lowercased here; '' when the method vouches for no address. */
  email: string;
  url?: string;
  avatar?: string;
}

interface ReaderRow {
  id: number;
  site_id: string;
  via: SignInVia;
  name: string;
  email: string;
  url: string;
  avatar: string;
  trusted: boolean;
  notify_replies: boolean;
  staff: boolean;
  created_at: Date;
}

/**
 * Whether `r` is staff on its site: a moderator (not disabled, badge on) with the reader's verified
 * email who moderates the site (an admin moderates every site). One expression, used by every query
 * that returns a reader, so the badge means the same everywhere.
 */
export const staffSql = (r: string): string => `(${r}.email <> '' and exists (
  select 1 from moderators m
   where m.email = ${r}.email and not m.disabled and m.staff_badge
     and (m.role = 'admin' or exists (select 1 from moderator_sites ms where ms.moderator_id = m.id and ms.site_id = ${r}.site_id))))`;

export const readerColumns = (r: string): string =>
  `${r}.id, ${r}.site_id, ${r}.via, ${r}.name, ${r}.email, ${r}.url, ${r}.avatar, ${r}.trusted, ${r}.notify_replies,
   ${r}.created_at, ${staffSql(r)} as staff`;

export function toReader(row: ReaderRow): Reader {
  return {
    id: Number(row.id),
    siteId: row.site_id,
    via: row.via,
    name: row.name,
    email: row.email,
    url: row.url,
    avatar: row.avatar,
    trusted: row.trusted,
    notifyReplies: row.notify_replies,
    staff: row.staff,
    createdAt: row.created_at,
  };
}

/**
 * Finds or creates the reader for a verified identity and refreshes what the method says about them
 * (a host may rename its user; an SSO token without `email` leaves the known one as it was only when
 * the method never gives one, so a host that stops vouching for an address is believed).
 */
export async function upsertReader(db: Queryable, v: VerifiedIdentity): Promise<Reader> {
  const { rows } = await db.query<ReaderRow>(
    `with up as (
       insert into readers as r (site_id, via, identity, name, email, url, avatar)
       values ($1, $2, $3, $4, lower($5), $6, $7)
       on conflict (site_id, identity) do update
         set name = excluded.name, email = excluded.email, url = excluded.url, avatar = excluded.avatar,
             last_seen_at = now()
       returning r.*
     )
     select ${readerColumns('up')} from up`,
    [v.siteId, v.via, v.identity, v.name, v.email, v.url ?? '', v.avatar ?? ''],
  );
  return toReader(rows[0]!);
}

export async function findReader(db: Queryable, id: number): Promise<Reader | null> {
  const { rows } = await db.query<ReaderRow>(`select ${readerColumns('r')} from readers r where r.id = $1`, [id]);
  return rows[0] ? toReader(rows[0]) : null;
}

/** What a thread may show of a reader: never the email, never the identity. */
export interface PublicAuthor {
  name: string;
  verified: boolean;
  staff?: true;
  avatar?: string;
}

/** The reader as the API shows them to themselves (`reader` in the session answer, `GET /api/readers/me`). */
export function toReaderJson(r: Reader): Record<string, unknown> {
  return {
    id: String(r.id),
    name: r.name,
    verified: true,
    via: r.via,
    ...(r.email ? { email: r.email } : {}),
    ...(r.url ? { url: r.url } : {}),
    ...(r.avatar ? { avatar: r.avatar } : {}),
    ...(r.staff ? { staff: true } : {}),
    notifyReplies: r.notifyReplies,
  };
}
