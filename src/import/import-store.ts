import type { CommentStatus, Verdict } from '../moderation/verdict.js';
import type { Queryable } from '../store/db.js';
import { toColumnArrays, unnestInsertSql } from '../store/batched/unnest-insert.js';

/*
 * The imports' SQL: pages found or created by identifier, comments inserted in batches with
 * ON CONFLICT DO NOTHING (a second run finds its rows by their derived ids), and parents linked
 * after the whole file is read, because a parent may come after its replies in the file.
 */

/** A comment ready to insert; its parent is linked later (see linkParents). */
export interface ImportRow {
  id: string;
  sourceId: string;
  siteId: string;
  pageId: number;
  /** The parent this comment should have, linked after the file is read; null for a top-level comment. */
  parentId: string | null;
  /** The same parent by the source's own id (linkParents breaks ties of time on it). */
  parentSourceId: string | null;
  authorName: string;
  authorEmail: string;
  authorUrl: string;
  body: string;
  bodyHtml: string;
  status: CommentStatus;
  verdict: Verdict;
  contentHash: Buffer;
  ip: string | null;
  userAgent: string;
  referrer: string;
  idempotencyKey: string | null;
  receivedAt: Date;
  editedAt: Date | null;
}

/** What happened to one row: stored now (with the status it got), or there already from an earlier run. */
export interface ImportOutcome {
  id: string;
  status: CommentStatus;
  alreadyThere: boolean;
  /** Stored as rejected because a live comment with the same fingerprint exists. */
  duplicate: boolean;
}

const columns = [
  ['id', 'uuid'],
  ['site_id', 'text'],
  ['page_id', 'bigint'],
  ['author_name', 'text'],
  ['author_email', 'text'],
  ['author_url', 'text'],
  ['body', 'text'],
  ['body_html', 'text'],
  ['status', 'text'],
  ['verdict', 'jsonb'],
  ['content_hash', 'bytea'],
  ['ip', 'inet'],
  ['user_agent', 'text'],
  ['referrer', 'text'],
  ['idempotency_key', 'text'],
  ['received_at', 'timestamptz'],
  ['edited_at', 'timestamptz'],
] as const;

// One statement per batch whatever its size (src/store/batched/unnest-insert.ts).
const insertSql = unnestInsertSql('comments', columns);

function toParams(rows: ImportRow[]): (string | null)[][] {
  return toColumnArrays(columns, rows, (r) => [
    r.id,
    r.siteId,
    String(r.pageId),
    r.authorName,
    r.authorEmail,
    r.authorUrl,
    r.body,
    r.bodyHtml,
    r.status,
    JSON.stringify(r.verdict),
    r.contentHash.toString('hex'),
    r.ip,
    r.userAgent,
    r.referrer,
    r.idempotencyKey,
    r.receivedAt.toISOString(),
    r.editedAt?.toISOString() ?? null,
  ]);
}

const duplicateReason = {
  rule: 'duplicate',
  action: 'reject',
  code: 'DUPLICATE',
  score: 0,
  message: 'The export holds this comment twice (same page, parent, author and text); the copy is kept as rejected.',
} as const;

/**
 * Inserts a batch. A row whose id exists is an earlier run's; a row refused by the live-duplicate
 * index is stored again as rejected with a DUPLICATE reason (rejected rows are outside that index), so
 * a real duplicate in an export is kept for the record but never shown twice.
 */
export async function insertImportRows(db: Queryable, rows: ImportRow[]): Promise<ImportOutcome[]> {
  if (rows.length === 0) return [];
  const first = await db.query<{ id: string }>(insertSql, toParams(rows));
  const inserted = new Set(first.rows.map((r) => r.id));
  const missing = rows.filter((r) => !inserted.has(r.id));
  const there = new Map<string, CommentStatus>();
  const duplicates = new Set<string>();
  if (missing.length > 0) {
    const found = await db.query<{ id: string; status: CommentStatus }>(
      'select id, status from comments where id = any($1::uuid[])',
      [missing.map((r) => r.id)],
    );
    for (const r of found.rows) there.set(r.id, r.status);
    const dups = missing
      .filter((r) => !there.has(r.id))
      .map((r) => ({
        ...r,
        status: 'rejected' as const,
        verdict: { ...r.verdict, status: 'rejected' as const, reasons: [duplicateReason, ...r.verdict.reasons] },
      }));
    if (dups.length > 0) {
      const again = await db.query<{ id: string }>(insertSql, toParams(dups));
      for (const r of again.rows) {
        inserted.add(r.id);
        duplicates.add(r.id);
      }
    }
  }
  return rows.map((r) => {
    if (duplicates.has(r.id)) return { id: r.id, status: 'rejected', alreadyThere: false, duplicate: true };
    if (inserted.has(r.id)) return { id: r.id, status: r.status, alreadyThere: false, duplicate: false };
    return { id: r.id, status: there.get(r.id) ?? r.status, alreadyThere: true, duplicate: false };
  });
}

