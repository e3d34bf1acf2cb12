import { isIP } from 'node:net';
import { v5 as uuidv5 } from 'uuid';
import type { CommentStatus } from '../moderation/verdict.js';
import type { ImportSource } from './import-records.js';

/*
 * Pure mapping rules from WordPress and Disqus fields to ours, table-tested in
 * tests/unit/import-mapping.test.ts. Each returns the value, or null with the caller reporting why.
 */

// Fixed namespace of imported comment ids; changing it would make a second run import everything again.
const IMPORT_NAMESPACE = '0d6a3c52-4f7e-4b8f-a1c9-2e5d7b3f9a61';

/**
 * The id of an imported comment: derived from (site, source, the source's id), so importing the same
 * file again (or an overlapping later export) finds the rows it stored the first time.
 */
export function importedCommentId(siteId: string, source: ImportSource, sourceId: string): string {
  return uuidv5(`${siteId}\n${source}\n${sourceId}`, IMPORT_NAMESPACE);
}

/**
 * WordPress `wp:comment_approved`: 1 approved, 0 held, spam, trash (and post-trashed: trashed with its
 * post) deleted. Null for anything else.
 */
export function toWordPressStatus(value: string): CommentStatus | null {
  switch (value.trim().toLowerCase()) {
    case '1':
    case 'approve':
    case 'approved':
      return 'approved';
    case '0':
    case 'hold':
    case 'unapproved':
      return 'pending';
    case 'spam':
      return 'spam';
    case 'trash':
    case 'post-trashed':
      return 'deleted';
    default:
      return null;
  }
}

/**
 * Disqus flags → our status. Spam wins over deleted (Disqus deletes spam too, and "spam" says more);
 * `isApproved` is only in newer exports: explicitly false means held, absent means approved.
 */
export function toDisqusStatus(flags: {
  isDeleted: string | null;
  isSpam: string | null;
  isApproved: string | null;
}): CommentStatus {
  const yes = (v: string | null) => v !== null && v.trim().toLowerCase() === 'true';
  const no = (v: string | null) => v !== null && v.trim().toLowerCase() === 'false';
  if (yes(flags.isSpam)) return 'spam';
  if (yes(flags.isDeleted)) return 'deleted';
  if (no(flags.isApproved)) return 'pending';
  return 'approved';
}

/** WordPress comment types we do not import as comments (they are links from other sites, not readers). */
export function isLinkback(commentType: string): boolean {
  const t = commentType.trim().toLowerCase();
  return t === 'pingback' || t === 'trackback';
}

const wpDate = /^(\d{4})-(\d{2})-(\d{2})[ T](\d{2}):(\d{2}):(\d{2})$/;

function utcDate(m: RegExpExecArray): Date | null {
  const [y, mo, d, h, mi, s] = m.slice(1, 7).map(Number) as [number, number, number, number, number, number];
  if (y < 1971 || mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59 || s > 60) return null;
  const date = new Date(Date.UTC(y, mo - 1, d, h, mi, s));
  return date.getUTCMonth() === mo - 1 ? date : null;
}

/**
 * A WordPress comment's time: `wp:comment_date_gmt` (UTC) when set; WordPress leaves it
 * `0000-00-00 00:00:00` on some held comments, and then the site-local `wp:comment_date` is read as
 * UTC (WXR does not carry the site's time zone) and `assumedUtc` says so for the report.
 */
export function toWordPressDate(gmt: string, local: string): { date: Date; assumedUtc: boolean } | null {
  const g = wpDate.exec(gmt.trim());
  const fromGmt = g ? utcDate(g) : null;
  if (fromGmt) return { date: fromGmt, assumedUtc: false };
  const l = wpDate.exec(local.trim());
  const fromLocal = l ? utcDate(l) : null;
  return fromLocal ? { date: fromLocal, assumedUtc: true } : null;
}

/**
 * An ISO 8601 time as Disqus writes it (`2012-03-04T05:06:07Z`), with any offset. A time without an
 * offset is read as UTC (Disqus writes UTC) and reported.
 */
export function toIsoDate(value: string): { date: Date; assumedUtc: boolean } | null {
  const v = value.trim();
  const m = /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?$/i.exec(v);
  if (!m) return null;
  const offset = m[7];
  const iso = `${m[1]}-${m[2]}-${m[3]}T${m[4]}:${m[5]}:${m[6] ?? '00'}${offset === undefined ? 'Z' : offset.length === 5 ? `${offset.slice(0, 3)}:${offset.slice(3)}` : offset.toUpperCase()}`;
  const date = new Date(iso);
  if (Number.isNaN(date.getTime()) || date.getUTCFullYear() < 1971) return null;
  return { date, assumedUtc: offset === undefined };
}

/** An IP address as stored (inet), or null for empty or unreadable values. */
export function toIp(value: string): string | null {
  let v = value.trim();
  if (v.startsWith('[') && v.endsWith(']')) v = v.slice(1, -1);
  return isIP(v) === 0 ? null : v;
}

/** A website as stored: absolute http(s) only (the public thread links to it), else empty. */
export function toAuthorUrl(value: string): string {
  const v = value.trim();
  if (v === '' || v === 'http://' || v === 'https://') return '';
  try {
    const u = new URL(/^[a-z][a-z0-9+.-]*:/i.test(v) ? v : `http://${v}`);
    return (u.protocol === 'http:' || u.protocol === 'https:') && u.hostname.includes('.')
      ? u.toString().slice(0, 200)
      : '';
  } catch {
    return '';
  }
}

/** An email as stored: trimmed, lower case (bans, trust and the privacy tools match on it), else empty. */
export function toEmail(value: string): string {
  const v = value.trim().toLowerCase();
  return /^[^\s@]+@[^\s@]+$/.test(v) && v.length <= 254 ? v : '';
}

/** A name as stored: single spaces, at most 245 characters (WordPress' limit). */
export function toAuthorName(value: string): string {
  return value.replace(/\s+/g, ' ').trim().slice(0, 245);
}
