import type { DecisionReason, ReasonedAction } from '../../domain/decisions/decision-reasons.js';
import { changeStatus, inTransaction, statusAfter, type Actor, type StatusChange } from '../moderation-actions.js';
import type { Pool, Queryable } from '../db.js';

/** A reject or spam decision with its reason, as the commenter is told it (sql/0045). */
export interface CommentDecision {
  id: number;
  commentId: string;
  siteId: string;
  action: ReasonedAction;
  reason: { code: string; label: string; rule: string };
  note: string;
  decidedBy: number | null;
  decidedByLabel: string;
  decidedAt: Date;
  statementSentAt: Date | null;
  /** The appeal against it, if the commenter made one. */
  appeal: { id: number; status: 'open' | 'reinstated' | 'upheld'; openedAt: Date; decidedAt: Date | null } | null;
}

/**
 * Records the reason of a decision that changed the comment; call in the transaction of the status
 * change (changeStatus), so a decision never stands without the reason it was given with.
 */
export async function recordDecision(
  db: Queryable,
  q: {
    commentId: string;
    siteId: string;
    batchId: string;
    action: ReasonedAction;
    reason: DecisionReason;
    note: string;
    actor: Actor;
  },
): Promise<number> {
  const { rows } = await db.query<{ id: string }>(
    `insert into comment_decisions (comment_id, site_id, batch_id, action, reason_code, reason_label, rule, note, decided_by, decided_by_label)
     values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) returning id`,
    [
      q.commentId,
      q.siteId,
      q.batchId,
      q.action,
      q.reason.code,
      q.reason.label,
      q.reason.rule,
      q.note,
      q.actor.id,
      q.actor.label,
    ],
  );
  return Number(rows[0]!.id);
}

interface DecisionRow {
  id: string;
  comment_id: string;
  site_id: string;
  action: ReasonedAction;
  reason_code: string;
  reason_label: string;
  rule: string;
  note: string;
  decided_by: string | null;
  decided_by_label: string;
  decided_at: Date;
  statement_sent_at: Date | null;
  appeal_id: string | null;
  appeal_status: 'open' | 'reinstated' | 'upheld' | null;
  appeal_opened_at: Date | null;
  appeal_decided_at: Date | null;
}

const decisionSelect = `
select d.id, d.comment_id, d.site_id, d.action, d.reason_code, d.reason_label, d.rule, d.note, d.decided_by,
       d.decided_by_label, d.decided_at, d.statement_sent_at,
       a.id as appeal_id, a.status as appeal_status, a.opened_at as appeal_opened_at, a.decided_at as appeal_decided_at
  from comment_decisions d left join appeals a on a.decision_id = d.id`;

function toDecision(r: DecisionRow): CommentDecision {
  return {
    id: Number(r.id),
    commentId: r.comment_id,
    siteId: r.site_id,
    action: r.action,
    reason: { code: r.reason_code, label: r.reason_label, rule: r.rule },
    note: r.note,
    decidedBy: r.decided_by === null ? null : Number(r.decided_by),
    decidedByLabel: r.decided_by_label,
    decidedAt: r.decided_at,
    statementSentAt: r.statement_sent_at,
    appeal:
      r.appeal_id !== null && r.appeal_status !== null && r.appeal_opened_at !== null
        ? {
            id: Number(r.appeal_id),
            status: r.appeal_status,
            openedAt: r.appeal_opened_at,
            decidedAt: r.appeal_decided_at,
          }
        : null,
  };
}

/**
 * The decision that stands for a comment: its latest reasoned one, if the comment is still where that
 * decision put it and nothing changed its status since (a reject undone or reinstated since, or
 * undone and rejected again without a reason, no longer stands).
 */
export async function loadStandingDecision(db: Queryable, commentId: string): Promise<CommentDecision | null> {
  const { rows } = await db.query<DecisionRow>(
    `${decisionSelect}
      join comments c on c.id = d.comment_id
     where d.comment_id = $1
       and c.status = case d.action when 'reject' then 'rejected' else 'spam' end
       -- …and no status change since (an undo and a plain reject after it is a decision without a reason).
       and d.batch_id is not distinct from (
         select e.batch_id from moderation_events e
          where e.comment_id = d.comment_id and e.to_status is not null and e.from_status is distinct from e.to_status
          order by e.id desc limit 1)
     order by d.id desc limit 1`,
    [commentId],
  );
  return rows[0] ? toDecision(rows[0]) : null;
}

export async function loadDecision(db: Queryable, id: number): Promise<CommentDecision | null> {
  const { rows } = await db.query<DecisionRow>(`${decisionSelect} where d.id = $1`, [id]);
  return rows[0] ? toDecision(rows[0]) : null;
}

