import type { Writable } from 'node:stream';
import type { CommentStatus } from '../moderation/verdict.js';
import type { Pool } from '../store/db.js';
import { loadSite } from '../store/sites.js';
import { streamSnapshot } from './export-cursor.js';
import { createTextSink } from './export-output.js';

/** Text safe inside an XML element or attribute. */
export function escapeXml(value: string): string {
  // Characters XML 1.0 cannot carry at all are dropped (control characters other than tab and newlines).
  return value
    .replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]/g, '')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&apos;');
}

/** CDATA that survives a `]]>` inside the text (split across two sections). */
export function cdata(value: string): string {
  const clean = value.replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]/g, '');
  return `<![CDATA[${clean.replace(/]]>/g, ']]]]><![CDATA[>')}]]>`;
}

/** `YYYY-MM-DD HH:MM:SS` in UTC, as WordPress writes wp:comment_date_gmt. */
function wpDate(d: Date): string {
  return d.toISOString().slice(0, 19).replace('T', ' ');
}

// WordPress has no "rejected": refused submissions were never comments there, so they are left out.
const approvedValue: Record<Exclude<CommentStatus, 'rejected'>, string> = {
  approved: '1',
  pending: '0',
  spam: 'spam',
  deleted: 'trash',
};

interface Row {
  page_id: number;
  identifier: string;
  url: string | null;
  title: string | null;
  closed: boolean;
  page_created_at: Date;
  id: string;
  parent_id: string | null;
  status: Exclude<CommentStatus, 'rejected'>;
  author_name: string;
  author_email: string;
  author_url: string;
  body_html: string;
  ip: string | null;
  user_agent: string;
  received_at: Date;
}

const sql = `
select p.id as page_id, p.identifier, p.url, p.title, p.closed, p.created_at as page_created_at,
       c.id, c.parent_id, c.status, c.author_name, c.author_email, c.author_url, c.body_html, host(c.ip) as ip, c.user_agent, c.received_at
  from comments c join pages p on p.id = c.page_id
 where c.site_id = $1 and c.status <> 'rejected'
 order by p.id, c.received_at, c.id`;

/**
 * Writes a site's comments as a WordPress eXtended RSS 1.2 file that WordPress' importer reads: one
 * `<item>` per page (a post with the page's title, link and our page id as wp:post_id) holding its
 * comments. WordPress comment ids are numbers, so comments are numbered in file order, per page
 * (parents are always on the same page, so a page's numbering is all a reply needs). The comment text
 * is our rendered, sanitised HTML. Streamed: one page's numbering and one chunk of rows in memory.
 */
export async function writeWxrExport(
  pool: Pool,
  siteId: string,
  out: Writable,
  now: Date,
): Promise<{ pages: number; comments: number } | null> {
  const site = await loadSite(pool, siteId);
  if (!site) return null;
  const sink = createTextSink(out);
  const origin = site.allowedOrigins[0] ?? 'http://localhost';
  await sink.write(`<?xml version="1.0" encoding="UTF-8"?>
<!-- Reply Desk export of site ${escapeXml(site.id).replace(/--/g, '- -')}: WordPress eXtended RSS 1.2 -->
<rss version="2.0" xmlns:excerpt="http://wordpress.org/export/1.2/excerpt/" xmlns:content="http://purl.org/rss/1.0/modules/content/" xmlns:wfw="http://wellformedweb.org/CommentAPI/" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:wp="http://wordpress.org/export/1.2/">
<channel>
<title>${escapeXml(site.name)}</title>
<link>${escapeXml(origin)}</link>
<description></description>
<pubDate>${now.toUTCString()}</pubDate>
<language>en</language>
<wp:wxr_version>1.2</wp:wxr_version>
<wp:base_site_url>${escapeXml(origin)}</wp:base_site_url>
<wp:base_blog_url>${escapeXml(origin)}</wp:base_blog_url>
<generator>reply-desk</generator>
`);
  const counts = { pages: 0, comments: 0 };
  let currentPage: number | null = null;
  let numbers = new Map<string, number>();
  const numberOf = (id: string) => {
    let n = numbers.get(id);
    if (n === undefined) {
      n = numbers.size + 1;
      numbers.set(id, n);
    }
    return n;
  };
  for await (const chunk of streamSnapshot<Row>(pool, [{ tag: 'comments', sql, params: [siteId] }])) {
    const parts: string[] = [];
    for (const r of chunk.rows) {
      if (r.page_id !== currentPage) {
        if (currentPage !== null) parts.push('</item>\n');
        currentPage = r.page_id;
        numbers = new Map();
        counts.pages += 1;
        const link = r.url ?? `${origin}/?p=${r.page_id}`;
        parts.push(`<item>
<title>${escapeXml(r.title ?? r.identifier)}</title>
<link>${escapeXml(link)}</link>
<guid isPermaLink="false">${escapeXml(r.identifier)}</guid>
<description></description>
<content:encoded>${cdata('')}</content:encoded>
<wp:post_id>${r.page_id}</wp:post_id>
<wp:post_date>${wpDate(r.page_created_at)}</wp:post_date>
<wp:post_date_gmt>${wpDate(r.page_created_at)}</wp:post_date_gmt>
<wp:comment_status>${r.closed ? 'closed' : 'open'}</wp:comment_status>
<wp:ping_status>closed</wp:ping_status>
<wp:post_name>${escapeXml(`reply-desk-${r.page_id}`)}</wp:post_name>
<wp:status>publish</wp:status>
<wp:post_parent>0</wp:post_parent>
<wp:menu_order>0</wp:menu_order>
<wp:post_type>post</wp:post_type>
<wp:post_password></wp:post_password>
<wp:is_sticky>0</wp:is_sticky>
`);
      }
      counts.comments += 1;
      parts.push(`<wp:comment>
<wp:comment_id>${numberOf(r.id)}</wp:comment_id>
<wp:comment_author>${cdata(r.author_name)}</wp:comment_author>
<wp:comment_author_email>${escapeXml(r.author_email)}</wp:comment_author_email>
<wp:comment_author_url>${escapeXml(r.author_url)}</wp:comment_author_url>
<wp:comment_author_IP>${escapeXml(r.ip ?? '')}</wp:comment_author_IP>
<wp:comment_date>${wpDate(r.received_at)}</wp:comment_date>
<wp:comment_date_gmt>${wpDate(r.received_at)}</wp:comment_date_gmt>
<wp:comment_content>${cdata(r.body_html)}</wp:comment_content>
<wp:comment_approved>${approvedValue[r.status]}</wp:comment_approved>
<wp:comment_type>comment</wp:comment_type>
<wp:comment_parent>${r.parent_id === null ? 0 : numberOf(r.parent_id)}</wp:comment_parent>
<wp:comment_user_id>0</wp:comment_user_id>
<wp:comment_agent>${escapeXml(r.user_agent)}</wp:comment_agent>
</wp:comment>
`);
    }
    await sink.write(parts.join(''));
  }
  if (currentPage !== null) await sink.write('</item>\n');
  await sink.write('</channel>\n</rss>\n');
  return counts;
}
