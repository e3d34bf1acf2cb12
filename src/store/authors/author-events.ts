import type { Actor } from '../moderation-actions.js';
import type { Queryable } from '../db.js';

/**
 * One audit row about an author (a note, a warning, a suspension) or an appeal: the same table as every
 * other desk action (moderation_events), so the audit page lists it with the rest. `commentId` ties an
 * appeal's rows to the comment it is about.
 */
export async function recordAuthorEvent(
  db: Queryable,
  e: {
    actor: Pick<Actor, 'id' | 'label'>;
    action:
      | 'note_add'
      | 'note_remove'
      | 'warn'
      | 'suspend'
      | 'unsuspend'
      | 'appeal_open'
      | 'appeal_reinstate'
      | 'appeal_uphold';
    siteId: string;
    commentId?: string | null;
    detail: Record<string, unknown>;
  },
): Promise<void> {
  await db.query(
    `insert into moderation_events (actor_id, actor, action, site_id, comment_id, detail) values ($1, $2, $3, $4, $5, $6)`,
    [e.actor.id, e.actor.label, e.action, e.siteId, e.commentId ?? null, JSON.stringify(e.detail)],
  );
}
