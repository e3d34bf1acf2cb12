import type { Actor } from '../moderation-actions.js';
import type { Queryable } from '../db.js';

/** What featuring or unfeaturing a comment did. */
export type FeatureOutcome =
  | { outcome: 'changed' | 'unchanged'; siteId: string; page: string; featuredAt: Date | null }
  | { outcome: 'not_found' }
  | { outcome: 'not_published' };

/**
 * Makes a published comment an editors' pick (`featured` true) or takes it out of the picks, within
 * the actor's sites, and records the change in the audit log (actions `feature` / `unfeature`) in the
 * same statement. Undo is the inverse action: featuring is not a status, so it has no place in the
 * status batches `u` restores. Only a published comment can be featured; unfeaturing works in any
 * status, so a moderator can clear a pick that was removed meanwhile. Doing what is already done
 * changes nothing and records nothing.
 */
export async function setFeatured(
  db: Queryable,
  q: { id: string; featured: boolean; actor: Actor },
): Promise<FeatureOutcome> {
  const { rows } = await db.query<{
    site_id: string;
    page: string;
    status: string;
    was: Date | null;
    now_at: Date | null;
    changed: boolean;
  }>(
    `with target as (
       select c.id, c.site_id, c.status, c.featured_at as was, p.identifier as page
         from comments c join pages p on p.id = c.page_id
        where c.id = $1 and c.site_id = any($2::text[])
        for update of c
     ), changed as (
       update comments c
          set featured_at = case when $3 then now() else null end,
              featured_by = case when $3 then $5 else null end
         from target t
        where c.id = t.id and (t.was is null) = $3 and (not $3 or t.status = 'approved')
       returning c.id, c.featured_at
     ), audit as (
       insert into moderation_events (actor_id, actor, action, site_id, comment_id, detail)
       select $4, $5, case when $3 then 'feature' else 'unfeature' end, t.site_id, t.id, '{}'::jsonb
         from changed ch join target t on t.id = ch.id
     )
     select t.site_id, t.page, t.status, t.was, ch.featured_at as now_at, ch.id is not null as changed
       from target t left join changed ch on ch.id = t.id`,
    [q.id, q.actor.siteIds, q.featured, q.actor.id, q.actor.label],
  );
  const r = rows[0];
  if (!r) return { outcome: 'not_found' };
  if (r.changed) return { outcome: 'changed', siteId: r.site_id, page: r.page, featuredAt: r.now_at };
  if (q.featured && r.was === null) return { outcome: 'not_published' };
  return { outcome: 'unchanged', siteId: r.site_id, page: r.page, featuredAt: r.was };
}
