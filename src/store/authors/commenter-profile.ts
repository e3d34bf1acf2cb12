import type { AuthorRef } from '../../domain/decisions/author-key.js';
import { toAuthorKey } from '../../domain/decisions/author-key.js';
import type { CommentStatus } from '../../moderation/verdict.js';
import type { Queryable } from '../db.js';
import { listAuthorNotes, type AuthorNote } from './author-notes.js';
import { listAuthorSuspensions, type AuthorSuspension } from './author-suspensions.js';
import { listAuthorWarnings, type AuthorWarning } from './author-warnings.js';
import { listDecisions } from './comment-decisions.js';
import { listAppealsOf } from './appeals.js';

/** One comment of the author, across the site's pages, with who put it where it is. */
export interface ProfileComment {
  id: string;
  page: { identifier: string; title: string | null; url: string | null };
  status: CommentStatus;
  body: string;
  receivedAt: Date;
  /** The moderator (or 'cli', 'readers'…) of the last status change, or null: the rules decided. */
  decided: { by: string; at: Date } | null;
  flags: number;
  /** The reason given with its reject or spam decision, if one was. */
  reason: { label: string; note: string } | null;
  appeal: { id: number; status: string } | null;
}

/** Everything the desk knows about one author on one site (issue 16, item 4). */
export interface CommenterProfile {
  siteId: string;
  author: AuthorRef;
  /** `reader:12` or `guest:ann@example.org`, as the cards' data-author. */
  key: string;
  /** The names they posted under, most recent first. */
  names: string[];
  /** A reader's verified email, or the guest's typed one. */
  email: string;
  reader: { id: number; via: string; trusted: boolean } | null;
  /** A guest's email on the trusted list (trusted_authors); a reader's own flag is `reader.trusted`. */
  trusted: boolean;
  counts: Record<'approved' | 'pending' | 'spam' | 'rejected' | 'deleted', number>;
  comments: ProfileComment[];
  /** Readers' flags on their comments, by reason. */
  flags: { reason: string; count: number }[];
  bans: { kind: string; value: string; reason: string; since: Date }[];
  notes: AuthorNote[];
  warnings: AuthorWarning[];
  suspensions: AuthorSuspension[];
  /** The running suspension's end, or null. */
  suspendedUntil: Date | null;
}

/** At most this many comments are listed (newest first); the counts cover them all. */
export const PROFILE_COMMENTS = 200;

/**
 * Loads an author's profile on a site: null when there is no such reader on the site, or no guest
 * comment with that email (a profile of nobody would invite typing addresses to see what sticks).
 */
