import type { Queryable } from './db.js';

/** Every action the audit log records: the check on moderation_events.action, as the migrations leave it (a test compares them). */
export const auditActions = [
  'approve',
  'reject',
  'spam',
  'not_spam',
  'delete',
  'edit',
  'report',
  'ban',
  'unban',
  'trust',
  'untrust',
  'site_update',
  'bulk',
  'undo',
  // sql/0009: imports, exports and privacy requests.
  'import',
  'export',
  'privacy_export',
  'privacy_erase',
  'anonymise_ips',
  // sql/0011: a held comment checked again with Akismet; sql/0014: webhook subscriptions changed.
  'recheck',
  'webhook',
  // sql/0016: a page's title confirmed or corrected.
  'page_title',
  // sql/0022: accounts managed from the dashboard and the CLI, and a moderator's own password.
  'account_update',
  'account_disable',
  'account_enable',
  'account_remove',
  'password_reset',
  'password_change',
  // sql/0023: a page closed or opened, a site deleted.
  'page_close',
  'page_open',
  'site_delete',
  // sql/0025 and 0028: who can sign in as a reader (the SSO secret, OpenID Connect providers).
  'sso_secret_set',
  'oidc_provider_set',
  'oidc_provider_remove',
  // sql/0030: a moderator trusts a signed-in reader, or stops.
  'reader_trust',
  'reader_untrust',
  // sql/0036: editors' picks.
  'feature',
  'unfeature',
  // sql/0042 and 0043: two-factor sign-in, sessions ended by their account, invites.
  'two_factor_enable',
  'two_factor_disable',
  'recovery_codes_new',
  'recovery_code_use',
  'sessions_end',
  'session_end',
  'account_invite',
  'invite_accept',
  'invite_revoke',
  // sql/0044: commenter profiles (notes, warnings, suspensions); sql/0045: appeals of reasoned decisions.
  'note_add',
  'note_remove',
  'warn',
  'suspend',
  'unsuspend',
  'appeal_open',
  'appeal_reinstate',
  'appeal_uphold',
  // sql/0048: chat targets (Slack, Teams, Mattermost) changed; a brigade detected on one page.
  'chat_target',
  'page_surge',
  // sql/0038: a page's own settings (issue 16).
  'page_settings',
  // sql/0058: a site's external check hook set or cleared (issue 17).
  'check_hook',
] as const;
export type AuditAction = (typeof auditActions)[number];

export interface AuditFilter {
  /** The actor as recorded: a moderator's email, or 'readers', 'worker', 'cli'. Exact, case-insensitive. */
  actor: string | null;
  action: AuditAction | null;
  site: string | null;
  comment: string | null;
  batch: string | null;
  /** Events at or after this instant. */
  from: Date | null;
  /** Events before this instant. */
  before: Date | null;
  /** Only events of these sites (a viewer's or site admin's log, sql/0041); left out, every event. */
  sites?: readonly string[];
}

/**
 * Where the next page starts: the last row's created_at exactly as Postgres holds it (microseconds,
 * which a JS Date would round away and so skip or repeat rows) and its id.
 */
export interface AuditCursor {
  at: string;
  id: number;
}

/** One row of the log as the audit page shows it. */
export interface AuditEvent {
  id: number;
  actorId: number | null;
  actor: string;
  action: AuditAction;
  siteId: string | null;
  commentId: string | null;
  fromStatus: string | null;
  toStatus: string | null;
  batchId: string | null;
  detail: Record<string, unknown>;
  createdAt: Date;
  /** The comment's status now, for the link into the queue (null when there is no comment). */
  commentNow: { status: string; reported: boolean } | null;
  /** Who wrote the comment and how it begins, as it reads now (an 8-character id tells an admin nothing). */
  commentAbout: { author: string; excerpt: string } | null;
  /** For a batch's summary row (bulk, ban): how many comments the batch changed. */
  batchChanges: number | null;
}

interface EventRow {
  id: number;
  actor_id: number | null;
  actor: string;
  action: AuditAction;
  site_id: string | null;
  comment_id: string | null;
  from_status: string | null;
  to_status: string | null;
  batch_id: string | null;
  detail: Record<string, unknown> | null;
  created_at: Date;
  cursor_at: string;
  comment_status: string | null;
  comment_reported: boolean | null;
  comment_author: string | null;
  comment_excerpt: string | null;
}

/** Characters of the comment read for the excerpt; the page cuts it at a word (toExcerpt). */
const EXCERPT_READ = 200;

/** Rounds of "find the summarised batches on this page, then read it again without their rows". */
const MAX_COLLAPSE_ROUNDS = 4;

function filterWhere(f: AuditFilter, params: unknown[]): string[] {
  const p = (v: unknown): string => {
    params.push(v);
    return `$${params.length}`;
  };
  const parts: string[] = [];
  if (f.actor !== null) parts.push(`e.actor = ${p(f.actor.trim().toLowerCase())}`);
  if (f.action !== null) parts.push(`e.action = ${p(f.action)}`);
  if (f.site !== null) parts.push(`e.site_id = ${p(f.site)}`);
  if (f.comment !== null) parts.push(`e.comment_id = ${p(f.comment)}::uuid`);
  if (f.batch !== null) parts.push(`e.batch_id = ${p(f.batch)}::uuid`);
  if (f.from !== null) parts.push(`e.created_at >= ${p(f.from)}`);
  if (f.before !== null) parts.push(`e.created_at < ${p(f.before)}`);
  if (f.sites !== undefined) parts.push(`e.site_id = any(${p(f.sites)}::text[])`);
  return parts;
}

