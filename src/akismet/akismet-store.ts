import type { CommentStatus, Verdict } from '../moderation/verdict.js';
import type { Queryable } from '../store/db.js';
import type { AkismetCheck, AkismetComment } from './akismet-client.js';

/** What Akismet was asked about a comment, kept beside the comment row (sql/0011). */
export interface AkismetCheckRow {
  commentId: string;
  permalink: string;
  commentType: 'comment' | 'reply';
  lang: string;
  result: AkismetCheck['result'];
  detail: string;
}

/** Records (or, on a recheck, updates) what Akismet answered. Idempotent for a retried job. */
export async function saveAkismetCheck(db: Queryable, c: AkismetCheckRow): Promise<void> {
  await db.query(
    `insert into akismet_checks (comment_id, permalink, comment_type, lang, result, detail)
     values ($1, $2, $3, $4, $5, $6)
     on conflict (comment_id) do update set result = excluded.result, detail = excluded.detail, checked_at = now()`,
    [c.commentId, c.permalink, c.commentType, c.lang, c.result, c.detail.slice(0, 500)],
  );
}

/** A stored comment as Akismet needs it again (recheck, submit-spam / submit-ham). */
export interface AkismetSubject {
  siteId: string;
  status: CommentStatus;
  verdict: Verdict;
  /** Akismet's last answer, null when it never saw this comment. */
  result: AkismetCheck['result'] | null;
  /** The last label sent back, null when none. */
  submitted: 'spam' | 'ham' | null;
  /** Everything but `blog`, which the caller knows. */
  comment: Omit<AkismetComment, 'blog'>;
}

/** Loads a comment with its request context; null when it is not stored (yet, or any more). */
export async function loadAkismetSubject(db: Queryable, commentId: string): Promise<AkismetSubject | null> {
  const { rows } = await db.query<{
    site_id: string;
    status: CommentStatus;
    verdict: Verdict;
    author_name: string;
    author_email: string;
    author_url: string;
    body: string;
    ip: string | null;
    user_agent: string;
    referrer: string;
    received_at: Date;
    parent_id: string | null;
    page_url: string | null;
    permalink: string | null;
    comment_type: 'comment' | 'reply' | null;
    lang: string | null;
    result: AkismetCheck['result'] | null;
    submitted: 'spam' | 'ham' | null;
  }>(
    `select c.site_id, c.status, c.verdict, c.author_name, c.author_email, c.author_url, c.body, host(c.ip) as ip,
            c.user_agent, c.referrer, c.received_at, c.parent_id, p.url as page_url,
            a.permalink, a.comment_type, a.lang, a.result, a.submitted
       from comments c join pages p on p.id = c.page_id
       left join akismet_checks a on a.comment_id = c.id
      where c.id = $1`,
    [commentId],
  );
  const r = rows[0];
  if (!r) return null;
  return {
    siteId: r.site_id,
    status: r.status,
    verdict: r.verdict,
    result: r.result,
    submitted: r.submitted,
    comment: {
      userIp: r.ip ?? '',
      userAgent: r.user_agent,
      referrer: r.referrer,
      permalink: r.permalink || r.page_url || '',
      commentType: r.comment_type ?? (r.parent_id === null ? 'comment' : 'reply'),
      author: r.author_name,
      email: r.author_email,
      url: r.author_url,
      content: r.body,
      date: r.received_at,
      lang: r.lang ?? '',
    },
  };
}

/**
 * Applies a recheck's verdict with an audit-aware compare-and-set: only while the comment is still
 * pending and no person has acted on it (no audit event by anyone but Akismet), so a moderator's
 * decision always wins over a late answer. Records the outcome as a 'recheck' event by 'akismet'
 * either way, in the same statement. Returns whether the verdict was applied.
 */
export async function applyRecheck(
  db: Queryable,
  q: { commentId: string; verdict: Verdict; result: AkismetCheck['result']; detail: string },
): Promise<{ applied: boolean; status: CommentStatus | null }> {
  const { rows } = await db.query<{ applied: boolean; status: CommentStatus | null }>(
    `with target as (
       select id, site_id, status from comments c
        where id = $1 and status = 'pending'
          -- A person's decision stands; an author's own edit (actor 'reader') is not a moderator's.
          and not exists (select 1 from moderation_events e where e.comment_id = c.id and e.actor not in ('akismet', 'reader'))
        for update
     ), changed as (
       update comments c set status = $2, verdict = $3::jsonb, updated_at = now(),
              -- A backtest re-runs the rules with Akismet's later answer, as this verdict has it (sql/0054).
              check_facts = jsonb_set(c.check_facts, '{akismet}', jsonb_build_object('result', $4::text, 'detail', $5::text))
         from target t where c.id = t.id
       returning c.id, c.site_id, t.status as from_status, c.status as to_status
     ), before as (
       select id, site_id, status from comments where id = $1
     ), audit as (
       insert into moderation_events (actor_id, actor, action, site_id, comment_id, from_status, to_status, detail)
       select null, 'akismet', 'recheck', cur.site_id, cur.id, coalesce(ch.from_status, cur.status), coalesce(ch.to_status, cur.status),
              jsonb_build_object('result', $4::text, 'detail', $5::text, 'applied', ch.id is not null)
         from before cur left join changed ch on ch.id = cur.id
     )
     select (select count(*) > 0 from changed) as applied, coalesce((select to_status from changed), (select status from before)) as status`,
    [q.commentId, q.verdict.status, JSON.stringify(q.verdict), q.result, q.detail.slice(0, 500)],
  );
  return { applied: rows[0]?.applied ?? false, status: rows[0]?.status ?? null };
}

/** Records that a label was sent back to Akismet for this comment. */
export async function markAkismetSubmitted(db: Queryable, commentId: string, label: 'spam' | 'ham'): Promise<void> {
  await db.query('update akismet_checks set submitted = $2 where comment_id = $1', [commentId, label]);
}

/** Records a recheck that got no answer on its last attempt: the comment stays held for a person. */
export async function recordRecheckGaveUp(db: Queryable, commentId: string, detail: string): Promise<void> {
  await db.query(
    `insert into moderation_events (actor_id, actor, action, site_id, comment_id, from_status, to_status, detail)
     select null, 'akismet', 'recheck', site_id, id, status, status,
            jsonb_build_object('result', 'unavailable', 'detail', $2::text, 'applied', false, 'final', true)
       from comments where id = $1`,
    [commentId, detail.slice(0, 500)],
  );
}
