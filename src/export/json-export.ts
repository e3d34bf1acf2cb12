import type { Writable } from 'node:stream';
import type { Pool } from '../store/db.js';
import { loadSite } from '../store/sites.js';
import { streamSnapshot } from './export-cursor.js';
import { createTextSink } from './export-output.js';
import {
  EXPORT_FORMAT,
  EXPORT_VERSION,
  type ExportComment,
  type ExportHeader,
  type ExportPage,
} from './json-format.js';

interface PageRow {
  identifier: string;
  url: string | null;
  title: string | null;
  closed: boolean;
  settings: Record<string, unknown>;
}

interface CommentRow {
  id: string;
  page: string;
  parent_id: string | null;
  depth: number;
  status: ExportComment['status'];
  author_name: string;
  author_email: string;
  author_url: string;
  body: string;
  body_html: string;
  verdict: ExportComment['verdict'];
  ip: string | null;
  user_agent: string;
  referrer: string;
  idempotency_key: string | null;
  received_at: Date;
  edited_at: Date | null;
}

/** A page as the file holds it: its own settings only when it has any, so other pages read as before. */
function toExportPage(p: PageRow): ExportPage {
  const { identifier, url, title, closed, settings } = p;
  return Object.keys(settings).length > 0
    ? { identifier, url, title, closed, settings }
    : { identifier, url, title, closed };
}

const pagesSql = 'select identifier, url, title, closed, settings from pages where site_id = $1 order by id';
// abbrev() keeps an anonymised address's prefix length (203.0.113.0/24) and prints a full one bare.
const commentsSql = `
select c.id, p.identifier as page, c.parent_id, c.depth, c.status, c.author_name, c.author_email, c.author_url,
       c.body, c.body_html, c.verdict, abbrev(c.ip) as ip, c.user_agent, c.referrer, c.idempotency_key, c.received_at, c.edited_at
  from comments c join pages p on p.id = c.page_id
 where c.site_id = $1
 order by c.received_at, c.id`;

export function toExportComment(r: CommentRow): ExportComment {
  return {
    id: r.id,
    page: r.page,
    parent: r.parent_id,
    depth: r.depth,
    status: r.status,
    authorName: r.author_name,
    authorEmail: r.author_email,
    authorUrl: r.author_url,
    body: r.body,
    bodyHtml: r.body_html,
    verdict: r.verdict,
    ip: r.ip,
    userAgent: r.user_agent,
    referrer: r.referrer,
    idempotencyKey: r.idempotency_key,
    receivedAt: r.received_at.toISOString(),
    editedAt: r.edited_at?.toISOString() ?? null,
  };
}

/**
 * Writes a site's pages and comments (every status) as the JSON export format, streamed from one
 * consistent snapshot. Returns what it wrote; null when there is no such site.
 */
export async function writeJsonExport(
  pool: Pool,
  siteId: string,
  out: Writable,
  now: Date,
): Promise<{ pages: number; comments: number } | null> {
  const site = await loadSite(pool, siteId);
  if (!site) return null;
  const sink = createTextSink(out);
  const header: ExportHeader = {
    format: EXPORT_FORMAT,
    version: EXPORT_VERSION,
    exportedAt: now.toISOString(),
    site: { id: site.id, name: site.name },
  };
  const headerJson = JSON.stringify(header);
  await sink.write(`${headerJson.slice(0, -1)},\n"pages":[\n`);
  const counts = { pages: 0, comments: 0 };
  let section: 'pages' | 'comments' = 'pages';
  for await (const chunk of streamSnapshot<PageRow | CommentRow>(pool, [
    { tag: 'pages', sql: pagesSql, params: [siteId] },
    { tag: 'comments', sql: commentsSql, params: [siteId] },
  ])) {
    if (chunk.tag === 'comments' && section === 'pages') {
      section = 'comments';
      await sink.write(`${counts.pages > 0 ? '\n' : ''}],\n"comments":[\n`);
    }
    const lines: string[] = [];
    for (const row of chunk.rows) {
      const value: ExportPage | ExportComment =
        chunk.tag === 'pages' ? (row as PageRow) : toExportComment(row as CommentRow);
      const n = chunk.tag === 'pages' ? counts.pages++ : counts.comments++;
      lines.push(
        `${n > 0 ? ',\n' : ''}${JSON.stringify(chunk.tag === 'pages' ? toExportPage(value as PageRow) : value)}`,
      );
    }
    await sink.write(lines.join(''));
  }
  if (section === 'pages') await sink.write(`${counts.pages > 0 ? '\n' : ''}],\n"comments":[\n`);
  await sink.write(`${counts.comments > 0 ? '\n' : ''}]}\n`);
  return counts;
}