/**
 * Batches among `batchIds` that have a summary row (a row without a comment: the bulk action, the
 * ban), with how many comments each changed.
 */
async function loadSummarisedBatches(db: Queryable, batchIds: string[]): Promise<Map<string, number>> {
  if (batchIds.length === 0) return new Map();
  const { rows } = await db.query<{ batch_id: string; changes: number }>(
    `select batch_id, count(*) filter (where comment_id is not null)::int as changes
       from moderation_events where batch_id = any($1::uuid[])
      group by batch_id having bool_or(comment_id is null)`,
    [batchIds],
  );
  return new Map(rows.map((r) => [r.batch_id, r.changes]));
}

/**
 * One page of the audit log, newest first, by keyset on (created_at, id) — page 500 costs what page 1
 * does. A batch with a summary row (a bulk action of 3,000 comments, a ban that rejected 40) shows as
 * that one row with its count, unless the filter asks for the batch or a comment, which list every row.
 */
export async function listAuditEvents(
  db: Queryable,
  f: AuditFilter,
  after: AuditCursor | null,
  limit: number,
): Promise<{ events: AuditEvent[]; next: AuditCursor | null }> {
  const collapse = f.batch === null && f.comment === null;
  let hidden = new Map<string, number>();
  let rows: EventRow[] = [];
  for (let round = 0; ; round++) {
    const params: unknown[] = [];
    const parts = filterWhere(f, params);
    if (after !== null) {
      params.push(after.at, after.id);
      parts.push(`(e.created_at, e.id) < ($${params.length - 1}::timestamptz, $${params.length}::bigint)`);
    }
    if (collapse && hidden.size > 0) {
      params.push([...hidden.keys()]);
      parts.push(`not (e.comment_id is not null and e.batch_id = any($${params.length}::uuid[]))`);
    }
    params.push(limit + 1);
    ({ rows } = await db.query<EventRow>(
      `select e.id, e.actor_id, e.actor, e.action, e.site_id, e.comment_id, e.from_status, e.to_status, e.batch_id, e.detail, e.created_at,
              to_char(e.created_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') as cursor_at,
              c.status as comment_status, c.reported_at is not null as comment_reported,
              c.author_name as comment_author, left(c.body, ${EXCERPT_READ}) as comment_excerpt
         from moderation_events e
         left join comments c on c.id = e.comment_id
        ${parts.length > 0 ? `where ${parts.join(' and ')}` : ''}
        order by e.created_at desc, e.id desc
        limit $${params.length}`,
      params,
    ));
    // Every batch on this page, so summary rows get their counts and summarised rows can be dropped.
    const batchIds = [...new Set(rows.flatMap((r) => (r.batch_id !== null ? [r.batch_id] : [])))].filter(
      (b) => !hidden.has(b),
    );
    const found = await loadSummarisedBatches(db, batchIds);
    hidden = new Map([...hidden, ...found]);
    const needsAnotherRound =
      collapse && rows.some((r) => r.comment_id !== null && r.batch_id !== null && found.has(r.batch_id));
    // A page made of several huge batches is read a few times at most; past that a stray row shows.
    if (!needsAnotherRound || round + 1 >= MAX_COLLAPSE_ROUNDS) break;
  }
  const page = rows.slice(0, limit);
  const last = page[page.length - 1];
  return {
    events: page.map((r) => ({
      id: r.id,
      actorId: r.actor_id,
      actor: r.actor,
      action: r.action,
      siteId: r.site_id,
      commentId: r.comment_id,
      fromStatus: r.from_status,
      toStatus: r.to_status,
      batchId: r.batch_id,
      detail: r.detail ?? {},
      createdAt: r.created_at,
      commentNow:
        r.comment_status !== null ? { status: r.comment_status, reported: r.comment_reported === true } : null,
      commentAbout:
        r.comment_status !== null
          ? { author: r.comment_author ?? '', excerpt: toExcerpt(r.comment_excerpt ?? '') }
          : null,
      batchChanges: r.comment_id === null && r.batch_id !== null ? (hidden.get(r.batch_id) ?? null) : null,
    })),
    next: rows.length > limit && last ? { at: last.cursor_at, id: last.id } : null,
  };
}

/** The start of a comment on one line, cut at a word boundary with an ellipsis past `max` characters. */
export function toExcerpt(body: string, max = 80): string {
  const flat = body.replace(/\s+/g, ' ').trim();
  if (flat.length <= max) return flat;
  const cut = flat.slice(0, max);
  const space = cut.lastIndexOf(' ');
  return `${(space > max / 2 ? cut.slice(0, space) : cut).trimEnd()}…`;
}

/** The actors the log knows, for the filter's suggestions (moderators' emails and the pipeline's names). */
export async function listAuditActors(db: Queryable): Promise<string[]> {
  const { rows } = await db.query<{ actor: string }>(
    `select email as actor from moderators union select unnest(array['readers', 'cli', 'worker']) order by 1`,
  );
  return rows.map((r) => r.actor);
}
