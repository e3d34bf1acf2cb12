import { isUuid } from '../domain/comment-fields.js';
import type { CommentStatus, RuleOutcome } from '../moderation/verdict.js';
import type { SignInVia } from '../readers/reader-store.js';
import type { Queryable } from './db.js';
import { countAuthorNotes } from './authors/author-notes.js';

/** The dashboard's tabs. `reported`: readers flagged it back into the queue. */
export type QueueTab = 'pending' | 'reported' | 'spam' | 'approved' | 'rejected';
export const queueTabs: readonly QueueTab[] = ['pending', 'reported', 'spam', 'approved', 'rejected'];

export interface QueueFilter {
  tab: QueueTab;
  /** The sites the moderator may see; always applied. */
  siteIds: string[];
  site: string | null;
  page: string | null;
  /** A rule's code, e.g. TOO_MANY_LINKS. */
  reason: string | null;
  /** Matches the author's name, email or IP, or the text. */
  q: string | null;
  order: 'newest' | 'oldest';
}

export interface QueueCursor {
  receivedAt: Date;
  id: string;
}

/** Everything a moderator sees on one card. */
export interface QueueCard {
  id: string;
  siteId: string;
  /** `title` is confirmed; `suggestedTitle` is what the first submission said (sql/0016), shown marked as such. */
  page: {
    identifier: string;
    title: string | null;
    suggestedTitle: string | null;
    url: string | null;
    closed?: boolean;
  };
  parent: { id: string; author: string; html: string } | null;
  author: string;
  email: string;
  website: string;
  ip: string | null;
  userAgent: string;
  html: string;
  body: string;
  status: CommentStatus;
  verdict: { score: number; reasons: RuleOutcome[] };
  receivedAt: Date;
  editedAt: Date | null;
  /** When it was made an editors' pick (issue 15); null when it is not one. */
  featuredAt: Date | null;
  flags: { reason: string; count: number }[];
  /**
   * The author's comments on this site by status: a reader's own comments (by `reader_id`), a guest's
   * guest comments with the email typed; never the two mixed, as the worker counts them
   * (src/store/batched/check-facts.ts). A guest without an email has no history.
   */
  history: Record<'approved' | 'pending' | 'spam' | 'rejected', number>;
  /** A reader: readers.trusted or a trusted_authors row with their verified email; a guest: a row with the typed email. */
  trusted: boolean;
  /**
   * The signed-in reader who wrote it (sql/0025), null for a guest. `provider` is the OpenID provider's
   * name for `via: 'oidc'`; `trusted` is the reader's own flag (the desk's Trust reader); `staff` is the
   * badge the thread shows on this comment (comments.author_staff).
   */
  reader: { id: number; via: SignInVia; provider: string | null; trusted: boolean; staff: boolean } | null;
  /** Shown as verified although no reader is left (the reader was erased since). */
  verified: boolean;
  /** The comment's earlier texts, oldest first (comment_edits; refused author edits changed nothing). */
  edits: { bodyBefore: string; byAuthor: boolean; at: Date }[];
  /**
   * Who put the comment in its status and when: the moderator (their name, else the actor as recorded:
   * 'cli', 'readers', 'akismet'…) of the last event that did, or null when no one did since the rules
   * decided it (at `checkedAt`).
   */
  decided: { by: string; at: Date } | null;
  /** When the rules' verdict was stored (the row's creation). */
  checkedAt: Date;
  /** Moderators' private notes about this comment's author (issue 16): the card's marker; 0 for none. */
  notes: number;
}

function tabCondition(tab: QueueTab): string {
  switch (tab) {
    case 'pending':
      return `c.status = 'pending' and c.reported_at is null`;
    case 'reported':
      return `c.status = 'pending' and c.reported_at is not null`;
    default:
      return `c.status = '${tab}'`;
  }
}

interface CardRow {
  id: string;
  site_id: string;
  identifier: string;
  title: string | null;
  suggested_title: string | null;
  url: string | null;
  page_closed: boolean;
  parent_id: string | null;
  parent_author: string | null;
  parent_html: string | null;
  author_name: string;
  author_email: string;
  author_url: string;
  ip: string | null;
  user_agent: string;
  body_html: string;
  body: string;
  status: CommentStatus;
  verdict: { score?: number; reasons?: RuleOutcome[] };
  received_at: Date;
  edited_at: Date | null;
  featured_at: Date | null;
  created_at: Date;
  trusted: boolean;
  reader_id: string | null;
  author_verified: boolean;
  author_staff: boolean;
  reader_via: SignInVia | null;
  reader_provider: string | null;
  reader_trusted: boolean | null;
}

