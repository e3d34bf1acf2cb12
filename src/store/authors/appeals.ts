import type { AppealOutcome } from '../../domain/decisions/appeal-rules.js';
import type { Actor } from '../moderation-actions.js';
import type { Queryable } from '../db.js';
import { recordAuthorEvent } from './author-events.js';

/** An appeal as the Appeals tab shows it (sql/0045). */
export interface Appeal {
  id: number;
  commentId: string;
  siteId: string;
  decisionId: number;
  statement: string;
  status: 'open' | 'reinstated' | 'upheld';
  openedAt: Date;
  decidedByLabel: string | null;
  decidedAt: Date | null;
  outcomeNote: string;
  /** The decision appealed against: what was said, and by whom (who may not decide the appeal). */
  decision: {
    action: 'reject' | 'spam';
    reasonLabel: string;
    note: string;
    decidedBy: number | null;
    decidedByName: string;
    decidedAt: Date;
  };
  comment: {
    author: string;
    body: string;
    html: string;
    status: string;
    page: string;
    pageUrl: string | null;
    readerId: number | null;
    email: string;
  };
}

/**
 * Opens the appeal of a decision, with its audit row (appeal_open, by 'readers'); returns it and
 * whether it is new (one appeal per decision: the same link again finds the first). Run in a transaction.
 */
export async function openAppeal(
  db: Queryable,
  q: { decisionId: number; commentId: string; siteId: string; statement: string },
): Promise<{ id: number; created: boolean }> {
  const { rows } = await db.query<{ id: string }>(
    `insert into appeals (comment_id, site_id, decision_id, statement) values ($1, $2, $3, $4)
     on conflict (decision_id) do nothing returning id`,
    [q.commentId, q.siteId, q.decisionId, q.statement],
  );
  if (rows[0] !== undefined) {
    const id = Number(rows[0].id);
    await recordAuthorEvent(db, {
      actor: { id: null, label: 'readers' },
      action: 'appeal_open',
      siteId: q.siteId,
      commentId: q.commentId,
      detail: { appealId: id, decisionId: q.decisionId, statement: q.statement },
    });
    return { id, created: true };
  }
  const found = await db.query<{ id: string }>('select id from appeals where decision_id = $1', [q.decisionId]);
  return { id: Number(found.rows[0]!.id), created: false };
}

const appealSelect = `
select a.id, a.comment_id, a.site_id, a.decision_id, a.statement, a.status, a.opened_at, a.decided_by_label, a.decided_at,
       a.outcome_note, d.action, d.reason_label, d.note, d.decided_by, d.decided_at as decision_at,
       coalesce(nullif(m.display_name, ''), d.decided_by_label) as decided_by_name,
       c.author_name, c.body, c.body_html, c.status as comment_status, c.reader_id, c.author_email,
       coalesce(p.title, p.identifier) as page, p.url as page_url
  from appeals a
  join comment_decisions d on d.id = a.decision_id
  join comments c on c.id = a.comment_id
  join pages p on p.id = c.page_id
  left join moderators m on m.id = d.decided_by`;

interface AppealRow {
  id: string;
  comment_id: string;
  site_id: string;
  decision_id: string;
  statement: string;
  status: Appeal['status'];
  opened_at: Date;
  decided_by_label: string | null;
  decided_at: Date | null;
  outcome_note: string;
  action: 'reject' | 'spam';
  reason_label: string;
  note: string;
  decided_by: string | null;
  decision_at: Date;
  decided_by_name: string;
  author_name: string;
  body: string;
  body_html: string;
  comment_status: string;
  reader_id: string | null;
  author_email: string;
  page: string;
  page_url: string | null;
}

function toAppeal(r: AppealRow): Appeal {
  return {
    id: Number(r.id),
    commentId: r.comment_id,
    siteId: r.site_id,
    decisionId: Number(r.decision_id),
    statement: r.statement,
    status: r.status,
    openedAt: r.opened_at,
    decidedByLabel: r.decided_by_label,
    decidedAt: r.decided_at,
    outcomeNote: r.outcome_note,
    decision: {
      action: r.action,
      reasonLabel: r.reason_label,
      note: r.note,
      decidedBy: r.decided_by === null ? null : Number(r.decided_by),
      decidedByName: r.decided_by_name,
      decidedAt: r.decision_at,
    },
    comment: {
      author: r.author_name,
      body: r.body,
      html: r.body_html,
      status: r.comment_status,
      page: r.page,
      pageUrl: r.page_url,
      readerId: r.reader_id === null ? null : Number(r.reader_id),
      email: r.author_email,
    },
  };
}

/** The Appeals tab: open appeals on these sites, oldest first (at most `limit`). */
export async function listOpenAppeals(db: Queryable, siteIds: string[], limit = 100): Promise<Appeal[]> {
  const { rows } = await db.query<AppealRow>(
    `${appealSelect} where a.site_id = any($1::text[]) and a.status = 'open' order by a.opened_at, a.id limit $2`,
    [siteIds, limit],
  );
  return rows.map(toAppeal);
}

export async function countOpenAppeals(db: Queryable, siteIds: string[]): Promise<number> {
  const { rows } = await db.query<{ n: number }>(
    `select count(*)::int as n from appeals where site_id = any($1::text[]) and status = 'open'`,
    [siteIds],
  );
  return rows[0]?.n ?? 0;
}

/** One appeal, locked for deciding when `forUpdate`. */
export async function loadAppeal(db: Queryable, id: number, forUpdate = false): Promise<Appeal | null> {
  const { rows } = await db.query<AppealRow>(`${appealSelect} where a.id = $1${forUpdate ? ' for update of a' : ''}`, [
    id,
  ]);
  return rows[0] ? toAppeal(rows[0]) : null;
}

/** The appeals about these comments (the profile, the privacy export). */
export async function listAppealsOf(db: Queryable, commentIds: string[]): Promise<Appeal[]> {
  if (commentIds.length === 0) return [];
  const { rows } = await db.query<AppealRow>(
    `${appealSelect} where a.comment_id = any($1::uuid[]) order by a.opened_at`,
    [commentIds],
  );
  return rows.map(toAppeal);
}

/** Closes an open appeal with its outcome and audit row; false when it was decided meanwhile. Run in a transaction. */
export async function closeAppeal(
  db: Queryable,
  q: { appeal: Appeal; outcome: AppealOutcome; note: string; actor: Actor; now: Date },
): Promise<boolean> {
  const status = q.outcome === 'reinstate' ? 'reinstated' : 'upheld';
  const { rowCount } = await db.query(
    `update appeals set status = $2, decided_by = $3, decided_by_label = $4, decided_at = $5, outcome_note = $6
      where id = $1 and status = 'open'`,
    [q.appeal.id, status, q.actor.id, q.actor.label, q.now, q.note],
  );
  if (rowCount !== 1) return false;
  await recordAuthorEvent(db, {
    actor: q.actor,
    action: q.outcome === 'reinstate' ? 'appeal_reinstate' : 'appeal_uphold',
    siteId: q.appeal.siteId,
    commentId: q.appeal.commentId,
    detail: { appealId: q.appeal.id, decisionId: q.appeal.decisionId, note: q.note },
  });
  return true;
}
