import type { Actor } from '../moderation-actions.js';
import type { Queryable } from '../db.js';

/*
 * A moderator's trust in a signed-in reader (readers.trusted, sql/0025): the worker lets their comments
 * skip the hold rules (src/store/batched/check-facts.ts). Trust in a guest's typed email is another
 * thing (trusted_authors, src/store/author-rules.ts) and never makes a guest trusted.
 */

/** A reader as the desk names them: which site, and what they are called. */
export interface DeskReader {
  id: number;
  siteId: string;
  name: string;
  trusted: boolean;
}

/** The reader with this id, on any site (the route decides whether the moderator may act on it); null when none. */
export async function findDeskReader(db: Queryable, id: number): Promise<DeskReader | null> {
  const { rows } = await db.query<{ id: string; site_id: string; name: string; trusted: boolean }>(
    'select id, site_id, name, trusted from readers where id = $1',
    [id],
  );
  const r = rows[0];
  return r ? { id: Number(r.id), siteId: r.site_id, name: r.name, trusted: r.trusted } : null;
}

/**
 * Trusts or untrusts a reader of one of the actor's sites, with an audit entry (`reader_trust`,
 * `reader_untrust`) only when it changed anything: one statement, so the flag and its entry commit
 * together. Null when there is no such reader on the actor's sites.
 */
export async function setReaderTrust(
  db: Queryable,
  q: { readerId: number; trusted: boolean; actor: Actor },
): Promise<{ reader: DeskReader; changed: boolean } | null> {
  const { rows } = await db.query<{ id: string; site_id: string; name: string; changed: boolean }>(
    `with target as (
       select id, site_id, name, trusted from readers where id = $1 and site_id = any($2::text[]) for update
     ), changed as (
       update readers r set trusted = $3 from target t where r.id = t.id and t.trusted <> $3 returning r.id
     ), audit as (
       insert into moderation_events (actor_id, actor, action, site_id, detail)
       select $4, $5, $6, t.site_id, jsonb_build_object('reader', t.id::text, 'name', t.name)
         from target t where exists (select 1 from changed)
     )
     select t.id, t.site_id, t.name, exists (select 1 from changed) as changed from target t`,
    [q.readerId, q.actor.siteIds, q.trusted, q.actor.id, q.actor.label, q.trusted ? 'reader_trust' : 'reader_untrust'],
  );
  const r = rows[0];
  if (!r) return null;
  return { reader: { id: Number(r.id), siteId: r.site_id, name: r.name, trusted: q.trusted }, changed: r.changed };
}

/** The trusted readers of these sites, by name (the Bans page's list, each with the way back). */
export async function listTrustedReaders(db: Queryable, siteIds: string[]): Promise<DeskReader[]> {
  const { rows } = await db.query<{ id: string; site_id: string; name: string }>(
    `select id, site_id, name from readers where trusted and site_id = any($1::text[]) order by site_id, name, id limit 500`,
    [siteIds],
  );
  return rows.map((r) => ({ id: Number(r.id), siteId: r.site_id, name: r.name, trusted: true }));
}
