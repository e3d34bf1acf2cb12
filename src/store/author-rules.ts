import { isIP } from 'node:net';
import { randomUUID } from 'node:crypto';
import { toCanonicalIp } from '../flood/ip-network.js';
import { changeStatus, type Actor, type StatusChange } from './moderation-actions.js';
import type { Queryable } from './db.js';

/** What a ban holds: an email, an IP (or range), a domain, or a signed-in reader (their id, sql/0025). */
export type BanKind = 'email' | 'ip' | 'domain' | 'reader';

/** A ban's value in its stored form, or null when it is not a valid email, IP/CIDR, domain or reader id. */
export function toBanValue(kind: BanKind, raw: string): string | null {
  const v = raw.trim().toLowerCase();
  switch (kind) {
    case 'reader':
      // readers.id is a bigint; 15 digits stay exact as a JS number. Whether it is a reader of the
      // ban's site is the route's to check.
      return /^[1-9][0-9]{0,14}$/.test(v) ? v : null;
    case 'email':
      return /^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(v) && v.length <= 254 ? v : null;
    case 'domain': {
      const d = v.replace(/^@/, '');
      return /^(?=.{1,253}$)([a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z0-9-]{2,63}$/.test(d) ? d : null;
    }
    case 'ip': {
      const [given, bits, extra] = v.split('/');
      if (given === undefined || extra !== undefined || isIP(given) === 0) return null;
      // An IPv4-mapped address (::ffff:1.2.3.4) is stored as the IPv4 address it is, as the worker
      // matches addresses (src/flood/ip-network.ts), and its /120 as a /24.
      const addr = toCanonicalIp(given);
      const family = isIP(addr);
      const mappedBits = addr !== given ? 96 : 0;
      if (bits === undefined) return addr;
      const n = Number(bits) - mappedBits;
      return Number.isInteger(n) && n >= (family === 4 ? 8 : 16) && n <= (family === 4 ? 32 : 128)
        ? `${addr}/${n}`
        : null;
    }
  }
}

/**
 * Bans an email, IP (or range), domain or reader on a site, and optionally rejects that author's
 * pending comments in the same batch (so one undo brings them back). The worker marks later comments
 * as spam. `readerName` (a reader ban) goes into the audit entry, which outlives an erased reader.
 */
export async function banAuthor(
  db: Queryable,
  q: {
    siteId: string;
    kind: BanKind;
    value: string;
    reason: string;
    rejectPending: boolean;
    actor: Actor;
    readerName?: string;
  },
): Promise<{ created: boolean; batchId: string; rejected: StatusChange[] }> {
  const batchId = randomUUID();
  const { rowCount } = await db.query(
    `insert into bans (site_id, kind, value, network, reason, created_by)
     values ($1, $2, $3, $4::inet, $5, $6) on conflict do nothing`,
    [q.siteId, q.kind, q.value, q.kind === 'ip' ? q.value : null, q.reason, q.actor.id],
  );
  await db.query(
    `insert into moderation_events (actor_id, actor, action, site_id, batch_id, detail) values ($1, $2, 'ban', $3, $4, $5)`,
    [
      q.actor.id,
      q.actor.label,
      q.siteId,
      batchId,
      JSON.stringify({
        kind: q.kind,
        value: q.value,
        reason: q.reason,
        ...(q.readerName !== undefined ? { name: q.readerName } : {}),
      }),
    ],
  );
  let rejected: StatusChange[] = [];
  if (q.rejectPending) {
    // The same matching as the worker's ban lookup (src/store/batched/check-facts.ts).
    const match = {
      email: 'author_email = $2',
      ip: 'ip <<= $2::inet',
      domain: "(split_part(author_email, '@', 2) = $2 or split_part(author_email, '@', 2) like '%.' || $2)",
      reader: 'reader_id = $2::bigint',
    }[q.kind];
    const { rows } = await db.query<{ id: string }>(
      `select id from comments where site_id = $1 and status = 'pending' and ${match}`,
      [q.siteId, q.value],
    );
    rejected = await changeStatus(db, {
      ids: rows.map((r) => r.id),
      action: 'reject',
      toStatus: 'rejected',
      actor: q.actor,
      batchId,
      detail: { ban: `${q.kind}:${q.value}` },
    });
  }
  return { created: rowCount === 1, batchId, rejected };
}

export async function unbanAuthor(
  db: Queryable,
  q: { siteId: string; kind: BanKind; value: string; actor: Actor },
): Promise<boolean> {
  const { rowCount } = await db.query('delete from bans where site_id = $1 and kind = $2 and value = $3', [
    q.siteId,
    q.kind,
    q.value,
  ]);
  if (rowCount) {
    await db.query(
      `insert into moderation_events (actor_id, actor, action, site_id, detail) values ($1, $2, 'unban', $3, $4)`,
      [q.actor.id, q.actor.label, q.siteId, JSON.stringify({ kind: q.kind, value: q.value })],
    );
  }
  return rowCount === 1;
}

/** Marks an author (by email) as trusted on a site: the worker skips the hold rules for them. */
export async function trustAuthor(db: Queryable, q: { siteId: string; email: string; actor: Actor }): Promise<boolean> {
  const email = q.email.trim().toLowerCase();
  const { rowCount } = await db.query(
    `insert into trusted_authors (site_id, email, created_by) values ($1, $2, $3) on conflict do nothing`,
    [q.siteId, email, q.actor.id],
  );
  if (rowCount) {
    await db.query(
      `insert into moderation_events (actor_id, actor, action, site_id, detail) values ($1, $2, 'trust', $3, $4)`,
      [q.actor.id, q.actor.label, q.siteId, JSON.stringify({ email })],
    );
  }
  return rowCount === 1;
}

export async function untrustAuthor(
  db: Queryable,
  q: { siteId: string; email: string; actor: Actor },
): Promise<boolean> {
  const email = q.email.trim().toLowerCase();
  const { rowCount } = await db.query('delete from trusted_authors where site_id = $1 and email = $2', [
    q.siteId,
    email,
  ]);
  if (rowCount) {
    await db.query(
      `insert into moderation_events (actor_id, actor, action, site_id, detail) values ($1, $2, 'untrust', $3, $4)`,
      [q.actor.id, q.actor.label, q.siteId, JSON.stringify({ email })],
    );
  }
  return rowCount === 1;
}

export interface Ban {
  siteId: string;
  kind: BanKind;
  value: string;
  reason: string;
  createdAt: Date;
  /** A reader ban's reader as they are called now; null for other kinds, or a reader since erased. */
  readerName: string | null;
}

export async function listBans(db: Queryable, siteIds: string[]): Promise<Ban[]> {
  const { rows } = await db.query<{
    site_id: string;
    kind: BanKind;
    value: string;
    reason: string;
    created_at: Date;
    reader_name: string | null;
  }>(
    `select b.site_id, b.kind, b.value, b.reason, b.created_at, r.name as reader_name
       from bans b
       left join readers r on b.kind = 'reader' and r.site_id = b.site_id and r.id::text = b.value
      where b.site_id = any($1::text[]) order by b.created_at desc limit 500`,
    [siteIds],
  );
  return rows.map((r) => ({
    siteId: r.site_id,
    kind: r.kind,
    value: r.value,
    reason: r.reason,
    createdAt: r.created_at,
    readerName: r.reader_name,
  }));
}

export interface TrustedAuthor {
  siteId: string;
  email: string;
  createdAt: Date;
}

/** The trusted authors of these sites, newest first (the dashboard's and the CLI's lists). */
export async function listTrustedAuthors(db: Queryable, siteIds: string[]): Promise<TrustedAuthor[]> {
  const { rows } = await db.query<{ site_id: string; email: string; created_at: Date }>(
    'select site_id, email, created_at from trusted_authors where site_id = any($1::text[]) order by created_at desc limit 500',
    [siteIds],
  );
  return rows.map((r) => ({ siteId: r.site_id, email: r.email, createdAt: r.created_at }));
}
