import type { CommentStatus, Verdict } from '../../moderation/verdict.js';
import type { StoredFacts } from '../../moderation/stored-facts.js';
import { createBatcher } from './batcher.js';
import type { Queryable } from '../db.js';
import { toColumnArrays, unnestInsertSql } from './unnest-insert.js';

/** A checked comment, ready to store. */
export interface NewComment {
  id: string;
  siteId: string;
  pageId: number;
  parentId: string | null;
  depth: number;
  authorName: string;
  authorEmail: string;
  authorUrl: string;
  body: string;
  bodyHtml: string;
  verdict: Verdict;
  contentHash: Buffer;
  ip: string | null;
  userAgent: string;
  referrer: string;
  idempotencyKey: string | null;
  receivedAt: Date;
  /**
   * The signed-in reader who wrote it (issue 14), with what the thread shows of them (a thread page
   * reads no other table); left out, a guest: unverified, no badge, no avatar.
   */
  reader?: { id: number; staff: boolean; avatar: string } | null;
  /** The language it was written in (src/i18n/reader-language.ts), for mails about it; '' unknown. @defaultValue '' */
  lang?: string;
  /** What the rules read (src/moderation/stored-facts.ts), for backtests; left out, none are kept. */
  checkFacts?: StoredFacts | null;
}

/** What happened to one comment: its stored status, and whether an earlier attempt had stored it. */
export interface WriteResult {
  id: string;
  status: CommentStatus;
  alreadyStored: boolean;
}

export interface CommentWriter {
  write(comment: NewComment): Promise<WriteResult>;
  drain(): Promise<void>;
}

const columns = [
  ['id', 'uuid'],
  ['site_id', 'text'],
  ['page_id', 'bigint'],
  ['parent_id', 'uuid'],
  ['depth', 'smallint'],
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
  ['reader_id', 'bigint'],
  ['author_verified', 'boolean'],
  ['author_staff', 'boolean'],
  ['author_avatar', 'text'],
  ['lang', 'text'],
  ['check_facts', 'jsonb'],
] as const;

// One statement per batch whatever its size (src/store/batched/unnest-insert.ts).
const insertSql = unnestInsertSql('comments', columns);

function toParams(batch: NewComment[]): (string | null)[][] {
  return toColumnArrays(columns, batch, (c) => [
    c.id,
    c.siteId,
    String(c.pageId),
    c.parentId,
    String(c.depth),
    c.authorName,
    c.authorEmail,
    c.authorUrl,
    c.body,
    c.bodyHtml,
    c.verdict.status,
    JSON.stringify(c.verdict),
    c.contentHash.toString('hex'),
    c.ip,
    c.userAgent,
    c.referrer,
    c.idempotencyKey,
    c.receivedAt.toISOString(),
    c.reader ? String(c.reader.id) : null,
    // Verified: a reader's identity was vouched for by a sign-in; a guest's name is only typed.
    c.reader ? 'true' : 'false',
    c.reader?.staff ? 'true' : 'false',
    c.reader?.avatar ?? '',
    c.lang ?? '',
    c.checkFacts ? JSON.stringify(c.checkFacts) : null,
  ]);
}

const duplicateReason = {
  rule: 'duplicate',
  action: 'reject',
  code: 'DUPLICATE',
  score: 0,
  message: "Duplicate comment detected; it looks as though you've already said that!",
} as const;

/** Stores one batch; exported for tests and tools that write without batching. */
export async function insertComments(db: Queryable, batch: NewComment[]): Promise<WriteResult[]> {
  if (batch.length === 0) return [];
  // Named: parsed and planned once per connection (the statement is the same for any batch size).
  const { rows } = await db.query<{ id: string }>({
    name: 'insert-comments',
    text: insertSql,
    values: toParams(batch),
  });
  const inserted = new Set(rows.map((r) => r.id));
  const missing = batch.filter((c) => !inserted.has(c.id));
  const stored = new Map<string, CommentStatus>();
  if (missing.length > 0) {
    const found = await db.query<{ id: string; status: CommentStatus }>(
      'select id, status from comments where id = any($1::uuid[])',
      [missing.map((c) => c.id)],
    );
    for (const r of found.rows) stored.set(r.id, r.status);
    // Not stored under its id, so it lost the race on the live-duplicate index: store it as the
    // duplicate it is, rejected (rejected rows are outside that index, so this cannot conflict again
    // except with itself on a retry).
    const duplicates = missing
      .filter((c) => !stored.has(c.id))
      .map((c) => ({
        ...c,
        // What the rules will see on a backtest: a live duplicate was there, as it was here.
        checkFacts: c.checkFacts ? { ...c.checkFacts, duplicate: true } : c.checkFacts,
        verdict: {
          status: 'rejected' as const,
          score: c.verdict.score,
          reasons: [duplicateReason, ...c.verdict.reasons],
        },
      }));
    if (duplicates.length > 0) {
      const again = await db.query<{ id: string }>(insertSql, toParams(duplicates));
      for (const r of again.rows) inserted.add(r.id);
      for (const c of duplicates) stored.set(c.id, 'rejected');
    }
  }
  return batch.map((c) => {
    const prior = stored.get(c.id);
    if (inserted.has(c.id)) return { id: c.id, status: prior ?? c.verdict.status, alreadyStored: false };
    return { id: c.id, status: prior ?? c.verdict.status, alreadyStored: true };
  });
}

/**
 * Writes comments in batches of up to `batchSize`, shared by all concurrent jobs of a worker. One
 * insert in flight at a time: the jobs that finish their checks meanwhile go into the next one, so
 * under load each commit (one WAL flush) carries many comments instead of each waiting for its own.
 */
export function createCommentWriter(db: Queryable, batchSize: number): CommentWriter {
  const batcher = createBatcher<NewComment, WriteResult>((batch) => insertComments(db, batch), batchSize, {
    maxInFlight: 1,
  });
  return { write: (c) => batcher.add(c), drain: () => batcher.drain() };
}
