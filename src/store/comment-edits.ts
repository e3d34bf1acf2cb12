import { renderCommentHtml } from '../domain/render-comment.js';
import type { RuleOutcome } from '../moderation/verdict.js';
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
       -- The verdict was about the text before: a backtest over the new one would not be exact (sql/0054).
       update comments c set body = $3, body_html = $4, edited_at = now(), updated_at = now(), check_facts = null
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

/** One change of a comment's text, for moderators: who (the author or a moderator), what, and what the checks said. */
export interface CommentEdit {
  /** The moderator who edited; null for an author's edit (or a moderator since removed). */
  editorId: number | null;
  /** The comment's author changed it (PATCH /api/comments/:id); false: a moderator. */
  byAuthor: boolean;
  /** The signed-in reader who edited their comment; null for a guest's edit (by edit key) or a moderator's. */
  readerId: number | null;
  /**
   * What an author's edit did: applied (text stands, status kept), held (text stands, the comment waits
   * for a moderator), spam. Moderators' edits are 'applied'. Refused edits changed nothing and are not listed.
   */
  outcome: 'applied' | 'held' | 'spam';
  /** The checks' reasons for an author's edit (why it was held); [] for a moderator's. */
  reasons: RuleOutcome[];
  bodyBefore: string;
  bodyAfter: string;
  createdAt: Date;
}

/** A comment's text changes, oldest first; an author's edits that a rule refused changed nothing and are left out. */
export async function listCommentEdits(db: Queryable, commentId: string): Promise<CommentEdit[]> {
  const { rows } = await db.query<{
    editor_id: number | null;
    by_author: boolean;
    reader_id: string | null;
    outcome: CommentEdit['outcome'];
    verdict: { reasons?: RuleOutcome[] } | null;
    body_before: string;
    body_after: string;
    created_at: Date;
  }>(
    `select editor_id, by_author, reader_id, outcome, verdict, body_before, body_after, created_at
       from comment_edits where comment_id = $1 and outcome <> 'refused' order by id`,
    [commentId],
  );
  return rows.map((r) => ({
    editorId: r.editor_id === null ? null : Number(r.editor_id),
    byAuthor: r.by_author,
    readerId: r.reader_id === null ? null : Number(r.reader_id),
    outcome: r.outcome,
    reasons: r.verdict?.reasons ?? [],
    bodyBefore: r.body_before,
    bodyAfter: r.body_after,
    createdAt: r.created_at,
  }));
}
