import { contentHash } from '../domain/content-hash.js';
import { renderCommentHtml } from '../domain/render-comment.js';
import type { CommentStatus, RuleAction, Verdict } from '../moderation/verdict.js';
import type { Pool } from '../store/db.js';
import {
  findUnstorableField,
  hasUnstorablePageText,
  type ImportPage,
  type ImportRecord,
  type ImportSource,
} from './import-records.js';
import { LINE_FORBIDDEN } from '../domain/forbidden-characters.js';
import {
  addLinks,
  createLinkTable,
  findOrCreatePage,
  insertImportRows,
  linkParents,
  recordImportRun,
  type ImportRow,
  type UnlinkedReplies,
} from './import-store.js';
import type { XmlProblems } from './xml-records.js';
import { importedCommentId } from './source-mapping.js';

// An example id in the report may itself be the bad value: shown with '?' for what cannot be printed or stored.
const unprintable = new RegExp(LINE_FORBIDDEN.source, 'gu');
function printable(id: string): string {
  return id.replace(unprintable, '?').slice(0, 80);
}

/** Reasons counted with a few examples each (source ids), for the report. */
export type Tally = Map<string, { count: number; examples: string[] }>;

export interface ImportReport {
  source: ImportSource;
  file: string;
  siteId: string;
  dryRun: boolean;
  pages: { created: number; existing: number; withoutComments: number };
  comments: {
    /** Comment rows in the file, skipped ones included. */
    read: number;
    /** Stored by this run, by the status they got (duplicates are counted under rejected too). */
    stored: Record<CommentStatus, number>;
    /** Found from an earlier run of the same file: nothing was added for them. */
    alreadyThere: number;
    duplicates: number;
    /** Replies linked to their parent by this run. */
    linked: number;
  };
  skipped: Tally;
  notes: Tally;
  unlinked: UnlinkedReplies[];
  xml: XmlProblems;
  seconds: number;
}

export interface RunImportOptions {
  siteId: string;
  source: ImportSource;
  /** The file's name, for the report and the audit event. */
  file: string;
  records: AsyncIterable<ImportRecord>;
  /** Do everything in one transaction and roll it back: the report is exactly what a real run would do. */
  dryRun: boolean;
  xml?: XmlProblems;
  /** Comments per INSERT statement. @defaultValue 500 */
  batchSize?: number;
  /** Called every `progressEvery` comments (default 5,000) with the count so far and the rate. */
  onProgress?: (done: number, perSecond: number) => void;
  progressEvery?: number;
  /**
   * The stored id of a source comment id. Defaults to a UUIDv5 of (site, source, id); the JSON import
   * keeps the file's own ids when it restores the same site.
   */
  toId?: (sourceId: string) => string;
  /**
   * Create every page the file lists, in file order, even without comments (our own JSON export: its
   * pages are real pages of a site being restored). Otherwise a page is created at its first comment.
   */
  createAllPages?: boolean;
  /** Milliseconds now (tests pass a fake clock). */
  clock?: () => number;
}

const sourceNames: Record<ImportSource, string> = {
  wordpress: 'WordPress',
  disqus: 'Disqus',
  json: 'a Reply Desk export',
};
const actions: Record<CommentStatus, RuleAction | null> = {
  approved: null,
  pending: 'hold',
  spam: 'spam',
  rejected: 'reject',
  deleted: 'reject',
};

/** The verdict of an imported comment: its status, and where it came from (shown to moderators). */
export function importVerdict(source: ImportSource, sourceId: string, status: CommentStatus): Verdict {
  const action = actions[status];
  const verdict: Verdict & { source: { system: ImportSource; id: string } } = {
    status,
    score: 0,
    reasons:
      action === null
        ? []
        : [
            {
              rule: 'import',
              action,
              code: `IMPORTED_${status.toUpperCase()}`,
              score: 0,
              message: `Imported from ${sourceNames[source]} as ${status} (source comment ${sourceId}).`,
            },
          ],
    source: { system: source, id: sourceId },
  };
  return verdict;
}

function count(t: Tally, reason: string, example: string): void {
  const entry = t.get(reason) ?? { count: 0, examples: [] };
  entry.count += 1;
  if (entry.examples.length < 5) entry.examples.push(example);
  t.set(reason, entry);
}

/**
 * Imports a stream of records into a site: pages are found or created at their first comment, comments
 * are inserted in batches under deterministic ids (so a second run adds nothing), and replies are
 * linked to their parents once the whole file is read. Works on one connection of its own (the parent
 * links live in a temporary table there); a real run commits batch by batch, so an interrupted run
 * is finished by running it again.
 */