/** Builds the WHERE clause and parameters for a filter; shared by the page and by bulk actions. */
export function queueWhere(f: QueueFilter, firstParam = 1): { sql: string; params: unknown[] } {
  const params: unknown[] = [f.siteIds];
  const p = (v: unknown): string => {
    params.push(v);
    return `$${firstParam + params.length - 1}`;
  };
  const parts = [`c.site_id = any($${firstParam}::text[])`, tabCondition(f.tab)];
  if (f.site !== null) parts.push(`c.site_id = ${p(f.site)}`);
  if (f.page !== null)
    parts.push(`c.page_id = (select id from pages where site_id = c.site_id and identifier = ${p(f.page)})`);
  if (f.reason !== null) parts.push(`c.verdict->'reasons' @> ${p(JSON.stringify([{ code: f.reason }]))}::jsonb`);
  if (f.q !== null && isUuid(f.q)) {
    // A comment id (from the audit log or a notice): that comment only.
    parts.push(`c.id = ${p(f.q.toLowerCase())}::uuid`);
  } else if (f.q !== null) {
    const like = p(`%${f.q.replace(/[\\%_]/g, (m) => `\\${m}`)}%`);
    const exact = p(f.q.trim().toLowerCase());
    parts.push(
      `(c.author_name ilike ${like} or c.author_email = ${exact} or c.body ilike ${like} or host(c.ip) = ${exact})`,
    );
  }
  return { sql: parts.join(' and '), params };
}

const cardSelect = `
select c.id, c.site_id, p.identifier, p.title, p.suggested_title, p.url, c.parent_id, par.author_name as parent_author,
       par.body_html as parent_html, c.author_name, c.author_email, c.author_url, host(c.ip) as ip, c.user_agent,
       c.body_html, c.body, c.status, c.verdict, c.received_at, c.edited_at, c.featured_at, c.created_at,
       -- A reader's trust is theirs or their verified email's; a guest's card keeps showing the row of the
       -- typed email (it applies when that person signs in: the worker never trusts a guest).
       (rd.trusted is true
        or exists (select 1 from trusted_authors t
                    where t.site_id = c.site_id and c.author_email <> ''
                      and t.email = case when rd.id is null then c.author_email else rd.email end)) as trusted,
       p.closed as page_closed, c.reader_id, c.author_verified, c.author_staff,
       rd.via as reader_via, rd.trusted as reader_trusted, op.name as reader_provider
  from comments c
  join pages p on p.id = c.page_id
  left join comments par on par.id = c.parent_id
  left join readers rd on rd.id = c.reader_id
  left join reader_oidc_providers op
    on rd.via = 'oidc' and op.site_id = rd.site_id and op.id = split_part(rd.identity, ':', 2)`;

/** Turns rows into cards, loading the authors' histories and the flags in two more queries. */
async function toCards(db: Queryable, rows: CardRow[]): Promise<QueueCard[]> {
  const ids = rows.map((r) => r.id);
  const [history, flags, decisions, edits, notes] = await Promise.all([
    loadHistory(db, rows),
    loadFlags(db, ids),
    loadDecisions(db, ids),
    loadEdits(
      db,
      rows.filter((r) => r.edited_at !== null).map((r) => r.id),
    ),
    // The same author key as the cards' data-author and the profiles (src/domain/decisions/author-key.ts).
    countAuthorNotes(
      db,
      rows.flatMap((r) => {
        const key = noteKey(r);
        return key === null ? [] : [{ siteId: r.site_id, authorKey: key }];
      }),
    ),
  ]);
  return rows.map((r) => ({
    id: r.id,
    siteId: r.site_id,
    page: {
      identifier: r.identifier,
      title: r.title,
      suggestedTitle: r.suggested_title,
      url: r.url,
      closed: r.page_closed,
    },
    parent:
      r.parent_id !== null && r.parent_author !== null
        ? { id: r.parent_id, author: r.parent_author, html: r.parent_html ?? '' }
        : null,
    author: r.author_name,
    email: r.author_email,
    website: r.author_url,
    ip: r.ip,
    userAgent: r.user_agent,
    html: r.body_html,
    body: r.body,
    status: r.status,
    verdict: { score: r.verdict.score ?? 0, reasons: r.verdict.reasons ?? [] },
    receivedAt: r.received_at,
    editedAt: r.edited_at,
    featuredAt: r.featured_at,
    flags: flags.get(r.id) ?? [],
    history: history.get(historyKey(r)) ?? { approved: 0, pending: 0, spam: 0, rejected: 0 },
    trusted: r.trusted,
    reader:
      r.reader_id !== null && r.reader_via !== null
        ? {
            id: Number(r.reader_id),
            via: r.reader_via,
            provider: r.reader_provider,
            trusted: r.reader_trusted === true,
            staff: r.author_staff,
          }
        : null,
    verified: r.author_verified,
    edits: edits.get(r.id) ?? [],
    decided: decisionOf(decisions.get(r.id), r.status),
    checkedAt: r.created_at,
    notes: (() => {
      const key = noteKey(r);
      return key === null ? 0 : (notes.get(`${r.site_id}\n${key}`) ?? 0);
    })(),
  }));
}