export async function loadCommenterProfile(
  db: Queryable,
  siteId: string,
  author: AuthorRef,
  now: Date,
): Promise<CommenterProfile | null> {
  const key = toAuthorKey(author);
  // Whose comments: the reader's own, or the guest comments with this typed email (never the two mixed).
  const [where, param] =
    author.kind === 'reader'
      ? ['c.site_id = $1 and c.reader_id = $2::bigint', String(author.readerId)]
      : ["c.site_id = $1 and c.reader_id is null and c.author_email = $2 and c.author_email <> ''", author.email];
  const reader =
    author.kind === 'reader'
      ? (
          await db.query<{ id: string; via: string; trusted: boolean; email: string; name: string }>(
            'select id, via, trusted, email, name from readers where id = $1 and site_id = $2',
            [author.readerId, siteId],
          )
        ).rows[0]
      : undefined;
  if (author.kind === 'reader' && reader === undefined) return null;
  const [comments, counts, flags] = await Promise.all([
    db.query<{
      id: string;
      identifier: string;
      title: string | null;
      url: string | null;
      status: CommentStatus;
      body: string;
      author_name: string;
      received_at: Date;
      flag_count: number;
      decided_by: string | null;
      decided_at: Date | null;
      decided_to: string | null;
    }>(
      `select c.id, p.identifier, p.title, p.url, c.status, c.body, c.author_name, c.received_at, c.flag_count,
              e.by as decided_by, e.created_at as decided_at, e.to_status as decided_to
         from comments c
         join pages p on p.id = c.page_id
         left join lateral (
           select coalesce(nullif(m.display_name, ''), ev.actor) as by, ev.created_at, ev.to_status
             from moderation_events ev left join moderators m on m.id = ev.actor_id
            where ev.comment_id = c.id and ev.to_status is not null and ev.from_status is distinct from ev.to_status
            order by ev.created_at desc, ev.id desc limit 1
         ) e on true
        where ${where}
        order by c.received_at desc, c.id desc limit ${PROFILE_COMMENTS}`,
      [siteId, param],
    ),
    db.query<CommenterProfile['counts']>(
      `select count(*) filter (where status = 'approved')::int as approved,
              count(*) filter (where status = 'pending')::int as pending,
              count(*) filter (where status = 'spam')::int as spam,
              count(*) filter (where status = 'rejected')::int as rejected,
              count(*) filter (where status = 'deleted')::int as deleted
         from comments c where ${where}`,
      [siteId, param],
    ),
    db.query<{ reason: string; count: number }>(
      `select f.reason, count(*)::int as count from flags f join comments c on c.id = f.comment_id
        where ${where} group by f.reason order by 2 desc`,
      [siteId, param],
    ),
  ]);
  if (author.kind === 'guest' && comments.rows.length === 0) return null;
  const email = reader !== undefined ? reader.email : author.kind === 'guest' ? author.email : '';
  const ids = comments.rows.map((c) => c.id);
  const [bans, trusted, notes, warnings, suspensions, decisions, appeals] = await Promise.all([
    db.query<{ kind: string; value: string; reason: string; since: Date }>(
      `select kind, value, reason, created_at as since from bans
        where site_id = $1 and ((kind = 'reader' and value = $2) or (kind = 'email' and value = $3)
           or (kind = 'domain' and $3 <> '' and (split_part($3, '@', 2) = value or split_part($3, '@', 2) like '%.' || value)))
        order by created_at desc`,
      [siteId, reader !== undefined ? String(reader.id) : '', email],
    ),
    email === ''
      ? { rows: [] }
      : db.query('select 1 from trusted_authors where site_id = $1 and email = $2', [siteId, email]),
    listAuthorNotes(db, siteId, key),
    listAuthorWarnings(db, siteId, key),
    listAuthorSuspensions(db, siteId, key),
    listDecisions(db, ids),
    listAppealsOf(db, ids),
  ]);
  const reasonOf = new Map<string, { label: string; note: string }>();
  // Newest first per comment: the first seen is the latest.
  for (const d of decisions)
    if (!reasonOf.has(d.commentId)) reasonOf.set(d.commentId, { label: d.reason.label, note: d.note });
  const running = suspensions.filter((s) => s.liftedAt === null && s.endsAt > now);
  return {
    siteId,
    author,
    key,
    names: [...new Set([...(reader ? [reader.name] : []), ...comments.rows.map((c) => c.author_name)])].filter(
      (n) => n !== '',
    ),
    email,
    reader: reader ? { id: Number(reader.id), via: reader.via, trusted: reader.trusted } : null,
    trusted: trusted.rows.length > 0,
    counts: counts.rows[0]!,
    comments: comments.rows.map((c) => {
      const appeal = appeals.filter((a) => a.commentId === c.id).at(-1);
      return {
        id: c.id,
        page: { identifier: c.identifier, title: c.title, url: c.url },
        status: c.status,
        body: c.body,
        receivedAt: c.received_at,
        decided:
          c.decided_by !== null && c.decided_at !== null && c.decided_to === c.status
            ? { by: c.decided_by, at: c.decided_at }
            : null,
        flags: c.flag_count,
        reason: reasonOf.get(c.id) ?? null,
        appeal: appeal ? { id: appeal.id, status: appeal.status } : null,
      };
    }),
    flags: flags.rows,
    bans: bans.rows,
    notes,
    warnings,
    suspensions,
    suspendedUntil: running.length > 0 ? new Date(Math.max(...running.map((s) => s.endsAt.getTime()))) : null,
  };
}

/** Whether the author is someone on the site: a reader of it, or a guest with a comment there under that email. */
export async function isAuthorOnSite(db: Queryable, siteId: string, author: AuthorRef): Promise<boolean> {
  const { rows } =
    author.kind === 'reader'
      ? await db.query('select 1 from readers where id = $1 and site_id = $2', [author.readerId, siteId])
      : await db.query(
          'select 1 from comments where site_id = $1 and reader_id is null and author_email = $2 limit 1',
          [siteId, author.email],
        );
  return rows.length > 0;
}