export async function runImport(pool: Pool, opts: RunImportOptions): Promise<ImportReport> {
  const clock = opts.clock ?? Date.now;
  const started = clock();
  const batchSize = opts.batchSize ?? 500;
  const progressEvery = opts.progressEvery ?? 5000;
  const toId = opts.toId ?? ((id: string) => importedCommentId(opts.siteId, opts.source, id));
  const report: ImportReport = {
    source: opts.source,
    file: opts.file,
    siteId: opts.siteId,
    dryRun: opts.dryRun,
    pages: { created: 0, existing: 0, withoutComments: 0 },
    comments: {
      read: 0,
      stored: { approved: 0, pending: 0, spam: 0, rejected: 0, deleted: 0 },
      alreadyThere: 0,
      duplicates: 0,
      linked: 0,
    },
    skipped: new Map(),
    notes: new Map(),
    unlinked: [],
    xml: opts.xml ?? { count: 0, first: [] },
    seconds: 0,
  };
  // Pages described by the file but not used yet (Disqus lists every thread, most without comments),
  // and the page ids of those in use. Both are per page, not per comment: memory stays small.
  const described = new Map<string, ImportPage>();
  const resolved = new Map<string, { id: number; identifier: string }>();
  let batch: { row: ImportRow }[] = [];
  let done = 0;

  const client = await pool.connect();
  const write = async (rows: ImportRow[]): Promise<void> => {
    const outcomes = await insertImportRows(client, rows);
    for (const o of outcomes) {
      if (o.alreadyThere) report.comments.alreadyThere += 1;
      else report.comments.stored[o.status] += 1;
      if (o.duplicate) report.comments.duplicates += 1;
    }
    await addLinks(
      client,
      rows.flatMap((r) =>
        r.parentId !== null && r.parentSourceId !== null
          ? [{ id: r.id, parentId: r.parentId, sourceId: r.sourceId, parentSourceId: r.parentSourceId }]
          : [],
      ),
    );
    done += rows.length;
  };
  // One batch is written while the next is parsed and rendered (rendering is about half the work), so
  // the database and the CPU work at once; never more than one batch waits, so memory stays bounded.
  let inFlight: Promise<void> = Promise.resolve();
  const flush = async (): Promise<void> => {
    if (batch.length === 0) return;
    const rows = batch.map((b) => b.row);
    batch = [];
    await inFlight;
    inFlight = write(rows);
    // Failures surface at the next flush or the final await; this only keeps Node from calling them unhandled.
    inFlight.catch(() => {});
  };
  const pageOf = async (sourceId: string): Promise<{ id: number; identifier: string } | null> => {
    const known = resolved.get(sourceId);
    if (known) return known;
    const page = described.get(sourceId);
    if (!page) return null;
    const found = await findOrCreatePage(client, opts.siteId, page);
    if (found.created) report.pages.created += 1;
    else report.pages.existing += 1;
    described.delete(sourceId);
    resolved.set(sourceId, found);
    return found;
  };

  try {
    if (opts.dryRun) await client.query('begin');
    await createLinkTable(client);
    let nextProgress = progressEvery;
    for await (const record of opts.records) {
      if (record.kind === 'page') {
        // Its comments are then skipped as having no page: a page is not stored with text Postgres refuses.
        if (hasUnstorablePageText(record.page)) {
          count(
            report.notes,
            'a page with a control character or broken Unicode was left out',
            printable(record.page.sourceId),
          );
          continue;
        }
        if (!resolved.has(record.page.sourceId)) described.set(record.page.sourceId, record.page);
        if (opts.createAllPages) await pageOf(record.page.sourceId);
        continue;
      }
      if (record.kind === 'note') {
        count(report.notes, record.note, record.sourceId);
        continue;
      }
      report.comments.read += 1;
      if (record.kind === 'skip') {
        count(report.skipped, record.reason, record.sourceId);
        continue;
      }
      const c = record.comment;
      const unstorable = findUnstorableField(c);
      if (unstorable !== null) {
        count(report.skipped, `a control character or broken Unicode in its ${unstorable}`, printable(c.sourceId));
        continue;
      }
      const page = await pageOf(c.pageSourceId);
      if (page === null) {
        count(
          report.skipped,
          `its page (${opts.source === 'disqus' ? 'thread' : 'post'}) is not in the file`,
          c.sourceId,
        );
        continue;
      }
      const id = toId(c.sourceId);
      const parentId = c.parentSourceId === null ? null : toId(c.parentSourceId);
      batch.push({
        row: {
          id,
          sourceId: c.sourceId,
          siteId: opts.siteId,
          pageId: page.id,
          parentId,
          parentSourceId: c.parentSourceId,
          authorName: c.authorName,
          authorEmail: c.authorEmail,
          authorUrl: c.authorUrl,
          body: c.body,
          bodyHtml: renderCommentHtml(c.body),
          status: c.status,
          verdict: c.verdict ?? importVerdict(opts.source, c.sourceId, c.status),
          // The parent it is meant to have, linked or not: the same comment always gets the same fingerprint.
          contentHash: contentHash({
            siteId: opts.siteId,
            page: page.identifier,
            parentId,
            author: c.authorName,
            email: c.authorEmail,
            body: c.body,
          }),
          ip: c.ip,
          userAgent: c.userAgent,
          referrer: c.referrer,
          idempotencyKey: c.idempotencyKey,
          receivedAt: c.receivedAt,
          editedAt: c.editedAt,
        },
      });
      if (batch.length >= batchSize) await flush();
      if (done >= nextProgress && opts.onProgress) {
        opts.onProgress(done, done / Math.max((clock() - started) / 1000, 0.001));
        nextProgress += progressEvery;
      }
    }
    await flush();
    await inFlight;
    const links = await linkParents(client);
    report.comments.linked = links.linked;
    report.unlinked = links.unlinked;
    report.pages.withoutComments = described.size;
    report.seconds = (clock() - started) / 1000;
    if (opts.dryRun) {
      await client.query('rollback');
    } else {
      await recordImportRun(client, opts.siteId, {
        source: opts.source,
        file: opts.file,
        pages: report.pages,
        stored: report.comments.stored,
        alreadyThere: report.comments.alreadyThere,
        duplicates: report.comments.duplicates,
        skipped: Object.fromEntries([...report.skipped].map(([k, v]) => [k, v.count])),
      });
    }
    await client.query('drop table if exists import_links');
    return report;
  } catch (err) {
    await inFlight.catch(() => {});
    if (opts.dryRun) await client.query('rollback').catch(() => {});
    throw err;
  } finally {
    client.release();
  }
}