/** The reasoned decisions about these comments, newest first per comment (the profile, the privacy export). */
export async function listDecisions(db: Queryable, commentIds: string[]): Promise<CommentDecision[]> {
  if (commentIds.length === 0) return [];
  const { rows } = await db.query<DecisionRow>(
    `${decisionSelect} where d.comment_id = any($1::uuid[]) order by d.comment_id, d.id desc`,
    [commentIds],
  );
  return rows.map(toDecision);
}

/** Where a statement of reasons goes: the comment's author, their language and what it was about. */
export interface StatementTarget {
  decision: CommentDecision;
  /** The signed-in reader's verified email, else the guest's typed one; '' for nobody to tell. */
  email: string;
  authorName: string;
  body: string;
  page: string;
  pageUrl: string | null;
  siteName: string;
  lang: string | null;
}

/**
 * Claims the statement of the comment's standing decision for sending: marks it sent and returns what
 * the mail needs, or null when there is none (no reason given, sent already, reinstated since, nobody
 * to tell). Call in the transaction that sends, so a failed send rolls the claim back and is retried.
 */
export async function claimStatement(db: Queryable, commentId: string, now: Date): Promise<StatementTarget | null> {
  const decision = await loadStandingDecision(db, commentId);
  if (decision === null || decision.statementSentAt !== null) return null;
  const { rows } = await db.query<{
    email: string;
    author_name: string;
    body: string;
    page: string;
    page_url: string | null;
    site_name: string;
    lang: string | null;
  }>(
    `select coalesce(nullif(rd.email, ''), nullif(c.author_email, ''), '') as email, c.author_name, c.body,
            coalesce(p.title, p.identifier) as page, p.url as page_url, s.name as site_name, c.lang
       from comments c join pages p on p.id = c.page_id join sites s on s.id = c.site_id
       left join readers rd on rd.id = c.reader_id
      where c.id = $1`,
    [commentId],
  );
  const r = rows[0];
  if (r === undefined || r.email === '') return null;
  const { rowCount } = await db.query(
    'update comment_decisions set statement_sent_at = $2 where id = $1 and statement_sent_at is null',
    [decision.id, now],
  );
  if (rowCount !== 1) return null;
  return {
    decision,
    email: r.email,
    authorName: r.author_name,
    body: r.body,
    page: r.page,
    pageUrl: r.page_url,
    siteName: r.site_name,
    lang: r.lang,
  };
}

/**
 * A moderator's reject or spam of one comment with a reason (and note) for its author: the status
 * change, its audit row (the reason in its detail) and the reason's row in one transaction. Nothing
 * is recorded when the comment was already in that status (someone else decided first).
 */
export async function decideWithReason(
  pool: Pool,
  q: { commentId: string; action: ReasonedAction; reason: DecisionReason; note: string; actor: Actor; batchId: string },
): Promise<StatusChange[]> {
  return inTransaction(pool, async (client) => {
    const changed = await changeStatus(client, {
      ids: [q.commentId],
      action: q.action,
      toStatus: statusAfter[q.action],
      actor: q.actor,
      batchId: q.batchId,
      detail: { reason: q.reason.code, ...(q.note !== '' ? { note: q.note } : {}) },
    });
    for (const c of changed)
      await recordDecision(client, {
        commentId: c.id,
        siteId: c.siteId,
        batchId: q.batchId,
        action: q.action,
        reason: q.reason,
        note: q.note,
        actor: q.actor,
      });
    return changed;
  });
}

/** What the appeal page shows its commenter: the decision, whether it still stands, and the comment. */
export interface AppealContext {
  decision: CommentDecision;
  /** The comment is still where the decision put it (not undone, not reinstated). */
  standing: boolean;
  body: string;
  page: string;
  siteName: string;
  lang: string;
}

export async function loadAppealContext(db: Queryable, decisionId: number): Promise<AppealContext | null> {
  const decision = await loadDecision(db, decisionId);
  if (decision === null) return null;
  const { rows } = await db.query<{ status: string; body: string; page: string; site_name: string; lang: string }>(
    `select c.status, c.body, coalesce(p.title, p.identifier) as page, s.name as site_name, c.lang
       from comments c join pages p on p.id = c.page_id join sites s on s.id = c.site_id where c.id = $1`,
    [decision.commentId],
  );
  const r = rows[0];
  if (r === undefined) return null;
  return {
    decision,
    standing: (await loadStandingDecision(db, decision.commentId))?.id === decision.id,
    body: r.body,
    page: r.page,
    siteName: r.site_name,
    lang: r.lang,
  };
}