/** The page a source page maps to: an existing page with any of its identifiers, else a new one. */
export async function findOrCreatePage(
  db: Queryable,
  siteId: string,
  page: { identifiers: string[]; url: string | null; title: string | null; closed: boolean; settings?: object },
): Promise<{ id: number; identifier: string; created: boolean }> {
  const ids = page.identifiers.filter((i) => i.length >= 1 && i.length <= 1000);
  const primary = ids[0];
  if (primary === undefined) throw new Error('a page needs an identifier of 1 to 1000 characters');
  for (let attempt = 0; attempt < 3; attempt += 1) {
    const found = await db.query<{ id: number; identifier: string }>(
      `select id, identifier from pages where site_id = $1 and identifier = any($2::text[])
        order by array_position($2::text[], identifier) limit 1`,
      [siteId, ids],
    );
    if (found.rows[0]) return { ...found.rows[0], created: false };
    const made = await db.query<{ id: number; identifier: string }>(
      `insert into pages (site_id, identifier, url, title, closed, settings) values ($1, $2, $3, $4, $5, $6)
       on conflict (site_id, identifier) do nothing returning id, identifier`,
      [siteId, primary, page.url, page.title, page.closed, JSON.stringify(page.settings ?? {})],
    );
    if (made.rows[0]) return { ...made.rows[0], created: true };
  }
  throw new Error(`page "${primary}" could not be found or created`);
}

/** The import's own scratch table, on the import's connection: which parent each comment should get. */
export async function createLinkTable(db: Queryable): Promise<void> {
  await db.query(
    'create temporary table if not exists import_links (id uuid primary key, parent_id uuid not null, source_id text not null, parent_source_id text not null)',
  );
  await db.query('truncate import_links');
}

/** A reply and the parent it names, by stored id and by the source's own id. */
export interface ImportLink {
  id: string;
  parentId: string;
  sourceId: string;
  parentSourceId: string;
}

export async function addLinks(db: Queryable, rows: ImportLink[]): Promise<void> {
  if (rows.length === 0) return;
  await db.query(
    `insert into import_links (id, parent_id, source_id, parent_source_id) select * from unnest($1::uuid[], $2::uuid[], $3::text[], $4::text[])
     on conflict (id) do update set parent_id = excluded.parent_id, parent_source_id = excluded.parent_source_id`,
    [
      rows.map((r) => r.id),
      rows.map((r) => r.parentId),
      rows.map((r) => r.sourceId),
      rows.map((r) => r.parentSourceId),
    ],
  );
}

/** Replies that could not be linked to their parent, by reason; they stay top-level comments. */
export interface UnlinkedReplies {
  reason: 'missing' | 'other page' | 'newer';
  count: number;
  /** The first few source ids, for the report. */
  examples: string[];
}

/**
 * Links every imported reply to its parent and sets depths. A reply whose parent is not in the file
 * (deleted at the source, or skipped), is on another page, or is newer than the reply, stays
 * top-level: the last rule also makes a cycle in a broken file impossible. Depth follows the links
 * one level per pass, capped at 10 (the column's limit).
 *
 * "Newer" must mean the same whatever site the file goes into. Exports date comments to the second,
 * so a parent and its quick reply often share received_at; the tie was once broken on the stored ids,
 * which are derived from the site id, so the same file linked 59 replies on one site and 58 on
 * another. Ties are broken on the source's own ids instead, shorter first, then byte order (collation
 * "C", which no database setting changes): WordPress and Disqus number comments in the order they
 * were written, so this is numeric order, and an earlier comment is never the reply.
 */
export async function linkParents(db: Queryable): Promise<{ linked: number; unlinked: UnlinkedReplies[] }> {
  const linked = await db.query(
    `update comments c set parent_id = l.parent_id
       from import_links l, comments p
      where c.id = l.id and p.id = l.parent_id and c.parent_id is null
        and p.site_id = c.site_id and p.page_id = c.page_id
        and (p.received_at < c.received_at
             or (p.received_at = c.received_at
                 and (length(l.parent_source_id), l.parent_source_id collate "C") < (length(l.source_id), l.source_id collate "C")))`,
  );
  const unlinked = await db.query<UnlinkedReplies>(
    `select reason, count(*)::int as count, (array_agg(source_id order by source_id))[1:5] as examples
       from (select l.source_id,
                    case when p.id is null then 'missing' when p.page_id <> c.page_id then 'other page' else 'newer' end as reason
               from import_links l join comments c on c.id = l.id left join comments p on p.id = l.parent_id
              where c.parent_id is distinct from l.parent_id) u
      group by reason order by reason`,
  );
  for (let pass = 0; pass < 12; pass += 1) {
    const changed = await db.query(
      `update comments c set depth = least(p.depth + 1, 10)
         from import_links l, comments p
        where c.id = l.id and p.id = c.parent_id and c.depth <> least(p.depth + 1, 10)`,
    );
    if (!changed.rowCount) break;
  }
  return { linked: linked.rowCount ?? 0, unlinked: unlinked.rows };
}

/** One audit event per import run (the actor is the CLI). */
export async function recordImportRun(db: Queryable, siteId: string, detail: object): Promise<void> {
  await db.query(`insert into moderation_events (actor, action, site_id, detail) values ('cli', 'import', $1, $2)`, [
    siteId,
    JSON.stringify(detail),
  ]);
}