/** Whose notes a card shows: its reader's, or its guest's by the typed email; none for a guest without one. */
function noteKey(r: { author_email: string; reader_id: string | null }): string | null {
  if (r.reader_id !== null) return `reader:${r.reader_id}`;
  return r.author_email !== '' ? `guest:${r.author_email.toLowerCase()}` : null;
}

interface DecisionRow {
  comment_id: string;
  to_status: string;
  by: string;
  created_at: Date;
}

/** The last status change of each comment (an edit records none: its to_status is the same status). */
async function loadDecisions(db: Queryable, ids: string[]): Promise<Map<string, DecisionRow>> {
  if (ids.length === 0) return new Map();
  const { rows } = await db.query<DecisionRow>(
    `select distinct on (e.comment_id) e.comment_id, e.to_status, coalesce(nullif(m.display_name, ''), e.actor) as by, e.created_at
       from moderation_events e
       left join moderators m on m.id = e.actor_id
      where e.comment_id = any($1::uuid[]) and e.to_status is not null and e.from_status is distinct from e.to_status
      order by e.comment_id, e.created_at desc, e.id desc`,
    [ids],
  );
  return new Map(rows.map((r) => [r.comment_id, r]));
}

/** The last change counts only if it left the comment where it is; otherwise the rules' verdict stands. */
function decisionOf(row: DecisionRow | undefined, status: CommentStatus): QueueCard['decided'] {
  return row !== undefined && row.to_status === status ? { by: row.by, at: row.created_at } : null;
}

/**
 * One page of a queue, newest or oldest first, by keyset on (received_at, id): the hundredth page of
 * 100,000 pending comments costs what the first does.
 */
export async function listQueue(
  db: Queryable,
  f: QueueFilter,
  after: QueueCursor | null,
  limit: number,
): Promise<{ cards: QueueCard[]; next: QueueCursor | null }> {
  const where = queueWhere(f);
  const params = [...where.params];
  const cmp = f.order === 'newest' ? '<' : '>';
  const dir = f.order === 'newest' ? 'desc' : 'asc';
  let keyset = '';
  if (after !== null) {
    params.push(after.receivedAt, after.id);
    keyset = ` and (c.received_at, c.id) ${cmp} ($${params.length - 1}::timestamptz, $${params.length}::uuid)`;
  }
  params.push(limit + 1);
  const { rows } = await db.query<CardRow>(
    `${cardSelect} where ${where.sql}${keyset} order by c.received_at ${dir}, c.id ${dir} limit $${params.length}`,
    params,
  );
  const page = rows.slice(0, limit);
  const last = page[page.length - 1];
  return {
    cards: await toCards(db, page),
    next: rows.length > limit && last ? { receivedAt: last.received_at, id: last.id } : null,
  };
}

/** How many comments the filtered view holds (capped like the tabs): what "apply to all in this view" touches. */
export async function countView(db: Queryable, f: QueueFilter): Promise<number> {
  const where = queueWhere(f);
  const { rows } = await db.query<{ n: number }>(
    `select count(*)::int as n from (select 1 from comments c where ${where.sql} limit ${COUNT_CAP + 1}) x`,
    where.params,
  );
  return rows[0]?.n ?? 0;
}

/** One card by id (for live updates), within the moderator's sites; null when not there or deleted. */
export async function loadQueueCard(db: Queryable, id: string, siteIds: string[]): Promise<QueueCard | null> {
  const { rows } = await db.query<CardRow>(
    `${cardSelect} where c.id = $1 and c.site_id = any($2::text[]) and c.status <> 'deleted'`,
    [id, siteIds],
  );
  return (await toCards(db, rows))[0] ?? null;
}

