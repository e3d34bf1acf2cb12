import type { Queryable } from '../db.js';

/**
 * What the desk kept about an author that the author may see (issue 16): the reasons given with
 * removals of their comments, their appeals, warnings and suspensions. Moderators' notes are the
 * moderators' and are not here. Read by both exports: a commenter's by email (src/store/privacy.ts)
 * and a reader's own (src/readers/reader-account.ts).
 */
export interface AuthorRecords {
  decisions: {
    comment: string;
    action: string;
    reason: string;
    rule: string;
    note: string;
    decidedAt: Date;
    statementSentAt: Date | null;
  }[];
  appeals: {
    comment: string;
    statement: string;
    status: string;
    openedAt: Date;
    decidedAt: Date | null;
    outcomeNote: string;
  }[];
  warnings: { site: string; message: string; createdAt: Date; seenAt: Date | null }[];
  suspensions: { site: string; reason: string; startsAt: Date; endsAt: Date; liftedAt: Date | null }[];
}

/** The records of these comments, and of these author keys (`reader:<id>`, `guest:<email>`) on one site or all. */
export async function loadAuthorRecords(
  db: Queryable,
  q: { commentIds: string[]; authorKeys: string[]; siteId: string | null },
): Promise<AuthorRecords> {
  const [decisions, appeals, warnings, suspensions] = await Promise.all([
    db.query<AuthorRecords['decisions'][number]>(
      `select comment_id as comment, action, reason_label as reason, rule, note, decided_at as "decidedAt",
              statement_sent_at as "statementSentAt"
         from comment_decisions where comment_id = any($1::uuid[]) order by decided_at, id`,
      [q.commentIds],
    ),
    db.query<AuthorRecords['appeals'][number]>(
      `select comment_id as comment, statement, status, opened_at as "openedAt", decided_at as "decidedAt",
              outcome_note as "outcomeNote"
         from appeals where comment_id = any($1::uuid[]) order by opened_at, id`,
      [q.commentIds],
    ),
    db.query<AuthorRecords['warnings'][number]>(
      `select site_id as site, message, created_at as "createdAt", seen_at as "seenAt" from author_warnings
        where author_key = any($1::text[]) and ($2::text is null or site_id = $2) order by created_at, id`,
      [q.authorKeys, q.siteId],
    ),
    db.query<AuthorRecords['suspensions'][number]>(
      `select site_id as site, reason, starts_at as "startsAt", ends_at as "endsAt", lifted_at as "liftedAt"
         from author_suspensions where author_key = any($1::text[]) and ($2::text is null or site_id = $2)
        order by starts_at, id`,
      [q.authorKeys, q.siteId],
    ),
  ]);
  return {
    decisions: decisions.rows,
    appeals: appeals.rows,
    warnings: warnings.rows,
    suspensions: suspensions.rows,
  };
}
