import { renderCommentHtml } from '../domain/render-comment.js';
import type { Actor } from './moderation-actions.js';
import type { Queryable } from './db.js';

/**
 * Replaces a comment's text (a moderator fixing a typo or removing a slur), keeping the previous text
 * in comment_edits and an audit event. Returns false when the comment is not in the actor's sites.
 */
export async function editCommentBody(db: Queryable, q: { id: string; body: string; actor: Actor }): Promise<boolean> {
  const { rowCount } = await db.query(
    `with before as (
       select id, site_id, body, status from comments where id = $1 and site_id = any($2::text[]) for update
     ), changed as (
       update comments c set body = $3, body_html = $4, edited_at = now(), updated_at = now()
         from before b where c.id = b.id
       returning c.id, b.site_id, b.body as body_before, b.status
     ), history as (
       insert into comment_edits (comment_id, editor_id, body_before, body_after)
       select id, $5, body_before, $3 from changed
     )
     insert into moderation_events (actor_id, actor, action, site_id, comment_id, from_status, to_status, detail)
     select $5, $6, 'edit', site_id, id, status, status, jsonb_build_object('before', body_before, 'after', $3::text) from changed`,
    [q.id, q.actor.siteIds, q.body, renderCommentHtml(q.body), q.actor.id, q.actor.label],
  );
  return rowCount === 1;
}

export interface CommentEdit {
  editorId: number | null;
  bodyBefore: string;
  bodyAfter: string;
  createdAt: Date;
}

export async function listCommentEdits(db: Queryable, commentId: string): Promise<CommentEdit[]> {
  const { rows } = await db.query<{
    editor_id: number | null;
    body_before: string;
    body_after: string;
    created_at: Date;
  }>('select editor_id, body_before, body_after, created_at from comment_edits where comment_id = $1 order by id', [
    commentId,
  ]);
  return rows.map((r) => ({
    editorId: r.editor_id,
    bodyBefore: r.body_before,
    bodyAfter: r.body_after,
    createdAt: r.created_at,
  }));
}
