import { staffedStateAt, type StaffedHours } from './pages/staffed-hours.js';

/**
 * Whether a page's thread takes comments, and why not: closed by hand (`pages.closed`, from an import
 * or an operator) or by the site's `closeAfterDays`, counted from the page's first comment. One rule
 * for the worker (which refuses with THREAD_CLOSED) and for what readers are shown, so a form is
 * never offered for a comment the worker would refuse.
 */
export type ThreadClosure =
  | { closed: false }
  | { closed: true; reason: 'by-hand' }
  | { closed: true; reason: 'after-days'; closeAfterDays: number }
  /** Outside the site's staffed hours with `outside: closed` (issue 16): open again at `until`. */
  | { closed: true; reason: 'off-hours'; until: Date | null; untilLocal: string };

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

/**
 * The closure of a page at `at` under its settings: by hand or by age first (they last), then the
 * site's staffed hours where it closes threads outside them (that ends by itself when the desk opens).
 */
export function pageClosureAt(
  page: { closed: boolean; firstCommentAt: Date | null } | null,
  settings: { closeAfterDays: number; staffedHours: StaffedHours | null },
  at: Date,
): ThreadClosure {
  const closure = closureOf(page, settings.closeAfterDays, at);
  if (closure.closed) return closure;
  const staffed = staffedStateAt(settings.staffedHours, at);
  return !staffed.staffed && staffed.outside === 'closed'
    ? { closed: true, reason: 'off-hours', until: staffed.opensAt, untilLocal: staffed.opensAtLocal }
    : closure;
}

/** What a closure adds to a cache version: an answer rendered while open is never served once closed. */
export function closureVersion(c: ThreadClosure): string {
  if (!c.closed) return '';
  return c.reason === 'off-hours' ? `.closed-off-hours-${c.until?.getTime() ?? ''}` : `.closed-${c.reason}`;
}

/**
 * The fields a public answer carries: `closed`, and when closed, `closedReason` (and `closeAfterDays`,
 * or for staffed hours `closedUntil`, the instant the desk opens, and `closedUntilLocal`, its clock time).
 */
export function closureFields(c: ThreadClosure): {
  closed: boolean;
  closedReason?: string;
  closeAfterDays?: number;
  closedUntil?: string | null;
  closedUntilLocal?: string;
} {
  if (!c.closed) return { closed: false };
  if (c.reason === 'off-hours')
    return {
      closed: true,
      closedReason: 'off-hours',
      closedUntil: c.until?.toISOString() ?? null,
      closedUntilLocal: c.untilLocal,
    };
  return c.reason === 'by-hand'
    ? { closed: true, closedReason: 'by-hand' }
    : { closed: true, closedReason: 'after-days', closeAfterDays: c.closeAfterDays };
}
