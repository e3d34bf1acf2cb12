import { describe, expect, it } from 'vitest';
import { formatCommentDate, threadHeading } from '../../src/http/demo/thread-words.js';
import { plural as serverPlural } from '../../src/i18n/plural.js';
import { readerWords } from '../../src/i18n/reader-words.js';
import { en, type Messages } from '../../widget/i18n.js';
import { plural } from '../../widget/plural.js';

/*
 * Issue 13, item 10: the page without JavaScript and the widget say the same thing over the thread,
 * and the no-JS page's dates are readable ("3 December 2026 at 14:05 UTC", not an RFC 1123 string).
 */
describe('the no-JS thread speaks as the widget does', () => {
  it.each([0, 1, 2, 17])('the heading over %i approved comments is the widget’s English one', (n) => {
    expect(threadHeading(n, false)).toBe(n === 0 ? en.noComments : plural('en', n, en.count));
  });

  it('with the reader’s own comment waiting below and none approved, both say "Comments", not "No comments yet"', () => {
    expect(threadHeading(0, true)).toBe('Comments');
    expect(en.title).toBe('Comments');
    // Once comments are approved the count is true whatever waits below it.
    expect(threadHeading(3, true)).toBe('3 Comments');
  });
});

describe('formatCommentDate', () => {
  it.each([
    ['2026-12-03T14:05:09Z', '3 December 2026 at 14:05 UTC'],
    ['2027-01-01T00:00:00Z', '1 January 2027 at 00:00 UTC'],
    ['2026-06-30T23:59:59.999Z', '30 June 2026 at 23:59 UTC'],
  ])('%s reads as "%s"', (iso, text) => {
    expect(formatCommentDate(new Date(iso))).toBe(text);
  });
});

describe('the no-JS thread in other languages', () => {
  it.each([
    ['fr', 2, '2 commentaires'],
    ['pl', 2, '2 komentarze'],
    ['pl', 5, '5 komentarzy'],
    ['pl', 22, '22 komentarze'],
    ['ru', 21, '21 комментарий'],
    ['ru', 3, '3 комментария'],
    ['ar', 2, 'تعليقان'],
    ['ja', 7, 'コメント 7件'],
  ])('in %s, %i approved comments read "%s"', (lang, n, text) => {
    expect(threadHeading(n, false, lang)).toBe(text);
  });

  it('dates are written as the language writes them, in UTC', () => {
    expect(formatCommentDate(new Date('2026-12-03T14:05:09Z'), 'fr')).toBe('3 décembre 2026 à 14:05 UTC');
    expect(formatCommentDate(new Date('2026-12-03T14:05:09Z'), 'de')).toBe('3. Dezember 2026 um 14:05 UTC');
  });
});

/*
 * The server keeps its own copy of the words the widget also shows (src/i18n/lang/ vs widget/lang/:
 * one is compiled for Node, the other bundled for browsers). This holds the copies together in every
 * language, so a translator who changes one cannot leave the page without JavaScript saying another.
 */
describe('the no-JS page and the widget share their words in every language', () => {
  const SHARED = ['count', 'noComments', 'title', 'anonymous', 'leaveReply', 'notes', 'requiredNote'] as const;
  const SHARED_FIELDS = ['comment', 'name', 'email', 'website', 'post', 'closed'] as const;
  it.each(Object.keys(readerWords))('%s', async (lang) => {
    const widget: Messages =
      lang === 'en' ? en : ((await import(`../../widget/lang/${lang}.ts`)) as { words: Messages }).words;
    const page = readerWords[lang as keyof typeof readerWords].page;
    for (const key of [...SHARED, ...SHARED_FIELDS]) expect([key, page[key]]).toEqual([key, widget[key]]);
    // The server's copy of widget/plural.ts picks the same forms.
    for (const n of [0, 1, 2, 5, 11, 21, 1000])
      expect(serverPlural(lang, n, page.count)).toBe(plural(lang, n, widget.count));
  });
});
