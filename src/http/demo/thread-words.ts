/*
 * Words of the server-rendered thread (the page without JavaScript) that the widget also shows: the
 * same heading in both, so a reader switching JavaScript on or off reads one product. They are the
 * widget's English words (widget/i18n.ts, `en`); tests/unit/thread-words.test.ts holds the two equal.
 */

/**
 * The heading over the thread: the approved count, as the widget says it. Not "No comments yet" when
 * the reader's own comment is shown right below it, waiting to be checked or approved.
 */
export function threadHeading(approved: number, ownWaiting: boolean): string {
  if (approved === 0) return ownWaiting ? 'Comments' : 'No comments yet';
  return approved === 1 ? '1 Comment' : `${approved} Comments`;
}

const commentDate = new Intl.DateTimeFormat('en-GB', { dateStyle: 'long', timeStyle: 'short', timeZone: 'UTC' });

/**
 * A comment's time for readers without JavaScript: "3 December 2026 at 14:05 UTC". The server does not
 * know the reader's time zone, so it says which one it used (the widget shows the reader's own).
 */
export function formatCommentDate(date: Date): string {
  return `${commentDate.format(date)} UTC`;
}
