import { byteLength, fieldLimits } from './field-limits.js';

/**
 * A confirmed page title, as a moderator or the site's admin types it (dashboard, CLI). It goes into
 * mails, feeds and webhooks, so it is one line of plain text within the page-title limit.
 */
export type PageTitleCheck =
  { ok: true; title: string } | { ok: false; code: 'REQUIRED' | 'TOO_LONG' | 'INVALID_TEXT'; message: string };

// Control characters (NUL included: Postgres refuses it), line and paragraph separators, and lone
// surrogates (not valid UTF-8 once stored).
const badText =
  /[\u0000-\u001f\u007f-\u009f\u2028\u2029]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

export function checkPageTitle(value: string): PageTitleCheck {
  const title = value.trim();
  if (title === '') return { ok: false, code: 'REQUIRED', message: 'A page title cannot be empty.' };
  if (badText.test(title))
    return {
      ok: false,
      code: 'INVALID_TEXT',
      message: 'A page title is one line of text, without control characters.',
    };
  if (byteLength(title) > fieldLimits.pageTitle) {
    return {
      ok: false,
      code: 'TOO_LONG',
      message: `The page title is too long (at most ${fieldLimits.pageTitle} bytes).`,
    };
  }
  return { ok: true, title };
}

/** What mails, feeds and the dashboard call a page: its confirmed title, else its URL, else its key. */
export function pageLabel(page: { title: string | null; url: string | null; identifier: string }): string {
  return page.title ?? page.url ?? page.identifier;
}
