/**
 * Whether a page's thread takes comments, and why not: closed by hand (`pages.closed`, from an import
 * or an operator) or by the site's `closeAfterDays`, counted from the page's first comment. One rule
 * for the worker (which refuses with THREAD_CLOSED) and for what readers are shown, so a form is
 * never offered for a comment the worker would refuse.
 */
export type ThreadClosure =
  | { closed: false }
  | { closed: true; reason: 'by-hand' }
  | { closed: true; reason: 'after-days'; closeAfterDays: number };

const DAY_MS = 86_400_000;

/** The closure of a page at `at`; a page without a row (nobody commented yet) is open. */
export function closureOf(
  page: { closed: boolean; firstCommentAt: Date | null } | null,
  closeAfterDays: number,
  at: Date,
): ThreadClosure {
  if (page === null) return { closed: false };
  if (page.closed) return { closed: true, reason: 'by-hand' };
  const expired =
    closeAfterDays > 0 &&
    page.firstCommentAt !== null &&
    at.getTime() - page.firstCommentAt.getTime() > closeAfterDays * DAY_MS;
  return expired ? { closed: true, reason: 'after-days', closeAfterDays } : { closed: false };
}

/** The fields a public answer carries: `closed`, and when closed, `closedReason` (and `closeAfterDays`). */
export function closureFields(c: ThreadClosure): { closed: boolean; closedReason?: string; closeAfterDays?: number } {
  if (!c.closed) return { closed: false };
  return c.reason === 'by-hand'
    ? { closed: true, closedReason: 'by-hand' }
    : { closed: true, closedReason: 'after-days', closeAfterDays: c.closeAfterDays };
}