/** Whose history a card shows: the reader's own, or a guest's by the typed email (src/store/batched/check-facts.ts). */
function historyKey(r: { site_id: string; author_email: string; reader_id: string | null }): string {
  return r.reader_id !== null ? `reader:${r.reader_id}` : `guest:${r.site_id}\n${r.author_email}`;
}

type HistoryCounts = QueueCard['history'];

async function loadHistory(db: Queryable, rows: CardRow[]): Promise<Map<string, HistoryCounts>> {
  const readerIds = [...new Set(rows.flatMap((r) => (r.reader_id !== null ? [r.reader_id] : [])))];
  const guests = rows.filter((r) => r.reader_id === null && r.author_email !== '');
  const counts = `count(*) filter (where status = 'approved')::int as approved,
            count(*) filter (where status = 'pending')::int as pending,
            count(*) filter (where status = 'spam')::int as spam,
            count(*) filter (where status = 'rejected')::int as rejected`;
  const [byReader, byGuest] = await Promise.all([
    readerIds.length === 0
      ? { rows: [] }
      : db.query<HistoryCounts & { reader_id: string }>(
          `select reader_id, ${counts} from comments where reader_id = any($1::bigint[]) group by reader_id`,
          [readerIds],
        ),
    guests.length === 0
      ? { rows: [] }
      : db.query<HistoryCounts & { site_id: string; author_email: string }>(
          `select c.site_id, c.author_email, ${counts}
             from comments c
             join (select distinct unnest($1::text[]) as site_id, unnest($2::text[]) as author_email) a
               on a.site_id = c.site_id and a.author_email = c.author_email
            where c.reader_id is null
            group by c.site_id, c.author_email`,
          [guests.map((r) => r.site_id), guests.map((r) => r.author_email)],
        ),
  ]);
  const pick = (c: HistoryCounts): HistoryCounts => ({
    approved: c.approved,
    pending: c.pending,
    spam: c.spam,
    rejected: c.rejected,
  });
  return new Map([
    ...byReader.rows.map(
      (c) => [historyKey({ site_id: '', author_email: '', reader_id: String(c.reader_id) }), pick(c)] as const,
    ),
    ...byGuest.rows.map((c) => [historyKey({ ...c, reader_id: null }), pick(c)] as const),
  ]);
}

/** The earlier texts of edited comments, oldest first; an author's edit a rule refused changed nothing. */
async function loadEdits(db: Queryable, ids: string[]): Promise<Map<string, QueueCard['edits']>> {
  if (ids.length === 0) return new Map();
  const { rows } = await db.query<{ comment_id: string; body_before: string; by_author: boolean; created_at: Date }>(
    `select comment_id, body_before, by_author, created_at from comment_edits
      where comment_id = any($1::uuid[]) and outcome <> 'refused' order by comment_id, id`,
    [ids],
  );
  const map = new Map<string, QueueCard['edits']>();
  for (const r of rows)
    map.set(r.comment_id, [
      ...(map.get(r.comment_id) ?? []),
      { bodyBefore: r.body_before, byAuthor: r.by_author, at: r.created_at },
    ]);
  return map;
}

async function loadFlags(db: Queryable, ids: string[]): Promise<Map<string, { reason: string; count: number }[]>> {
  if (ids.length === 0) return new Map();
  const { rows } = await db.query<{ comment_id: string; reason: string; count: number }>(
    'select comment_id, reason, count(*)::int as count from flags where comment_id = any($1::uuid[]) group by 1, 2 order by 3 desc',
    [ids],
  );
  const map = new Map<string, { reason: string; count: number }[]>();
  for (const r of rows) map.set(r.comment_id, [...(map.get(r.comment_id) ?? []), { reason: r.reason, count: r.count }]);
  return map;
}

/** Counting stops here: a tab shows "10,000+" instead of counting a flood row by row on every load. */
export const COUNT_CAP = 10_000;

/** How many comments each tab holds, each count capped at COUNT_CAP + 1. */
export async function countTabs(
  db: Queryable,
  siteIds: string[],
  site: string | null,
): Promise<Record<QueueTab, number>> {
  const scope = site === null ? 'site_id = any($1::text[])' : 'site_id = any($1::text[]) and site_id = $2';
  const count = (cond: string): string =>
    `(select count(*)::int from (select 1 from comments c where ${scope} and ${cond} limit ${COUNT_CAP + 1}) x)`;
  const { rows } = await db.query<Record<QueueTab, number>>(
    `select ${queueTabs.map((t) => `${count(tabCondition(t))} as ${t}`).join(', ')}`,
    site === null ? [siteIds] : [siteIds, site],
  );
  return rows[0]!;
}