/** Comments this run stored or found from an earlier run: zero means the file gave us nothing. */
export function importedAnything(r: ImportReport): boolean {
  const stored = Object.values(r.comments.stored).reduce((a, b) => a + b, 0);
  return stored + r.comments.alreadyThere > 0;
}

/** The report as printed by the CLI, one fact per line. */
export function formatImportReport(r: ImportReport): string[] {
  const n = (v: number) => v.toLocaleString('en-US');
  const stored = Object.values(r.comments.stored).reduce((a, b) => a + b, 0);
  const verb = r.dryRun ? 'would import' : 'imported';
  const lines = [
    `${r.dryRun ? 'dry run (nothing was written): ' : ''}${sourceNames[r.source]} file ${r.file} → site ${r.siteId}`,
    `pages: ${n(r.pages.created)} new, ${n(r.pages.existing)} existing${r.pages.withoutComments ? `, ${n(r.pages.withoutComments)} in the file without comments (not created)` : ''}`,
    `comments in the file: ${n(r.comments.read)}`,
    `${verb}: ${n(stored)} (${Object.entries(r.comments.stored)
      .map(([s, v]) => `${s} ${n(v)}`)
      .join(', ')})`,
  ];
  if (r.comments.alreadyThere > 0)
    lines.push(`already imported by an earlier run: ${n(r.comments.alreadyThere)} (left as they are)`);
  if (r.comments.duplicates > 0)
    lines.push(
      `duplicates (same page, parent, author and text as another comment): ${n(r.comments.duplicates)}, stored as rejected`,
    );
  lines.push(`replies linked to their parent: ${n(r.comments.linked)}`);
  const unlinkedWords: Record<string, string> = {
    missing: 'parent not in the file (deleted at the source, or skipped)',
    'other page': 'parent on another page',
    newer: 'parent newer than the reply',
  };
  for (const u of r.unlinked)
    lines.push(
      `kept as top-level, ${unlinkedWords[u.reason] ?? u.reason}: ${n(u.count)} (e.g. ${u.examples.join(', ')})`,
    );
  const skippedTotal = [...r.skipped.values()].reduce((a, b) => a + b.count, 0);
  lines.push(`skipped: ${n(skippedTotal)}`);
  for (const [reason, v] of r.skipped) lines.push(`  ${n(v.count)} × ${reason} (e.g. ${v.examples.join(', ')})`);
  for (const [note, v] of r.notes) lines.push(`note: ${n(v.count)} × ${note} (e.g. ${v.examples.join(', ')})`);
  if (r.xml.count > 0) lines.push(`XML errors read past: ${n(r.xml.count)} (first: ${r.xml.first.join(' | ')})`);
  const rate = r.seconds > 0 ? Math.round((stored + r.comments.alreadyThere) / r.seconds) : 0;
  lines.push(`took ${r.seconds.toFixed(1)} s (${n(rate)} comments/s)`);
  return lines;
}
