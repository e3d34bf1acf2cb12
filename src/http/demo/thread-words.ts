/*
 * Words of the server-rendered thread (the page without JavaScript) that the widget also shows: the
 * same heading in both, so a reader switching JavaScript on or off reads one product. They come from
 * src/i18n/reader-words.ts, whose English matches the widget's (tests/unit/thread-words.test.ts).
 */
import { plural } from '../../i18n/plural.js';
import { wordsFor } from '../../i18n/reader-words.js';

/**
 * The heading over the thread: the approved count, as the widget says it. Not "No comments yet" when
 * the reader's own comment is shown right below it, waiting to be checked or approved.
 */
export function threadHeading(approved: number, ownWaiting: boolean, lang = 'en'): string {
  const words = wordsFor(lang).page;
  if (approved === 0) return ownWaiting ? words.title : words.noComments;
  return plural(lang, approved, words.count);
}

const formats = new Map<string, Intl.DateTimeFormat>();

/**
 * A comment's time for readers without JavaScript: "3 December 2026 at 14:05 UTC" (in English as
 * British English writes it; other languages as Intl writes theirs). The server does not know the
 * reader's time zone, so it says which one it used (the widget shows the reader's own).
 */
export function formatCommentDate(date: Date, lang = 'en'): string {
  let format = formats.get(lang);
  if (!format) {
    format = new Intl.DateTimeFormat(lang === 'en' ? 'en-GB' : lang, {
      dateStyle: 'long',
      timeStyle: 'short',
      timeZone: 'UTC',
    });
    formats.set(lang, format);
  }
  return `${format.format(date)} UTC`;
}
