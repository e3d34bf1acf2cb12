import type { Queryable } from '../store/db.js';
import { escapeXml } from './wxr-export.js';

/** One approved comment as a feed shows it: never an email or an IP. */
export interface FeedComment {
  id: string;
  authorName: string;
  authorUrl: string;
  html: string;
  receivedAt: Date;
  editedAt: Date | null;
  pageTitle: string | null;
  pageIdentifier: string;
  pageUrl: string | null;
  /** The approved comment this one answers, if any (a reply to a comment not shown is shown as none). */
  parentId: string | null;
}

export interface FeedPage {
  id: number;
  identifier: string;
  url: string | null;
  title: string | null;
  createdAt: Date;
}

/** Most entries in one feed (newest first). */
export const FEED_LIMIT = 50;

export async function loadFeedPage(db: Queryable, siteId: string, identifier: string): Promise<FeedPage | null> {
  const { rows } = await db.query<FeedPage>(
    'select id, identifier, url, title, created_at as "createdAt" from pages where site_id = $1 and identifier = $2',
    [siteId, identifier],
  );
  return rows[0] ?? null;
}

/** A site's (or one page's) newest approved comments. */
export async function listFeedComments(
  db: Queryable,
  siteId: string,
  pageId: number | null,
  limit = FEED_LIMIT,
): Promise<FeedComment[]> {
  const { rows } = await db.query<FeedComment>(
    `select c.id, c.author_name as "authorName", c.author_url as "authorUrl", c.body_html as html,
            c.received_at as "receivedAt", c.edited_at as "editedAt",
            p.title as "pageTitle", p.identifier as "pageIdentifier", p.url as "pageUrl",
            par.id as "parentId"
       from comments c join pages p on p.id = c.page_id
       left join comments par on par.id = c.parent_id and par.status = 'approved'
      where c.site_id = $1 and c.status = 'approved' and ($2::bigint is null or c.page_id = $2)
      order by c.received_at desc, c.id desc
      limit $3`,
    [siteId, pageId, limit],
  );
  return rows;
}

/** Only absolute http(s) links go into a feed (a page URL comes from a reader's browser or an import). */
function webUrl(value: string | null): string | null {
  if (value === null) return null;
  try {
    const u = new URL(value);
    return u.protocol === 'http:' || u.protocol === 'https:' ? u.toString() : null;
  } catch {
    return null;
  }
}

/**
 * A reply's `thr:in-reply-to` (RFC 4685): `ref` is the parent's entry id, `href` its permalink. The
 * namespace is declared on the element itself, so the feed's head stays as it is.
 */
function inReplyTo(c: FeedComment, page: string | null): string {
  if (c.parentId === null) return '';
  const href = page ? ` href="${escapeXml(`${page.split('#')[0]}#comment-${c.parentId}`)}" type="text/html"` : '';
  return `<thr:in-reply-to xmlns:thr="http://purl.org/syndication/thread/1.0" ref="urn:uuid:${c.parentId}"${href}/>\n`;
}

/**
 * An Atom 1.0 document. Comment HTML (already sanitised when it was stored) goes in
 * `<content type="html">` escaped, so a feed reader sees it as HTML text to sanitise again, never as
 * markup of the feed itself; every other value is escaped text. `updated` comes from the data, not
 * the clock, so the same comments always give the same bytes (and the same ETag).
 */
export function renderAtomFeed(input: {
  selfUrl: string;
  title: string;
  alternateUrl: string | null;
  fallbackUpdated: Date;
  comments: FeedComment[];
}): string {
  const updatedOf = (c: FeedComment) => c.editedAt ?? c.receivedAt;
  const newest = input.comments.reduce<Date | null>(
    (max, c) => (max === null || updatedOf(c) > max ? updatedOf(c) : max),
    null,
  );
  const alternate = webUrl(input.alternateUrl);
  const entries = input.comments.map((c) => {
    const page = webUrl(c.pageUrl);
    const author = c.authorName.trim() || 'Anonymous';
    const authorUri = webUrl(c.authorUrl || null);
    return `<entry>
<id>urn:uuid:${c.id}</id>
<title>${escapeXml(`${author} on ${c.pageTitle ?? c.pageIdentifier}`)}</title>
<author><name>${escapeXml(author)}</name>${authorUri ? `<uri>${escapeXml(authorUri)}</uri>` : ''}</author>
<published>${c.receivedAt.toISOString()}</published>
<updated>${updatedOf(c).toISOString()}</updated>
${page ? `<link rel="alternate" type="text/html" href="${escapeXml(`${page.split('#')[0]}#comment-${c.id}`)}"/>\n` : ''}${inReplyTo(c, page)}<content type="html">${escapeXml(c.html)}</content>
</entry>
`;
  });
  return `<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom">
<id>${escapeXml(input.selfUrl)}</id>
<title>${escapeXml(input.title)}</title>
<updated>${(newest ?? input.fallbackUpdated).toISOString()}</updated>
<link rel="self" type="application/atom+xml" href="${escapeXml(input.selfUrl)}"/>
${alternate ? `<link rel="alternate" type="text/html" href="${escapeXml(alternate)}"/>\n` : ''}<generator>Reply Desk</generator>
${entries.join('')}</feed>
`;
}
