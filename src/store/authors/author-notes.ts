import type { Actor } from '../moderation-actions.js';
import type { Queryable } from '../db.js';
import { recordAuthorEvent } from './author-events.js';

/** A moderator's private note about an author (sql/0044): never shown to readers, audited. */
export interface AuthorNote {
  id: number;
  body: string;
  by: string;
  createdAt: Date;
}

/** Adds a note and its audit row (note_add, with the text: the log outlives a removed note). Run in a transaction. */
export async function addAuthorNote(
  db: Queryable,
  q: { siteId: string; authorKey: string; body: string; actor: Actor },
): Promise<number> {
  const { rows } = await db.query<{ id: string }>(
    `insert into author_notes (site_id, author_key, body, created_by, created_by_label) values ($1, $2, $3, $4, $5) returning id`,
    [q.siteId, q.authorKey, q.body, q.actor.id, q.actor.label],
  );
  const id = Number(rows[0]!.id);
  await recordAuthorEvent(db, {
    actor: q.actor,
    action: 'note_add',
    siteId: q.siteId,
    detail: { author: q.authorKey, note: q.body, noteId: id },
  });
  return id;
}

/** Removes one note of this author; false when there is none (removed already, another author's). Run in a transaction. */
export async function removeAuthorNote(
  db: Queryable,
  q: { siteId: string; authorKey: string; id: number; actor: Actor },
): Promise<boolean> {
  const { rows } = await db.query<{ body: string }>(
    'delete from author_notes where id = $1 and site_id = $2 and author_key = $3 returning body',
    [q.id, q.siteId, q.authorKey],
  );
  const removed = rows[0];
  if (removed === undefined) return false;
  await recordAuthorEvent(db, {
    actor: q.actor,
    action: 'note_remove',
    siteId: q.siteId,
    detail: { author: q.authorKey, note: removed.body, noteId: q.id },
  });
  return true;
}

export async function listAuthorNotes(db: Queryable, siteId: string, authorKey: string): Promise<AuthorNote[]> {
  const { rows } = await db.query<{ id: string; body: string; by: string; created_at: Date }>(
    `select n.id, n.body, coalesce(nullif(m.display_name, ''), n.created_by_label) as by, n.created_at
       from author_notes n left join moderators m on m.id = n.created_by
      where n.site_id = $1 and n.author_key = $2 order by n.created_at desc, n.id desc`,
    [siteId, authorKey],
  );
  return rows.map((r) => ({ id: Number(r.id), body: r.body, by: r.by, createdAt: r.created_at }));
}

/** How many notes each (site, author) has, for the marker on the queue's cards; keyed `${site}\n${author}`. */
export async function countAuthorNotes(
  db: Queryable,
  authors: readonly { siteId: string; authorKey: string }[],
): Promise<Map<string, number>> {
  if (authors.length === 0) return new Map();
  const { rows } = await db.query<{ site_id: string; author_key: string; n: number }>(
    `select n.site_id, n.author_key, count(*)::int as n
       from author_notes n
       join (select distinct unnest($1::text[]) as site_id, unnest($2::text[]) as author_key) a
         on a.site_id = n.site_id and a.author_key = n.author_key
      group by n.site_id, n.author_key`,
    [authors.map((a) => a.siteId), authors.map((a) => a.authorKey)],
  );
  return new Map(rows.map((r) => [`${r.site_id}\n${r.author_key}`, r.n]));
}
