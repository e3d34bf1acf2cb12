import type { PageSettings } from '../domain/pages/page-settings.js';
import { LINE_FORBIDDEN, TEXT_FORBIDDEN } from '../domain/forbidden-characters.js';
import type { CommentStatus, Verdict } from '../moderation/verdict.js';

/** Where the records come from; part of every derived comment id. */
export type ImportSource = 'wordpress' | 'disqus' | 'json';

/** A page (a WordPress post, a Disqus thread) as the source describes it. */
export interface ImportPage {
  /** The source's own id for it (WordPress post id, Disqus thread dsq:id, our identifier for JSON). */
  sourceId: string;
  /**
   * Identifiers this page may already have here, best first; the first one is used for a new page.
   * An existing page matching any of them (by identifier) is reused, so comments land on the thread
   * the site's embed code already shows.
   */
  identifiers: string[];
  url: string | null;
  title: string | null;
  closed: boolean;
  /** The page's own settings (a Reply Desk export, issue 16); left out, it follows its site. */
  settings?: PageSettings;
}

/** A comment mapped to our model; the page and parent are still the source's ids. */
export interface ImportComment {
  sourceId: string;
  pageSourceId: string;
  parentSourceId: string | null;
  authorName: string;
  authorEmail: string;
  authorUrl: string;
  /** The text as our Markdown subset; rendered with renderCommentHtml on the way in. */
  body: string;
  status: CommentStatus;
  receivedAt: Date;
  ip: string | null;
  userAgent: string;
  referrer: string;
  editedAt: Date | null;
  /** JSON imports carry our own verdict; other sources get one saying where the comment came from. */
  verdict: Verdict | null;
  idempotencyKey: string | null;
}

/**
 * What a format reader yields, in file order. `skip` is a row that will not be imported and why;
 * `note` is something the report should say about a row that is imported (a date read as UTC, an
 * address that was not an IP).
 */
export type ImportRecord =
  | { kind: 'page'; page: ImportPage }
  | { kind: 'comment'; comment: ImportComment }
  | { kind: 'skip'; sourceId: string; reason: string }
  | { kind: 'note'; sourceId: string; note: string };

/**
 * The first field of an imported comment that holds text no stored comment may hold (a NUL, another
 * control character, broken Unicode), or null. Checked before the row joins a batch: Postgres would
 * refuse the whole statement, and with it every comment of the import.
 */
export function findUnstorableField(c: ImportComment): keyof ImportComment | null {
  if (TEXT_FORBIDDEN.test(c.body)) return 'body';
  for (const field of [
    'sourceId',
    'pageSourceId',
    'parentSourceId',
    'authorName',
    'authorEmail',
    'authorUrl',
    'userAgent',
    'referrer',
    'idempotencyKey',
  ] as const) {
    const value = c[field];
    if (value !== null && LINE_FORBIDDEN.test(value)) return field;
  }
  return null;
}

/** The same for a page: its identifiers, URL or title. */
export function hasUnstorablePageText(p: ImportPage): boolean {
  return [p.sourceId, ...p.identifiers, p.url ?? '', p.title ?? ''].some((v) => LINE_FORBIDDEN.test(v));
}
